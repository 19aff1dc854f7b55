/* Runs scenario cases: each folder under tests/scenarios holds
 *   facts.txt     the facts of a machine, in readable text form
 *   expected.txt  the findings that must come out, one stanza each:
 *                   Finding: rule.id
 *                   Rows: 2                      (optional: evidence row count)
 *                   Evidence: col=value, col=value   (optional: some row has these)
 *                   Repair: kind                 (optional: a planned action of this kind)
 *                   Repair-zh: text / Repair-en: text  (optional: a planned action
 *                                                described exactly so, as a dry run shows it)
 *                 and optionally a header stanza "Only: yes|no" (default yes:
 *                 no other finding may appear) and "Absent: id, id" (rules
 *                 that must not fire, for cases that are not exclusive).
 * The facts are evaluated with the rules compiled from RULES_DIR, exactly as
 * `cadoctor scan --snapshot facts.txt` would. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/facts.h"
#include "../src/core/findings.h"
#include "../src/core/rules.h"
#include "../src/core/stanza.h"
#include "../src/core/util.h"

static int failures;

static void fail(const char *name, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", name);
	fprintf(stderr, fmt, a ? a : "", b ? b : "");
	fputc('\n', stderr);
	failures++;
}

static const struct cd_finding *find(const struct cd_results *r, const char *id)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].rule_id, id))
			return &r->v[i];
	return NULL;
}

/* Does some evidence row hold every col=value of the list? */
static int evidence_matches(const struct cd_finding *fd, const char *list)
{
	size_t row;
	for (row = 0; row < fd->nrows; row++) {
		const char *p = list;
		char item[256];
		int all = 1;
		while (all && cd_split_next(&p, ',', item, sizeof(item))) {
			char *eq = strchr(item, '=');
			const struct cd_value *v;
			if (!eq) {
				all = 0;
				break;
			}
			*eq = '\0';
			v = cd_finding_cell(fd, row, cd_trim(item));
			all = v && cd_streq(v->text ? v->text : "NULL", cd_trim(eq + 1));
		}
		if (all)
			return 1;
	}
	return 0;
}

static int run_case(const unsigned char *rules, size_t rlen, const char *dir)
{
	char *facts_path = cd_aprintf("%s/facts.txt", dir), *exp_path = cd_aprintf("%s/expected.txt", dir);
	const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	struct cd_facts *f = NULL;
	struct cd_stanza_file exp;
	struct cd_results res;
	struct cd_eval_opts eo;
	struct cd_diag d;
	size_t i;
	int only = 1, before = failures;
	char os[16] = "";
	const char *absent = NULL;

	memset(&res, 0, sizeof(res));
	memset(&exp, 0, sizeof(exp));
	if (cd_facts_load(facts_path, &f, &d) != CD_OK) {
		fprintf(stderr, "%s: %s:%d: %s\n", name, d.file, d.line, d.msg);
		failures++;
		goto out;
	}
	if (cd_stanza_load(exp_path, &exp, &d) != CD_OK) {
		fprintf(stderr, "%s: %s:%d: %s\n", name, d.file, d.line, d.msg);
		failures++;
		goto out;
	}
	if (cd_facts_attach_rules(f, rules, rlen) != CD_OK) {
		fail(name, "cannot attach rules%s%s", NULL, NULL);
		goto out;
	}
	memset(&eo, 0, sizeof(eo));
	/* As cadoctor scan does: the rules of the OS the facts describe. */
	{
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(cd_facts_db(f), "SELECT os_family FROM host", -1, &st, NULL) == SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
				snprintf(os, sizeof(os), "%s", (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
		}
		eo.os = os[0] ? os : NULL;
	}
	if (cd_evaluate(f, &eo, &res) != CD_OK) {
		fail(name, "evaluation failed%s%s", NULL, NULL);
		goto out;
	}
	for (i = 0; i < res.rule_errors.n; i++)
		fail(name, "rule error: %s%s", res.rule_errors.v[i].msg, NULL);
	for (i = 0; i < exp.nstanzas; i++) {
		const struct cd_stanza *s = &exp.stanzas[i];
		const char *id = cd_stanza_get(s, "Finding");
		const struct cd_finding *fd;
		if (!id) {
			if (cd_stanza_get(s, "Only"))
				only = cd_streq(cd_stanza_get(s, "Only"), "yes");
			if (cd_stanza_get(s, "Absent"))
				absent = cd_stanza_get(s, "Absent");
			continue;
		}
		fd = find(&res, id);
		if (!fd) {
			fail(name, "expected finding %s did not appear%s", id, NULL);
			continue;
		}
		if (cd_stanza_get(s, "Rows") &&
		    (size_t)atoi(cd_stanza_get(s, "Rows")) != fd->total_rows) {
			char got[32];
			snprintf(got, sizeof(got), "%zu", fd->total_rows);
			fail(name, "finding %s: wrong number of evidence rows (%s)", id, got);
		}
		if (cd_stanza_get(s, "Evidence") && !evidence_matches(fd, cd_stanza_get(s, "Evidence")))
			fail(name, "finding %s: no evidence row has %s", id, cd_stanza_get(s, "Evidence"));
		if (cd_stanza_get(s, "Repair")) {
			size_t k;
			int found = 0;
			for (k = 0; k < fd->nactions; k++)
				found |= cd_streq(fd->actions[k].kind, cd_stanza_get(s, "Repair"));
			if (!found)
				fail(name, "finding %s: no planned repair of kind %s", id, cd_stanza_get(s, "Repair"));
		}
		if (cd_stanza_get(s, "Repair-zh") || cd_stanza_get(s, "Repair-en")) {
			static const char *const field[2] = {"Repair-zh", "Repair-en"};
			int l;
			for (l = 0; l < 2; l++) {
				const char *want = cd_stanza_get(s, field[l]);
				size_t k;
				int found = 0;
				for (k = 0; want && k < fd->nactions; k++)
					found |= cd_streq(fd->actions[k].describe[l == 0 ? CD_LANG_ZH : CD_LANG_EN], want);
				if (want && !found)
					fail(name, "finding %s: no planned repair described as \"%s\"", id, want);
			}
		}
		if (!fd->title[0] || !fd->messages[1] || !fd->messages[1][0] || !*fd->messages[1][0])
			fail(name, "finding %s has no rendered text%s", id, NULL);
	}
	for (i = 0; i < res.n; i++) {
		size_t k;
		int expected = 0;
		for (k = 0; k < exp.nstanzas; k++)
			expected |= cd_streq(cd_stanza_get(&exp.stanzas[k], "Finding"), res.v[i].rule_id);
		if (expected)
			continue;
		if (only) {
			fail(name, "unexpected finding %s%s", res.v[i].rule_id, NULL);
		} else if (absent) {
			const char *p = absent;
			char item[128];
			while (cd_split_next(&p, ',', item, sizeof(item)))
				if (!strcmp(item, res.v[i].rule_id))
					fail(name, "finding %s must not appear%s", item, NULL);
		}
	}
out:
	printf("%s %s\n", failures == before ? "PASS" : "FAIL", name);
	cd_results_release(&res);
	cd_stanza_file_release(&exp);
	cd_facts_free(f);
	free(facts_path);
	free(exp_path);
	return failures == before;
}

int main(int argc, char **argv)
{
	struct cd_diag_list diags = {0};
	unsigned char *rules = NULL;
	size_t len = 0, i;
	int passed = 0, total = 0, a;

	if (argc < 3) {
		fprintf(stderr, "usage: scenario_runner RULES_DIR CASE_DIR...\n");
		return 2;
	}
	if (cd_rules_compile(argv[1], &diags, &rules, &len) != CD_OK) {
		for (i = 0; i < diags.n; i++)
			fprintf(stderr, "%s:%d: %s\n", diags.v[i].file, diags.v[i].line, diags.v[i].msg);
		return 2;
	}
	for (a = 2; a < argc; a++) {
		total++;
		passed += run_case(rules, len, argv[a]);
	}
	free(rules);
	cd_diag_list_release(&diags);
	printf("scenarios: %d passed, %d failed\n", passed, total - passed);
	return passed == total ? 0 : 1;
}
