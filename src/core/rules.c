/* The rule compiler: rules/ text files -> rules database. Checks everything
 * a rule author can get wrong and reports each problem with file:line. */
#include "rules.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "actions.h"
#include "compiler.h"
#include "facts.h"
#include "sandbox.h"
#include "stanza.h"
#include "template.h"
#include "util.h"

static const char rules_schema[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE rules("
	" id TEXT PRIMARY KEY, ord INTEGER, file TEXT, line INTEGER, query_line INTEGER,"
	" severity TEXT, area TEXT, os TEXT, likelihood INTEGER, platforms TEXT,"
	" query TEXT, title_zh TEXT, title_en TEXT, message_zh TEXT, message_en TEXT,"
	" fix_zh TEXT, fix_en TEXT, probes TEXT);"
	"CREATE TABLE rule_symptoms(rule_id TEXT, symptom TEXT, PRIMARY KEY(rule_id, symptom));"
	"CREATE TABLE rule_actions(rule_id TEXT, seq INTEGER, kind TEXT, args TEXT, line INTEGER);";

/* Fields a rule stanza may have; anything else is a typo worth reporting. */
static const char *const rule_fields[] = {
	"Rule", "Severity", "Area", "OS", "Symptoms", "Platforms", "Likelihood", "Query",
	"Title-zh", "Title-en", "Message-zh", "Message-en", "Fix-zh", "Fix-en", "Repair",
	"Comment", "Probes", NULL,
};

static const char *const areas[] = {"drivers", "tokens", "certificates", "browsers",
				    "system", "network", NULL};

struct compiler {
	sqlite3 *db;
	struct cd_diag_list *diags;
	int ord;
	unsigned long long hash;
};

static void report(struct compiler *c, const char *file, int line, const char *fmt, ...)
	CD_PRINTF(4, 5);

static void report(struct compiler *c, const char *file, int line, const char *fmt, ...)
{
	struct cd_diag d;
	va_list ap;
	cd_diag_clear(&d);
	d.code = CD_ERR_PARSE;
	d.line = line;
	snprintf(d.file, sizeof(d.file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	va_end(ap);
	cd_diag_list_add(c->diags, &d);
}

static int in_set(const char *const *set, const char *v)
{
	for (; *set; set++)
		if (!strcmp(*set, v))
			return 1;
	return 0;
}

static int valid_ident(const char *s, int allow_dot)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      (allow_dot && (*s == '.' || *s == '-'))))
			return 0;
	return 1;
}

static void hash_bytes(struct compiler *c, const char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		c->hash ^= (unsigned char)p[i];
		c->hash *= 1099511628211ULL;
	}
}

/* ---- walking the directory ---- */

struct file_list {
	char **v;
	size_t n, cap;
};

static void collect_files(const char *dir, int depth, struct file_list *out)
{
	char **names;
	size_t n, i;
	if (depth > 8 || cd_list_dir(dir, &names, &n) != CD_OK)
		return;
	for (i = 0; i < n; i++) {
		size_t dlen = strlen(dir);
		char *path = cd_aprintf("%.*s/%s", (int)(dlen > 1 && dir[dlen - 1] == '/' ? dlen - 1 : dlen),
					dir, names[i]);
		size_t len = strlen(names[i]);
		if (!path)
			continue;
		if (names[i][0] == '.') {
			free(path);
		} else if (cd_is_dir(path)) {
			collect_files(path, depth + 1, out);
			free(path);
		} else if ((len > 6 && !strcmp(names[i] + len - 6, ".rules")) ||
			   (len > 4 && !strcmp(names[i] + len - 4, ".cat"))) {
			if (out->n == out->cap) {
				size_t ncap = out->cap ? out->cap * 2 : 32;
				char **nv = realloc(out->v, ncap * sizeof(*nv));
				if (!nv) {
					free(path);
					continue;
				}
				out->v = nv;
				out->cap = ncap;
			}
			out->v[out->n++] = path;
		} else {
			free(path);
		}
	}
	cd_free_list(names, n);
}

/* ---- catalogs ---- */

struct column {
	char name[64];
	char type[16];
};

static int parse_columns(const char *spec, struct column *cols, int max)
{
	int n = 0;
	const char *p = spec;
	while (*p && n < max) {
		char item[128];
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		char *t, *sp;
		if (len >= sizeof(item))
			return -1;
		memcpy(item, p, len);
		item[len] = '\0';
		t = cd_trim(item);
		sp = strpbrk(t, " \t\n");
		if (sp) {
			*sp = '\0';
			sp = cd_trim(sp + 1);
		}
		if (!valid_ident(t, 0) || strlen(t) >= sizeof(cols[n].name))
			return -1;
		snprintf(cols[n].name, sizeof(cols[n].name), "%s", t);
		if (!sp || !*sp || cd_strieq(sp, "TEXT"))
			snprintf(cols[n].type, sizeof(cols[n].type), "TEXT");
		else if (cd_strieq(sp, "INTEGER"))
			snprintf(cols[n].type, sizeof(cols[n].type), "INTEGER");
		else if (cd_strieq(sp, "REAL"))
			snprintf(cols[n].type, sizeof(cols[n].type), "REAL");
		else
			return -1;
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	return n;
}

static void compile_catalog(struct compiler *c, const struct cd_stanza_file *sf)
{
	const struct cd_stanza *h;
	const char *table, *colspec, *key, *required;
	struct column cols[64];
	int ncols, i;
	size_t s, j;
	struct cd_buf sql;

	if (!sf->nstanzas) {
		report(c, sf->path, 0, "empty catalog file");
		return;
	}
	h = &sf->stanzas[0];
	table = cd_stanza_get(h, "Table");
	colspec = cd_stanza_get(h, "Columns");
	key = cd_stanza_get(h, "Key");
	required = cd_stanza_get(h, "Required");
	if (!table || strncmp(table, "cat_", 4) != 0 || !valid_ident(table, 0)) {
		report(c, sf->path, h->line,
		       "the first stanza needs \"Table: cat_name\" (lower case, starting with cat_)");
		return;
	}
	if (!cd_stanza_get(h, "Description"))
		report(c, sf->path, h->line, "catalog %s has no Description:", table);
	if (!colspec || (ncols = parse_columns(colspec, cols, 64)) <= 0) {
		report(c, sf->path, h->line,
		       "catalog %s needs \"Columns: name [TEXT|INTEGER|REAL], ...\"", table);
		return;
	}
	cd_buf_init(&sql, 0);
	cd_buf_addf(&sql, "CREATE TABLE \"%s\"(", table);
	for (i = 0; i < ncols; i++)
		cd_buf_addf(&sql, "%s\"%s\" %s", i ? "," : "", cols[i].name, cols[i].type);
	if (key)
		cd_buf_addf(&sql, ", UNIQUE(%s)", key);
	cd_buf_adds(&sql, ")");
	if (sqlite3_exec(c->db, cd_buf_str(&sql), NULL, NULL, NULL) != SQLITE_OK) {
		report(c, sf->path, h->line, "cannot create catalog table: %s", sqlite3_errmsg(c->db));
		cd_buf_release(&sql);
		return;
	}
	cd_buf_release(&sql);
	/* Remember where each catalog came from, for later messages. */
	{
		sqlite3_stmt *m;
		char mkey[96];
		snprintf(mkey, sizeof(mkey), "catalog_file.%s", table);
		if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO meta VALUES(?, ?)", -1, &m, NULL) == SQLITE_OK) {
			sqlite3_bind_text(m, 1, mkey, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(m, 2, sf->path, -1, SQLITE_STATIC);
			sqlite3_step(m);
			sqlite3_finalize(m);
		}
	}

	for (s = 1; s < sf->nstanzas; s++) {
		const struct cd_stanza *row = &sf->stanzas[s];
		sqlite3_stmt *st;
		int bad = 0;
		cd_buf_init(&sql, 0);
		cd_buf_addf(&sql, "INSERT INTO \"%s\"(", table);
		for (j = 0; j < row->nfields; j++) {
			int found = 0;
			for (i = 0; i < ncols; i++)
				if (cd_strieq(cols[i].name, row->fields[j].name))
					found = 1;
			if (!found) {
				report(c, sf->path, row->fields[j].line, "catalog %s has no column \"%s\"",
				       table, row->fields[j].name);
				bad = 1;
			}
			cd_buf_addf(&sql, "%s\"%s\"", j ? "," : "", row->fields[j].name);
		}
		if (required) {
			const char *p = required;
			while (*p) {
				char name[64];
				const char *cm = strchr(p, ',');
				size_t len = cm ? (size_t)(cm - p) : strlen(p);
				if (len < sizeof(name)) {
					char *t;
					memcpy(name, p, len);
					name[len] = '\0';
					t = cd_trim(name);
					if (*t && !cd_stanza_get(row, t)) {
						report(c, sf->path, row->line, "row lacks required column \"%s\"", t);
						bad = 1;
					}
				}
				if (!cm)
					break;
				p = cm + 1;
			}
		}
		cd_buf_adds(&sql, ") VALUES(");
		for (j = 0; j < row->nfields; j++)
			cd_buf_adds(&sql, j ? ",?" : "?");
		cd_buf_adds(&sql, ")");
		if (!bad && sqlite3_prepare_v2(c->db, cd_buf_str(&sql), -1, &st, NULL) == SQLITE_OK) {
			for (j = 0; j < row->nfields; j++) {
				const char *v = row->fields[j].value;
				char *end;
				long long iv = strtoll(v, &end, 10);
				/* Integers stay integers so that comparisons in rules work. */
				if (*v && *end == '\0' && v[0] != '0')
					sqlite3_bind_int64(st, (int)j + 1, iv);
				else if (!strcmp(v, "0"))
					sqlite3_bind_int64(st, (int)j + 1, 0);
				else
					sqlite3_bind_text(st, (int)j + 1, v, -1, SQLITE_STATIC);
			}
			if (sqlite3_step(st) != SQLITE_DONE)
				report(c, sf->path, row->line, "row rejected: %s", sqlite3_errmsg(c->db));
			sqlite3_finalize(st);
		}
		cd_buf_release(&sql);
	}
}

/* ---- rules ---- */

/* Splits "kind a=1 b=\"two words\"" into kind and a JSON object of args. */
static cd_err parse_action(const char *line, char *kind, size_t kindlen, cJSON **args, char *err,
			   size_t errlen)
{
	const char *p = line;
	size_t n = 0;
	cJSON *obj = cJSON_CreateObject();
	if (!obj)
		return CD_ERR_NOMEM;
	while (*p == ' ' || *p == '\t')
		p++;
	while (p[n] && p[n] != ' ' && p[n] != '\t')
		n++;
	if (!n || n >= kindlen) {
		snprintf(err, errlen, "missing action kind");
		goto fail;
	}
	memcpy(kind, p, n);
	kind[n] = '\0';
	p += n;
	for (;;) {
		char name[64], *val;
		size_t vcap, vlen = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		n = 0;
		while (p[n] && p[n] != '=' && p[n] != ' ')
			n++;
		if (p[n] != '=' || !n || n >= sizeof(name)) {
			snprintf(err, errlen, "expected name=value near \"%.20s\"", p);
			goto fail;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		p += n + 1;
		vcap = strlen(p) + 1;
		val = malloc(vcap);
		if (!val)
			goto fail;
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				val[vlen++] = *p++;
			}
			if (*p != '"') {
				free(val);
				snprintf(err, errlen, "unterminated quoted value of %s", name);
				goto fail;
			}
			p++;
		} else {
			while (*p && *p != ' ' && *p != '\t')
				val[vlen++] = *p++;
		}
		val[vlen] = '\0';
		if (cJSON_GetObjectItemCaseSensitive(obj, name)) {
			free(val);
			snprintf(err, errlen, "argument %s given twice", name);
			goto fail;
		}
		cJSON_AddStringToObject(obj, name, val);
		free(val);
	}
	*args = obj;
	return CD_OK;
fail:
	cJSON_Delete(obj);
	return CD_ERR_PARSE;
}

static void compile_rule(struct compiler *c, const char *path, const struct cd_stanza *s)
{
	const char *id = cd_stanza_get(s, "Rule");
	const char *sev = cd_stanza_get(s, "Severity");
	const char *area = cd_stanza_get(s, "Area");
	const char *os = cd_stanza_get(s, "OS");
	const char *lik = cd_stanza_get(s, "Likelihood");
	const struct cd_field *q = cd_stanza_field(s, "Query");
	const struct cd_field *rep = cd_stanza_field(s, "Repair");
	const char *need[] = {"Title-zh", "Title-en", "Message-zh", "Message-en"};
	sqlite3_stmt *st;
	size_t i;
	int bad = 0;

	for (i = 0; i < s->nfields; i++) {
		if (!in_set(rule_fields, s->fields[i].name)) {
			int known = 0;
			size_t k;
			for (k = 0; rule_fields[k]; k++)
				if (cd_strieq(rule_fields[k], s->fields[i].name))
					known = 1;
			if (!known) {
				report(c, path, s->fields[i].line, "unknown field \"%s\"", s->fields[i].name);
				bad = 1;
			}
		}
	}
	if (!id || !valid_ident(id, 1)) {
		report(c, path, s->line, "a rule needs \"Rule: id\" (lower case, digits, . _ -)");
		return;
	}
	if (!sev || !(cd_streq(sev, "error") || cd_streq(sev, "warning") || cd_streq(sev, "info"))) {
		report(c, path, s->line, "rule %s: Severity must be error, warning or info", id);
		bad = 1;
	}
	if (!area || !in_set(areas, area)) {
		report(c, path, s->line,
		       "rule %s: Area must be drivers, tokens, certificates, browsers, system or network", id);
		bad = 1;
	}
	if (os && !(cd_streq(os, "windows") || cd_streq(os, "linux") || cd_streq(os, "any"))) {
		report(c, path, s->line, "rule %s: OS must be windows, linux or any", id);
		bad = 1;
	}
	if (!q || !*q->value) {
		report(c, path, s->line, "rule %s has no Query", id);
		bad = 1;
	} else if (strstr(q->value, "'now'")) {
		/* Findings must be the same for a live scan and its snapshot. */
		report(c, path, q->first_line,
		       "rule %s uses 'now'; use (SELECT clock_utc FROM host), the collection time", id);
		bad = 1;
	}
	for (i = 0; i < 4; i++) {
		const char *v = cd_stanza_get(s, need[i]);
		if (!v || !*v) {
			report(c, path, s->line, "rule %s lacks %s (every rule has zh and en text)", id,
			       need[i]);
			bad = 1;
		}
	}
	if (!cd_stanza_get(s, "Fix-zh") != !cd_stanza_get(s, "Fix-en")) {
		report(c, path, s->line, "rule %s has a Fix in one language only", id);
		bad = 1;
	}
	if (bad)
		return;

	if (sqlite3_prepare_v2(c->db,
			       "INSERT INTO rules(id, ord, file, line, query_line, severity, area, os,"
			       " likelihood, platforms, query, title_zh, title_en, message_zh, message_en,"
			       " fix_zh, fix_en, probes) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, c->ord++);
	sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, s->line);
	sqlite3_bind_int(st, 5, q->first_line);
	sqlite3_bind_text(st, 6, sev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, area, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, os ? os : "any", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, lik ? atoi(lik) : 50);
	sqlite3_bind_text(st, 10, cd_stanza_get(s, "Platforms"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, q->value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, cd_stanza_get(s, "Title-zh"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, cd_stanza_get(s, "Title-en"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, cd_stanza_get(s, "Message-zh"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, cd_stanza_get(s, "Message-en"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 16, cd_stanza_get(s, "Fix-zh"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, cd_stanza_get(s, "Fix-en"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 18, cd_stanza_get(s, "Probes"), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		report(c, path, s->line, "rule %s: %s (is the id used twice?)", id,
		       sqlite3_errmsg(c->db));
	sqlite3_finalize(st);

	/* Symptoms and platforms are comma lists; checked against catalogs later. */
	if (cd_stanza_get(s, "Symptoms")) {
		const char *p = cd_stanza_get(s, "Symptoms");
		char t[128];
		while (cd_split_next(&p, ',', t, sizeof(t))) {
			if (!*t)
				continue;
			if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO rule_symptoms VALUES(?, ?)", -1,
					       &st, NULL) == SQLITE_OK) {
				sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 2, t, -1, SQLITE_STATIC);
				sqlite3_step(st);
				sqlite3_finalize(st);
			}
		}
	}

	if (rep) {
		const char *p = rep->value;
		int seq = 0, lineno = rep->first_line - 1;
		char ln[1024];
		while (cd_split_next(&p, '\n', ln, sizeof(ln))) {
			char kind[64], err[160];
			cJSON *args = NULL;
			char *t = ln, *json;
			const struct cd_action_kind *k;
			cJSON *a;
			lineno++;
			if (!*t)
				continue;
			if (parse_action(t, kind, sizeof(kind), &args, err, sizeof(err)) != CD_OK) {
				report(c, path, lineno, "repair action: %s", err);
				continue;
			}
			k = cd_action_kind_find(kind);
			if (!k) {
				report(c, path, lineno, "unknown action kind \"%s\"", kind);
			} else {
				const char *req = k->required;
				cJSON_ArrayForEach(a, args)
				{
					if (!cd_action_kind_has_arg(k, a->string))
						report(c, path, lineno, "action %s has no argument \"%s\"", kind,
						       a->string);
				}
				while (*req) {
					char arg[64];
					const char *cm = strchr(req, ',');
					size_t len = cm ? (size_t)(cm - req) : strlen(req);
					if (len < sizeof(arg)) {
						memcpy(arg, req, len);
						arg[len] = '\0';
						if (!cJSON_GetObjectItemCaseSensitive(args, arg))
							report(c, path, lineno, "action %s needs argument \"%s\"",
							       kind, arg);
					}
					if (!cm)
						break;
					req = cm + 1;
				}
			}
			json = cJSON_PrintUnformatted(args);
			if (json && sqlite3_prepare_v2(c->db, "INSERT INTO rule_actions VALUES(?, ?, ?, ?, ?)",
						       -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
				sqlite3_bind_int(st, 2, seq++);
				sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
				sqlite3_bind_int(st, 5, lineno);
				sqlite3_step(st);
				sqlite3_finalize(st);
			}
			cJSON_free(json);
			cJSON_Delete(args);
		}
	}
}

/* ---- checks that need the whole database ---- */

struct lookup_cols {
	const char *const *cols;
	int n;
};

static void check_templates(struct compiler *c, const char *file, int line, const char *id,
			    const char *field, const char *tmpl, const char *const *cols, int ncols)
{
	char bad[160];
	if (tmpl && cd_template_check(tmpl, cols, ncols, bad, sizeof(bad)) != CD_OK) {
		struct cd_diag d;
		cd_diag_set(&d, CD_ERR_PARSE, file, line,
			    "rule %s: %s names %s, which is not a column of the query result", id, field,
			    bad);
		cd_diag_list_add(c->diags, &d);
	}
}

static void check_rules_against_facts(struct compiler *c, const unsigned char *bytes, size_t len)
{
	struct cd_facts *facts;
	sqlite3 *fdb;
	sqlite3_stmt *st;

	if (cd_facts_open(&facts) != CD_OK)
		return;
	if (cd_facts_attach_rules(facts, bytes, len) != CD_OK) {
		cd_facts_free(facts);
		return;
	}
	fdb = cd_facts_db(facts);
	if (sqlite3_prepare_v2(fdb,
			       "SELECT id, file, query_line, query, title_zh, title_en, message_zh,"
			       " message_en, fix_zh, fix_en, line FROM rules.rules ORDER BY ord",
			       -1, &st, NULL) != SQLITE_OK) {
		cd_facts_free(facts);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *file = (const char *)sqlite3_column_text(st, 1);
		int qline = sqlite3_column_int(st, 2);
		sqlite3_stmt *rq = NULL, *aq;
		struct cd_diag d;
		const char *cols[64];
		int ncols, i;
		static const char *const fields[] = {"Title-zh", "Title-en", "Message-zh",
						     "Message-en", "Fix-zh", "Fix-en"};

		cd_diag_clear(&d);
		if (cd_sandbox_prepare(fdb, (const char *)sqlite3_column_text(st, 3), &rq, &d) != CD_OK) {
			struct cd_diag out;
			cd_diag_set(&out, d.code, file, qline, "rule %s: %s", id, d.msg);
			cd_diag_list_add(c->diags, &out);
			continue;
		}
		ncols = sqlite3_column_count(rq);
		if (ncols > 64)
			ncols = 64;
		for (i = 0; i < ncols; i++)
			cols[i] = sqlite3_column_name(rq, i);
		for (i = 0; i < 6; i++)
			check_templates(c, file, sqlite3_column_int(st, 10), id, fields[i],
					(const char *)sqlite3_column_text(st, 4 + i), cols, ncols);
		if (sqlite3_prepare_v2(fdb, "SELECT args, line FROM rules.rule_actions WHERE rule_id = ?",
				       -1, &aq, NULL) == SQLITE_OK) {
			sqlite3_bind_text(aq, 1, id, -1, SQLITE_STATIC);
			while (sqlite3_step(aq) == SQLITE_ROW) {
				cJSON *args = cJSON_Parse((const char *)sqlite3_column_text(aq, 0)), *a;
				cJSON_ArrayForEach(a, args)
				{
					if (cJSON_IsString(a))
						check_templates(c, file, sqlite3_column_int(aq, 1), id, "Repair",
								a->valuestring, cols, ncols);
				}
				cJSON_Delete(args);
			}
			sqlite3_finalize(aq);
		}
		sqlite3_finalize(rq);
	}
	sqlite3_finalize(st);

	/* Symptoms and platforms a rule names must exist in their catalogs. */
	if (sqlite3_prepare_v2(fdb,
			       "SELECT r.file, r.line, r.id, s.symptom FROM rules.rule_symptoms s"
			       " JOIN rules.rules r ON r.id = s.rule_id"
			       " WHERE s.symptom NOT IN (SELECT id FROM rules.cat_symptoms)",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			report(c, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
			       "unknown symptom \"%s\" (add it to the symptoms catalog)",
			       (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	cd_facts_free(facts);
}

static cd_err serialize(sqlite3 *db, unsigned char **bytes, size_t *len)
{
	sqlite3_int64 n = 0;
	unsigned char *p = sqlite3_serialize(db, "main", &n, 0);
	if (!p)
		return CD_ERR_NOMEM;
	*bytes = malloc((size_t)n);
	if (!*bytes) {
		sqlite3_free(p);
		return CD_ERR_NOMEM;
	}
	memcpy(*bytes, p, (size_t)n);
	sqlite3_free(p);
	*len = (size_t)n;
	return CD_OK;
}

cd_err cd_rules_compile(const char *dir, struct cd_diag_list *diags, unsigned char **bytes,
			size_t *len)
{
	struct compiler c;
	struct file_list files = {0};
	struct cd_stanza_file *parsed;
	size_t i, j, before = diags->n;
	char ver[32];
	cd_err e = CD_OK;

	memset(&c, 0, sizeof(c));
	c.diags = diags;
	c.hash = 1469598103934665603ULL;
	if (!cd_is_dir(dir)) {
		struct cd_diag d;
		cd_diag_set(&d, CD_ERR_NOT_FOUND, dir, 0, "not a directory");
		cd_diag_list_add(diags, &d);
		return CD_ERR_NOT_FOUND;
	}
	collect_files(dir, 0, &files);
	if (sqlite3_open_v2(":memory:", &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(c.db, rules_schema, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(c.db);
		cd_free_list(files.v, files.n);
		return CD_ERR_SQL;
	}
	parsed = calloc(files.n ? files.n : 1, sizeof(*parsed));
	if (!parsed) {
		sqlite3_close(c.db);
		cd_free_list(files.v, files.n);
		return CD_ERR_NOMEM;
	}
	/* Catalogs first: rules are checked against them. */
	for (i = 0; i < files.n; i++) {
		struct cd_diag d;
		char *text;
		size_t tlen;
		if (cd_read_file(files.v[i], (size_t)16 << 20, &text, &tlen) != CD_OK) {
			cd_diag_set(&d, CD_ERR_IO, files.v[i], 0, "cannot read");
			cd_diag_list_add(diags, &d);
			continue;
		}
		hash_bytes(&c, files.v[i] + strlen(dir), strlen(files.v[i] + strlen(dir)));
		hash_bytes(&c, text, tlen);
		if (cd_stanza_parse(files.v[i], text, tlen, &parsed[i], &d) != CD_OK)
			cd_diag_list_add(diags, &d);
		free(text);
	}
	sqlite3_exec(c.db, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < files.n; i++)
		if (parsed[i].path && strstr(files.v[i], ".cat") == files.v[i] + strlen(files.v[i]) - 4)
			compile_catalog(&c, &parsed[i]);
	if (sqlite3_exec(c.db, "SELECT 1 FROM cat_symptoms LIMIT 0", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(c.db, "CREATE TABLE cat_symptoms(id TEXT PRIMARY KEY, name_zh TEXT, name_en TEXT)",
			     NULL, NULL, NULL);
	for (i = 0; i < files.n; i++)
		if (parsed[i].path && strstr(files.v[i], ".rules"))
			for (j = 0; j < parsed[i].nstanzas; j++)
				compile_rule(&c, files.v[i], &parsed[i].stanzas[j]);
	snprintf(ver, sizeof(ver), "%016llx", c.hash);
	{
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO meta VALUES('rules_version', '%.12s'), ('format_version', '%d')", ver,
			 CD_RULES_FORMAT_VERSION);
		sqlite3_exec(c.db, sql, NULL, NULL, NULL);
	}
	sqlite3_exec(c.db, "COMMIT", NULL, NULL, NULL);

	e = serialize(c.db, bytes, len);
	if (!e)
		check_rules_against_facts(&c, *bytes, *len);
	if (!e && diags->n > before) {
		free(*bytes);
		*bytes = NULL;
		e = CD_ERR_PARSE;
	}
	for (i = 0; i < files.n; i++)
		cd_stanza_file_release(&parsed[i]);
	free(parsed);
	cd_free_list(files.v, files.n);
	sqlite3_close(c.db);
	return e;
}
