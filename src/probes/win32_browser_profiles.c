/* Browser profiles on Windows: where Chrome, Edge, Chromium, the 360
 * browsers and Firefox keep their profiles for the current user and, when
 * elevated, for every user profile the ProfileList registry key names. The
 * parsing is portable (browser_*.c); this file only knows the places. */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "browser.h"
#include "win32_reg.h"

#define PROFILE_LIST "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"

/* Chromium-family user data directories under Local AppData (or Roaming).
 * The 360 browsers' places are the ones many public tools agree on (360安全
 * 浏览器 under Roaming\360se6, 360极速浏览器 and its X edition under Local);
 * they are not yet confirmed on a real installation, and the files in them
 * are read as Chromium's (360's builds are Chromium-based). */
static const struct {
	const char *browser;
	const char *dir;
	int roaming;
} chromium_dirs[] = {
	{ "chrome", "Google\\Chrome\\User Data", 0 },
	{ "edge", "Microsoft\\Edge\\User Data", 0 },
	{ "chromium", "Chromium\\User Data", 0 },
	{ "360se", "360se6\\User Data", 1 },
	{ "360chrome", "360Chrome\\Chrome\\User Data", 0 },
	{ "360chrome", "360ChromeX\\Chrome\\User Data", 0 },
};

/* Firefox's profiles.ini directory under Roaming AppData. */
#define FIREFOX_DIR "Mozilla\\Firefox"

/* Known folder ids (SHGetKnownFolderPath, Vista and later). */
static const GUID fid_local_app_data = { 0xf1b32785, 0x6fba, 0x4fcf, { 0x9d, 0x55, 0x7b, 0x8e, 0x7f, 0x15, 0x70, 0x91 } };
static const GUID fid_roaming_app_data = { 0x3eb685db, 0x65f9, 0x4cf6, { 0xa0, 0x3e, 0xe3, 0xef, 0x65, 0x72, 0x9f, 0x3d } };
static const GUID fid_profile = { 0x5e6c858f, 0x0e22, 0x4760, { 0x9a, 0xfe, 0xea, 0x33, 0x17, 0xb6, 0x71, 0x73 } };

typedef HRESULT(WINAPI *get_known_folder_fn)(const GUID *, DWORD, HANDLE, PWSTR *);
typedef void(WINAPI *co_task_mem_free_fn)(LPVOID);
typedef BOOL(WINAPI *string_sid_fn)(LPCWSTR, PSID *);

/* A known folder of the current user through shell32 looked up at run time
 * (absent before Vista), else the environment variable env. A new string
 * or NULL. */
static char *user_folder(const GUID *id, const wchar_t *env)
{
	HMODULE shell = LoadLibraryW(L"shell32.dll");
	HMODULE ole = LoadLibraryW(L"ole32.dll");
	get_known_folder_fn gkf = NULL;
	co_task_mem_free_fn ctf = NULL;
	char *r = NULL;
	wchar_t buf[MAX_PATH * 2];
	DWORD n;

	if (shell)
		gkf = (get_known_folder_fn)(void (*)(void))GetProcAddress(shell, "SHGetKnownFolderPath");
	if (ole)
		ctf = (co_task_mem_free_fn)(void (*)(void))GetProcAddress(ole, "CoTaskMemFree");
	if (gkf && ctf) {
		PWSTR w = NULL;
		if (gkf(id, 0, NULL, &w) == S_OK && w && *w)
			r = cd_utf8_from_w(w);
		ctf(w);
	}
	if (shell)
		FreeLibrary(shell);
	if (ole)
		FreeLibrary(ole);
	if (r)
		return r;
	n = GetEnvironmentVariableW(env, buf, (DWORD)(sizeof(buf) / sizeof(buf[0])));
	if (n > 0 && n < sizeof(buf) / sizeof(buf[0]))
		return cd_utf8_from_w(buf);
	return NULL;
}

static char *current_user_name(void)
{
	wchar_t buf[257];
	DWORD n = (DWORD)(sizeof(buf) / sizeof(buf[0]));
	if (GetUserNameW(buf, &n))
		return cd_utf8_from_w(buf);
	n = GetEnvironmentVariableW(L"USERNAME", buf, (DWORD)(sizeof(buf) / sizeof(buf[0])));
	if (n > 0 && n < sizeof(buf) / sizeof(buf[0]))
		return cd_utf8_from_w(buf);
	return NULL;
}

/* Elevated: the token of this process is an administrator's full token. */
static int is_elevated(void)
{
	HANDLE tok;
	TOKEN_ELEVATION te;
	DWORD n = 0;
	int r = 0;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return 0;
	if (GetTokenInformation(tok, TokenElevation, &te, sizeof(te), &n))
		r = te.TokenIsElevated != 0;
	CloseHandle(tok);
	return r;
}

/* The account name of a string SID, else the last component of the profile
 * path. A new string. */
static char *user_of(const char *sid, const char *profile)
{
	HMODULE adv = GetModuleHandleW(L"advapi32.dll");
	string_sid_fn conv = adv ? (string_sid_fn)(void (*)(void))GetProcAddress(adv, "ConvertStringSidToSidW") : NULL;
	wchar_t *wsid = cd_w_from_utf8(sid);
	PSID psid = NULL;
	char *r = NULL;
	const char *slash;

	if (conv && wsid && conv(wsid, &psid) && psid) {
		wchar_t name[257], dom[257];
		DWORD nn = 257, dn = 257;
		SID_NAME_USE use;
		if (LookupAccountSidW(NULL, psid, name, &nn, dom, &dn, &use))
			r = cd_utf8_from_w(name);
		LocalFree(psid);
	}
	free(wsid);
	if (r)
		return r;
	slash = strrchr(profile, '\\');
	return cd_strdup(slash && slash[1] ? slash + 1 : profile);
}

/* Every browser place of one user: local is Local AppData, roaming is
 * Roaming AppData. */
static void user_browsers(struct cd_probe_ctx *ctx, const char *user, const char *local, const char *roaming)
{
	size_t i;
	for (i = 0; i < sizeof(chromium_dirs) / sizeof(chromium_dirs[0]); i++) {
		const char *base = chromium_dirs[i].roaming ? roaming : local;
		char *dir;
		if (!base)
			continue;
		dir = cd_aprintf("%s\\%s", base, chromium_dirs[i].dir);
		if (dir)
			cd_browser_chromium_dir(ctx, chromium_dirs[i].browser, user, dir, NULL);
		free(dir);
	}
	if (roaming) {
		char *dir = cd_aprintf("%s\\%s", roaming, FIREFOX_DIR);
		if (dir)
			cd_browser_firefox_dir(ctx, user, dir);
		free(dir);
	}
}

/* Path without trailing separators compares equal, case-insensitively. */
static int same_path(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	while (na > 1 && (a[na - 1] == '\\' || a[na - 1] == '/'))
		na--;
	while (nb > 1 && (b[nb - 1] == '\\' || b[nb - 1] == '/'))
		nb--;
	return na == nb && !_strnicmp(a, b, na);
}

/* The other users' profiles: every ProfileList entry of a user account
 * (not SYSTEM, LocalService, NetworkService) whose folder is not the
 * current user's. */
static void other_users(struct cd_probe_ctx *ctx, const char *own_profile)
{
	HKEY h;
	char **sids = NULL, *where;
	size_t n = 0, i;
	cd_err e = cd_reg_open(HKEY_LOCAL_MACHINE, PROFILE_LIST, CD_REG_VIEW_64, &h);

	where = cd_reg_describe(HKEY_LOCAL_MACHINE, PROFILE_LIST, CD_REG_VIEW_64, NULL);
	if (e) {
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, where ? where : PROFILE_LIST, e, "cannot open the ProfileList key");
		free(where);
		return;
	}
	e = cd_reg_subkeys(h, &sids, &n);
	if (e)
		cd_probe_error(ctx, where ? where : PROFILE_LIST, e, "cannot list the ProfileList key");
	for (i = 0; !e && i < n; i++) {
		HKEY s;
		char *sub, *swhere, *profile, *local, *roaming, *user, **names = NULL;
		size_t nn = 0;
		cd_err le;

		if (!strcmp(sids[i], "S-1-5-18") || !strcmp(sids[i], "S-1-5-19") || !strcmp(sids[i], "S-1-5-20"))
			continue;
		sub = cd_aprintf("%s\\%s", PROFILE_LIST, sids[i]);
		if (!sub)
			break;
		swhere = cd_reg_describe(HKEY_LOCAL_MACHINE, sub, CD_REG_VIEW_64, NULL);
		le = cd_reg_open(HKEY_LOCAL_MACHINE, sub, CD_REG_VIEW_64, &s);
		free(sub);
		if (le) {
			if (le != CD_ERR_NOT_FOUND)
				cd_probe_error(ctx, swhere ? swhere : sids[i], le, "cannot open the profile's key");
			free(swhere);
			continue;
		}
		profile = swhere ? cd_reg_probe_str(ctx, s, swhere, "ProfileImagePath", 1) : NULL;
		cd_reg_close(s);
		free(swhere);
		if (!profile || !*profile || (own_profile && same_path(profile, own_profile))) {
			free(profile);
			continue;
		}
		/* A folder that is gone is a stale entry; one that is there but
		 * cannot be listed is worth an error. */
		if (cd_is_dir(profile)) {
			le = cd_list_dir(profile, &names, &nn);
			if (le) {
				cd_probe_error(ctx, profile, le, "cannot read the user profile folder");
				free(profile);
				continue;
			}
			cd_free_list(names, nn);
		} else {
			free(profile);
			continue;
		}
		user = user_of(sids[i], profile);
		local = cd_aprintf("%s\\AppData\\Local", profile);
		roaming = cd_aprintf("%s\\AppData\\Roaming", profile);
		user_browsers(ctx, user, local, roaming);
		free(local);
		free(roaming);
		free(user);
		free(profile);
	}
	cd_free_list(sids, n);
	cd_reg_close(h);
	free(where);
}

static cd_err collect_profiles(struct cd_probe_ctx *ctx)
{
	char *user, *local, *roaming, *profile;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	user = current_user_name();
	local = user_folder(&fid_local_app_data, L"LOCALAPPDATA");
	roaming = user_folder(&fid_roaming_app_data, L"APPDATA");
	profile = user_folder(&fid_profile, L"USERPROFILE");
	if (!local && profile)
		local = cd_aprintf("%s\\AppData\\Local", profile);
	if (!roaming && profile)
		roaming = cd_aprintf("%s\\AppData\\Roaming", profile);
	if (!local && !roaming)
		cd_probe_error(ctx, "AppData", CD_ERR_NOT_FOUND, "cannot find the current user's AppData folders");
	user_browsers(ctx, user, local, roaming);
	if (is_elevated())
		other_users(ctx, profile);
	free(user);
	free(local);
	free(roaming);
	free(profile);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_browser_profiles = {
	"windows.browser_profiles",
	"browser_profiles, browser_extensions",
	collect_profiles,
};
