/* cadoctor scan: collect (or load a snapshot), evaluate the rules, report. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/facts.h"
#include "../core/findings.h"
#include "../core/i18n.h"
#include "../core/report.h"
#include "../core/symptom.h"
#include "../core/util.h"
#include "scanopts.h"

enum { OPT_SNAPSHOT = OPT_SCAN__LAST + 1, OPT_JSON, OPT_JSON_OUT, OPT_HTML, OPT_RULE, OPT_SYMPTOM };

/* The OS whose rules apply is the one the facts describe, so a Windows
 * snapshot analysed on Linux gets the Windows rules. */
static char *facts_os(struct cd_facts *f)
{
	sqlite3_stmt *st;
	char *os = NULL;
	if (sqlite3_prepare_v2(cd_facts_db(f), "SELECT os_family FROM main.host LIMIT 1", -1, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		os = cd_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return os;
}

static int emit(const char *path, cd_err (*writer)(const struct cd_report_in *, struct cd_buf *),
		const struct cd_report_in *in)
{
	struct cd_buf b;
	int rc;
	cd_buf_init(&b, 0);
	if (writer(in, &b) != CD_OK) {
		cd_buf_release(&b);
		err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_NOMEM));
		return CD_EXIT_INTERNAL;
	}
	rc = write_output(path, b.data, b.len);
	cd_buf_release(&b);
	return rc;
}

/* What --symptom adds to the console report: the causes ruled out. */
static void print_symptom_view(const struct cd_symptom_view *sv)
{
	enum cd_lang l = cd_get_lang();
	size_t i;
	out_printf("\n%s: %s\n", cd_tr(S_SYMPTOM_HEAD), sv->name[l]);
	if (sv->nruled_out) {
		out_printf("%s:\n", cd_tr(S_SYMPTOM_RULED_OUT));
		for (i = 0; i < sv->nruled_out; i++)
			out_printf("  - %s  (%s)\n", sv->ruled_out[i].title[l], sv->ruled_out[i].rule_id);
	}
	if (sv->nunchecked) {
		out_printf("%s:\n", cd_tr(S_SYMPTOM_UNCHECKED));
		for (i = 0; i < sv->nunchecked; i++)
			out_printf("  - %s  (%s)\n", sv->unchecked[i].title[l], sv->unchecked[i].rule_id);
	}
}

static cd_err json_pretty(const struct cd_report_in *in, struct cd_buf *b)
{
	return cd_report_json(in, 1, b);
}

int cmd_scan(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		SCAN_COMMON_OPTS,
		CLI_COMMON_OPTS,
		{"snapshot", 0, 1, OPT_SNAPSHOT},
		{"json", 0, 0, OPT_JSON},
		{"json-out", 0, 1, OPT_JSON_OUT},
		{"html", 0, 1, OPT_HTML},
		{"rule", 0, 1, OPT_RULE},
		{"symptom", 0, 1, OPT_SYMPTOM},
		{NULL, 0, 0, 0},
	};
	struct scan_cli s;
	struct cli_args a;
	struct cd_facts *f = NULL;
	struct cd_results res;
	struct cd_eval_opts eo;
	struct cd_report_in in;
	const char *snapshot = NULL, *json_out = NULL, *html_out = NULL, *symptom = NULL;
	struct cd_symptom_view sv;
	char *os, *json_doc = NULL;
	int json = 0, id, rc, wrc = CD_EXIT_OK;

	scan_cli_init(&s);
	memset(&eo, 0, sizeof(eo));
	cli_args_init(&a, argc, argv);
	while ((id = cli_next(&a, opts)) != CLI_END) {
		int h;
		switch (id) {
		case OPT_SNAPSHOT:
			snapshot = a.arg;
			continue;
		case OPT_JSON:
			json = 1;
			continue;
		case OPT_JSON_OUT:
			json_out = a.arg;
			continue;
		case OPT_HTML:
			html_out = a.arg;
			continue;
		case OPT_RULE:
			eo.only_rule = a.arg;
			continue;
		case OPT_SYMPTOM:
			symptom = a.arg;
			continue;
		case OPT_HELP:
			out_printf("%s\n", cd_tr(S_HELP_SCAN));
			return CD_EXIT_OK;
		}
		if (cli_common(id, a.arg, "scan"))
			continue;
		h = scan_cli_option(&s, id, a.arg, "scan");
		if (h < 0)
			return CD_EXIT_USAGE;
		if (h)
			continue;
		if (id == CLI_POSITIONAL)
			return usage_error("scan", cd_tr(S_ERR_UNEXPECTED_ARG), a.arg);
		return usage_error("scan", cd_tr(S_ERR_BAD_OPTION), a.bad ? a.bad : "?");
	}
	if (snapshot && (s.opts.root || s.opts.only_probes || s.opts.n_net_targets))
		return usage_error("scan", "%s", cd_tr(S_ERR_SNAPSHOT_AND_COLLECT));

	if (snapshot) {
		struct cd_diag d;
		cd_err e;
		cd_diag_clear(&d);
		e = cd_facts_load(snapshot, &f, &d);
		if (e) {
			err_diag(&d);
			return exit_for_error(e);
		}
		rc = cli_attach_rules(f, s.rules_dir);
		if (rc) {
			cd_facts_free(f);
			return rc;
		}
	} else {
		rc = scan_cli_collect(&s, &f);
		if (rc)
			return rc;
	}

	os = facts_os(f);
	eo.os = os;
	if (cd_evaluate(f, &eo, &res) != CD_OK) {
		free(os);
		cd_facts_free(f);
		err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_INTERNAL));
		return CD_EXIT_INTERNAL;
	}
	memset(&sv, 0, sizeof(sv));
	if (symptom) {
		cd_err se = cd_symptom_narrow(f, symptom, os, &res, &sv);
		if (se) {
			cd_results_release(&res);
			free(os);
			cd_facts_free(f);
			return se == CD_ERR_NOT_FOUND ? usage_error("scan", cd_tr(S_ERR_UNKNOWN_SYMPTOM), symptom)
						      : CD_EXIT_INTERNAL;
		}
	}
	memset(&in, 0, sizeof(in));
	in.facts = f;
	in.res = &res;
	in.source = snapshot ? "snapshot" : "live";
	in.generated_at = cd_now();
	if (json + !!json_out + !!html_out > 1)
		in.json = json_doc = cd_report_json_string(&in, 1);

	if (json)
		wrc = emit("-", json_pretty, &in);
	else if (!cli_quiet)
		wrc = emit("-", cd_report_text, &in);
	if (symptom && !json && !cli_quiet)
		print_symptom_view(&sv);
	if (!wrc && json_out)
		wrc = emit(json_out, json_pretty, &in);
	if (!wrc && html_out)
		wrc = emit(html_out, cd_report_html, &in);

	rc = wrc ? wrc : cd_results_exit_code(&res);
	free(json_doc);
	cd_symptom_view_release(&sv);
	cd_results_release(&res);
	free(os);
	cd_facts_free(f);
	return rc;
}
