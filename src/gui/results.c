/* The findings list: one row per finding (severity, problem, what to do),
 * grouped by severity (list view groups, common controls v6; the severity
 * column says the same where groups are not drawn), errors first; and the
 * details pane of the selected finding in plain language. */
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/i18n.h"
#include "../core/symptom.h"
#include "../core/util.h"
#include "gui.h"

const char *gui_severity_text(int sev)
{
	return cd_tr(sev == CD_SEV_ERROR ? S_SEV_ERROR : sev == CD_SEV_WARNING ? S_SEV_WARNING : S_SEV_INFO);
}

static void add_column(HWND list, int i, const char *text, int width_du)
{
	LVCOLUMNW c;
	RECT r = {0, 0, width_du, 0};
	wchar_t *t = gui_w(text);
	MapDialogRect(GetParent(list), &r);
	memset(&c, 0, sizeof(c));
	c.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_SUBITEM;
	c.pszText = t;
	c.cx = r.right;
	c.iSubItem = i;
	SendMessageW(list, LVM_INSERTCOLUMNW, (WPARAM)i, (LPARAM)&c);
	free(t);
}

static int groups_on;

/* Group ids: 1 + severity for findings, then the symptom's other causes. */
#define GROUP_RULED_OUT 10
#define GROUP_UNCHECKED 11

static void add_group(HWND list, int id, const char *header)
{
	LVGROUP gr;
	wchar_t *t = gui_w(header);
	memset(&gr, 0, sizeof(gr));
	gr.cbSize = sizeof(gr);
	gr.mask = LVGF_HEADER | LVGF_GROUPID;
	gr.pszHeader = t;
	gr.iGroupId = id;
	SendMessageW(list, LVM_INSERTGROUP, (WPARAM)-1, (LPARAM)&gr);
	free(t);
}

void gui_results_init(HWND list)
{
	SendMessageW(list, LVM_SETEXTENDEDLISTVIEWSTYLE, 0,
		     LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP | LVS_EX_INFOTIP);
	add_column(list, 0, cd_tr(S_GUI_COL_SEVERITY), 40);
	add_column(list, 1, cd_tr(S_GUI_COL_PROBLEM), 190);
	add_column(list, 2, cd_tr(S_GUI_COL_FIX), 300);
	groups_on = SendMessageW(list, LVM_ENABLEGROUPVIEW, TRUE, 0) >= 0;
	if (groups_on) {
		add_group(list, 1 + CD_SEV_ERROR, cd_tr(S_GUI_GROUP_ERROR));
		add_group(list, 1 + CD_SEV_WARNING, cd_tr(S_GUI_GROUP_WARNING));
		add_group(list, 1 + CD_SEV_INFO, cd_tr(S_GUI_GROUP_INFO));
		add_group(list, GROUP_RULED_OUT, cd_tr(S_SYMPTOM_RULED_OUT));
		add_group(list, GROUP_UNCHECKED, cd_tr(S_SYMPTOM_UNCHECKED));
	}
}

static void set_sub(HWND list, int item, int sub, const char *text)
{
	LVITEMW it;
	wchar_t *t = gui_w(text);
	memset(&it, 0, sizeof(it));
	it.iSubItem = sub;
	it.pszText = t;
	SendMessageW(list, LVM_SETITEMTEXTW, (WPARAM)item, (LPARAM)&it);
	free(t);
}

static int add_row(HWND list, int pos, int group, LPARAM data, const char *c0, const char *c1, const char *c2)
{
	LVITEMW it;
	wchar_t *t = gui_w(c0);
	int i;
	memset(&it, 0, sizeof(it));
	it.mask = LVIF_TEXT | LVIF_PARAM | (groups_on && group ? LVIF_GROUPID : 0);
	it.iItem = pos;
	it.pszText = t;
	it.lParam = data;
	it.iGroupId = group;
	i = (int)SendMessageW(list, LVM_INSERTITEMW, 0, (LPARAM)&it);
	free(t);
	if (i >= 0) {
		set_sub(list, i, 1, c1);
		set_sub(list, i, 2, c2);
	}
	return i;
}

/* First line of a text (fixes can be several sentences: the list shows
 * the whole text as a tooltip and in the details). */
/* A symptom's causes that are not findings: one row each, after pos. */
static int add_causes(HWND list, int pos, int group, const char *state, const struct cd_symptom_cause *c, size_t n)
{
	enum cd_lang l = cd_get_lang();
	size_t i;
	for (i = 0; i < n; i++)
		add_row(list, pos++, group, (LPARAM)-1, state, c[i].title[l] ? c[i].title[l] : c[i].rule_id, "");
	return pos;
}

void gui_results_show(HWND list, const struct cd_results *res, const struct cd_symptom_view *sv)
{
	enum cd_lang l = cd_get_lang();
	size_t i;
	int pos;
	SendMessageW(list, WM_SETREDRAW, FALSE, 0);
	ListView_DeleteAllItems(list);
	for (i = 0; i < res->n; i++) {
		const struct cd_finding *fd = &res->v[i];
		add_row(list, (int)i, 1 + (int)fd->severity, (LPARAM)i, gui_severity_text(fd->severity),
			fd->title[l] ? fd->title[l] : fd->rule_id, fd->fix[l] ? fd->fix[l] : "");
	}
	if (!res->n)
		add_row(list, 0, 1 + CD_SEV_INFO, (LPARAM)-1, gui_severity_text(CD_SEV_INFO), cd_tr(S_GUI_NOTHING_FOUND), "");
	pos = res->n ? (int)res->n : 1;
	if (sv) {
		pos = add_causes(list, pos, GROUP_RULED_OUT, cd_tr(S_GUI_RULED_OUT), sv->ruled_out, sv->nruled_out);
		add_causes(list, pos, GROUP_UNCHECKED, cd_tr(S_GUI_UNCHECKED), sv->unchecked, sv->nunchecked);
	}
	if (res->n)
		ListView_SetItemState(list, 0, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
	SendMessageW(list, WM_SETREDRAW, TRUE, 0);
	InvalidateRect(list, NULL, TRUE);
}

/* The edit control wants CRLF. */
static void add_crlf(struct cd_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n')
			cd_buf_addc(b, '\r');
		cd_buf_addc(b, *s);
	}
}

void gui_details_show(HWND edit, const struct cd_results *res, int index)
{
	enum cd_lang l = cd_get_lang();
	const struct cd_finding *fd;
	struct cd_buf b;
	size_t r, shown = 0;
	if (index < 0 || (size_t)index >= res->n) {
		SetWindowTextW(edit, L"");
		return;
	}
	fd = &res->v[index];
	cd_buf_init(&b, 1 << 20);
	cd_buf_addf(&b, "[%s] ", gui_severity_text(fd->severity));
	add_crlf(&b, fd->title[l] ? fd->title[l] : fd->rule_id);
	cd_buf_addf(&b, "\r\n\r\n%s:\r\n", cd_tr(S_GUI_DETAILS));
	for (r = 0; r < fd->nrows && shown < 20; r++) {
		const char *m = fd->messages[l] ? fd->messages[l][r] : NULL;
		if (!m || !*m)
			continue;
		cd_buf_adds(&b, "  - ");
		add_crlf(&b, m);
		cd_buf_adds(&b, "\r\n");
		shown++;
	}
	if (fd->total_rows > shown && shown)
		cd_buf_addf(&b, "  %s\r\n", cd_tr(S_REPORT_MORE_ROWS));
	if (fd->fix[l]) {
		cd_buf_addf(&b, "\r\n%s:\r\n", cd_tr(S_REPORT_WHAT_TO_DO));
		add_crlf(&b, fd->fix[l]);
		cd_buf_adds(&b, "\r\n");
	}
	if (fd->nactions)
		cd_buf_addf(&b, "\r\n%s\r\n", cd_tr(S_GUI_CAN_REPAIR));
	cd_buf_addf(&b, "\r\n(%s)", fd->rule_id);
	gui_set_text(edit, cd_buf_str(&b) ? cd_buf_str(&b) : "");
	cd_buf_release(&b);
}
