/* cadoctor-gui-driver.exe: drives cadoctor-gui.exe from outside, as UI
 * automation would, for tests/wine/gui.sh and policy.sh. It finds the main
 * window by its class, presses buttons with WM_COMMAND, reads controls
 * (list view items through memory in the GUI's process, the way screen
 * readers do) and prints UTF-8 on standard output. Commands run in order:
 *   wait SECONDS     until the window exists and is not busy
 *   scan SECONDS     press 开始检测 and wait until the check finished
 *   started SECONDS  wait until a check started by other means (the
 *                    keyboard) is running, then until it finished
 *   list             print the findings list, one row per line, columns
 *                    separated by tabs
 *   text ID          print the text of control ID (gui_ids.h)
 *   plan SECONDS     press 一键修复, print the plan dialog's rows, cancel it
 *   repair SECONDS   press 一键修复, print the plan, press 开始修复, wait
 *                    (up to SECONDS) for the result dialog and print it:
 *                    its intro line, then its rows; the dialog stays open
 *   undo SECONDS     press 撤销上次修复, print the question, answer yes,
 *                    wait for the outcome message and print it; it stays open
 *   dismiss          close the dialog or message the window shows (OK)
 *   dialog SECONDS   wait for a dialog or message of the window (opened by
 *                    other means: the keyboard) and print it; press nothing
 *   gone SECONDS     wait until the window shows no dialog or message
 *   export PATH      save the HTML report to PATH (WM_COPYDATA)
 *   close            close the window
 * Exit status 0 when every command worked, 1 otherwise. */
#include <windows.h>

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/gui_ids.h"

static HWND main_wnd;

static void out_w(const wchar_t *w)
{
	char buf[16384];
	DWORD done;
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, sizeof(buf), NULL, NULL);
	if (n > 1)
		WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), buf, (DWORD)(n - 1), &done, NULL);
}

static void out_a(const char *s)
{
	DWORD done;
	WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &done, NULL);
}

static void fail(const char *what)
{
	fprintf(stderr, "gui_driver: %s\n", what);
}

static LRESULT state(void)
{
	DWORD_PTR r = 3;
	if (!SendMessageTimeoutW(main_wnd, WM_CD_STATE, 0, 0, SMTO_ABORTIFHUNG, 5000, &r))
		return -1;
	return (LRESULT)r;
}

static int wait_window(int seconds)
{
	int i;
	for (i = 0; i < seconds * 10; i++) {
		if (!main_wnd)
			main_wnd = FindWindowW(CD_GUI_CLASS_W, NULL);
		if (main_wnd && IsWindowVisible(main_wnd) && state() != 1)
			return 0;
		Sleep(100);
	}
	fail("no cadoctor-gui window");
	return 1;
}

static int wait_idle(int seconds)
{
	int i;
	for (i = 0; i < seconds * 10; i++) {
		LRESULT s = state();
		if (s == 2)
			return 0;
		if (s == 3 || s == -1) {
			fail("the check failed or the window stopped answering");
			return 1;
		}
		Sleep(100);
	}
	fail("timed out waiting for the check");
	return 1;
}

/* Rows of a list view in another process. */
static int print_list(HWND list)
{
	DWORD pid = 0;
	HANDLE proc;
	char *remote;
	int n, i, c, cols;
	HWND header;
	const SIZE_T textmax = 4096;
	if (!list) {
		fail("no list control");
		return 1;
	}
	GetWindowThreadProcessId(list, &pid);
	proc = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE | PROCESS_QUERY_INFORMATION, FALSE,
			   pid);
	if (!proc) {
		fail("cannot open the GUI's process");
		return 1;
	}
	remote = VirtualAllocEx(proc, NULL, sizeof(LVITEMW) + textmax * sizeof(wchar_t), MEM_COMMIT, PAGE_READWRITE);
	if (!remote) {
		CloseHandle(proc);
		fail("VirtualAllocEx failed");
		return 1;
	}
	header = (HWND)SendMessageW(list, LVM_GETHEADER, 0, 0);
	cols = header ? (int)SendMessageW(header, HDM_GETITEMCOUNT, 0, 0) : 1;
	if (cols < 1)
		cols = 1;
	n = (int)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0);
	for (i = 0; i < n; i++) {
		for (c = 0; c < cols; c++) {
			LVITEMW it;
			wchar_t text[4096];
			SIZE_T got = 0;
			memset(&it, 0, sizeof(it));
			it.iSubItem = c;
			it.cchTextMax = (int)textmax;
			it.pszText = (LPWSTR)(remote + sizeof(LVITEMW));
			text[0] = 0;
			WriteProcessMemory(proc, remote, &it, sizeof(it), &got);
			SendMessageW(list, LVM_GETITEMTEXTW, (WPARAM)i, (LPARAM)remote);
			ReadProcessMemory(proc, remote + sizeof(LVITEMW), text, sizeof(text) - sizeof(wchar_t), &got);
			text[4095] = 0;
			if (c)
				out_a("\t");
			out_w(text);
		}
		out_a("\n");
	}
	VirtualFreeEx(proc, remote, 0, MEM_RELEASE);
	CloseHandle(proc);
	return 0;
}

static int print_text(HWND w)
{
	wchar_t buf[8192];
	DWORD_PTR r = 0;
	buf[0] = 0;
	if (!w) {
		fail("no such control");
		return 1;
	}
	SendMessageTimeoutW(w, WM_GETTEXT, 8192, (LPARAM)buf, SMTO_ABORTIFHUNG, 5000, &r);
	out_w(buf);
	out_a("\n");
	return 0;
}

struct find_owned {
	HWND owner, found;
};

static BOOL CALLBACK owned_proc(HWND w, LPARAM lp)
{
	struct find_owned *f = (struct find_owned *)lp;
	wchar_t cls[16];
	/* dialogs and message boxes only (not a list view's tooltip) */
	if (GetWindow(w, GW_OWNER) == f->owner && IsWindowVisible(w) && GetClassNameW(w, cls, 16) &&
	    !wcscmp(cls, L"#32770")) {
		f->found = w;
		return FALSE;
	}
	return TRUE;
}

/* 一键修复: the plan dialog (or the message saying there is none). */
static int plan(int seconds)
{
	struct find_owned f;
	int i;
	PostMessageW(main_wnd, WM_COMMAND, MAKEWPARAM(IDC_REPAIR, BN_CLICKED), 0);
	for (i = 0; i < seconds * 10; i++) {
		f.owner = main_wnd;
		f.found = NULL;
		EnumWindows(owned_proc, (LPARAM)&f);
		if (f.found)
			break;
		Sleep(100);
	}
	if (!f.found) {
		fail("no plan dialog");
		return 1;
	}
	Sleep(300);
	if (GetDlgItem(f.found, IDC_PLAN_LIST)) {
		print_list(GetDlgItem(f.found, IDC_PLAN_LIST));
		PostMessageW(f.found, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), 0);
	} else {
		/* a message box: its text is the static control 0xFFFF */
		out_a("NO PLAN: ");
		print_text(GetDlgItem(f.found, 0xFFFF));
		PostMessageW(f.found, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
	}
	Sleep(300);
	return 0;
}

/* An owned, visible window of the main one other than `not` (a dialog or
 * a message box), within SECONDS; NULL if none came. */
static HWND owned_window(HWND not, int seconds)
{
	struct find_owned f;
	int i;
	for (i = 0; i < seconds * 10; i++) {
		f.owner = main_wnd;
		f.found = NULL;
		EnumWindows(owned_proc, (LPARAM)&f);
		if (f.found && f.found != not) {
			Sleep(300); /* let it finish WM_INITDIALOG */
			return f.found;
		}
		Sleep(100);
	}
	return NULL;
}

/* A repair dialog: its intro line, its rows, "NOTE " and the note below
 * them (the plan); a message box: its text. */
static void print_dialog(HWND d)
{
	if (GetDlgItem(d, IDC_PLAN_LIST)) {
		print_text(GetDlgItem(d, IDC_PLAN_INTRO));
		print_list(GetDlgItem(d, IDC_PLAN_LIST));
		if (GetDlgItem(d, IDC_PLAN_NOTE)) {
			out_a("NOTE ");
			print_text(GetDlgItem(d, IDC_PLAN_NOTE));
		}
	} else {
		print_text(GetDlgItem(d, 0xFFFF));
	}
}

/* Presses button ID of dialog D and waits until D is gone. */
static int press(HWND d, int id)
{
	int i;
	PostMessageW(d, WM_COMMAND, MAKEWPARAM(id, BN_CLICKED), (LPARAM)GetDlgItem(d, id));
	for (i = 0; i < 100 && IsWindow(d); i++)
		Sleep(100);
	if (IsWindow(d)) {
		wchar_t t[256];
		GetWindowTextW(d, t, 256);
		fail("the dialog did not close:");
		out_w(t);
		out_a("\n");
		return 1;
	}
	return 0;
}

static int repair(int seconds)
{
	HWND d, r;
	PostMessageW(main_wnd, WM_COMMAND, MAKEWPARAM(IDC_REPAIR, BN_CLICKED), 0);
	d = owned_window(NULL, 30);
	if (!d || !GetDlgItem(d, IDC_PLAN_LIST)) {
		fail("no plan dialog");
		return 1;
	}
	out_a("PLAN\n");
	print_dialog(d);
	if (!IsWindowEnabled(GetDlgItem(d, IDOK))) {
		fail("the plan has nothing to start");
		return 1;
	}
	if (press(d, IDOK))
		return 1;
	r = owned_window(d, seconds);
	if (!r) {
		fail("no result dialog");
		return 1;
	}
	out_a("RESULT\n");
	print_dialog(r);
	return 0;
}

static int undo(int seconds)
{
	HWND q, r;
	PostMessageW(main_wnd, WM_COMMAND, MAKEWPARAM(IDC_UNDO, BN_CLICKED), 0);
	q = owned_window(NULL, 30);
	if (!q) {
		fail("no undo question");
		return 1;
	}
	out_a("QUESTION\n");
	print_dialog(q);
	if (press(q, IDYES))
		return 1;
	r = owned_window(q, seconds);
	if (!r) {
		fail("no undo outcome");
		return 1;
	}
	out_a("OUTCOME\n");
	print_dialog(r);
	return 0;
}

static int dismiss(void)
{
	HWND d = owned_window(NULL, 5);
	if (!d) {
		fail("no dialog to dismiss");
		return 1;
	}
	return press(d, IDOK);
}

static int dialog(int seconds)
{
	HWND d = owned_window(NULL, seconds);
	if (!d) {
		fail("no dialog came");
		return 1;
	}
	print_dialog(d);
	return 0;
}

static int gone(int seconds)
{
	int i;
	for (i = 0; i < seconds * 10; i++) {
		struct find_owned f;
		f.owner = main_wnd;
		f.found = NULL;
		EnumWindows(owned_proc, (LPARAM)&f);
		if (!f.found)
			return 0;
		Sleep(100);
	}
	fail("a dialog stayed open");
	return 1;
}

static int export_to(const char *path)
{
	COPYDATASTRUCT cds;
	wchar_t w[MAX_PATH * 2];
	DWORD_PTR r = 0;
	int n = MultiByteToWideChar(CP_UTF8, 0, path, -1, w, MAX_PATH * 2);
	if (n <= 0)
		return 1;
	cds.dwData = CD_COPYDATA_EXPORT;
	cds.cbData = (DWORD)(n * sizeof(wchar_t));
	cds.lpData = w;
	if (!SendMessageTimeoutW(main_wnd, WM_COPYDATA, 0, (LPARAM)&cds, SMTO_ABORTIFHUNG, 30000, &r) || r != 1) {
		fail("export refused");
		return 1;
	}
	out_a("exported\n");
	return 0;
}

int main(int argc, char **argv)
{
	int i, rc = 0;
	main_wnd = FindWindowW(CD_GUI_CLASS_W, NULL);
	for (i = 1; i < argc && !rc; i++) {
		const char *cmd = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(cmd, "wait") && arg) {
			rc = wait_window(atoi(arg));
			i++;
		} else if (!strcmp(cmd, "scan") && arg) {
			i++;
			if (!main_wnd && (rc = wait_window(30)) != 0)
				break;
			SendMessageW(main_wnd, WM_COMMAND, MAKEWPARAM(IDC_SCAN, BN_CLICKED), 0);
			rc = wait_idle(atoi(arg));
		} else if (!strcmp(cmd, "started") && arg) {
			int k, n = atoi(arg) * 20;
			i++;
			for (k = 0; k < n && state() != 1; k++)
				Sleep(50);
			if (k == n) {
				fail("no check started");
				rc = 1;
			} else {
				rc = wait_idle(atoi(arg) * 4);
			}
		} else if (!strcmp(cmd, "list")) {
			rc = print_list(GetDlgItem(main_wnd, IDC_RESULTS));
		} else if (!strcmp(cmd, "text") && arg) {
			rc = print_text(GetDlgItem(main_wnd, atoi(arg)));
			i++;
		} else if (!strcmp(cmd, "plan") && arg) {
			rc = plan(atoi(arg));
			i++;
		} else if (!strcmp(cmd, "repair") && arg) {
			rc = repair(atoi(arg));
			i++;
		} else if (!strcmp(cmd, "undo") && arg) {
			rc = undo(atoi(arg));
			i++;
		} else if (!strcmp(cmd, "dialog") && arg) {
			rc = dialog(atoi(arg));
			i++;
		} else if (!strcmp(cmd, "gone") && arg) {
			rc = gone(atoi(arg));
			i++;
		} else if (!strcmp(cmd, "dismiss")) {
			rc = dismiss();
		} else if (!strcmp(cmd, "export") && arg) {
			rc = export_to(arg);
			i++;
		} else if (!strcmp(cmd, "close")) {
			PostMessageW(main_wnd, WM_CLOSE, 0, 0);
		} else {
			fail("usage: gui_driver wait S | scan S | started S | list | text ID | plan S | repair S | undo S | dismiss | dialog S | gone S | export PATH | close ...");
			rc = 1;
		}
	}
	return rc;
}
