/* Other users' profile folders: see win32_profiles.h. */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_profiles.h"
#include "win32_reg.h"

#define PROFILE_LIST "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"

static const GUID fid_profile = { 0x5e6c858f, 0x0e22, 0x4760, { 0x9a, 0xfe, 0xea, 0x33, 0x17, 0xb6, 0x71, 0x73 } };

typedef BOOL(WINAPI *string_sid_fn)(LPCWSTR, PSID *);
typedef HRESULT(WINAPI *get_known_folder_fn)(const GUID *, DWORD, HANDLE, PWSTR *);
typedef void(WINAPI *co_task_mem_free_fn)(LPVOID);

/* A known folder of the current user through shell32 looked up at run time
 * (absent before Vista), else the environment variable env. A new string
 * or NULL. */
char *cd_win_known_folder(const GUID *id, const wchar_t *env)
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

char *cd_win_own_profile(void)
{
	return cd_win_known_folder(&fid_profile, L"USERPROFILE");
}

/* Elevated: the token of this process is an administrator's full token. */
int cd_win_is_elevated(void)
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
void cd_win_other_profiles(struct cd_probe_ctx *ctx, const char *own_profile,
			   void (*fn)(struct cd_probe_ctx *ctx, const char *user, const char *profile, void *ud),
			   void *ud)
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
		char *sub, *swhere, *profile, *user, **names = NULL;
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
		fn(ctx, user ? user : profile, profile, ud);
		free(user);
		free(profile);
	}
	cd_free_list(sids, n);
	cd_reg_close(h);
	free(where);
}

