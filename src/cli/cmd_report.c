/* cadoctor report: reports read back and compared, for the help desk.
 *   report load FILE             the JSON results of an HTML (or JSON) report
 *   report diff BEFORE AFTER     findings cleared, new and unchanged, changed facts
 * Reports are untrusted input (they come from users): a damaged one exits 65. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/i18n.h"
#include "../core/report_diff.h"
#include "cli.h"

static int load(const char *path, cJSON **doc)
{
	struct cd_diag d;
	cd_err e;
	cd_diag_clear(&d);
	e = cd_report_load(path, doc, &d);
	if (e) {
		err_diag(&d);
		return exit_for_error(e);
	}
	return CD_EXIT_OK;
}

static int print_json(const cJSON *doc)
{
	char *s = cJSON_Print(doc);
	int rc;
	if (!s) {
		err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_NOMEM));
		return CD_EXIT_INTERNAL;
	}
	rc = write_output("-", s, strlen(s));
	if (!rc)
		rc = write_output("-", "\n", 1);
	cJSON_free(s);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	static const struct cli_opt opts[] = {CLI_COMMON_OPTS, {"json", 0, 0, 'j'}, {NULL, 0, 0, 0}};
	struct cli_args a;
	const char *words[4];
	int nwords = 0, json = 0, id, rc;
	cJSON *before = NULL, *after = NULL, *diff;

	cli_args_init(&a, argc, argv);
	while ((id = cli_next(&a, opts)) != CLI_END) {
		if (id == CLI_POSITIONAL) {
			if (nwords == 3)
				return usage_error("report", cd_tr(S_ERR_UNEXPECTED_ARG), a.arg);
			words[nwords++] = a.arg;
		} else if (id == 'j') {
			json = 1;
		} else if (id == OPT_HELP) {
			out_printf("%s\n", cd_tr(S_HELP_REPORT));
			return CD_EXIT_OK;
		} else if (!cli_common(id, a.arg, "report")) {
			return usage_error("report", cd_tr(S_ERR_BAD_OPTION), a.bad ? a.bad : "?");
		}
	}
	if (nwords == 2 && !strcmp(words[0], "load")) {
		if ((rc = load(words[1], &before)) != CD_EXIT_OK)
			return rc;
		rc = print_json(before);
		cJSON_Delete(before);
		return rc;
	}
	if (nwords != 3 || strcmp(words[0], "diff") != 0)
		return usage_error("report", "%s", cd_tr(S_ERR_REPORT_USAGE));
	if ((rc = load(words[1], &before)) != CD_EXIT_OK)
		return rc;
	if ((rc = load(words[2], &after)) != CD_EXIT_OK) {
		cJSON_Delete(before);
		return rc;
	}
	diff = cd_report_diff(before, after);
	cJSON_Delete(before);
	cJSON_Delete(after);
	if (!diff) {
		err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_NOMEM));
		return CD_EXIT_INTERNAL;
	}
	if (json) {
		rc = print_json(diff);
	} else {
		struct cd_buf b;
		cd_buf_init(&b, 0);
		if (cd_report_diff_text(diff, &b) != CD_OK) {
			err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_NOMEM));
			rc = CD_EXIT_INTERNAL;
		} else {
			rc = write_output("-", b.data, b.len);
		}
		cd_buf_release(&b);
	}
	if (!rc)
		rc = cd_report_diff_exit(diff);
	cJSON_Delete(diff);
	return rc;
}
