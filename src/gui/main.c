/* cadoctor-gui.exe: entry point. The language is the user's Windows UI
 * language (Chinese -> zh-CN, anything else -> en) unless CADOCTOR_LANG or
 * --lang says otherwise. Options (docs/gui.md):
 *   --lang zh|en  --offline  --platform ID  --symptom ID  --scan (start at once)
 * and, for the elevated copy a repair starts (repairs.c):
 *   --apply-repair [--offline] [--platform ID] [--symptom ID]   --undo-last */
#include <stdlib.h>
#include <string.h>

#include "../actions/actions_os.h"
#include "../core/i18n.h"
#include "../core/rules.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "gui.h"

struct gui g;

wchar_t *gui_w(const char *utf8)
{
	wchar_t *w = cd_w_from_utf8(utf8 ? utf8 : "");
	if (!w)
		w = calloc(1, sizeof(wchar_t));
	if (!w)
		abort();
	return w;
}

void gui_set_text(HWND w, const char *utf8)
{
	wchar_t *t = gui_w(utf8);
	SetWindowTextW(w, t);
	free(t);
}

void gui_set_item_text(HWND dlg, int id, const char *utf8)
{
	gui_set_text(GetDlgItem(dlg, id), utf8);
}

int gui_message(UINT type, const char *text)
{
	wchar_t *t = gui_w(text), *c = gui_w(cd_tr(S_GUI_TITLE));
	int r = MessageBoxW(g.wnd, t, c, type);
	free(t);
	free(c);
	return r;
}

char *gui_self_exe(void)
{
	return cd_self_exe();
}

static void pick_language(int argc, char **argv)
{
	enum cd_lang l = PRIMARYLANGID(GetUserDefaultUILanguage()) == LANG_CHINESE ? CD_LANG_ZH : CD_LANG_EN;
	const char *env = cd_getenv("CADOCTOR_LANG");
	int i;
	if (env)
		cd_lang_parse(env, &l);
	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--lang"))
			cd_lang_parse(argv[i + 1], &l);
	cd_set_lang(l);
}

/* The platform and symptom catalogs, for the choices of the window. */
static void load_catalogs(void)
{
	struct cd_facts *f;
	const unsigned char *bytes;
	size_t len;
	if (cd_facts_open(&f) != CD_OK)
		return;
	cd_rules_embedded(&bytes, &len);
	if (cd_facts_attach_rules(f, bytes, len) == CD_OK) {
		cd_scan_choices(f, CD_CHOICE_PLATFORMS, &g.platforms, &g.nplatforms);
		cd_scan_choices(f, CD_CHOICE_SYMPTOMS, &g.symptoms, &g.nsymptoms);
	}
	cd_facts_free(f);
}

static int register_class(void)
{
	WNDCLASSEXW wc;
	memset(&wc, 0, sizeof(wc));
	wc.cbSize = sizeof(wc);
	wc.lpfnWndProc = DefDlgProcW;
	wc.cbWndExtra = DLGWINDOWEXTRA;
	wc.hInstance = g.inst;
	wc.hIcon = g.icon_big;
	wc.hIconSm = g.icon_small;
	wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
	wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
	wc.lpszClassName = CD_GUI_CLASS_W;
	return RegisterClassExW(&wc) != 0;
}

int WINAPI WinMain(HINSTANCE inst, HINSTANCE prev, LPSTR cmdline, int show)
{
	INITCOMMONCONTROLSEX icc;
	MSG msg;
	int argc = 0, i, autoscan = 0;
	char **argv = NULL;
	(void)prev;
	(void)cmdline;

	cd_platform_init(&argc, &argv);
	pick_language(argc, argv);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--apply-repair") || !strcmp(argv[i], "--undo-last"))
			return gui_helper_main(argc, argv);
	}
	memset(&g, 0, sizeof(g));
	g.inst = inst;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--offline"))
			g.offline = 1;
		else if (!strcmp(argv[i], "--scan"))
			autoscan = 1;
	}
	icc.dwSize = sizeof(icc);
	icc.dwICC = ICC_LISTVIEW_CLASSES | ICC_PROGRESS_CLASS | ICC_STANDARD_CLASSES;
	InitCommonControlsEx(&icc);
	cd_policy_load(&g.pol);
	g.is_admin = cd_actions_is_admin();
	/* Tests (tests/wine/gui_repair.sh): Wine runs every program as an
	 * administrator; this makes the window take the standard user's path,
	 * the elevated copy of itself, which a UAC prompt guards on Windows. */
	if (cd_streq(cd_getenv("CADOCTOR_TEST_GUI_NOT_ADMIN"), "1"))
		g.is_admin = 0;
	g.icon_big = (HICON)LoadImageW(inst, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON, GetSystemMetrics(SM_CXICON),
				       GetSystemMetrics(SM_CYICON), LR_DEFAULTCOLOR);
	g.icon_small = (HICON)LoadImageW(inst, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON, GetSystemMetrics(SM_CXSMICON),
					 GetSystemMetrics(SM_CYSMICON), LR_DEFAULTCOLOR);
	load_catalogs();
	if (!register_class() || !gui_create(show)) {
		MessageBoxW(NULL, L"cadoctor-gui: cannot create the window", L"cadoctor", MB_ICONERROR);
		return 70;
	}
	/* The command line's choices win over the policy's default. */
	for (i = 1; i + 1 < argc; i++) {
		HWND cb = NULL;
		size_t k, n = 0;
		const struct cd_choice *v = NULL;
		if (!strcmp(argv[i], "--platform")) {
			cb = GetDlgItem(g.wnd, IDC_PLATFORM);
			v = g.platforms;
			n = g.nplatforms;
		} else if (!strcmp(argv[i], "--symptom")) {
			cb = GetDlgItem(g.wnd, IDC_SYMPTOM);
			v = g.symptoms;
			n = g.nsymptoms;
		}
		for (k = 0; cb && k < n; k++)
			if (cd_streq(v[k].id, argv[i + 1]))
				SendMessageW(cb, CB_SETCURSEL, k + 1, 0);
	}
	if (autoscan)
		PostMessageW(g.wnd, WM_COMMAND, MAKEWPARAM(IDC_SCAN, BN_CLICKED), 0);
	while (GetMessageW(&msg, NULL, 0, 0) > 0) {
		if (IsDialogMessageW(g.wnd, &msg))
			continue;
		TranslateMessage(&msg);
		DispatchMessageW(&msg);
	}
	if (g.have_last)
		gui_scan_out_release(&g.last);
	cd_choices_free(g.platforms, g.nplatforms);
	cd_choices_free(g.symptoms, g.nsymptoms);
	cd_policy_release(&g.pol);
	cd_platform_cleanup();
	return (int)msg.wParam;
}
