/* cadoctor rules check DIR | rules list [--rules DIR]
 * check: compiles a rule directory and reports every problem as file:line. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/facts.h"
#include "../core/i18n.h"
#include "../core/rules.h"
#include "cli.h"

static int rules_check(const char *dir)
{
	struct cd_diag_list diags = {0};
	unsigned char *bytes = NULL;
	size_t len = 0, i;
	cd_err e = cd_rules_compile(dir, &diags, &bytes, &len);
	for (i = 0; i < diags.n; i++) {
		const struct cd_diag *d = &diags.v[i];
		/* Always file:line: reason on stdout, the form editors and CI understand. */
		out_printf("%s:%d: %s\n", d->file, d->line, d->msg);
	}
	if (e && !diags.n)
		out_printf("%s: %s\n", dir, cd_err_message(e));
	cd_diag_list_release(&diags);
	free(bytes);
	if (e == CD_ERR_NOT_FOUND)
		return CD_EXIT_NO_INPUT;
	if (e)
		return CD_EXIT_BAD_INPUT;
	if (!cli_quiet)
		err_printf("%s\n", cd_tr(S_RULES_OK));
	return CD_EXIT_OK;
}

static int rules_list(const char *dir)
{
	struct cd_facts *f;
	sqlite3_stmt *st;
	int rc;
	if (cd_facts_open(&f) != CD_OK)
		return CD_EXIT_INTERNAL;
	if ((rc = cli_attach_rules(f, dir)) != CD_EXIT_OK) {
		cd_facts_free(f);
		return rc;
	}
	if (sqlite3_prepare_v2(cd_facts_db(f),
			       "SELECT id, severity, os, CASE WHEN ?1 THEN title_en ELSE title_zh END"
			       " FROM rules.rules ORDER BY id",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, cd_get_lang() == CD_LANG_EN);
		while (sqlite3_step(st) == SQLITE_ROW)
			out_printf("%-40s %-8s %-8s %s\n", sqlite3_column_text(st, 0),
				   sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
				   sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	cd_facts_free(f);
	return CD_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		CLI_COMMON_OPTS, {"rules", 0, 1, 'r'}, {NULL, 0, 0, 0},
	};
	struct cli_args a;
	const char *words[3] = {NULL, NULL, NULL}, *dir = NULL;
	int n = 0, id;

	cli_args_init(&a, argc, argv);
	while ((id = cli_next(&a, opts)) != CLI_END) {
		if (id == CLI_POSITIONAL) {
			if (n == 3)
				return usage_error("rules", cd_tr(S_ERR_UNEXPECTED_ARG), a.arg);
			words[n++] = a.arg;
		} else if (id == 'r') {
			dir = a.arg;
		} else if (id == OPT_HELP) {
			out_printf("%s\n", cd_tr(S_HELP_RULES));
			return CD_EXIT_OK;
		} else if (!cli_common(id, a.arg, "rules")) {
			return usage_error("rules", cd_tr(S_ERR_BAD_OPTION), a.bad ? a.bad : "?");
		}
	}
	if (n == 2 && !strcmp(words[0], "check"))
		return rules_check(words[1]);
	if (n == 1 && !strcmp(words[0], "list"))
		return rules_list(dir);
	return usage_error("rules", "%s", cd_tr(S_HELP_RULES));
}
