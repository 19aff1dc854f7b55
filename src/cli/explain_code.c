/* cadoctor explain --code CODE: what a support code a user read out says
 * (src/core/supportcode.h): the rules version it was made with and, for each
 * finding, the rule's title and what to do, most serious first. Titles and
 * fixes are printed as their templates: {name} stands for a value from the
 * user's machine, which the code does not carry. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/facts.h"
#include "../core/i18n.h"
#include "../core/supportcode.h"
#include "../core/util.h"
#include "cli.h"

struct coded_rule {
	unsigned index;
	char *id, *severity, *title, *fix;
	int likelihood;
};

static int rank(const char *sev)
{
	return cd_streq(sev, "error") ? 2 : cd_streq(sev, "warning") ? 1 : 0;
}

static int cmp_rules(const void *a, const void *b)
{
	const struct coded_rule *x = a, *y = b;
	if (rank(x->severity) != rank(y->severity))
		return rank(y->severity) - rank(x->severity);
	if (x->likelihood != y->likelihood)
		return y->likelihood - x->likelihood;
	return x->index < y->index ? -1 : x->index > y->index;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? cd_strdup(t) : NULL;
}

static void print_indented(const char *label, const char *text)
{
	const char *p;
	out_printf("     %s: ", label);
	for (p = text; *p; p++) {
		char c[2] = {*p, 0};
		out_text(c);
		if (*p == '\n' && p[1])
			out_text("       ");
	}
	out_text("\n");
}

int explain_support_code(struct cd_facts *f, const char *code)
{
	sqlite3 *db = cd_facts_db(f);
	sqlite3_stmt *st;
	struct coded_rule *rules;
	unsigned tag, here, *idx = NULL;
	size_t n = 0, i;
	char *version = NULL;
	int en = cd_get_lang() == CD_LANG_EN;
	cd_err e = cd_support_code_decode(code, &tag, &idx, &n);

	if (e) {
		enum cd_str msg = e == CD_ERR_INVALID	 ? S_EXPLAIN_CODE_BAD_CHECK
				  : e == CD_ERR_VERSION ? S_EXPLAIN_CODE_NEWER
							: S_EXPLAIN_CODE_BAD_CHAR;
		if (e == CD_ERR_NOMEM)
			return CD_EXIT_INTERNAL;
		err_printf("cadoctor explain: ");
		err_printf(cd_tr(msg), code);
		err_printf("\n");
		return CD_EXIT_BAD_INPUT;
	}
	if (sqlite3_prepare_v2(db, "SELECT value FROM rules.meta WHERE key = 'rules_version'", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			version = col_dup(st, 0);
		sqlite3_finalize(st);
	}
	here = cd_support_code_tag(version);
	out_printf(cd_tr(S_EXPLAIN_CODE_HEAD), code);
	out_text("\n");
	if (tag == here)
		out_printf(cd_tr(S_EXPLAIN_CODE_RULES_SAME), version ? version : "?");
	else
		out_printf(cd_tr(S_EXPLAIN_CODE_RULES_DIFFER), tag, here);
	out_text("\n\n");
	free(version);
	if (!n) {
		out_printf("%s\n", cd_tr(S_REPORT_ALL_CLEAR));
		free(idx);
		return CD_EXIT_OK;
	}

	rules = calloc(n, sizeof(*rules));
	if (!rules || sqlite3_prepare_v2(db,
					 "SELECT id, severity, CASE WHEN ?2 THEN title_en ELSE title_zh END,"
					 " CASE WHEN ?2 THEN fix_en ELSE fix_zh END, likelihood"
					 " FROM rules.rules ORDER BY ord LIMIT 1 OFFSET ?1",
					 -1, &st, NULL) != SQLITE_OK) {
		free(rules);
		free(idx);
		return CD_EXIT_INTERNAL;
	}
	for (i = 0; i < n; i++) {
		rules[i].index = idx[i];
		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, (int)idx[i]);
		sqlite3_bind_int(st, 2, en);
		if (sqlite3_step(st) == SQLITE_ROW) {
			rules[i].id = col_dup(st, 0);
			rules[i].severity = col_dup(st, 1);
			rules[i].title = col_dup(st, 2);
			rules[i].fix = col_dup(st, 3);
			rules[i].likelihood = sqlite3_column_int(st, 4);
		}
	}
	sqlite3_finalize(st);
	qsort(rules, n, sizeof(*rules), cmp_rules);
	out_printf(cd_tr(S_EXPLAIN_CODE_COUNT), (unsigned)n);
	out_text("\n");
	for (i = 0; i < n; i++) {
		const struct coded_rule *r = &rules[i];
		int k = rank(r->severity);
		if (!r->id) {
			out_printf("  %zu. ", i + 1);
			out_printf(cd_tr(S_EXPLAIN_CODE_UNKNOWN_RULE), r->index);
			out_text("\n");
			continue;
		}
		out_printf("  %zu. [%s] %s  (%s)\n", i + 1,
			   cd_tr(k == 2 ? S_SEV_ERROR : k == 1 ? S_SEV_WARNING : S_SEV_INFO), r->title ? r->title : "",
			   r->id);
		if (r->fix && *r->fix)
			print_indented(cd_tr(S_REPORT_WHAT_TO_DO), r->fix);
	}
	for (i = 0; i < n; i++) {
		free(rules[i].id);
		free(rules[i].severity);
		free(rules[i].title);
		free(rules[i].fix);
	}
	free(rules);
	free(idx);
	return CD_EXIT_OK;
}
