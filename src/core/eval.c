/* Rule evaluation: each rule's query runs in the sandbox over the facts; its
 * rows become the evidence of one finding. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "facts.h"
#include "findings.h"
#include "sandbox.h"
#include "template.h"
#include "util.h"

const char *cd_severity_name(enum cd_severity s)
{
	return s == CD_SEV_ERROR ? "error" : s == CD_SEV_WARNING ? "warning" : "info";
}

static enum cd_severity parse_severity(const char *s)
{
	if (cd_streq(s, "error"))
		return CD_SEV_ERROR;
	if (cd_streq(s, "warning"))
		return CD_SEV_WARNING;
	return CD_SEV_INFO;
}

const struct cd_value *cd_finding_cell(const struct cd_finding *fd, size_t row, const char *col)
{
	size_t c;
	if (row >= fd->nrows)
		return NULL;
	for (c = 0; c < fd->ncols; c++)
		if (!strcmp(fd->cols[c], col))
			return &fd->cells[row * fd->ncols + c];
	return NULL;
}

struct row_lookup {
	const struct cd_finding *fd;
	size_t row;
};

static const char *lookup_cell(void *ud, const char *name, int *found)
{
	struct row_lookup *rl = ud;
	const struct cd_value *v = cd_finding_cell(rl->fd, rl->row, name);
	*found = v != NULL;
	return v ? v->text : NULL;
}

static char *render(const char *tmpl, const struct cd_finding *fd, size_t row)
{
	struct cd_buf b;
	struct row_lookup rl = {fd, row};
	if (!tmpl)
		return NULL;
	cd_buf_init(&b, 1 << 20);
	if (fd->nrows == 0) {
		/* No evidence row (cannot happen for a fired rule, but be safe). */
		cd_buf_adds(&b, tmpl);
		return cd_buf_detach(&b);
	}
	cd_template_render(tmpl, lookup_cell, &rl, &b);
	return cd_buf_detach(&b);
}

void cd_finding_release(struct cd_finding *fd)
{
	size_t i, l;
	free(fd->rule_id);
	free(fd->area);
	free(fd->os);
	free(fd->file);
	for (i = 0; i < fd->nsymptoms; i++)
		free(fd->symptoms[i]);
	free(fd->symptoms);
	for (l = 0; l < CD_LANG_COUNT; l++) {
		free(fd->title[l]);
		free(fd->fix[l]);
		if (fd->messages[l])
			for (i = 0; i < fd->nrows; i++)
				free(fd->messages[l][i]);
		free(fd->messages[l]);
	}
	for (i = 0; i < fd->ncols; i++)
		free(fd->cols[i]);
	free(fd->cols);
	for (i = 0; i < fd->nrows * fd->ncols; i++)
		free(fd->cells[i].text);
	free(fd->cells);
	for (i = 0; i < fd->nactions; i++) {
		struct cd_action_plan *a = &fd->actions[i];
		size_t k;
		free(a->kind);
		for (k = 0; k < a->nargs; k++) {
			free(a->keys[k]);
			free(a->values[k]);
		}
		free(a->keys);
		free(a->values);
		for (l = 0; l < CD_LANG_COUNT; l++)
			free(a->describe[l]);
	}
	free(fd->actions);
	memset(fd, 0, sizeof(*fd));
}

void cd_results_release(struct cd_results *r)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		cd_finding_release(&r->v[i]);
	free(r->v);
	free(r->rules_version);
	cd_diag_list_release(&r->rule_errors);
	memset(r, 0, sizeof(*r));
}

static void rule_error(struct cd_results *out, const char *file, int line, cd_err code,
		       const char *id, const char *msg)
{
	struct cd_diag d;
	cd_diag_set(&d, code, file, line, "rule %s: %s", id, msg);
	cd_diag_list_add(&out->rule_errors, &d);
}

/* Fills an action's description template; its placeholders name arguments. */
static char *describe_action(const struct cd_action_kind *k, const char *kind, const struct cd_action_plan *ap,
			     enum cd_lang lang)
{
	if (!k)
		return cd_strdup(kind);
	return cd_action_describe(k, (const char *const *)ap->keys, (const char *const *)ap->values, ap->nargs,
				  lang);
}

/* Plans the rule's repair actions for every evidence row. */
static void plan_actions(sqlite3 *db, struct cd_finding *fd)
{
	sqlite3_stmt *st;
	size_t count = 0, row;
	if (sqlite3_prepare_v2(db, "SELECT kind, args FROM rules.rule_actions WHERE rule_id = ? ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, fd->rule_id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		count++;
	if (!count) {
		sqlite3_finalize(st);
		return;
	}
	fd->actions = calloc(count * (fd->nrows ? fd->nrows : 1), sizeof(*fd->actions));
	if (!fd->actions) {
		sqlite3_finalize(st);
		return;
	}
	for (row = 0; row < fd->nrows; row++) {
		sqlite3_reset(st);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *kind = (const char *)sqlite3_column_text(st, 0);
			const struct cd_action_kind *k = cd_action_kind_find(kind);
			cJSON *args = cJSON_Parse((const char *)sqlite3_column_text(st, 1)), *a;
			struct cd_action_plan *ap = &fd->actions[fd->nactions];
			size_t n = (size_t)cJSON_GetArraySize(args), i = 0, dup;
			int l;
			ap->kind = cd_strdup(kind);
			ap->row = row;
			ap->needs_admin = k ? k->needs_admin : 1;
			ap->keys = calloc(n ? n : 1, sizeof(char *));
			ap->values = calloc(n ? n : 1, sizeof(char *));
			if (!ap->kind || !ap->keys || !ap->values) {
				cJSON_Delete(args);
				free(ap->kind);
				free(ap->keys);
				free(ap->values);
				memset(ap, 0, sizeof(*ap));
				continue;
			}
			cJSON_ArrayForEach(a, args)
			{
				ap->keys[i] = cd_strdup(a->string);
				ap->values[i] = render(cJSON_IsString(a) ? a->valuestring : "", fd, row);
				i++;
			}
			ap->nargs = i;
			cJSON_Delete(args);
			/* The same action for two rows (e.g. start one service) is planned once. */
			for (dup = 0; dup < fd->nactions; dup++) {
				struct cd_action_plan *o = &fd->actions[dup];
				size_t m;
				int same = !strcmp(o->kind, ap->kind) && o->nargs == ap->nargs;
				for (m = 0; same && m < ap->nargs; m++)
					same = cd_streq(o->keys[m], ap->keys[m]) &&
					       cd_streq(o->values[m], ap->values[m]);
				if (same)
					break;
			}
			if (dup < fd->nactions) {
				for (i = 0; i < ap->nargs; i++) {
					free(ap->keys[i]);
					free(ap->values[i]);
				}
				free(ap->keys);
				free(ap->values);
				free(ap->kind);
				memset(ap, 0, sizeof(*ap));
				continue;
			}
			for (l = 0; l < CD_LANG_COUNT; l++)
				ap->describe[l] = describe_action(k, kind, ap, (enum cd_lang)l);
			fd->nactions++;
		}
	}
	sqlite3_finalize(st);
}

static void load_symptoms(sqlite3 *db, struct cd_finding *fd)
{
	sqlite3_stmt *st;
	size_t n = 0;
	if (sqlite3_prepare_v2(db, "SELECT symptom FROM rules.rule_symptoms WHERE rule_id = ? ORDER BY symptom",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, fd->rule_id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		n++;
	if (n && (fd->symptoms = calloc(n, sizeof(char *)))) {
		sqlite3_reset(st);
		while (sqlite3_step(st) == SQLITE_ROW && fd->nsymptoms < n)
			fd->symptoms[fd->nsymptoms++] = cd_strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

static int cmp_findings(const void *a, const void *b)
{
	const struct cd_finding *x = a, *y = b;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->likelihood != y->likelihood)
		return x->likelihood > y->likelihood ? -1 : 1;
	return strcmp(x->rule_id, y->rule_id);
}

/* Runs one rule; on success appends a finding if it returned rows. */
static void eval_rule(sqlite3 *db, sqlite3_stmt *r, const struct cd_eval_opts *opt,
		      struct cd_results *out)
{
	const char *id = (const char *)sqlite3_column_text(r, 0);
	const char *file = (const char *)sqlite3_column_text(r, 1);
	int qline = sqlite3_column_int(r, 3);
	struct cd_finding fd;
	struct cd_diag d;
	sqlite3_stmt *q = NULL;
	long long budget = opt && opt->step_limit ? opt->step_limit : CD_SANDBOX_STEP_LIMIT;
	size_t c, cap = 0;
	int rc, l;

	memset(&fd, 0, sizeof(fd));
	cd_diag_clear(&d);
	if (cd_sandbox_prepare(db, (const char *)sqlite3_column_text(r, 4), &q, &d) != CD_OK) {
		rule_error(out, file, qline, d.code, id, d.msg);
		return;
	}
	fd.ncols = (size_t)sqlite3_column_count(q);
	fd.cols = calloc(fd.ncols ? fd.ncols : 1, sizeof(char *));
	if (!fd.cols)
		goto fail;
	for (c = 0; c < fd.ncols; c++)
		fd.cols[c] = cd_strdup(sqlite3_column_name(q, (int)c));
	while ((rc = cd_sandbox_step(db, q, &budget)) == SQLITE_ROW) {
		fd.total_rows++;
		if (fd.nrows == CD_EVIDENCE_MAX)
			continue; /* keep counting, stop keeping */
		if (fd.nrows == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct cd_value *nv = realloc(fd.cells, ncap * fd.ncols * sizeof(*nv) + 1);
			if (!nv)
				goto fail;
			fd.cells = nv;
			cap = ncap;
		}
		for (c = 0; c < fd.ncols; c++) {
			struct cd_value *v = &fd.cells[fd.nrows * fd.ncols + c];
			const unsigned char *t;
			memset(v, 0, sizeof(*v));
			switch (sqlite3_column_type(q, (int)c)) {
			case SQLITE_INTEGER:
				v->type = 1;
				v->i = sqlite3_column_int64(q, (int)c);
				break;
			case SQLITE_FLOAT:
				v->type = 2;
				v->r = sqlite3_column_double(q, (int)c);
				break;
			case SQLITE_NULL:
				v->type = 0;
				break;
			default:
				v->type = 3;
			}
			t = sqlite3_column_text(q, (int)c);
			if (v->type && t) {
				size_t n = (size_t)sqlite3_column_bytes(q, (int)c);
				v->text = cd_utf8_valid((const char *)t, n) ? cd_strndup((const char *)t, n)
									   : cd_utf8_sanitize((const char *)t, n);
			}
		}
		fd.nrows++;
	}
	if (rc != SQLITE_DONE) {
		rule_error(out, file, qline, rc == SQLITE_INTERRUPT ? CD_ERR_TIMEOUT : CD_ERR_SQL, id,
			   rc == SQLITE_INTERRUPT ? "stopped: the query ran past its step budget"
						  : sqlite3_errmsg(db));
		goto fail;
	}
	sqlite3_finalize(q);
	q = NULL;
	out->rules_evaluated++;
	if (!fd.total_rows) {
		cd_finding_release(&fd);
		return;
	}
	fd.rule_id = cd_strdup(id);
	fd.file = cd_strdup(file);
	fd.line = sqlite3_column_int(r, 2);
	fd.severity = parse_severity((const char *)sqlite3_column_text(r, 5));
	fd.area = cd_strdup((const char *)sqlite3_column_text(r, 6));
	fd.os = cd_strdup((const char *)sqlite3_column_text(r, 7));
	fd.likelihood = sqlite3_column_int(r, 8);
	for (l = 0; l < CD_LANG_COUNT; l++) {
		size_t row;
		fd.title[l] = render((const char *)sqlite3_column_text(r, 9 + l), &fd, 0);
		fd.fix[l] = render((const char *)sqlite3_column_text(r, 13 + l), &fd, 0);
		fd.messages[l] = calloc(fd.nrows, sizeof(char *));
		if (!fd.messages[l])
			goto fail;
		for (row = 0; row < fd.nrows; row++)
			fd.messages[l][row] = render((const char *)sqlite3_column_text(r, 11 + l), &fd, row);
	}
	load_symptoms(db, &fd);
	plan_actions(db, &fd);
	if (out->n % 16 == 0) {
		struct cd_finding *nv = realloc(out->v, (out->n + 16) * sizeof(*nv));
		if (!nv)
			goto fail;
		out->v = nv;
	}
	out->v[out->n++] = fd;
	out->counts[fd.severity]++;
	return;
fail:
	if (q)
		sqlite3_finalize(q);
	cd_finding_release(&fd);
}

cd_err cd_evaluate(struct cd_facts *f, const struct cd_eval_opts *opt, struct cd_results *out)
{
	sqlite3 *db = cd_facts_db(f);
	sqlite3_stmt *r;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db,
			       "SELECT id, file, line, query_line, query, severity, area, os, likelihood,"
			       " title_zh, title_en, message_zh, message_en, fix_zh, fix_en"
			       " FROM rules.rules"
			       " WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL OR os IN ('any', ?2))"
			       " ORDER BY ord",
			       -1, &r, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	if (opt && opt->only_rule)
		sqlite3_bind_text(r, 1, opt->only_rule, -1, SQLITE_STATIC);
	if (opt && opt->os)
		sqlite3_bind_text(r, 2, opt->os, -1, SQLITE_STATIC);
	while (sqlite3_step(r) == SQLITE_ROW)
		eval_rule(db, r, opt, out);
	sqlite3_finalize(r);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_findings);
	if (sqlite3_prepare_v2(db, "SELECT value FROM rules.meta WHERE key = 'rules_version'", -1, &r,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(r) == SQLITE_ROW)
			out->rules_version = cd_strdup((const char *)sqlite3_column_text(r, 0));
		sqlite3_finalize(r);
	}
	return CD_OK;
}
