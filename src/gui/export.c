/* 导出报告: the self-contained HTML report of the scan shown, through the
 * standard save dialog (opening in the policy's report folder when one is
 * set); and, after each scan, what the policy asks for: the JSON and HTML
 * reports saved to its folder, a summary in the event log. */
#include "gui.h"

#include <commdlg.h>
#include <stdlib.h>
#include <string.h>

#include "../actions/actions_os.h"
#include "../core/i18n.h"
#include "../core/report.h"
#include "../core/util.h"
#include "../platform/policy.h"
#include "../platform/win32_util.h"

static void report_in(const struct gui_scan_out *o, struct cd_report_in *in)
{
	memset(in, 0, sizeof(*in));
	in->facts = o->facts;
	in->res = &o->sr.res;
	in->source = "live";
	in->generated_at = o->generated_at;
}

cd_err gui_export_to(const char *path, struct cd_diag *d)
{
	struct cd_report_in in;
	struct cd_buf b;
	cd_err e;
	if (!g.have_last || g.last.err)
		return cd_diag_set(d, CD_ERR_INVALID, path, 0, "%s", cd_err_message(CD_ERR_INVALID));
	report_in(&g.last, &in);
	cd_buf_init(&b, 0);
	e = cd_report_html(&in, &b);
	if (!e)
		e = cd_write_file(path, b.data ? b.data : "", b.len);
	cd_buf_release(&b);
	if (e)
		return cd_diag_set(d, e, path, 0, "%s", cd_err_message(e));
	return CD_OK;
}

void gui_export_dialog(void)
{
	OPENFILENAMEW ofn;
	wchar_t file[MAX_PATH * 2], filter[256], *name, *dir = NULL, *ftext;
	char stamp[32], *base;
	size_t n;
	struct cd_diag d;

	if (!g.have_last || g.last.err)
		return;
	cd_format_utc(g.last.generated_at, stamp, sizeof(stamp));
	stamp[10] = 0; /* the date */
	base = cd_aprintf("%s-%s.html", cd_tr(S_GUI_EXPORT_NAME), stamp);
	name = gui_w(base);
	free(base);
	wcsncpy(file, name, MAX_PATH * 2 - 1);
	file[MAX_PATH * 2 - 1] = 0;
	free(name);
	/* "HTML 报告\0*.html\0\0" */
	ftext = gui_w(cd_tr(S_GUI_EXPORT_FILTER));
	memset(filter, 0, sizeof(filter));
	n = wcslen(ftext);
	if (n > 200)
		n = 200;
	memcpy(filter, ftext, n * sizeof(wchar_t));
	memcpy(filter + n + 1, L"*.html", 7 * sizeof(wchar_t));
	free(ftext);
	if (g.pol.report_folder)
		dir = gui_w(g.pol.report_folder);

	memset(&ofn, 0, sizeof(ofn));
	ofn.lStructSize = sizeof(ofn);
	ofn.hwndOwner = g.wnd;
	ofn.lpstrFilter = filter;
	ofn.lpstrFile = file;
	ofn.nMaxFile = MAX_PATH * 2;
	ofn.lpstrInitialDir = dir;
	ofn.lpstrDefExt = L"html";
	ofn.Flags = OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_EXPLORER | OFN_HIDEREADONLY;
	if (GetSaveFileNameW(&ofn)) {
		char *path = cd_utf8_from_w(file);
		cd_diag_clear(&d);
		if (path && gui_export_to(path, &d) == CD_OK) {
			char *msg = cd_aprintf(cd_tr(S_GUI_REPORT_SAVED), path);
			gui_set_status(msg ? msg : "");
			free(msg);
		} else {
			char *what = cd_aprintf("%s (%s)", d.file[0] ? d.file : "?", d.msg);
			char *msg = cd_aprintf(cd_tr(S_GUI_EXPORT_FAILED), what ? what : "");
			gui_message(MB_ICONERROR | MB_OK, msg ? msg : "");
			free(msg);
			free(what);
		}
		free(path);
	}
	free(dir);
}

void gui_policy_outputs(struct gui_scan_out *o)
{
	struct cd_report_in in;
	char host[256], user[256], *summary;
	int failed = 0;
	if (!g.pol.report_folder && !g.pol.event_log)
		return;
	report_in(o, &in);
	if (g.pol.report_folder) {
		struct cd_diag d;
		cd_diag_clear(&d);
		cd_actions_identity(host, sizeof(host), user, sizeof(user));
		failed = cd_scan_save_reports(g.pol.report_folder, host, &in, &o->saved, &d) != CD_OK;
	}
	if (g.pol.event_log) {
		int ec = cd_results_exit_code(&o->sr.res);
		summary = cd_scan_summary(&o->sr.res, o->saved);
		if (summary)
			cd_eventlog_write(failed || ec == 1 ? CD_EVENT_WARNING : ec == 2 ? CD_EVENT_ERROR : CD_EVENT_INFO,
					  summary);
		free(summary);
	}
}
