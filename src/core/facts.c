#include "facts.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "sandbox.h"
#include "stanza.h"
#include "util.h"

/* schema.sql, embedded by cadoctor-gen. */
extern const char cd_schema_sql[];

struct cd_facts {
	sqlite3 *db;
};

static const char *const fact_tables[] = {
	"meta", "host", "probe_runs", "probe_errors", "programs", "csp", "minidrivers",
	"pkcs11_modules", "tokens", "certificates", "usb_devices", "services", "processes",
	"browsers", "browser_profiles", "browser_extensions", "browser_policies",
	"native_hosts", "vendor_device_maps", "repair_history", "com_classes", "files", "hosts_entries", "network_checks", NULL,
};

const char *const *cd_facts_tables(void)
{
	return fact_tables;
}

static int is_fact_table(const char *name)
{
	size_t i;
	for (i = 0; fact_tables[i]; i++)
		if (!strcmp(fact_tables[i], name))
			return 1;
	return 0;
}

/* Hardening for every connection we open: no double-quoted string literals,
 * defensive mode (no writes to the schema tables), untrusted schema. */
static void harden(sqlite3 *db)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
}

static cd_err open_empty(struct cd_facts **out)
{
	struct cd_facts *f = calloc(1, sizeof(*f));
	if (!f)
		return CD_ERR_NOMEM;
	if (sqlite3_open_v2(":memory:", &f->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(f->db);
		free(f);
		return CD_ERR_SQL;
	}
	harden(f->db);
	if (cd_sql_register_functions(f->db) != CD_OK ||
	    sqlite3_exec(f->db, cd_schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(f->db);
		free(f);
		return CD_ERR_INTERNAL;
	}
	*out = f;
	return CD_OK;
}

cd_err cd_facts_open(struct cd_facts **out)
{
	struct cd_facts *f;
	char v[16];
	cd_err e = open_empty(&f);
	if (e)
		return e;
	snprintf(v, sizeof(v), "%d", CD_FACTS_SCHEMA_VERSION);
	if ((e = cd_facts_set_meta(f, "schema_version", v)) ||
	    (e = cd_facts_set_meta(f, "tool_version", CADOCTOR_VERSION))) {
		cd_facts_free(f);
		return e;
	}
	*out = f;
	return CD_OK;
}

void cd_facts_free(struct cd_facts *f)
{
	if (!f)
		return;
	sqlite3_close(f->db);
	free(f);
}

sqlite3 *cd_facts_db(struct cd_facts *f)
{
	return f->db;
}

cd_err cd_facts_set_meta(struct cd_facts *f, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(f->db, "INSERT OR REPLACE INTO main.meta(key, value) VALUES(?, ?)", -1,
			       &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? CD_OK : CD_ERR_SQL;
}

char *cd_facts_get_meta(struct cd_facts *f, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(f->db, "SELECT value FROM main.meta WHERE key = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = cd_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int64_t cd_facts_count(struct cd_facts *f, const char *table)
{
	sqlite3_stmt *st;
	char *sql;
	int64_t n = -1;
	if (!is_fact_table(table))
		return -1;
	sql = cd_aprintf("SELECT count(*) FROM main.\"%s\"", table);
	if (!sql)
		return -1;
	if (sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	free(sql);
	return n;
}

/* ---- rows ---- */

void cd_row_init(struct cd_row *r, const char *table)
{
	memset(r, 0, sizeof(*r));
	r->table = table;
}

static int row_slot(struct cd_row *r, const char *col)
{
	int i;
	for (i = 0; i < r->ncols; i++)
		if (!strcmp(r->v[i].col, col))
			return i;
	if (r->ncols == CD_ROW_MAX_COLS) {
		r->overflow = 1;
		return -1;
	}
	r->v[r->ncols].col = col;
	return r->ncols++;
}

void cd_row_text(struct cd_row *r, const char *col, const char *s)
{
	int i = row_slot(r, col);
	if (i < 0)
		return;
	r->v[i].type = s ? 3 : 0;
	r->v[i].s = s;
}

void cd_row_int(struct cd_row *r, const char *col, int64_t v)
{
	int i = row_slot(r, col);
	if (i < 0)
		return;
	r->v[i].type = 1;
	r->v[i].i = v;
}

void cd_row_real(struct cd_row *r, const char *col, double v)
{
	int i = row_slot(r, col);
	if (i < 0)
		return;
	r->v[i].type = 2;
	r->v[i].r = v;
}

void cd_row_null(struct cd_row *r, const char *col)
{
	int i = row_slot(r, col);
	if (i >= 0)
		r->v[i].type = 0;
}

void cd_row_bool(struct cd_row *r, const char *col, int v)
{
	if (v < 0)
		cd_row_null(r, col);
	else
		cd_row_int(r, col, v ? 1 : 0);
}

cd_err cd_row_insert(struct cd_facts *f, struct cd_row *r)
{
	struct cd_buf sql;
	sqlite3_stmt *st = NULL;
	cd_err e = CD_OK;
	int i, rc;

	if (r->overflow || !r->ncols || !is_fact_table(r->table))
		return CD_ERR_INVALID;
	cd_buf_init(&sql, 0);
	cd_buf_addf(&sql, "INSERT INTO main.\"%s\"(", r->table);
	for (i = 0; i < r->ncols; i++)
		cd_buf_addf(&sql, "%s\"%s\"", i ? "," : "", r->v[i].col);
	cd_buf_adds(&sql, ") VALUES(");
	for (i = 0; i < r->ncols; i++)
		cd_buf_adds(&sql, i ? ",?" : "?");
	cd_buf_adds(&sql, ")");
	if (!cd_buf_str(&sql))
		return CD_ERR_NOMEM;
	if (sqlite3_prepare_v2(f->db, cd_buf_str(&sql), -1, &st, NULL) != SQLITE_OK) {
		cd_buf_release(&sql);
		return CD_ERR_SQL; /* unknown column: a programming error in a probe */
	}
	cd_buf_release(&sql);
	for (i = 0; i < r->ncols; i++) {
		switch (r->v[i].type) {
		case 1:
			sqlite3_bind_int64(st, i + 1, r->v[i].i);
			break;
		case 2:
			sqlite3_bind_double(st, i + 1, r->v[i].r);
			break;
		case 3: {
			size_t n = strlen(r->v[i].s);
			if (cd_utf8_valid(r->v[i].s, n)) {
				sqlite3_bind_text(st, i + 1, r->v[i].s, (int)n, SQLITE_TRANSIENT);
			} else {
				char *clean = cd_utf8_sanitize(r->v[i].s, n);
				if (!clean) {
					e = CD_ERR_NOMEM;
					goto out;
				}
				sqlite3_bind_text(st, i + 1, clean, -1, free);
			}
			break;
		}
		default:
			sqlite3_bind_null(st, i + 1);
		}
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		e = CD_ERR_SQL;
out:
	sqlite3_finalize(st);
	return e;
}

/* ---- save ---- */

cd_err cd_facts_save(struct cd_facts *f, const char *path, struct cd_diag *d)
{
	sqlite3_stmt *st;
	char *tmp = cd_aprintf("%s.tmp", path);
	int rc;

	if (!tmp)
		return CD_ERR_NOMEM;
	cd_remove_file(tmp);
	if (sqlite3_prepare_v2(f->db, "VACUUM main INTO ?", -1, &st, NULL) != SQLITE_OK) {
		free(tmp);
		return cd_diag_set(d, CD_ERR_SQL, path, 0, "%s", sqlite3_errmsg(f->db));
	}
	sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cd_diag_set(d, CD_ERR_IO, path, 0, "cannot write: %s", sqlite3_errmsg(f->db));
		cd_remove_file(tmp);
		free(tmp);
		return CD_ERR_IO;
	}
	cd_remove_file(path);
	if (rename(tmp, path) != 0) {
		cd_remove_file(tmp);
		free(tmp);
		return cd_diag_set(d, CD_ERR_IO, path, 0, "cannot rename the written snapshot into place");
	}
	free(tmp);
	return CD_OK;
}

/* ---- load ---- */

static cd_err copy_table(sqlite3 *db, const char *table, struct cd_diag *d, const char *path)
{
	sqlite3_stmt *st = NULL;
	struct cd_buf cols, sql;
	char *q;
	int n = 0;
	cd_err e = CD_OK;

	/* Columns both sides know: ours from main, theirs from the snapshot. */
	q = cd_aprintf("SELECT m.name FROM pragma_table_info('%s','main') m "
		       "JOIN pragma_table_info('%s','snap') s ON s.name = m.name ORDER BY m.cid",
		       table, table);
	if (!q)
		return CD_ERR_NOMEM;
	cd_buf_init(&cols, 0);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0, "table %s: %s", table, sqlite3_errmsg(db));
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		cd_buf_addf(&cols, "%s\"%s\"", n ? "," : "", (const char *)sqlite3_column_text(st, 0));
		n++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!n)
		goto out;
	cd_buf_init(&sql, 0);
	cd_buf_addf(&sql, "INSERT INTO main.\"%s\"(%s) SELECT %s FROM snap.\"%s\"", table,
		    cd_buf_str(&cols), cd_buf_str(&cols), table);
	if (sqlite3_exec(db, cd_buf_str(&sql), NULL, NULL, NULL) != SQLITE_OK)
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0, "table %s cannot be read: %s", table,
				sqlite3_errmsg(db));
	cd_buf_release(&sql);
out:
	free(q);
	cd_buf_release(&cols);
	return e;
}

/* An SQLite URI for a path: percent-encodes what URIs reserve, and turns a
 * Windows path (C:\x) into file:///C:/x. */
static char *file_uri(const char *path)
{
	struct cd_buf b;
	const unsigned char *p;
	cd_buf_init(&b, 0);
	cd_buf_adds(&b, "file:");
	if (path[0] && path[1] == ':')
		cd_buf_adds(&b, "///");
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p == '\\')
			cd_buf_addc(&b, '/');
		else if (*p == '%' || *p == '?' || *p == '#' || *p == ' ' || *p < 0x20)
			cd_buf_addf(&b, "%%%02X", *p);
		else
			cd_buf_addc(&b, (char)*p);
	}
	cd_buf_adds(&b, "?mode=ro&immutable=1");
	return cd_buf_detach(&b);
}

static cd_err load_sqlite(const char *path, struct cd_facts *f, struct cd_diag *d)
{
	sqlite3_stmt *st;
	char *uri;
	const char *ck = NULL;
	int rc, i;
	cd_err e;

	/* Read-only and immutable: we never write to a file we are analysing and
	 * need no locks on a copy sent by someone else. */
	uri = file_uri(path);
	if (!uri)
		return CD_ERR_NOMEM;
	if (sqlite3_prepare_v2(f->db, "ATTACH ? AS snap", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_free(uri);
		return CD_ERR_SQL;
	}
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(uri);
	if (rc != SQLITE_DONE)
		return cd_diag_set(d, CD_ERR_PARSE, path, 0, "the snapshot is damaged or truncated (%s)",
				   sqlite3_errmsg(f->db));

	/* A truncated or damaged file must be refused before we trust any of it. */
	if (sqlite3_prepare_v2(f->db, "PRAGMA snap.quick_check(1)", -1, &st, NULL) != SQLITE_OK) {
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0, "not a cadoctor snapshot: %s",
				sqlite3_errmsg(f->db));
		goto detach;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ck = (const char *)sqlite3_column_text(st, 0);
	if (rc != SQLITE_ROW || !ck || strcmp(ck, "ok") != 0) {
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0,
				"the snapshot is damaged or truncated (%s)",
				ck ? ck : sqlite3_errmsg(f->db));
		sqlite3_finalize(st);
		goto detach;
	}
	sqlite3_finalize(st);

	/* It must be ours: a meta table (a real table) with a schema version we read. */
	if (sqlite3_prepare_v2(f->db,
			       "SELECT (SELECT type FROM snap.sqlite_master WHERE name = 'meta'),"
			       " (SELECT value FROM snap.meta WHERE key = 'schema_version')",
			       -1, &st, NULL) != SQLITE_OK) {
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0,
				"not a cadoctor snapshot (no meta table)");
		goto detach;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || !sqlite3_column_text(st, 0) ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "table") != 0 ||
	    sqlite3_column_type(st, 1) == SQLITE_NULL) {
		sqlite3_finalize(st);
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0,
				"not a cadoctor snapshot (no schema version)");
		goto detach;
	}
	if (sqlite3_column_int(st, 1) > CD_FACTS_SCHEMA_VERSION || sqlite3_column_int(st, 1) < 1) {
		e = cd_diag_set(d, CD_ERR_VERSION, path, 0,
				"snapshot schema version %s is not one this cadoctor reads (%d)",
				(const char *)sqlite3_column_text(st, 1), CD_FACTS_SCHEMA_VERSION);
		sqlite3_finalize(st);
		goto detach;
	}
	sqlite3_finalize(st);

	e = CD_OK;
	for (i = 0; fact_tables[i] && !e; i++) {
		int is_table = 0;
		char *q = cd_aprintf("SELECT 1 FROM snap.sqlite_master WHERE type='table' AND name='%s'",
				     fact_tables[i]);
		if (!q) {
			e = CD_ERR_NOMEM;
			break;
		}
		if (sqlite3_prepare_v2(f->db, q, -1, &st, NULL) == SQLITE_OK) {
			is_table = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_finalize(st);
		}
		free(q);
		if (is_table)
			e = copy_table(f->db, fact_tables[i], d, path);
	}
detach:
	sqlite3_exec(f->db, "DETACH snap", NULL, NULL, NULL);
	return e;
}

static int table_has_column(sqlite3 *db, const char *table, const char *col)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?, 'main') WHERE name = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static cd_err load_text(const char *path, const char *text, size_t len, struct cd_facts *f,
			struct cd_diag *d)
{
	struct cd_stanza_file sf;
	size_t i, j;
	cd_err e = cd_stanza_parse(path, text, len, &sf, d);
	if (e)
		return e;
	if (!sf.nstanzas || !cd_stanza_get(&sf.stanzas[0], "Format") ||
	    strcmp(cd_stanza_get(&sf.stanzas[0], "Format"), "cadoctor-facts 1") != 0) {
		cd_stanza_file_release(&sf);
		return cd_diag_set(d, CD_ERR_PARSE, path, 1,
				   "text facts must start with \"Format: cadoctor-facts 1\"");
	}
	/* meta rows in the header stanza other than Format are taken as meta */
	for (j = 0; j < sf.stanzas[0].nfields; j++) {
		const struct cd_field *fl = &sf.stanzas[0].fields[j];
		if (!cd_strieq(fl->name, "Format"))
			cd_facts_set_meta(f, fl->name, fl->value);
	}
	for (i = 1; i < sf.nstanzas && !e; i++) {
		const struct cd_stanza *s = &sf.stanzas[i];
		const char *table = cd_stanza_get(s, "Table");
		struct cd_row row;
		if (!table || !is_fact_table(table)) {
			e = cd_diag_set(d, CD_ERR_PARSE, path, s->line,
					table ? "unknown fact table \"%s\"" : "stanza without a Table: field%s",
					table ? table : "");
			break;
		}
		cd_row_init(&row, table);
		for (j = 0; j < s->nfields; j++) {
			const struct cd_field *fl = &s->fields[j];
			if (cd_strieq(fl->name, "Table"))
				continue;
			if (!table_has_column(f->db, table, fl->name)) {
				e = cd_diag_set(d, CD_ERR_PARSE, path, fl->line,
						"table %s has no column \"%s\"", table, fl->name);
				break;
			}
			/* "NULL" alone means SQL NULL; INTEGER columns convert "1" by affinity. */
			if (!strcmp(fl->value, "NULL"))
				cd_row_null(&row, fl->name);
			else
				cd_row_text(&row, fl->name, fl->value);
		}
		if (!e && row.ncols && cd_row_insert(f, &row) != CD_OK)
			e = cd_diag_set(d, CD_ERR_PARSE, path, s->line, "row cannot be stored: %s",
					sqlite3_errmsg(f->db));
	}
	cd_stanza_file_release(&sf);
	return e;
}

/* The first bytes of a file, to tell an SQLite snapshot from text facts
 * without reading a large snapshot into memory. */
static cd_err read_head(const char *path, char *head, size_t cap, size_t *len, long long *size)
{
	FILE *fp = cd_fopen(path, "rb");
	if (!fp)
		return cd_path_exists(path) ? CD_ERR_DENIED : CD_ERR_NOT_FOUND;
	*len = fread(head, 1, cap, fp);
	*size = -1;
	if (fseek(fp, 0, SEEK_END) == 0)
		*size = (long long)ftell(fp);
	fclose(fp);
	return CD_OK;
}

/* Bytes the SQLite header says the database has (page size at offset 16,
 * page count at 28), or 0 when the header does not say. SQLite itself
 * accepts a file cut short inside pages it does not read; we do not. */
static long long sqlite_header_size(const unsigned char *h)
{
	long long psize = ((long long)h[16] << 8) | h[17];
	long long pages = ((long long)h[28] << 24) | ((long long)h[29] << 16) | ((long long)h[30] << 8) | h[31];
	if (psize == 1)
		psize = 65536;
	/* The count is valid only when "version-valid-for" (92) equals the change counter (24). */
	if (memcmp(h + 92, h + 24, 4) != 0)
		return 0;
	return psize * pages;
}

cd_err cd_facts_load(const char *path, struct cd_facts **out, struct cd_diag *d)
{
	static const char magic[] = "SQLite format 3";
	struct cd_facts *f;
	char head[128], *text = NULL;
	size_t len = 0;
	long long size = -1;
	cd_err e;

	if (cd_is_dir(path))
		return cd_diag_set(d, CD_ERR_IO, path, 0, "is a directory, not a snapshot");
	e = read_head(path, head, sizeof(head), &len, &size);
	if (e)
		return cd_diag_set(d, e, path, 0, "cannot read (%s)", cd_err_message(e));
	if ((e = open_empty(&f)))
		return e;
	if (len == 0) {
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0, "the file is empty");
	} else if (len >= 6 && memcmp(head, magic, len < sizeof(magic) ? len : sizeof(magic)) == 0) {
		/* 100 bytes is the SQLite header: anything shorter was cut off. */
		long long want = len >= 100 ? sqlite_header_size((const unsigned char *)head) : 0;
		if (len < 100)
			e = cd_diag_set(d, CD_ERR_PARSE, path, 0, "the snapshot is truncated");
		else if (want > 0 && size >= 0 && size < want)
			e = cd_diag_set(d, CD_ERR_PARSE, path, 0,
					"the snapshot is truncated (%lld of %lld bytes)", size, want);
		else
			e = load_sqlite(path, f, d);
	} else if ((len >= 7 && memcmp(head, "Format:", 7) == 0) || head[0] == '#' ||
		   (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)) {
		e = cd_read_file(path, (size_t)64 << 20, &text, &len);
		if (e)
			e = cd_diag_set(d, e == CD_ERR_LIMIT ? CD_ERR_PARSE : e, path, 0,
					e == CD_ERR_LIMIT ? "text facts larger than 64 MiB" : "cannot read (%s)",
					cd_err_message(e));
		else
			e = load_text(path, text, len, f, d);
	} else {
		e = cd_diag_set(d, CD_ERR_PARSE, path, 0,
				"not a cadoctor snapshot (neither SQLite nor text facts)");
	}
	free(text);
	if (e) {
		cd_facts_free(f);
		return e;
	}
	*out = f;
	return CD_OK;
}

/* ---- text dump ---- */

cd_err cd_facts_dump_text(struct cd_facts *f, struct cd_buf *b)
{
	size_t i;
	int c;
	char *redacted = cd_facts_get_meta(f, "redacted");
	cd_buf_adds(b, "Format: cadoctor-facts 1\n");
	/* the header's other fields load as meta: a redacted snapshot stays marked */
	if (redacted)
		cd_buf_addf(b, "redacted: %s\n", redacted);
	free(redacted);
	for (i = 1; fact_tables[i]; i++) {
		sqlite3_stmt *st;
		char *q = cd_aprintf("SELECT * FROM main.\"%s\"", fact_tables[i]);
		if (!q)
			return CD_ERR_NOMEM;
		if (sqlite3_prepare_v2(f->db, q, -1, &st, NULL) != SQLITE_OK) {
			free(q);
			return CD_ERR_SQL;
		}
		free(q);
		while (sqlite3_step(st) == SQLITE_ROW) {
			cd_buf_addf(b, "\nTable: %s\n", fact_tables[i]);
			for (c = 0; c < sqlite3_column_count(st); c++) {
				const char *v = (const char *)sqlite3_column_text(st, c);
				const char *p;
				if (sqlite3_column_type(st, c) == SQLITE_NULL)
					continue;
				cd_buf_addf(b, "%s: ", sqlite3_column_name(st, c));
				/* Multi-line values continue on indented lines; empty lines as " ." */
				for (p = v; *p; p++) {
					if (*p == '\n') {
						cd_buf_adds(b, "\n ");
						if (p[1] == '\n' || p[1] == '\0')
							cd_buf_addc(b, '.');
					} else if (*p != '\r') {
						cd_buf_addc(b, *p);
					}
				}
				cd_buf_addc(b, '\n');
			}
		}
		sqlite3_finalize(st);
	}
	return cd_buf_str(b) ? CD_OK : CD_ERR_NOMEM;
}

/* ---- rules attachment ---- */

cd_err cd_facts_attach_rules(struct cd_facts *f, const unsigned char *db, size_t len)
{
	if (!db || !len)
		return CD_ERR_INVALID;
	if (sqlite3_exec(f->db, "ATTACH ':memory:' AS rules", NULL, NULL, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	/* READONLY: SQLite never writes the buffer, so the const cast is safe. */
	if (sqlite3_deserialize(f->db, "rules", (unsigned char *)(uintptr_t)db, (sqlite3_int64)len,
				(sqlite3_int64)len, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		sqlite3_exec(f->db, "DETACH rules", NULL, NULL, NULL);
		return CD_ERR_SQL;
	}
	return CD_OK;
}
