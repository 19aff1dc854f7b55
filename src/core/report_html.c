/* The HTML report: one self-contained file (no network, no external assets)
 * that opens in any browser including IE 11 and prints on A4. Both languages
 * are in the page; a button switches between them. The JSON results are
 * embedded in a <script type="application/json"> element so that the file
 * can be read back by tools (`cadoctor report load`).
 *
 * Layout, for a help desk on the phone: the support code and whether the
 * page is redacted; what is wrong and what to do, in order; one section per
 * area (drivers, keys and certificates with the validity timeline, browsers,
 * system) with its findings and the collected data; what could not be read;
 * the probes; the repair history with undo ids. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "i18n.h"
#include "redact.h"
#include "report.h"
#include "supportcode.h"
#include "util.h"

/* Escapes text for HTML; newlines become <br>, or blanks inside SVG. */
static void esc_nl(struct cd_buf *b, const char *s, const char *newline)
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
			cd_buf_adds(b, newline);
		}
		s++;
	}
}

static void esc(struct cd_buf *b, const char *s)
{
	esc_nl(b, s, "<br>");
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

/* A translated format string taking one int, in both languages. */
static void both_fmt_int(struct cd_buf *b, enum cd_str id, int v)
{
	char zh[512], en[512];
	snprintf(zh, sizeof(zh), cd_tr_lang(id, CD_LANG_ZH), v);
	snprintf(en, sizeof(en), cd_tr_lang(id, CD_LANG_EN), v);
	both(b, zh, en);
}

/* "first N of M rows shown" in both languages. */
static void both_fmt_rows(struct cd_buf *b, int shown, int64_t total)
{
	char zh[512], en[512];
	snprintf(zh, sizeof(zh), cd_tr_lang(S_HTML_ROWS_SHOWN, CD_LANG_ZH), shown, (long long)total);
	snprintf(en, sizeof(en), cd_tr_lang(S_HTML_ROWS_SHOWN, CD_LANG_EN), shown, (long long)total);
	both(b, zh, en);
}

static const char css[] =
	"body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;"
	"margin:0;color:#1d2330;background:#f4f6f9;line-height:1.5}"
	"header{background:#123a6b;color:#fff;padding:16px 28px}"
	"header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}"
	"main{display:block;padding:16px 28px;max-width:1100px}section{display:block}"
	".summary{display:block;background:#fff;border-radius:6px;padding:14px 18px;margin-bottom:16px;"
	"border-left:6px solid #2e7d32}"
	".summary.s2{border-left-color:#c62828}.summary.s1{border-left-color:#ef8f00}"
	".count{display:inline-block;margin-right:18px;font-size:18px}"
	".todo{margin:10px 0 0;padding-left:24px}.todo li{margin:6px 0}.todo .what{display:block;color:#37474f}"
	".code{background:#fff;border-radius:6px;padding:10px 18px;margin-bottom:12px;font-size:15px}"
	".code b{font-family:Consolas,'Courier New',monospace;font-size:22px;letter-spacing:2px;margin:0 8px}"
	".code small{color:#607d8b}"
	".redacted{background:#e8f5e9;border-radius:4px;padding:6px 12px;margin-bottom:12px;font-size:13px}"
	".unredacted{background:#c62828;color:#fff;border-radius:4px;padding:8px 12px;margin-bottom:12px;"
	"font-weight:bold}"
	".finding{background:#fff;border-radius:6px;padding:12px 18px;margin:12px 0;"
	"border-left:6px solid #90a4ae;page-break-inside:avoid}"
	".finding.error{border-left-color:#c62828}.finding.warning{border-left-color:#ef8f00}"
	".finding h3{margin:0 0 6px;font-size:17px}.rid{color:#78909c;font-size:12px;font-weight:normal}"
	".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff;"
	"background:#607d8b;margin-right:6px}.badge.error{background:#c62828}.badge.warning{background:#ef8f00}"
	".fix{background:#eef6ee;padding:8px 12px;border-radius:4px;margin:8px 0}"
	".repair{background:#eef2fb;padding:8px 12px;border-radius:4px}"
	".ok{color:#2e7d32}.note{color:#607d8b;font-size:12px}"
	"table{border-collapse:collapse;font-size:12px;margin:6px 0;width:100%;background:#fff}"
	"th,td{border:1px solid #cfd8dc;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-all}"
	"th{background:#eceff1}details{margin-top:6px}summary{cursor:pointer}"
	"h2{font-size:18px;margin:26px 0 8px;border-bottom:2px solid #cfd8dc;padding-bottom:4px}"
	"h3.data{font-size:15px;margin:14px 0 4px}"
	".timeline{background:#fff;border-radius:6px;padding:8px;margin:8px 0}"
	".timeline svg{display:block;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"#lang{float:right;background:#fff;color:#123a6b;border:0;border-radius:4px;padding:4px 10px;cursor:pointer}"
	"body.en .zh{display:none}body.zh .en{display:none}"
	"@media print{body{background:#fff;font-size:12px}header{background:#fff;color:#000;"
	"border-bottom:2px solid #000;padding:0 0 6px}#lang{display:none}main{max-width:none;padding:0}"
	".finding,.summary,.code,.timeline,tr{page-break-inside:avoid}h2,h3{page-break-after:avoid}"
	"a{color:inherit;text-decoration:none}.unredacted{border:2px solid #c62828}}"
	"@page{size:A4;margin:14mm}";

/* ES5 only (IE 11). Printing opens every <details> so nothing is hidden on paper. */
static const char script[] =
	"function cdLang(l){document.body.className=l;"
	"var b=document.getElementById('lang');b.innerHTML=(l=='zh'?'English':'\\u4e2d\\u6587');}"
	"function cdToggle(){cdLang(document.body.className=='zh'?'en':'zh');}"
	"function cdOpen(){var d=document.getElementsByTagName('details');"
	"for(var i=0;i<d.length;i++)d[i].setAttribute('open','open');}"
	"window.onbeforeprint=cdOpen;";

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

static enum cd_str severity_label(enum cd_severity s)
{
	return s == CD_SEV_ERROR ? S_SEV_ERROR : s == CD_SEV_WARNING ? S_SEV_WARNING : S_SEV_INFO;
}

static void finding_html(struct cd_buf *b, const struct cd_finding *fd, size_t index)
{
	const char *sev = cd_severity_name(fd->severity);
	size_t r;
	cd_buf_addf(b, "<div class=\"finding %s\" id=\"f%zu\" data-rule=\"", sev, index + 1);
	esc(b, fd->rule_id);
	cd_buf_addf(b, "\"><h3><span class=\"badge %s\">", sev);
	both_str(b, severity_label(fd->severity));
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

/* Rows of a query as a table, at most max rows (0: all). Returns the rows shown. */
static int rows_table(struct cd_buf *b, struct cd_facts *f, const char *sql, int max)
{
	sqlite3_stmt *st;
	int c, header = 0, n = 0;
	if (sqlite3_prepare_v2(cd_facts_db(f), sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW && (!max || n < max)) {
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
		n++;
	}
	if (header)
		cd_buf_adds(b, "</table>");
	else
		cd_buf_adds(b, "<p>-</p>");
	sqlite3_finalize(st);
	return n;
}

/* ---- areas ---- */

#define TABLE_ROWS_MAX 200

struct data_table {
	const char *table;
	const char *sql;
};

/* The collected data shown under each area: readable columns, not all. */
static const struct data_table drivers_data[] = {
	{"pkcs11_modules", "SELECT name, path, file_exists, source, source_file, enabled, vendor, load_status,"
			   " load_error FROM main.pkcs11_modules"},
	{"csp", "SELECT name, type, image_path, image_exists, view, enumerated FROM main.csp"},
	{"minidrivers", "SELECT card_name, atr, dll, dll_exists, crypto_provider, view FROM main.minidrivers"},
	{"vendor_device_maps", "SELECT vendor, device, vid, pid, dll, dll_exists, view FROM main.vendor_device_maps"},
	{"com_classes", "SELECT clsid, progid, view, server_path, server_exists, server_bits FROM main.com_classes"},
	{"usb_devices", "SELECT vid, pid, manufacturer, product, driver, present, problem_code, status"
			" FROM main.usb_devices"},
	{"programs", "SELECT name, version, publisher, source, install_date FROM main.programs"},
	{"files", "SELECT path, purpose, present, version FROM main.files"},
	{NULL, NULL},
};
static const struct data_table keys_data[] = {
	{"tokens", "SELECT label, manufacturer, model, serial, token_present, user_pin_locked,"
		   " user_pin_count_low FROM main.tokens"},
	{"certificates", "SELECT source, location, subject_cn, subject_o, issuer_o,"
			 " date(not_before, 'unixepoch') AS not_before, date(not_after, 'unixepoch') AS not_after,"
			 " key_alg, has_private_key, serial FROM main.certificates"},
	{NULL, NULL},
};
static const struct data_table browsers_data[] = {
	{"browsers", "SELECT browser, version, path, is_default FROM main.browsers"},
	{"browser_profiles", "SELECT browser, user, profile_name, is_default, readable FROM main.browser_profiles"},
	{"browser_extensions", "SELECT browser, user, ext_id, name, version, enabled, disable_reasons, location"
			       " FROM main.browser_extensions"},
	{"browser_policies", "SELECT browser, scope, user, policy, value FROM main.browser_policies"},
	{"native_hosts", "SELECT browser, name, scope, user, manifest_ok, host_path, host_exists, error"
			 " FROM main.native_hosts"},
	{NULL, NULL},
};
static const struct data_table system_data[] = {
	{"host", "SELECT os_name, os_version, os_build, arch, process_arch, hostname, elevated, tz_name, locale,"
		 " proxy FROM main.host"},
	{"services", "SELECT name, display_name, installed, state, start_type FROM main.services"},
	{"processes", "SELECT name, path, user FROM main.processes"},
	{"hosts_entries", "SELECT hostname, address, source FROM main.hosts_entries"},
	{"network_checks", "SELECT target, url, dns_ok, tcp_ok, tls_ok, verify_ok, http_status, failed_step, error"
			   " FROM main.network_checks"},
	{NULL, NULL},
};

static const struct area {
	const char *id;
	enum cd_str title;
	const char *finding_areas[3]; /* Area: values of the rules shown here */
	const struct data_table *data;
} areas[] = {
	{"drivers", S_HTML_AREA_DRIVERS, {"drivers", NULL, NULL}, drivers_data},
	{"keys", S_HTML_AREA_KEYS, {"tokens", "certificates", NULL}, keys_data},
	{"browsers", S_HTML_AREA_BROWSERS, {"browsers", NULL, NULL}, browsers_data},
	{"system", S_HTML_AREA_SYSTEM, {"system", "network", NULL}, system_data},
};

/* The area a finding belongs to; findings of an unknown area go under system. */
static size_t area_of(const struct cd_finding *fd)
{
	size_t a, k;
	for (a = 0; a < sizeof(areas) / sizeof(areas[0]); a++)
		for (k = 0; k < 3 && areas[a].finding_areas[k]; k++)
			if (cd_streq(fd->area, areas[a].finding_areas[k]))
				return a;
	return sizeof(areas) / sizeof(areas[0]) - 1;
}

static void data_tables(struct cd_buf *b, struct cd_facts *f, const struct data_table *d)
{
	int any = 0;
	for (; d->table; d++) {
		int64_t total = cd_facts_count(f, d->table);
		int shown;
		if (total <= 0)
			continue;
		if (!any) {
			cd_buf_adds(b, "<h3 class=\"data\">");
			both_str(b, S_HTML_DATA);
			cd_buf_adds(b, "</h3>");
			any = 1;
		}
		cd_buf_addf(b, "<details data-table=\"%s\"><summary>%s (%lld)</summary>", d->table, d->table,
			    (long long)total);
		shown = rows_table(b, f, d->sql, TABLE_ROWS_MAX);
		if (shown < total) {
			cd_buf_adds(b, "<p class=\"note\">");
			both_fmt_rows(b, shown, total);
			cd_buf_adds(b, "</p>");
		}
		cd_buf_adds(b, "</details>");
	}
}

/* ---- certificate validity timeline (inline SVG, no script) ---- */

#define TL_W 1000
#define TL_NAME_X 4
#define TL_DATE_X 336
#define TL_X0 346
#define TL_X1 990
#define TL_TOP 46
#define TL_ROW 22
#define TL_MAX 40
#define DAY 86400

struct tl_row {
	char *name, *issuer, *subject;
	int64_t nb, na;
	int key;
	int window; /* renewal window, days */
};

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int64_t year_of(int64_t t)
{
	char s[32];
	cd_format_utc(t, s, sizeof(s));
	return strtoll(s, NULL, 10);
}

static double tl_x(int64_t t, int64_t t0, int64_t t1)
{
	double x;
	if (t <= t0)
		return TL_X0;
	if (t >= t1)
		return TL_X1;
	x = TL_X0 + (double)(t - t0) * (TL_X1 - TL_X0) / (double)(t1 - t0);
	return x;
}

/* Text cut to a width, with an ellipsis: CJK and other wide characters
 * count 2, ASCII 1 (about 6.5 px at 12 px). */
static void esc_cut(struct cd_buf *b, const char *s, size_t width)
{
	const char *p = s;
	size_t k = 0;
	if (!s)
		return;
	while (*p) {
		size_t w = (unsigned char)*p >= 0xE0 ? 2 : 1;
		if (k + w > width)
			break;
		k += w;
		p++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
	}
	{
		char *cut = cd_strndup(s, (size_t)(p - s));
		esc_nl(b, cut, " ");
		free(cut);
	}
	if (*p)
		cd_buf_adds(b, "\xe2\x80\xa6");
}

/* Both languages of a string as two SVG texts at one place. */
static void svg_both(struct cd_buf *b, double x, double y, const char *attrs, const char *zh, const char *en)
{
	cd_buf_addf(b, "<text class=\"zh\" x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
	esc_nl(b, zh, " ");
	cd_buf_addf(b, "</text><text class=\"en\" x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
	esc_nl(b, en, " ");
	cd_buf_adds(b, "</text>");
}

#define TL_DEFAULT_WINDOW 30

/* The certificates drawn, the user's own first. The renewal window of each
 * is that of the platform of its CA (cat_cas, as the certificates.expiring
 * rule does), 30 days when none is known; without those catalogs, 30. */
static const char tl_sql[] =
	"SELECT coalesce(c.subject_cn, c.subject_o, c.subject, '?'), coalesce(c.issuer_o, c.issuer_cn),"
	" c.subject, c.not_before, c.not_after, coalesce(c.has_private_key, 0),"
	" coalesce((SELECT (SELECT p.renewal_days FROM rules.cat_platforms p WHERE p.id = ca.platform)"
	"           FROM rules.cat_cas ca"
	"           WHERE upper(coalesce(c.issuer, '')) GLOB ca.pattern"
	"              OR upper(coalesce(c.issuer, '')) GLOB ca.pattern2"
	"              OR upper(coalesce(c.issuer, '')) GLOB ca.pattern3"
	"           ORDER BY ca.id LIMIT 1), 30)"
	" FROM main.certificates c"
	" WHERE typeof(c.not_before) = 'integer' AND typeof(c.not_after) = 'integer' AND c.not_after > c.not_before"
	" ORDER BY coalesce(c.is_ca, 0), coalesce(c.has_private_key, 0) DESC, c.not_after, c.rowid";
static const char tl_sql_plain[] =
	"SELECT coalesce(subject_cn, subject_o, subject, '?'), coalesce(issuer_o, issuer_cn),"
	" subject, not_before, not_after, coalesce(has_private_key, 0), 30"
	" FROM main.certificates"
	" WHERE typeof(not_before) = 'integer' AND typeof(not_after) = 'integer' AND not_after > not_before"
	" ORDER BY coalesce(has_private_key, 0) DESC, not_after, rowid";

static int64_t host_clock(struct cd_facts *f, int64_t fallback)
{
	sqlite3_stmt *st;
	int64_t t = 0;
	if (sqlite3_prepare_v2(cd_facts_db(f), "SELECT clock_utc FROM main.host", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			t = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return t > 0 ? t : fallback;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return cd_utf8_valid(t, strlen(t)) ? cd_strdup(t) : cd_utf8_sanitize(t, strlen(t));
}

static void timeline(struct cd_buf *b, struct cd_facts *f, int64_t today)
{
	struct tl_row rows[TL_MAX];
	sqlite3_stmt *st;
	int n = 0, i, total = 0, height, maxw = TL_DEFAULT_WINDOW;
	int64_t t0 = 0, t1 = 0, y, y0, y1;
	char date[32];

	if (sqlite3_prepare_v2(cd_facts_db(f), tl_sql, -1, &st, NULL) != SQLITE_OK &&
	    sqlite3_prepare_v2(cd_facts_db(f), tl_sql_plain, -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		total++;
		if (n == TL_MAX)
			continue;
		rows[n].name = col_dup(st, 0);
		rows[n].issuer = col_dup(st, 1);
		rows[n].subject = col_dup(st, 2);
		rows[n].nb = sqlite3_column_int64(st, 3);
		rows[n].na = sqlite3_column_int64(st, 4);
		rows[n].key = sqlite3_column_int(st, 5);
		rows[n].window = sqlite3_column_int(st, 6);
		if (rows[n].window <= 0 || rows[n].window > 366)
			rows[n].window = TL_DEFAULT_WINDOW;
		if (rows[n].window > maxw)
			maxw = rows[n].window;
		if (!n || rows[n].nb < t0)
			t0 = rows[n].nb;
		if (!n || rows[n].na > t1)
			t1 = rows[n].na;
		n++;
	}
	sqlite3_finalize(st);

	cd_buf_adds(b, "<h3 class=\"data\">");
	both_str(b, S_HTML_TIMELINE);
	cd_buf_adds(b, "</h3>");
	if (!n) {
		cd_buf_adds(b, "<p id=\"timeline-empty\">");
		both_str(b, S_HTML_TL_NONE);
		cd_buf_adds(b, "</p>");
		return;
	}
	/* The axis: the certificates' span, but at most 3 years back and 5
	 * ahead (roots last decades), always with today and its window in view. */
	if (t0 < today - 3 * 366 * (int64_t)DAY)
		t0 = today - 3 * 366 * (int64_t)DAY;
	if (t1 > today + 5 * 366 * (int64_t)DAY)
		t1 = today + 5 * 366 * (int64_t)DAY;
	if (t0 > today - 60 * (int64_t)DAY)
		t0 = today - 60 * (int64_t)DAY;
	if (t1 < today + (int64_t)maxw * DAY + 60 * (int64_t)DAY)
		t1 = today + (int64_t)maxw * DAY + 60 * (int64_t)DAY;
	t0 -= (t1 - t0) / 50;
	t1 += (t1 - t0) / 50;
	height = TL_TOP + n * TL_ROW + 10;

	cd_buf_addf(b, "<div class=\"timeline\"><svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\""
		       " width=\"100%%\" height=\"%d\" viewBox=\"0 0 %d %d\" preserveAspectRatio=\"xMinYMin meet\""
		       " font-family=\"Microsoft YaHei,PingFang SC,Noto Sans CJK SC,sans-serif\" font-size=\"12\">",
		    height, TL_W, height);
	/* year lines, and quarters when the span is short */
	y0 = year_of(t0);
	y1 = year_of(t1);
	for (y = y0; y <= y1; y++) {
		unsigned m;
		for (m = 1; m <= 12; m += 3) {
			int64_t t = days_from_civil(y, m, 1) * DAY;
			double x;
			if (t <= t0 || t >= t1 || (m != 1 && y1 - y0 > 3))
				continue;
			x = tl_x(t, t0, t1);
			cd_buf_addf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>", x,
				    TL_TOP - 6, x, TL_TOP + n * TL_ROW, m == 1 ? "#b0bec5" : "#eceff1");
			if (m == 1)
				cd_buf_addf(b, "<text x=\"%.1f\" y=\"%d\" fill=\"#546e7a\" text-anchor=\"middle\">%lld</text>",
					    x, TL_TOP - 10, (long long)y);
		}
	}
	for (i = 0; i < n; i++) {
		const struct tl_row *r = &rows[i];
		int ry = TL_TOP + i * TL_ROW;
		int64_t w = (int64_t)r->window * DAY;
		const char *cls = r->na < today		? "expired"
				  : r->nb > today	? "future"
				  : r->na - w <= today ? "expiring"
							: "valid";
		const char *fill = !strcmp(cls, "expired")    ? "#c62828"
				   : !strcmp(cls, "future")   ? "#90a4ae"
				   : !strcmp(cls, "expiring") ? "#ef8f00"
							      : "#2e7d32";
		double xb = tl_x(r->nb, t0, t1), xa = tl_x(r->na, t0, t1), xw = tl_x(r->na - w, t0, t1);
		cd_buf_addf(b, "<g class=\"cert %s\">", cls);
		cd_buf_adds(b, "<title>");
		esc_nl(b, r->subject ? r->subject : r->name, " ");
		if (r->issuer) {
			cd_buf_adds(b, " / ");
			esc_nl(b, r->issuer, " ");
		}
		cd_format_utc(r->nb, date, sizeof(date));
		date[10] = '\0';
		cd_buf_addf(b, " / %s", date);
		cd_format_utc(r->na, date, sizeof(date));
		date[10] = '\0';
		cd_buf_addf(b, " - %s</title>", date);
		if (i % 2)
			cd_buf_addf(b, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f5f7f9\"/>", ry, TL_W,
				    TL_ROW);
		/* the expiry window, shaded */
		if (xa > xw)
			cd_buf_addf(b, "<rect class=\"window\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
				       " fill=\"#ffe0b2\"/>",
				    xw, ry + 2, xa - xw, TL_ROW - 4);
		cd_buf_addf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"8\" rx=\"2\" fill=\"%s\"/>",
			    xb, ry + 7, xa - xb > 1 ? xa - xb : 1, fill);
		/* the user's own certificates (with a private key) in bold */
		cd_buf_addf(b, "<text x=\"%d\" y=\"%d\" fill=\"#1d2330\"%s>", TL_NAME_X, ry + 15,
			    r->key ? " font-weight=\"bold\"" : "");
		esc_cut(b, r->name, 26);
		if (r->issuer) {
			cd_buf_adds(b, "<tspan fill=\"#78909c\"> \xc2\xb7 ");
			esc_cut(b, r->issuer, 16);
			cd_buf_adds(b, "</tspan>");
		}
		cd_buf_addf(b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">%s</text></g>", TL_DATE_X,
			    ry + 15, fill, date);
	}
	/* today */
	{
		double x = tl_x(today, t0, t1);
		char lz[64], le[64];
		cd_format_utc(today, date, sizeof(date));
		date[10] = '\0';
		snprintf(lz, sizeof(lz), "%s %s", cd_tr_lang(S_HTML_TODAY, CD_LANG_ZH), date);
		snprintf(le, sizeof(le), "%s %s", cd_tr_lang(S_HTML_TODAY, CD_LANG_EN), date);
		cd_buf_addf(b, "<g id=\"today\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c62828\""
			       " stroke-width=\"2\" stroke-dasharray=\"4,3\"/>",
			    x, TL_TOP - 42, x, TL_TOP + n * TL_ROW + 4);
		svg_both(b, x + 4, TL_TOP - 30, "fill=\"#c62828\" font-weight=\"bold\"", lz, le);
		cd_buf_adds(b, "</g>");
	}
	cd_buf_adds(b, "</svg><p class=\"note\"><span style=\"display:inline-block;width:14px;height:10px;"
		       "background:#ffe0b2;margin-right:6px\"></span>");
	both_fmt_int(b, S_HTML_TL_LEGEND, TL_DEFAULT_WINDOW);
	cd_buf_adds(b, "</p>");
	if (total > n) {
		cd_buf_adds(b, "<p class=\"note\">");
		both_fmt_int(b, S_HTML_TL_MORE, total - n);
		cd_buf_adds(b, "</p>");
	}
	cd_buf_adds(b, "</div>");
	for (i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].issuer);
		free(rows[i].subject);
	}
}

/* ---- the page ---- */

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

/* At the top: what is wrong and what to do, most serious first. */
static void todo_list(struct cd_buf *b, const struct cd_results *res)
{
	size_t i;
	cd_buf_adds(b, "<h3 class=\"data\">");
	both_str(b, S_HTML_TODO);
	cd_buf_adds(b, "</h3><ol class=\"todo\">");
	for (i = 0; i < res->n; i++) {
		const struct cd_finding *fd = &res->v[i];
		cd_buf_addf(b, "<li><a href=\"#f%zu\"><span class=\"badge %s\">", i + 1,
			    cd_severity_name(fd->severity));
		both_str(b, severity_label(fd->severity));
		cd_buf_adds(b, "</span>");
		both(b, fd->title[CD_LANG_ZH], fd->title[CD_LANG_EN]);
		cd_buf_adds(b, "</a>");
		if (fd->fix[CD_LANG_ZH]) {
			cd_buf_adds(b, "<span class=\"what\">");
			both(b, fd->fix[CD_LANG_ZH], fd->fix[CD_LANG_EN]);
			cd_buf_adds(b, "</span>");
		}
		cd_buf_adds(b, "</li>");
	}
	cd_buf_adds(b, "</ol>");
}

static void repairs_section(struct cd_buf *b, struct cd_facts *f)
{
	const struct cd_repair_record *rec;
	size_t i, n = cd_report_repairs(f, &rec);
	cd_buf_adds(b, "<section id=\"repairs\"><h2>");
	both_str(b, S_HTML_REPAIRS);
	cd_buf_adds(b, "</h2>");
	if (!n) {
		cd_buf_adds(b, "<p>");
		both_str(b, S_HTML_REPAIRS_NONE);
		cd_buf_adds(b, "</p></section>\n");
		return;
	}
	cd_buf_adds(b, "<table><tr><th>");
	both_str(b, S_HTML_COL_TIME);
	cd_buf_adds(b, "</th><th>");
	both_str(b, S_HTML_COL_RULE);
	cd_buf_adds(b, "</th><th>");
	both_str(b, S_HTML_COL_ACTION);
	cd_buf_adds(b, "</th><th>");
	both_str(b, S_HTML_COL_STATUS);
	cd_buf_adds(b, "</th><th>");
	both_str(b, S_HTML_COL_UNDO);
	cd_buf_adds(b, "</th></tr>");
	for (i = 0; i < n; i++) {
		cd_buf_adds(b, "<tr><td>");
		esc(b, rec[i].applied_at);
		cd_buf_adds(b, "</td><td>");
		esc(b, rec[i].rule);
		cd_buf_adds(b, "</td><td>");
		both(b, rec[i].describe[CD_LANG_ZH], rec[i].describe[CD_LANG_EN]);
		cd_buf_adds(b, "</td><td>");
		esc(b, rec[i].status);
		cd_buf_adds(b, "</td><td><code>");
		esc(b, rec[i].undo_id);
		cd_buf_adds(b, "</code></td></tr>");
	}
	cd_buf_adds(b, "</table></section>\n");
}

cd_err cd_report_html(const struct cd_report_in *in, struct cd_buf *b)
{
	const struct cd_results *res = in->res;
	enum cd_lang lang = cd_get_lang();
	int code = cd_results_exit_code(res);
	char when[32], *json, *collected, scode[CD_SUPPORT_CODE_MAX];
	size_t i, a;

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

	/* For the phone call: the code to read out, and whether the page is safe to pass on. */
	if (cd_support_code_for(in->facts, res, scode, sizeof(scode)) == CD_OK) {
		cd_buf_adds(b, "<div class=\"code\" id=\"support-code\">");
		both_str(b, S_HTML_SUPPORT_CODE);
		cd_buf_addf(b, ": <b>%s</b> <small>", scode);
		both_str(b, S_HTML_SUPPORT_CODE_HINT);
		cd_buf_adds(b, "</small></div>\n");
	}
	if (cd_facts_redacted(in->facts)) {
		cd_buf_adds(b, "<div class=\"redacted\" id=\"redaction\" data-redacted=\"1\">");
		both_str(b, S_HTML_REDACTED);
	} else {
		cd_buf_adds(b, "<div class=\"unredacted\" id=\"redaction\" data-redacted=\"0\">");
		both_str(b, S_HTML_UNREDACTED);
	}
	cd_buf_adds(b, "</div>\n");

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
		todo_list(b, res);
	}
	cd_buf_adds(b, "</div>\n");

	for (a = 0; a < sizeof(areas) / sizeof(areas[0]); a++) {
		int any = 0;
		cd_buf_addf(b, "<section id=\"area-%s\"><h2>", areas[a].id);
		both_str(b, areas[a].title);
		cd_buf_adds(b, "</h2>\n");
		for (i = 0; i < res->n; i++)
			if (area_of(&res->v[i]) == a) {
				finding_html(b, &res->v[i], i);
				any = 1;
			}
		if (!any) {
			cd_buf_adds(b, "<p class=\"ok\">");
			both_str(b, S_HTML_AREA_OK);
			cd_buf_adds(b, "</p>");
		}
		if (!strcmp(areas[a].id, "keys"))
			timeline(b, in->facts, host_clock(in->facts, in->generated_at));
		data_tables(b, in->facts, areas[a].data);
		cd_buf_adds(b, "</section>\n");
	}

	cd_buf_adds(b, "<section id=\"probe-errors\"><h2>");
	both_str(b, S_HTML_PROBE_ERRORS);
	cd_buf_adds(b, "</h2>");
	rows_table(b, in->facts, "SELECT probe, target, code, message FROM main.probe_errors", 0);
	cd_buf_adds(b, "</section>\n<section id=\"probes\"><h2>");
	both_str(b, S_HTML_PROBES);
	cd_buf_adds(b, "</h2>");
	rows_table(b, in->facts, "SELECT probe, status, elapsed_ms, rows, detail FROM main.probe_runs", 0);
	cd_buf_adds(b, "</section>\n");
	repairs_section(b, in->facts);
	cd_buf_adds(b, "</main>\n");
	embed_json(b, in->json ? in->json : json);
	cd_buf_adds(b, "</body></html>\n");
	cJSON_free(json);
	free(collected);
	return cd_buf_str(b) ? CD_OK : CD_ERR_NOMEM;
}
