/* The HTML report: one self-contained file (no network, no external assets)
 * that opens in any browser including IE 11 and prints on A4. Both languages
 * are in the page; a button switches between them. The JSON results are
 * embedded in a <script type="application/json"> element so that the file
 * can be read back by tools. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "i18n.h"
#include "report.h"
#include "util.h"

static void esc(struct cd_buf *b, const char *s)
{
	if (!s)
		return;
	while (*s) {
		/* Copy runs of harmless bytes at once; escape the rest. */
		size_t run = strcspn(s, "<>&\"'\n");
		if (run) {
			cd_buf_add(b, s, run);
			s += run;
			continue;
		}
		switch (*s) {
		case '<':
			cd_buf_adds(b, "&lt;");
			break;
		case '>':
			cd_buf_adds(b, "&gt;");
			break;
		case '&':
			cd_buf_adds(b, "&amp;");
			break;
		case '"':
			cd_buf_adds(b, "&quot;");
			break;
		case '\'':
			cd_buf_adds(b, "&#39;");
			break;
		default: /* '\n' */
			cd_buf_adds(b, "<br>");
		}
		s++;
	}
}

/* Text in both languages; CSS shows the one selected. */
static void both(struct cd_buf *b, const char *zh, const char *en)
{
	cd_buf_adds(b, "<span class=\"zh\">");
	esc(b, zh);
	cd_buf_adds(b, "</span><span class=\"en\">");
	esc(b, en ? en : zh);
	cd_buf_adds(b, "</span>");
}

static void both_str(struct cd_buf *b, enum cd_str id)
{
	both(b, cd_tr_lang(id, CD_LANG_ZH), cd_tr_lang(id, CD_LANG_EN));
}

static const char css[] =
	"body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;"
	"margin:0;color:#1d2330;background:#f4f6f9;line-height:1.5}"
	"header{background:#123a6b;color:#fff;padding:16px 28px}"
	"header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}"
	"main{padding:16px 28px;max-width:1100px}"
	".summary{display:block;background:#fff;border-radius:6px;padding:14px 18px;margin-bottom:16px;"
	"border-left:6px solid #2e7d32}"
	".summary.s2{border-left-color:#c62828}.summary.s1{border-left-color:#ef8f00}"
	".count{display:inline-block;margin-right:18px;font-size:18px}"
	".finding{background:#fff;border-radius:6px;padding:12px 18px;margin:12px 0;"
	"border-left:6px solid #90a4ae;page-break-inside:avoid}"
	".finding.error{border-left-color:#c62828}.finding.warning{border-left-color:#ef8f00}"
	".finding h3{margin:0 0 6px;font-size:17px}.rid{color:#78909c;font-size:12px;font-weight:normal}"
	".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;"
	"background:#607d8b;margin-right:6px}.badge.error{background:#c62828}.badge.warning{background:#ef8f00}"
	".fix{background:#eef6ee;padding:8px 12px;border-radius:4px;margin:8px 0}"
	".repair{background:#eef2fb;padding:8px 12px;border-radius:4px}"
	"table{border-collapse:collapse;font-size:12px;margin:6px 0;width:100%}"
	"th,td{border:1px solid #cfd8dc;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-all}"
	"th{background:#eceff1}details{margin-top:6px}h2{font-size:18px;margin:22px 0 8px}"
	"#lang{float:right;background:#fff;color:#123a6b;border:0;border-radius:4px;padding:4px 10px;cursor:pointer}"
	"body.en .zh{display:none}body.zh .en{display:none}"
	"@media print{body{background:#fff}header{background:#fff;color:#000;border-bottom:2px solid #000}"
	"#lang{display:none}details{display:block}main{max-width:none}}"
	"@page{size:A4;margin:14mm}";

/* ES5 only (IE 11). */
static const char script[] =
	"function cdLang(l){document.body.className=l;"
	"var b=document.getElementById('lang');b.innerHTML=(l=='zh'?'English':'\\u4e2d\\u6587');}"
	"function cdToggle(){cdLang(document.body.className=='zh'?'en':'zh');}";

static void evidence_table(struct cd_buf *b, const struct cd_finding *fd)
{
	size_t r, c;
	cd_buf_adds(b, "<details><summary>");
	both_str(b, S_HTML_EVIDENCE);
	cd_buf_addf(b, " (%zu)</summary><table><tr>", fd->total_rows);
	for (c = 0; c < fd->ncols; c++) {
		cd_buf_adds(b, "<th>");
		esc(b, fd->cols[c]);
		cd_buf_adds(b, "</th>");
	}
	cd_buf_adds(b, "</tr>");
	for (r = 0; r < fd->nrows; r++) {
		cd_buf_adds(b, "<tr>");
		for (c = 0; c < fd->ncols; c++) {
			const struct cd_value *v = &fd->cells[r * fd->ncols + c];
			cd_buf_adds(b, "<td>");
			esc(b, v->text ? v->text : "");
			cd_buf_adds(b, "</td>");
		}
		cd_buf_adds(b, "</tr>");
	}
	cd_buf_adds(b, "</table></details>");
}

static void finding_html(struct cd_buf *b, const struct cd_finding *fd)
{
	const char *sev = cd_severity_name(fd->severity);
	enum cd_str label = fd->severity == CD_SEV_ERROR     ? S_SEV_ERROR
			    : fd->severity == CD_SEV_WARNING ? S_SEV_WARNING
							     : S_SEV_INFO;
	size_t r;
	cd_buf_addf(b, "<div class=\"finding %s\" data-rule=\"", sev);
	esc(b, fd->rule_id);
	cd_buf_addf(b, "\"><h3><span class=\"badge %s\">", sev);
	both_str(b, label);
	cd_buf_adds(b, "</span>");
	both(b, fd->title[CD_LANG_ZH], fd->title[CD_LANG_EN]);
	cd_buf_adds(b, " <span class=\"rid\">");
	esc(b, fd->rule_id);
	cd_buf_adds(b, "</span></h3><ul>");
	for (r = 0; r < fd->nrows && r < 20; r++) {
		cd_buf_adds(b, "<li>");
		both(b, fd->messages[CD_LANG_ZH][r], fd->messages[CD_LANG_EN][r]);
		cd_buf_adds(b, "</li>");
	}
	if (fd->total_rows > 20) {
		cd_buf_adds(b, "<li>");
		both_str(b, S_REPORT_MORE_ROWS);
		cd_buf_adds(b, "</li>");
	}
	cd_buf_adds(b, "</ul>");
	if (fd->fix[CD_LANG_ZH]) {
		cd_buf_adds(b, "<div class=\"fix\"><b>");
		both_str(b, S_REPORT_WHAT_TO_DO);
		cd_buf_adds(b, ":</b> ");
		both(b, fd->fix[CD_LANG_ZH], fd->fix[CD_LANG_EN]);
		cd_buf_adds(b, "</div>");
	}
	if (fd->nactions) {
		cd_buf_adds(b, "<div class=\"repair\"><b>");
		both_str(b, S_REPORT_CAN_REPAIR);
		cd_buf_adds(b, ":</b><ul>");
		for (r = 0; r < fd->nactions; r++) {
			cd_buf_adds(b, "<li>");
			both(b, fd->actions[r].describe[CD_LANG_ZH], fd->actions[r].describe[CD_LANG_EN]);
			cd_buf_adds(b, "</li>");
		}
		cd_buf_adds(b, "</ul></div>");
	}
	evidence_table(b, fd);
	cd_buf_adds(b, "</div>\n");
}

static void rows_table(struct cd_buf *b, struct cd_facts *f, const char *sql)
{
	sqlite3_stmt *st;
	int c, header = 0;
	if (sqlite3_prepare_v2(cd_facts_db(f), sql, -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!header) {
			cd_buf_adds(b, "<table><tr>");
			for (c = 0; c < sqlite3_column_count(st); c++) {
				cd_buf_adds(b, "<th>");
				esc(b, sqlite3_column_name(st, c));
				cd_buf_adds(b, "</th>");
			}
			cd_buf_adds(b, "</tr>");
			header = 1;
		}
		cd_buf_adds(b, "<tr>");
		for (c = 0; c < sqlite3_column_count(st); c++) {
			const char *t = (const char *)sqlite3_column_text(st, c);
			cd_buf_adds(b, "<td>");
			if (t && cd_utf8_valid(t, strlen(t)))
				esc(b, t);
			cd_buf_adds(b, "</td>");
		}
		cd_buf_adds(b, "</tr>");
	}
	if (header)
		cd_buf_adds(b, "</table>");
	else
		cd_buf_adds(b, "<p>-</p>");
	sqlite3_finalize(st);
}

/* JSON inside <script> must not be able to end or re-enter the script
 * element: '<' only occurs inside JSON strings, so \u003c is always valid. */
static void embed_json(struct cd_buf *b, const char *json)
{
	const char *p = json;
	cd_buf_adds(b, "<script type=\"application/json\" id=\"cadoctor-data\">");
	while (*p) {
		size_t run = strcspn(p, "<");
		cd_buf_add(b, p, run);
		p += run;
		if (*p == '<') {
			cd_buf_adds(b, "\\u003c");
			p++;
		}
	}
	cd_buf_adds(b, "</script>\n");
}

cd_err cd_report_html(const struct cd_report_in *in, struct cd_buf *b)
{
	const struct cd_results *res = in->res;
	enum cd_lang lang = cd_get_lang();
	int code = cd_results_exit_code(res);
	char when[32], *json, *collected;
	size_t i;

	json = in->json ? NULL : cd_report_json_string(in, 0);
	if (!json && !in->json)
		return CD_ERR_NOMEM;
	collected = cd_facts_get_meta(in->facts, "collected_at");
	cd_format_utc(in->generated_at, when, sizeof(when));

	cd_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		       "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">"
		       "<meta name=\"viewport\" content=\"width=device-width\">"
		       "<meta name=\"generator\" content=\"cadoctor %s\"><title>",
		    cd_lang_tag(lang), CADOCTOR_VERSION);
	esc(b, cd_tr(S_REPORT_TITLE));
	cd_buf_addf(b, "</title><style>%s</style><script>%s</script></head>\n", css, script);
	cd_buf_addf(b, "<body class=\"%s\"><header><button id=\"lang\" onclick=\"cdToggle()\">%s</button><h1>",
		    lang == CD_LANG_EN ? "en" : "zh", lang == CD_LANG_EN ? "\xe4\xb8\xad\xe6\x96\x87" : "English");
	both_str(b, S_REPORT_TITLE);
	cd_buf_adds(b, "</h1><p>cadoctor " CADOCTOR_VERSION " &middot; ");
	both_str(b, S_REPORT_TIME);
	cd_buf_adds(b, ": ");
	esc(b, collected ? collected : when);
	if (in->source && !strcmp(in->source, "snapshot"))
		both_str(b, S_REPORT_FROM_SNAPSHOT);
	cd_buf_adds(b, "</p></header><main>\n");

	cd_buf_addf(b, "<div class=\"summary s%d\" id=\"summary\">", code);
	if (!res->n) {
		both_str(b, S_REPORT_ALL_CLEAR);
	} else {
		cd_buf_addf(b, "<span class=\"count\">%zu ", res->counts[CD_SEV_ERROR]);
		both_str(b, S_SEV_ERROR);
		cd_buf_addf(b, "</span><span class=\"count\">%zu ", res->counts[CD_SEV_WARNING]);
		both_str(b, S_SEV_WARNING);
		cd_buf_addf(b, "</span><span class=\"count\">%zu ", res->counts[CD_SEV_INFO]);
		both_str(b, S_SEV_INFO);
		cd_buf_adds(b, "</span>");
	}
	cd_buf_adds(b, "</div>\n<h2>");
	both_str(b, S_HTML_FINDINGS);
	cd_buf_adds(b, "</h2>\n");
	for (i = 0; i < res->n; i++)
		finding_html(b, &res->v[i]);
	if (!res->n)
		cd_buf_adds(b, "<p>-</p>");

	cd_buf_adds(b, "<h2>");
	both_str(b, S_HTML_SYSTEM);
	cd_buf_adds(b, "</h2>");
	rows_table(b, in->facts,
		   "SELECT os_name, os_version, arch, kernel, elevated, tz_name, locale, proxy FROM main.host");
	cd_buf_adds(b, "<h2>");
	both_str(b, S_HTML_PROBES);
	cd_buf_adds(b, "</h2>");
	rows_table(b, in->facts, "SELECT probe, status, elapsed_ms, rows, detail FROM main.probe_runs");
	cd_buf_adds(b, "<h2>");
	both_str(b, S_HTML_PROBE_ERRORS);
	cd_buf_adds(b, "</h2>");
	rows_table(b, in->facts, "SELECT probe, target, code, message FROM main.probe_errors");
	cd_buf_adds(b, "</main>\n");
	embed_json(b, in->json ? in->json : json);
	cd_buf_adds(b, "</body></html>\n");
	cJSON_free(json);
	free(collected);
	return cd_buf_str(b) ? CD_OK : CD_ERR_NOMEM;
}
