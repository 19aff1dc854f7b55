/* Other users' profile folders: see win32_profiles.h. */
#include <windows.h>
#include <sddl.h>
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


/* ---- Other users' registry hives ---- */

#define MOUNT_PREFIX "cadoctor_"

/* The account name of a SID ("S-1-5-21-..."), or NULL when it has none
 * here (a deleted or domain account the machine cannot resolve). */
static char *account_name(const char *sid_text)
{
	HMODULE adv = GetModuleHandleW(L"advapi32.dll");
	string_sid_fn conv = adv ? (string_sid_fn)(void (*)(void))GetProcAddress(adv, "ConvertStringSidToSidW") : NULL;
	wchar_t *w = cd_w_from_utf8(sid_text);
	wchar_t name[256], dom[256];
	DWORD nlen = 256, dlen = 256;
	SID_NAME_USE use;
	PSID sid = NULL;
	char *r = NULL;
	if (conv && w && conv(w, &sid) && LookupAccountSidW(NULL, sid, name, &nlen, dom, &dlen, &use))
		r = cd_utf8_from_w(name);
	if (sid)
		LocalFree(sid);
	free(w);
	return r;
}

char *cd_win_current_sid(void)
{
	HANDLE tok;
	union {
		TOKEN_USER tu;
		BYTE b[512]; /* a SID is at most 68 bytes: room to spare */
	} u;
	DWORD n = 0;
	wchar_t *ws = NULL;
	char *r = NULL;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return NULL;
	if (GetTokenInformation(tok, TokenUser, &u, sizeof(u), &n) &&
	    ConvertSidToStringSidW(u.tu.User.Sid, &ws)) {
		r = cd_utf8_from_w(ws);
		LocalFree(ws);
	}
	CloseHandle(tok);
	return r;
}

char *cd_win_current_user(void)
{
	wchar_t name[257];
	DWORD n = 257;
	return GetUserNameW(name, &n) ? cd_utf8_from_w(name) : NULL;
}

/* Service accounts: S-1-5-18 is .DEFAULT under another name, and none of
 * the three is a person who installs drivers or runs a browser. */
static int service_sid(const char *sid)
{
	return cd_strieq(sid, "S-1-5-18") || cd_strieq(sid, "S-1-5-19") ||
	       cd_strieq(sid, "S-1-5-20");
}

static int ends_with_ci(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && cd_strieq(s + n - t, tail);
}

static int in_list(char **v, size_t n, const char *s)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (cd_strieq(v[i], s))
			return 1;
	return 0;
}

/* The name a hive's user goes by in the facts, the same as
 * cd_win_other_profiles gives their browser profiles (so rules can join
 * the two): the account name, else the profile folder's last component
 * (profile, or ProfileList's entry of the SID when NULL), else NULL. */
static char *hive_user(const char *sid, const char *profile)
{
	char *r, *sub, *dir = NULL;
	HKEY k;
	if (profile)
		return user_of(sid, profile);
	r = account_name(sid);
	if (r)
		return r;
	sub = cd_aprintf("%s\\%s", PROFILE_LIST, sid);
	if (sub && cd_reg_open(HKEY_LOCAL_MACHINE, sub, CD_REG_VIEW_64, &k) == CD_OK) {
		if (cd_reg_get_str(k, "ProfileImagePath", 1, &dir) != CD_OK)
			dir = NULL;
		cd_reg_close(k);
	}
	free(sub);
	r = dir && *dir ? user_of(sid, dir) : NULL;
	free(dir);
	return r;
}

/* Other users' hives that are loaded now (logged on, or held by a
 * service running as them). */
static void loaded_users(struct cd_probe_ctx *ctx, char **hives, size_t n, const char *self,
			 cd_win_hive_fn fn, void *ud)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char *user;
		if (cd_strieq(hives[i], ".DEFAULT") || ends_with_ci(hives[i], "_Classes") ||
		    (self && cd_strieq(hives[i], self)) || service_sid(hives[i]) ||
		    !_strnicmp(hives[i], MOUNT_PREFIX, strlen(MOUNT_PREFIX)))
			continue;
		user = hive_user(hives[i], NULL);
		fn(ctx, hives[i], user ? user : hives[i], hives[i], NULL, ud);
		free(user);
	}
}

/* A TOKEN_PRIVILEGES with room for the two privileges hive loading needs. */
struct privs {
	DWORD count;
	LUID_AND_ATTRIBUTES p[2];
};

/* Enables SeBackupPrivilege and SeRestorePrivilege (RegLoadKey needs
 * both). Returns 1 with the token and its previous state when both are
 * held; 0 when this process does not hold them (not elevated). */
static int enable_privileges(HANDLE *tok, struct privs *prev)
{
	struct privs want;
	DWORD n = sizeof(*prev);
	want.count = 2;
	want.p[0].Attributes = want.p[1].Attributes = SE_PRIVILEGE_ENABLED;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, tok))
		return 0;
	if (!LookupPrivilegeValueW(NULL, SE_BACKUP_NAME, &want.p[0].Luid) ||
	    !LookupPrivilegeValueW(NULL, SE_RESTORE_NAME, &want.p[1].Luid) ||
	    !AdjustTokenPrivileges(*tok, FALSE, (TOKEN_PRIVILEGES *)&want, sizeof(*prev),
				   (TOKEN_PRIVILEGES *)prev, &n)) {
		CloseHandle(*tok);
		return 0;
	}
	/* Succeeds even when a privilege is not held: that shows only here. */
	if (GetLastError() == ERROR_NOT_ALL_ASSIGNED) {
		AdjustTokenPrivileges(*tok, FALSE, (TOKEN_PRIVILEGES *)prev, 0, NULL, NULL);
		CloseHandle(*tok);
		return 0;
	}
	return 1;
}

static void restore_privileges(HANDLE tok, struct privs *prev)
{
	AdjustTokenPrivileges(tok, FALSE, (TOKEN_PRIVILEGES *)prev, 0, NULL, NULL);
	CloseHandle(tok);
}

static cd_err hive_error(LONG rc)
{
	switch (rc) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return CD_ERR_NOT_FOUND;
	case ERROR_ACCESS_DENIED:
	case ERROR_PRIVILEGE_NOT_HELD:
		return CD_ERR_DENIED;
	case ERROR_BADDB:
	case ERROR_REGISTRY_CORRUPT:
	case ERROR_NOT_REGISTRY_FILE:
	case ERROR_BAD_FORMAT:
		return CD_ERR_PARSE;
	default:
		return CD_ERR_IO;
	}
}

/* Windows's own text for an error, UTF-8 without the line end, or NULL. */
static char *system_message(LONG rc)
{
	wchar_t buf[512];
	DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
				 (DWORD)rc, 0, buf, 512, NULL);
	while (n && (buf[n - 1] == L'\r' || buf[n - 1] == L'\n' || buf[n - 1] == L' ' ||
		     buf[n - 1] == L'.'))
		n--;
	return n ? cd_utf8_from_w_n(buf, (int)n) : NULL;
}

/* Loads one user's NTUSER.DAT under HKU\cadoctor_<SID>, calls fn, and
 * unloads it again whatever fn did (fn closes its handles: a hive with an
 * open key cannot be unloaded). */
static void offline_user(struct cd_probe_ctx *ctx, const char *sid, const char *profile,
			 const char *hive_file, cd_win_hive_fn fn, void *ud)
{
	char *mount = cd_aprintf("%s%s", MOUNT_PREFIX, sid);
	wchar_t *wmount = mount ? cd_w_from_utf8(mount) : NULL;
	wchar_t *wfile = cd_w_from_utf8(hive_file);
	char *user = NULL;
	HKEY stale;
	LONG rc;

	if (!wmount || !wfile)
		goto out;
	/* A mount of ours left by a run that died: take it down first, or
	 * this user's registry stays unread until a reboot. */
	if (cd_reg_open(HKEY_USERS, mount, CD_REG_VIEW_64, &stale) == CD_OK) {
		cd_reg_close(stale);
		RegUnLoadKeyW(HKEY_USERS, wmount);
	}
	rc = RegLoadKeyW(HKEY_USERS, wmount, wfile);
	if (rc != ERROR_SUCCESS) {
		/* ERROR_SHARING_VIOLATION: in use, e.g. by a service running as the user */
		char *why = system_message(rc);
		cd_probe_error(ctx, hive_file, hive_error(rc),
			       "cannot load the hive of %s (Windows error %ld: %s)", sid, (long)rc,
			       why ? why : "?");
		free(why);
		goto out;
	}
	user = hive_user(sid, profile);
	fn(ctx, sid, user ? user : sid, mount, hive_file, ud);
	rc = RegUnLoadKeyW(HKEY_USERS, wmount);
	if (rc != ERROR_SUCCESS) {
		char *why = system_message(rc);
		cd_probe_error(ctx, hive_file, hive_error(rc),
			       "cannot unload HKU\\%s (Windows error %ld: %s): it stays loaded until reboot",
			       mount, (long)rc, why ? why : "?");
		free(why);
	}
out:
	free(user);
	free(wfile);
	free(wmount);
	free(mount);
}

/* Users with a profile on this machine whose hive is not loaded: they
 * are not logged on. */
static void offline_users(struct cd_probe_ctx *ctx, char **loaded, size_t n_loaded,
			  const char *self, const char *what, cd_win_hive_fn fn, void *ud)
{
	char **sids = NULL;
	size_t n = 0, i, skipped = 0;
	HANDLE tok = NULL;
	struct privs prev;
	int privileged = -1; /* not tried yet: only when someone needs it */
	HKEY list;
	cd_err e = cd_reg_open(HKEY_LOCAL_MACHINE, PROFILE_LIST, CD_REG_VIEW_64, &list);

	if (e == CD_OK) {
		e = cd_reg_subkeys(list, &sids, &n);
		if (e)
			cd_reg_close(list);
	}
	if (e) {
		if (e != CD_ERR_NOT_FOUND) {
			char *where = cd_reg_describe(HKEY_LOCAL_MACHINE, PROFILE_LIST, CD_REG_VIEW_64, NULL);
			cd_probe_error(ctx, where, e, "cannot list the user profiles");
			free(where);
		}
		return;
	}
	for (i = 0; i < n; i++) {
		char *sub, *where, *dir = NULL, *file;
		HKEY k;
		if ((self && cd_strieq(sids[i], self)) || service_sid(sids[i]) ||
		    in_list(loaded, n_loaded, sids[i]))
			continue;
		if (privileged < 0)
			privileged = enable_privileges(&tok, &prev);
		if (!privileged) {
			skipped++;
			continue;
		}
		sub = cd_aprintf("%s\\%s", PROFILE_LIST, sids[i]);
		where = sub ? cd_reg_describe(HKEY_LOCAL_MACHINE, sub, CD_REG_VIEW_64, NULL) : NULL;
		if (where && (e = cd_reg_open(list, sids[i], CD_REG_VIEW_64, &k)) == CD_OK) {
			dir = cd_reg_probe_str(ctx, k, where, "ProfileImagePath", 1);
			cd_reg_close(k);
		} else if (where) {
			cd_probe_error(ctx, where, e, "cannot open the profile key");
		}
		file = dir && *dir ? cd_aprintf("%s\\NTUSER.DAT", dir) : NULL;
		if (file && cd_win_file_exists(file))
			offline_user(ctx, sids[i], dir, file, fn, ud);
		else if (file)
			cd_probe_error(ctx, file, CD_ERR_NOT_FOUND,
				       "the profile of %s has no NTUSER.DAT", sids[i]);
		free(file);
		free(dir);
		free(where);
		free(sub);
	}
	if (privileged > 0)
		restore_privileges(tok, &prev);
	if (skipped)
		cd_probe_error(ctx, PROFILE_LIST, CD_ERR_DENIED,
			       "not elevated: the %s of %lu users not logged on were not read", what,
			       (unsigned long)skipped);
	cd_free_list(sids, n);
	cd_reg_close(list);
}

void cd_win_other_hives(struct cd_probe_ctx *ctx, const char *what, cd_win_hive_fn fn, void *ud)
{
	char *self = cd_win_current_sid(), **hives = NULL;
	size_t n_hives = 0;
	/* Without the list of loaded hives, loading profiles would only fight
	 * with the hives of users who are logged on. */
	cd_err e = cd_reg_subkeys(HKEY_USERS, &hives, &n_hives);
	if (e) {
		cd_probe_error(ctx, "HKU", e, "cannot list the loaded user hives");
	} else {
		loaded_users(ctx, hives, n_hives, self, fn, ud);
		offline_users(ctx, hives, n_hives, self, what, fn, ud);
		cd_free_list(hives, n_hives);
	}
	free(self);
}
