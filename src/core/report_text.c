/* The console report: what is wrong and what to do, in plain words, most
 * serious first. Details stay in JSON/HTML. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "i18n.h"
#include "report.h"
#include "supportcode.h"
#include "util.h"

/* Local time of the machine described, from its recorded UTC offset. */
static void local_time(struct cd_facts *f, char *out, size_t n)
{
	sqlite3_stmt *st;
	int64_t t = 0, off = 0;
	if (sqlite3_prepare_v2(cd_facts_db(f), "SELECT clock_utc, tz_offset_min FROM main.host", -1,
			       &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			t = sqlite3_column_int64(st, 0);
			off = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	if (!t) {
		snprintf(out, n, "-");
		return;
	}
	cd_format_utc(t + off * 60, out, n);
	out[10] = ' ';
	out[16] = '\0';
}

static void host_line(struct cd_facts *f, struct cd_buf *b)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(cd_facts_db(f),
			       "SELECT coalesce(os_name, os_family, '?'), coalesce(arch, '?') FROM main.host",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		cd_buf_addf(b, "%s: %s (%s)\n", cd_tr(S_REPORT_COMPUTER), sqlite3_column_text(st, 0),
			    sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
}

static enum cd_str severity_label(enum cd_severity s)
{
	return s == CD_SEV_ERROR ? S_SEV_ERROR : s == CD_SEV_WARNING ? S_SEV_WARNING : S_SEV_INFO;
}

cd_err cd_report_text(const struct cd_report_in *in, struct cd_buf *b)
{
	const struct cd_results *res = in->res;
	enum cd_lang lang = cd_get_lang();
	char when[32], code[CD_SUPPORT_CODE_MAX];
	size_t i, r, shown;
	int64_t nerr;
	sqlite3_stmt *st;
	int any_repair = 0;

	local_time(in->facts, when, sizeof(when));
	cd_buf_addf(b, "cadoctor %s - %s\n", CADOCTOR_VERSION, cd_tr(S_REPORT_TITLE));
	host_line(in->facts, b);
	cd_buf_addf(b, "%s: %s%s\n\n", cd_tr(S_REPORT_TIME), when,
		    in->source && !strcmp(in->source, "snapshot") ? cd_tr(S_REPORT_FROM_SNAPSHOT) : "");

	if (!res->n) {
		cd_buf_addf(b, "%s\n", cd_tr(S_REPORT_ALL_CLEAR));
	} else {
		cd_buf_addf(b, cd_tr(S_REPORT_SUMMARY), (unsigned)res->n,
			    (unsigned)res->counts[CD_SEV_ERROR], (unsigned)res->counts[CD_SEV_WARNING],
			    (unsigned)res->counts[CD_SEV_INFO]);
		cd_buf_adds(b, "\n");
	}
	for (i = 0; i < res->n; i++) {
		const struct cd_finding *fd = &res->v[i];
		cd_buf_addf(b, "\n%zu. [%s] %s  (%s)\n", i + 1, cd_tr(severity_label(fd->severity)),
			    fd->title[lang] ? fd->title[lang] : "", fd->rule_id);
		shown = fd->nrows < 5 ? fd->nrows : 5;
		for (r = 0; r < shown; r++)
			cd_buf_addf(b, "   - %s\n", fd->messages[lang][r] ? fd->messages[lang][r] : "");
		if (fd->total_rows > shown)
			cd_buf_addf(b, "   - %s\n", cd_tr(S_REPORT_MORE_ROWS));
		if (fd->fix[lang] && *fd->fix[lang]) {
			const char *p = fd->fix[lang];
			cd_buf_addf(b, "   %s: ", cd_tr(S_REPORT_WHAT_TO_DO));
			/* indent the continuation lines of a multi-line fix */
			for (; *p; p++) {
				cd_buf_addc(b, *p);
				if (*p == '\n' && p[1])
					cd_buf_adds(b, "      ");
			}
			cd_buf_addc(b, '\n');
		}
		if (fd->nactions) {
			any_repair = 1;
			cd_buf_addf(b, "   %s:\n", cd_tr(S_REPORT_CAN_REPAIR));
			for (r = 0; r < fd->nactions && r < 5; r++)
				cd_buf_addf(b, "     * %s\n", fd->actions[r].describe[lang]);
		}
	}
	for (i = 0; i < res->rule_errors.n; i++)
		cd_buf_addf(b, "\n%s: %s\n", cd_tr(S_REPORT_RULE_ERROR), res->rule_errors.v[i].msg);

	nerr = cd_facts_count(in->facts, "probe_errors");
	cd_buf_adds(b, "\n");
	if (sqlite3_prepare_v2(cd_facts_db(in->facts),
			       "SELECT count(*), coalesce(sum(elapsed_ms), 0) FROM main.probe_runs", -1, &st,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0)
			cd_buf_addf(b, cd_tr(S_REPORT_PROBES_RAN), sqlite3_column_int(st, 0),
				    sqlite3_column_double(st, 1) / 1000.0);
		sqlite3_finalize(st);
	}
	cd_buf_addf(b, cd_tr(S_REPORT_RULES_RAN), (unsigned)res->rules_evaluated);
	cd_buf_adds(b, "\n");
	if (nerr > 0) {
		cd_buf_addf(b, cd_tr(S_REPORT_PROBE_ERRORS), (long long)nerr);
		cd_buf_adds(b, "\n");
	}
	if (any_repair)
		cd_buf_addf(b, "%s\n", cd_tr(S_REPORT_REPAIR_HINT));
	/* Last, where a person on the phone finds it: the code for the help desk. */
	if (cd_support_code_for(in->facts, res, code, sizeof(code)) == CD_OK) {
		cd_buf_addf(b, cd_tr(S_REPORT_SUPPORT_CODE), code);
		cd_buf_adds(b, "\n");
	}
	return cd_buf_str(b) ? CD_OK : CD_ERR_NOMEM;
}
