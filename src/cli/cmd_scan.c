/* cadoctor scan: collect (or load a snapshot), evaluate the rules, report.
 * The analysis itself (redaction, rules, symptom) is cd_scan_analyse, shared
 * with the GUI; the enterprise settings (core/policy.h) pick the default
 * platform and the redaction, and may save every report to a folder and
 * write a summary to the event log. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../actions/actions_os.h"
#include "../core/facts.h"
#include "../core/findings.h"
#include "../core/i18n.h"
#include "../core/policy.h"
#include "../core/report.h"
#include "../core/scan.h"
#include "../core/symptom.h"
#include "../core/util.h"
#include "../platform/policy.h"
#include "scanopts.h"

enum { OPT_SNAPSHOT = OPT_SCAN__LAST + 1, OPT_JSON, OPT_JSON_OUT, OPT_HTML, OPT_RULE, OPT_SYMPTOM,
       OPT_NO_REDACT, OPT_PLATFORM };

/* The platform asked for (--platform, else the policy's DefaultPlatform) as
 * found in the catalog. Returns an exit code; *found is 0 when there is none
 * (or the policy names one the catalog does not know: a warning only). */
static int resolve_platform(const char *asked, const struct cd_policy *pol, const char *rules_dir,
			    struct cd_choice *out, int *found)
{
	struct cd_facts *tmp;
	const char *id = asked ? asked : pol->default_platform;
	cd_err e;
	int rc;
	*found = 0;
	if (!id)
		return CD_EXIT_OK;
	if (cd_facts_open(&tmp) != CD_OK)
		return CD_EXIT_INTERNAL;
	rc = cli_attach_rules(tmp, rules_dir);
	if (rc) {
		cd_facts_free(tmp);
		return rc;
	}
	e = cd_scan_choice(tmp, CD_CHOICE_PLATFORMS, id, out);
	cd_facts_free(tmp);
	if (e == CD_OK) {
		*found = 1;
		return CD_EXIT_OK;
	}
	if (asked)
		return usage_error("scan", cd_tr(S_ERR_UNKNOWN_PLATFORM), id);
	if (!cli_quiet)
		err_printf("cadoctor: %s\n", cd_tr(S_POLICY_BAD_PLATFORM));
	return CD_EXIT_OK;
}

/* What a platform adds to the console report: its name and notes. */
static void print_platform(const struct cd_choice *pl)
{
	enum cd_lang l = cd_get_lang();
	out_printf("\n%s: %s\n", cd_tr(S_PLATFORM_HEAD), pl->name[l] ? pl->name[l] : pl->id);
	if (pl->notes[l])
		out_printf("  %s\n", pl->notes[l]);
}

/* ReportFolder and EventLog of the policy, after a live scan. Never changes
 * the exit code: the scan's result stands even when a share is down. */
static void policy_outputs(const struct cd_policy *pol, const struct cd_report_in *in)
{
	char host[256], user[256], *saved = NULL, *summary;
	int failed = 0;
	if (pol->report_folder) {
		struct cd_diag d;
		cd_diag_clear(&d);
		cd_actions_identity(host, sizeof(host), user, sizeof(user));
		if (cd_scan_save_reports(pol->report_folder, host, in, &saved, &d) != CD_OK) {
			failed = 1;
			if (!cli_quiet)
				err_printf("cadoctor: %s: %s (%s)\n", d.file[0] ? d.file : pol->report_folder,
					   cd_tr(S_ERR_CANT_WRITE), d.msg);
		}
	}
	if (pol->event_log) {
		int ec = cd_results_exit_code(in->res);
		summary = cd_scan_summary(in->res, saved);
		if (summary)
			cd_eventlog_write(failed || ec == 1 ? CD_EVENT_WARNING : ec == 2 ? CD_EVENT_ERROR : CD_EVENT_INFO,
					  summary);
		free(summary);
	}
	free(saved);
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
		{"no-redact", 0, 0, OPT_NO_REDACT},
		{"platform", 0, 1, OPT_PLATFORM},
		{NULL, 0, 0, 0},
	};
	struct scan_cli s;
	struct cli_args a;
	struct cd_facts *f = NULL;
	struct cd_scan_analysis an;
	struct cd_scan_result sr;
	struct cd_report_in in;
	struct cd_policy pol;
	struct cd_choice pl;
	const char *snapshot = NULL, *json_out = NULL, *html_out = NULL, *platform = NULL;
	char *json_doc = NULL, *net_target = NULL;
	int json = 0, id, rc, wrc = CD_EXIT_OK, redact_wish = -1, refused = 0, have_pl = 0;
	cd_err e;

	scan_cli_init(&s);
	memset(&an, 0, sizeof(an));
	memset(&pl, 0, sizeof(pl));
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
			an.only_rule = a.arg;
			continue;
		case OPT_SYMPTOM:
			an.symptom = a.arg;
			continue;
		case OPT_NO_REDACT:
			redact_wish = 0;
			continue;
		case OPT_PLATFORM:
			platform = a.arg;
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

	cd_policy_load(&pol);
	an.redact = cd_policy_redact(&pol, redact_wish, &refused);
	if (refused && !cli_quiet)
		err_printf("cadoctor: %s\n", cd_tr(S_POLICY_REDACT_ENFORCED));
	rc = resolve_platform(platform, &pol, s.rules_dir, &pl, &have_pl);
	if (rc) {
		cd_policy_release(&pol);
		return rc;
	}
	/* A chosen platform: the network probe checks its address only. */
	if (have_pl && pl.url && !snapshot && !s.opts.n_net_targets) {
		net_target = cd_aprintf("%s=%s", pl.id, pl.url);
		if (net_target)
			s.targets[s.opts.n_net_targets++] = net_target;
	}

	if (snapshot) {
		struct cd_diag d;
		cd_diag_clear(&d);
		e = cd_facts_load(snapshot, &f, &d);
		if (e) {
			err_diag(&d);
			rc = exit_for_error(e);
			goto out;
		}
		rc = cli_attach_rules(f, s.rules_dir);
		if (rc)
			goto out;
	} else {
		rc = scan_cli_collect(&s, &f);
		if (rc)
			goto out;
	}
	e = cd_scan_analyse(f, &an, &sr);
	if (e) {
		if (sr.failed == CD_SCAN_REDACT)
			err_printf("cadoctor: %s\n", cd_tr(S_ERR_REDACT));
		else if (sr.failed == CD_SCAN_SYMPTOM && e == CD_ERR_NOT_FOUND)
			rc = usage_error("scan", cd_tr(S_ERR_UNKNOWN_SYMPTOM), an.symptom);
		else if (sr.failed == CD_SCAN_EVALUATE)
			err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_INTERNAL));
		if (!rc)
			rc = CD_EXIT_INTERNAL;
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.facts = f;
	in.res = &sr.res;
	in.source = snapshot ? "snapshot" : "live";
	in.generated_at = cd_now();
	if (json + !!json_out + !!html_out + (pol.report_folder && !snapshot ? 2 : 0) > 1)
		in.json = json_doc = cd_report_json_string(&in, 1);

	if (json)
		wrc = emit("-", json_pretty, &in);
	else if (!cli_quiet)
		wrc = emit("-", cd_report_text, &in);
	if (an.symptom && !json && !cli_quiet)
		print_symptom_view(&sr.sv);
	if (have_pl && !json && !cli_quiet)
		print_platform(&pl);
	if (!wrc && json_out)
		wrc = emit(json_out, json_pretty, &in);
	if (!wrc && html_out)
		wrc = emit(html_out, cd_report_html, &in);
	if (!snapshot)
		policy_outputs(&pol, &in);

	rc = wrc ? wrc : cd_results_exit_code(&sr.res);
	free(json_doc);
	cd_scan_result_release(&sr);
out:
	cd_facts_free(f);
	cd_choice_release(&pl);
	cd_policy_release(&pol);
	free(net_target);
	return rc;
}
