/* The main window: a dialog template (resources/cadoctor-gui.rc, IDD_MAIN)
 * whose texts come from cd_tr(), laid out again on every resize in dialog
 * units so it follows the font and the DPI. Keyboard: Tab moves through
 * the controls, Alt+letter reaches each (the underlined letters), Enter
 * starts a check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/i18n.h"
#include "../core/report.h"
#include "../core/util.h"
#include "../platform/win32_util.h"
#include "gui.h"

#ifndef WM_DPICHANGED
#define WM_DPICHANGED 0x02E0
#endif

static void set_texts(HWND w)
{
	gui_set_text(w, cd_tr(S_GUI_TITLE));
	gui_set_item_text(w, IDC_PLATFORM_LABEL, cd_tr(S_GUI_PLATFORM));
	gui_set_item_text(w, IDC_SYMPTOM_LABEL, cd_tr(S_GUI_SYMPTOM));
	gui_set_item_text(w, IDC_SCAN, cd_tr(S_GUI_SCAN));
	gui_set_item_text(w, IDC_REPAIR, cd_tr(S_GUI_REPAIR));
	gui_set_item_text(w, IDC_EXPORT, cd_tr(S_GUI_EXPORT));
	gui_set_item_text(w, IDC_UNDO, cd_tr(S_GUI_UNDO));
	gui_set_item_text(w, IDC_STATUS, cd_tr(S_GUI_READY));
}

static void add_choice(HWND cb, const char *text)
{
	wchar_t *t = gui_w(text);
	SendMessageW(cb, CB_ADDSTRING, 0, (LPARAM)t);
	free(t);
}

static void fill_choices(HWND w)
{
	HWND pc = GetDlgItem(w, IDC_PLATFORM), sc = GetDlgItem(w, IDC_SYMPTOM);
	enum cd_lang l = cd_get_lang();
	size_t i;
	add_choice(pc, cd_tr(S_GUI_PLATFORM_ANY));
	SendMessageW(pc, CB_SETCURSEL, 0, 0);
	for (i = 0; i < g.nplatforms; i++) {
		add_choice(pc, g.platforms[i].name[l] ? g.platforms[i].name[l] : g.platforms[i].id);
		/* An administrator's default platform (policy) is chosen at start. */
		if (cd_streq(g.platforms[i].id, g.pol.default_platform))
			SendMessageW(pc, CB_SETCURSEL, i + 1, 0);
	}
	add_choice(sc, cd_tr(S_GUI_SYMPTOM_ALL));
	for (i = 0; i < g.nsymptoms; i++)
		add_choice(sc, g.symptoms[i].name[l] ? g.symptoms[i].name[l] : g.symptoms[i].id);
	SendMessageW(sc, CB_SETCURSEL, 0, 0);
}

/* Dialog units to pixels for this window's font and DPI. */
static int du_x(HWND w, int x)
{
	RECT r = {0, 0, x, 0};
	MapDialogRect(w, &r);
	return r.right;
}

static int du_y(HWND w, int y)
{
	RECT r = {0, 0, 0, y};
	MapDialogRect(w, &r);
	return r.bottom;
}

static void place(HWND w, int id, int x, int y, int cx, int cy)
{
	SetWindowPos(GetDlgItem(w, id), NULL, x, y, cx > 0 ? cx : 1, cy > 0 ? cy : 1, SWP_NOZORDER | SWP_NOACTIVATE);
}

static void layout(HWND w)
{
	RECT rc;
	int m, W, H, lab, btn, row, gap, combo_w, x, y, list_top, bottom_y, detail_h, list_h;
	GetClientRect(w, &rc);
	W = rc.right;
	H = rc.bottom;
	m = du_x(w, 7);
	gap = du_x(w, 4);
	lab = du_x(w, 40);
	btn = du_x(w, 80);
	row = du_y(w, 14);
	y = du_y(w, 7);
	combo_w = (W - 2 * m - 2 * lab - btn - 4 * gap) / 2;
	x = m;
	place(w, IDC_PLATFORM_LABEL, x, y + du_y(w, 2), lab, du_y(w, 9));
	x += lab;
	place(w, IDC_PLATFORM, x, y, combo_w, du_y(w, 200));
	x += combo_w + gap * 2;
	place(w, IDC_SYMPTOM_LABEL, x, y + du_y(w, 2), lab, du_y(w, 9));
	x += lab;
	place(w, IDC_SYMPTOM, x, y, combo_w, du_y(w, 200));
	x += combo_w + gap * 2;
	place(w, IDC_SCAN, W - m - btn, y - 1, btn, row);
	y += row + du_y(w, 5);
	place(w, IDC_PROGRESS, m, y, W - 2 * m, du_y(w, 8));
	y += du_y(w, 11);
	place(w, IDC_STATUS, m, y, W - 2 * m, du_y(w, 9));
	list_top = y + du_y(w, 12);
	bottom_y = H - m - row;
	detail_h = (bottom_y - list_top) / 3;
	list_h = bottom_y - du_y(w, 6) - detail_h - du_y(w, 4) - list_top;
	place(w, IDC_RESULTS, m, list_top, W - 2 * m, list_h);
	/* The last column (what to do) takes the width that is left. */
	ListView_SetColumnWidth(GetDlgItem(w, IDC_RESULTS), 2, LVSCW_AUTOSIZE_USEHEADER);
	place(w, IDC_DETAIL, m, list_top + list_h + du_y(w, 4), W - 2 * m, detail_h);
	x = m;
	place(w, IDC_REPAIR, x, bottom_y, btn, row);
	x += btn + gap;
	place(w, IDC_EXPORT, x, bottom_y, btn, row);
	x += btn + gap;
	place(w, IDC_UNDO, x, bottom_y, du_x(w, 100), row);
	InvalidateRect(w, NULL, TRUE);
}

void gui_set_status(const char *utf8)
{
	gui_set_item_text(g.wnd, IDC_STATUS, utf8);
}

void gui_set_busy(int busy)
{
	HWND p = GetDlgItem(g.wnd, IDC_PROGRESS);
	int has_findings = g.have_last && !g.last.err;
	g.state = busy ? GUI_BUSY : g.state == GUI_BUSY ? GUI_DONE : g.state;
	EnableWindow(GetDlgItem(g.wnd, IDC_SCAN), !busy);
	EnableWindow(GetDlgItem(g.wnd, IDC_PLATFORM), !busy);
	EnableWindow(GetDlgItem(g.wnd, IDC_SYMPTOM), !busy);
	EnableWindow(GetDlgItem(g.wnd, IDC_REPAIR), !busy && has_findings && g.last.sr.res.n > 0);
	EnableWindow(GetDlgItem(g.wnd, IDC_EXPORT), !busy && has_findings);
	EnableWindow(GetDlgItem(g.wnd, IDC_UNDO), !busy);
	if (busy) {
		SendMessageW(p, PBM_SETRANGE32, 0, 100);
		SendMessageW(p, PBM_SETPOS, 0, 0);
	}
}

void gui_params_from_window(struct gui_scan_params *p)
{
	LRESULT pi = SendDlgItemMessageW(g.wnd, IDC_PLATFORM, CB_GETCURSEL, 0, 0);
	LRESULT si = SendDlgItemMessageW(g.wnd, IDC_SYMPTOM, CB_GETCURSEL, 0, 0);
	int wish = -1;
	memset(p, 0, sizeof(*p));
	if (pi > 0 && (size_t)pi <= g.nplatforms) {
		const struct cd_choice *c = &g.platforms[pi - 1];
		p->platform = cd_strdup(c->id);
		if (c->url)
			p->net_target = cd_aprintf("%s=%s", c->id, c->url);
	}
	if (si > 0 && (size_t)si <= g.nsymptoms)
		p->symptom = cd_strdup(g.symptoms[si - 1].id);
	p->offline = g.offline;
	p->redact = cd_policy_redact(&g.pol, wish, NULL);
}

void gui_params_copy(struct gui_scan_params *dst, const struct gui_scan_params *src)
{
	*dst = *src;
	dst->platform = src->platform ? cd_strdup(src->platform) : NULL;
	dst->net_target = src->net_target ? cd_strdup(src->net_target) : NULL;
	dst->symptom = src->symptom ? cd_strdup(src->symptom) : NULL;
}

void gui_params_release(struct gui_scan_params *p)
{
	free(p->platform);
	free(p->net_target);
	free(p->symptom);
	memset(p, 0, sizeof(*p));
}

/* Shows a finished scan in the window; the window keeps it (export,
 * repair) until the next one. */
void gui_show_scan(struct gui_scan_out *o)
{
	HWND list = GetDlgItem(g.wnd, IDC_RESULTS);
	char *msg;
	if (g.have_last)
		gui_scan_out_release(&g.last);
	g.last = *o;
	g.have_last = 1;
	memset(o, 0, sizeof(*o));
	SendDlgItemMessageW(g.wnd, IDC_PROGRESS, PBM_SETPOS, 100, 0);
	if (g.last.err) {
		g.state = GUI_FAILED;
		msg = cd_aprintf(cd_tr(S_GUI_FAILED), cd_err_message(g.last.err));
		ListView_DeleteAllItems(list);
		gui_set_item_text(g.wnd, IDC_DETAIL, "");
	} else {
		const struct cd_results *r = &g.last.sr.res;
		g.state = GUI_DONE;
		gui_results_show(list, r, g.last.sr.sv.id ? &g.last.sr.sv : NULL);
		if (r->n)
			msg = cd_aprintf(cd_tr(S_GUI_DONE), (unsigned)r->counts[CD_SEV_ERROR],
					 (unsigned)r->counts[CD_SEV_WARNING], (unsigned)r->counts[CD_SEV_INFO]);
		else
			msg = cd_strdup(cd_tr(S_GUI_DONE_CLEAN));
		if (msg && g.last.saved) {
			char *saved = cd_aprintf(cd_tr(S_GUI_REPORT_SAVED), g.last.saved);
			char *both = saved ? cd_aprintf("%s %s", msg, saved) : NULL;
			free(saved);
			if (both) {
				free(msg);
				msg = both;
			}
		}
		gui_details_show(GetDlgItem(g.wnd, IDC_DETAIL), r, r->n ? 0 : -1);
	}
	gui_set_status(msg ? msg : "");
	free(msg);
	gui_set_busy(0);
	g.state = g.last.err ? GUI_FAILED : GUI_DONE;
}

static void start_scan(void)
{
	struct gui_job *job;
	if (g.state == GUI_BUSY)
		return;
	job = calloc(1, sizeof(*job));
	if (!job)
		return;
	job->kind = GUI_JOB_SCAN;
	gui_params_from_window(&job->params);
	gui_set_busy(1);
	gui_set_status(cd_tr(S_PROGRESS));
	if (gui_job_start(job) != 0) {
		gui_job_free(job);
		gui_set_busy(0);
		g.state = GUI_FAILED;
	}
}

static void on_progress(WPARAM wp, LPARAM lp)
{
	char *probe = (char *)lp, *msg;
	int index = (int)LOWORD(wp), total = (int)HIWORD(wp);
	if (index == 0xffff) {
		SendDlgItemMessageW(g.wnd, IDC_PROGRESS, PBM_SETPOS, 95, 0);
		gui_set_status(cd_tr(S_GUI_ANALYSING));
	} else if (total > 0) {
		SendDlgItemMessageW(g.wnd, IDC_PROGRESS, PBM_SETPOS, (WPARAM)(index * 90 / total), 0);
		msg = cd_aprintf(cd_tr(S_GUI_PROGRESS), index + 1, total, probe ? probe : "");
		gui_set_status(msg ? msg : "");
		free(msg);
	}
	free(probe);
}

static void on_job_done(struct gui_job *job)
{
	if (job->kind == GUI_JOB_SCAN) {
		gui_show_scan(&job->out);
	} else {
		/* The findings before the repair, for "what cleared". */
		struct gui_scan_out before = {0};
		int had = g.have_last;
		if (had) {
			before = g.last;
			g.have_last = 0;
		}
		gui_show_scan(&job->out);
		gui_repair_job_done(job, had ? &before.sr.res : NULL);
		if (had)
			gui_scan_out_release(&before);
	}
	gui_job_free(job);
}

static int confirm_close(void)
{
	return g.state != GUI_BUSY || gui_message(MB_YESNO | MB_ICONQUESTION, cd_tr(S_GUI_BUSY_CLOSE)) == IDYES;
}

static INT_PTR export_copydata(const COPYDATASTRUCT *cds)
{
	struct cd_diag d;
	wchar_t *w;
	char *path;
	cd_err e = CD_ERR_INVALID;
	if (!cds || cds->dwData != CD_COPYDATA_EXPORT || !cds->lpData || cds->cbData < 2 || cds->cbData > 65536 ||
	    !g.have_last || g.last.err || g.state == GUI_BUSY)
		return 0;
	w = calloc(cds->cbData / 2 + 1, sizeof(wchar_t));
	if (!w)
		return 0;
	memcpy(w, cds->lpData, cds->cbData / 2 * 2);
	path = cd_utf8_from_w_n(w, -1);
	free(w);
	cd_diag_clear(&d);
	if (path)
		e = gui_export_to(path, &d);
	free(path);
	return e == CD_OK;
}

INT_PTR CALLBACK gui_main_proc(HWND w, UINT msg, WPARAM wp, LPARAM lp)
{
	switch (msg) {
	case WM_INITDIALOG:
		g.wnd = w;
		SendMessageW(w, WM_SETICON, ICON_BIG, (LPARAM)g.icon_big);
		SendMessageW(w, WM_SETICON, ICON_SMALL, (LPARAM)g.icon_small);
		set_texts(w);
		fill_choices(w);
		gui_results_init(GetDlgItem(w, IDC_RESULTS));
		layout(w);
		gui_set_busy(0);
		g.state = GUI_IDLE;
		SetFocus(GetDlgItem(w, IDC_SCAN));
		return FALSE;
	case WM_SIZE:
		layout(w);
		return TRUE;
	case WM_GETMINMAXINFO: {
		MINMAXINFO *mm = (MINMAXINFO *)lp;
		mm->ptMinTrackSize.x = du_x(w, 360);
		mm->ptMinTrackSize.y = du_y(w, 220);
		return TRUE;
	}
	case WM_DPICHANGED: {
		const RECT *r = (const RECT *)lp;
		SetWindowPos(w, NULL, r->left, r->top, r->right - r->left, r->bottom - r->top,
			     SWP_NOZORDER | SWP_NOACTIVATE);
		layout(w);
		return TRUE;
	}
	case WM_COMMAND:
		switch (LOWORD(wp)) {
		case IDC_SCAN:
			start_scan();
			return TRUE;
		case IDC_REPAIR:
			if (g.state != GUI_BUSY)
				gui_repair_clicked();
			return TRUE;
		case IDC_EXPORT:
			if (g.state != GUI_BUSY)
				gui_export_dialog();
			return TRUE;
		case IDC_UNDO:
			if (g.state != GUI_BUSY)
				gui_undo_clicked();
			return TRUE;
		case IDCANCEL: /* Esc does not close the main window */
			return TRUE;
		}
		break;
	case WM_NOTIFY: {
		const NMHDR *h = (const NMHDR *)lp;
		if (h->idFrom == IDC_RESULTS && h->code == LVN_ITEMCHANGED) {
			const NMLISTVIEW *nl = (const NMLISTVIEW *)lp;
			if ((nl->uNewState & LVIS_SELECTED) && g.have_last && !g.last.err)
				gui_details_show(GetDlgItem(w, IDC_DETAIL), &g.last.sr.res, (int)nl->lParam);
		}
		break;
	}
	case WM_GUI_PROGRESS:
		on_progress(wp, lp);
		return TRUE;
	case WM_GUI_JOB_DONE:
		on_job_done((struct gui_job *)lp);
		return TRUE;
	case WM_CD_STATE:
		SetWindowLongPtrW(w, DWLP_MSGRESULT, (LONG_PTR)g.state);
		return TRUE;
	case WM_COPYDATA:
		SetWindowLongPtrW(w, DWLP_MSGRESULT, export_copydata((const COPYDATASTRUCT *)lp));
		return TRUE;
	case WM_CLOSE:
		if (confirm_close())
			DestroyWindow(w);
		return TRUE;
	case WM_DESTROY:
		PostQuitMessage(0);
		return TRUE;
	}
	return FALSE;
}

HWND gui_create(int show)
{
	HWND w = CreateDialogParamW(g.inst, MAKEINTRESOURCEW(IDD_MAIN), NULL, gui_main_proc, 0);
	if (!w)
		return NULL;
	ShowWindow(w, show);
	UpdateWindow(w);
	return w;
}
