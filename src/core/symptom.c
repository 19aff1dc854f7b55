#include "symptom.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "util.h"

static int has_symptom(const struct cd_finding *fd, const char *symptom)
{
	size_t i;
	for (i = 0; i < fd->nsymptoms; i++)
		if (!strcmp(fd->symptoms[i], symptom))
			return 1;
	return 0;
}

static int by_likelihood(const void *a, const void *b)
{
	const struct cd_finding *x = a, *y = b;
	if (x->likelihood != y->likelihood)
		return x->likelihood > y->likelihood ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->rule_id, y->rule_id);
}

static int rule_failed(const struct cd_results *res, const char *id)
{
	size_t i, n = strlen(id);
	/* Rule errors read "rule <id>: ..." (eval.c). */
	for (i = 0; i < res->rule_errors.n; i++) {
		const char *m = res->rule_errors.v[i].msg;
		if (!strncmp(m, "rule ", 5) && !strncmp(m + 5, id, n) && m[5 + n] == ':')
			return 1;
	}
	return 0;
}

/* A cause is ruled out only if the probes its rule reads (the rule's Probes:
 * field) ran; facts nobody collected rule nothing out. Each comma-separated
 * item may list alternatives ("windows.native_hosts|linux.browsers"): the
 * probe of whichever OS collected the facts. */
static int probes_ran(sqlite3 *db, const char *probes)
{
	sqlite3_stmt *st;
	const char *p = probes;
	char name[64];
	int all = 1;
	if (!probes || !*probes)
		return 1;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM main.probe_runs WHERE probe = ? AND status IN ('ok', 'partial')",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (all && cd_split_next(&p, ',', name, sizeof(name))) {
		const char *alt = name;
		char one[64];
		int any = 0;
		if (!*name)
			continue;
		while (!any && cd_split_next(&alt, '|', one, sizeof(one))) {
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, one, -1, SQLITE_TRANSIENT);
			any = sqlite3_step(st) == SQLITE_ROW;
		}
		all = any;
	}
	sqlite3_finalize(st);
	return all;
}

static void add_cause(struct cd_symptom_cause **v, size_t *n, sqlite3_stmt *st)
{
	struct cd_symptom_cause *nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return;
	*v = nv;
	nv[*n].rule_id = cd_strdup((const char *)sqlite3_column_text(st, 0));
	nv[*n].title[CD_LANG_ZH] = cd_strdup((const char *)sqlite3_column_text(st, 1));
	nv[*n].title[CD_LANG_EN] = cd_strdup((const char *)sqlite3_column_text(st, 2));
	nv[*n].likelihood = sqlite3_column_int(st, 3);
	(*n)++;
}

cd_err cd_symptom_narrow(struct cd_facts *f, const char *symptom, const char *os,
			 struct cd_results *res, struct cd_symptom_view *view)
{
	sqlite3 *db = cd_facts_db(f);
	sqlite3_stmt *st;
	size_t i, kept = 0;
	int found = 0;

	memset(view, 0, sizeof(*view));
	if (sqlite3_prepare_v2(db, "SELECT name_zh, name_en FROM rules.cat_symptoms WHERE id = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_text(st, 1, symptom, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		view->id = cd_strdup(symptom);
		view->name[CD_LANG_ZH] = cd_strdup((const char *)sqlite3_column_text(st, 0));
		view->name[CD_LANG_EN] = cd_strdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (!found)
		return CD_ERR_NOT_FOUND;

	/* Keep the findings that explain the symptom; most likely first. */
	for (i = 0; i < res->n; i++) {
		if (has_symptom(&res->v[i], symptom)) {
			res->v[kept++] = res->v[i];
		} else {
			res->counts[res->v[i].severity]--;
			cd_finding_release(&res->v[i]);
		}
	}
	res->n = kept;
	if (kept > 1)
		qsort(res->v, kept, sizeof(*res->v), by_likelihood);

	/* Every cause of the symptom on this OS that did not fire was ruled out,
	 * unless its rule could not run. */
	if (sqlite3_prepare_v2(db,
			       "SELECT r.id, r.title_zh, r.title_en, r.likelihood, r.probes FROM rules.rules r"
			       " JOIN rules.rule_symptoms s ON s.rule_id = r.id"
			       " WHERE s.symptom = ?1 AND (?2 IS NULL OR r.os IN ('any', ?2))"
			       " ORDER BY r.likelihood DESC, r.id",
			       -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_text(st, 1, symptom, -1, SQLITE_STATIC);
	if (os)
		sqlite3_bind_text(st, 2, os, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		int fired = 0;
		for (i = 0; i < res->n; i++)
			fired |= !strcmp(res->v[i].rule_id, id);
		if (fired)
			continue;
		if (rule_failed(res, id) || !probes_ran(db, (const char *)sqlite3_column_text(st, 4)))
			add_cause(&view->unchecked, &view->nunchecked, st);
		else
			add_cause(&view->ruled_out, &view->nruled_out, st);
	}
	sqlite3_finalize(st);
	return CD_OK;
}

static void causes_release(struct cd_symptom_cause *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(v[i].rule_id);
		free(v[i].title[0]);
		free(v[i].title[1]);
	}
	free(v);
}

void cd_symptom_view_release(struct cd_symptom_view *v)
{
	free(v->id);
	free(v->name[0]);
	free(v->name[1]);
	causes_release(v->ruled_out, v->nruled_out);
	causes_release(v->unchecked, v->nunchecked);
	memset(v, 0, sizeof(*v));
}
