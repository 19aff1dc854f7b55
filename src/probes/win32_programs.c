/* Installed programs: the Uninstall keys Programs and Features reads, for the
 * machine (both registry views), the current user, every other user whose
 * hive is loaded, and, when elevated, the users not logged on, whose
 * NTUSER.DAT is loaded for the time of the read. Per-user installs matter
 * here: CA driver packages are often installed "for me only" by whoever
 * handled the token, and a second province's edition hides in another
 * user's hive. */
#include <windows.h>
#include <sddl.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_reg.h"

#define UNINSTALL "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
#define PROFILES "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"
#define MOUNT_PREFIX "cadoctor_"

/* Where a list of Uninstall entries is and whom it belongs to. */
struct place {
	HKEY root;
	const char *hive;    /* key under root holding the hive ("" for HKLM/HKCU) */
	enum cd_reg_view view;
	const char *source;  /* programs.source */
	const char *user;    /* programs.user, NULL for machine-wide */
	const char *file;    /* the NTUSER.DAT it was loaded from, for messages */
};

/* Names a key for probe errors. Views exist only under HKLM\SOFTWARE, so
 * user hives are named without one. */
static char *describe(const struct place *pl, const char *path)
{
	char *full = *pl->hive ? cd_aprintf("%s\\%s", pl->hive, path) : cd_strdup(path);
	char *d;
	if (!full)
		return NULL;
	if (pl->root == HKEY_LOCAL_MACHINE)
		d = cd_reg_describe(pl->root, full, pl->view, NULL);
	else if (pl->file)
		d = cd_aprintf("%s\\%s (%s)", cd_reg_root_name(pl->root), full, pl->file);
	else
		d = cd_aprintf("%s\\%s", cd_reg_root_name(pl->root), full);
	free(full);
	return d;
}

/* "{8-4-4-4-12}" with hex digits: the form of an MSI product code. */
static int is_guid(const char *s)
{
	static const char form[] = "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}";
	size_t i;
	for (i = 0; form[i]; i++) {
		if (form[i] == 'x' ? !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
				       (s[i] >= 'A' && s[i] <= 'F'))
				   : s[i] != form[i])
			return 0;
	}
	return 1;
}

static char *upper_guid(const char *s)
{
	char *g = cd_strndup(s, 38);
	char *p;
	for (p = g; p && *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	return g;
}

/* 1 if the command runs msiexec: "MsiExec.exe /X{...}", or a quoted or
 * plain path whose file name is msiexec. */
static int runs_msiexec(const char *cmd)
{
	const char *p = cmd, *end, *base;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '"') {
		p++;
		end = strchr(p, '"');
	} else {
		end = p + strcspn(p, " \t");
	}
	if (!end)
		end = p + strlen(p);
	for (base = p; p < end; p++)
		if (*p == '\\' || *p == '/')
			base = p + 1;
	return end - base >= 7 && !_strnicmp(base, "msiexec", 7);
}

/* The product code when the entry is an MSI product: the key is a
 * {GUID} marked WindowsInstaller=1 or uninstalled through msiexec, or
 * the uninstall command names the product code itself. */
static char *msi_product_code(const char *key, int windows_installer, const char *uninstall)
{
	int msiexec = uninstall && runs_msiexec(uninstall);
	const char *g;
	if (strlen(key) == 38 && is_guid(key) && (windows_installer || msiexec))
		return upper_guid(key);
	if (!msiexec)
		return NULL;
	for (g = strchr(uninstall, '{'); g; g = strchr(g + 1, '{'))
		if (strlen(g) >= 38 && is_guid(g))
			return upper_guid(g);
	return NULL;
}

static void program(struct cd_probe_ctx *ctx, const struct place *pl, HKEY list, const char *key)
{
	char *path = cd_aprintf("%s\\%s", UNINSTALL, key);
	char *where = path ? describe(pl, path) : NULL;
	char *name = NULL, *version, *publisher, *location, *uninstall, *quiet, *date, *code;
	uint32_t wi = 0, sc = 0;
	int have_sc;
	struct cd_row r;
	HKEY k;
	cd_err e;

	if (!where)
		goto out;
	e = cd_reg_open(list, key, pl->view, &k);
	if (e) {
		cd_probe_error(ctx, where, e, "cannot open the uninstall entry");
		goto out;
	}
	name = cd_reg_probe_str(ctx, k, where, "DisplayName", 0);
	/* Programs and Features lists only entries with a name; so do we. */
	if (!name || !*name) {
		cd_reg_close(k);
		goto out;
	}
	version = cd_reg_probe_str(ctx, k, where, "DisplayVersion", 0);
	publisher = cd_reg_probe_str(ctx, k, where, "Publisher", 0);
	location = cd_reg_probe_str(ctx, k, where, "InstallLocation", 0);
	uninstall = cd_reg_probe_str(ctx, k, where, "UninstallString", 0);
	quiet = cd_reg_probe_str(ctx, k, where, "QuietUninstallString", 0);
	date = cd_reg_probe_str(ctx, k, where, "InstallDate", 0);
	cd_reg_probe_dword(ctx, k, where, "WindowsInstaller", &wi);
	have_sc = cd_reg_probe_dword(ctx, k, where, "SystemComponent", &sc);
	cd_reg_close(k);
	code = msi_product_code(key, wi == 1, uninstall);

	cd_row_init(&r, "programs");
	cd_row_text(&r, "source", pl->source);
	cd_row_text(&r, "user", pl->user);
	cd_row_text(&r, "key", key);
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "version", version);
	cd_row_text(&r, "publisher", publisher);
	cd_row_text(&r, "install_location", location);
	cd_row_text(&r, "uninstall_string", uninstall);
	cd_row_text(&r, "quiet_uninstall_string", quiet);
	cd_row_text(&r, "msi_product_code", code);
	if (have_sc)
		cd_row_int(&r, "system_component", sc);
	cd_row_text(&r, "install_date", date);
	cd_row_insert(ctx->facts, &r);
	free(version);
	free(publisher);
	free(location);
	free(uninstall);
	free(quiet);
	free(date);
	free(code);
out:
	free(name);
	free(where);
	free(path);
}

/* Every entry of one Uninstall key. Opens and closes all its handles
 * itself: a loaded hive can only be unloaded once none is left. */
static void uninstall_list(struct cd_probe_ctx *ctx, const struct place *pl)
{
	char *path = *pl->hive ? cd_aprintf("%s\\%s", pl->hive, UNINSTALL) : cd_strdup(UNINSTALL);
	char **keys = NULL;
	size_t n = 0, i;
	HKEY list;
	cd_err e;

	if (!path)
		return;
	e = cd_reg_open(pl->root, path, pl->view, &list);
	if (e == CD_OK) {
		e = cd_reg_subkeys(list, &keys, &n);
		for (i = 0; e == CD_OK && i < n; i++)
			program(ctx, pl, list, keys[i]);
		cd_free_list(keys, n);
		cd_reg_close(list);
	}
	if (e && e != CD_ERR_NOT_FOUND) {
		char *where = describe(pl, UNINSTALL);
		cd_probe_error(ctx, where ? where : path, e, "cannot list the uninstall entries");
		free(where);
	}
	free(path);
}

/* The account name of a SID ("S-1-5-21-..."), or NULL when it has none
 * here (a deleted or domain account the machine cannot resolve). */
static char *account_name(const char *sid_text)
{
	wchar_t *w = cd_w_from_utf8(sid_text);
	wchar_t name[256], dom[256];
	DWORD nlen = 256, dlen = 256;
	SID_NAME_USE use;
	PSID sid = NULL;
	char *r = NULL;
	if (w && ConvertStringSidToSidW(w, &sid) &&
	    LookupAccountSidW(NULL, sid, name, &nlen, dom, &dlen, &use))
		r = cd_utf8_from_w(name);
	if (sid)
		LocalFree(sid);
	free(w);
	return r;
}

/* The SID of this process's user as text, or NULL. */
static char *current_sid(void)
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

static char *current_user_name(void)
{
	wchar_t name[257];
	DWORD n = 257;
	return GetUserNameW(name, &n) ? cd_utf8_from_w(name) : NULL;
}

/* Service accounts: S-1-5-18 is .DEFAULT under another name, and none of
 * the three is a person who installs drivers. */
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

/* Other users' hives that are loaded now (logged on, or held by a
 * service running as them). */
static void loaded_users(struct cd_probe_ctx *ctx, char **hives, size_t n, const char *self)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct place pl = {HKEY_USERS, hives[i], CD_REG_VIEW_64, "hku", NULL, NULL};
		char *user;
		if (cd_strieq(hives[i], ".DEFAULT") || ends_with_ci(hives[i], "_Classes") ||
		    (self && cd_strieq(hives[i], self)) || service_sid(hives[i]) ||
		    !_strnicmp(hives[i], MOUNT_PREFIX, strlen(MOUNT_PREFIX)))
			continue;
		user = account_name(hives[i]);
		pl.user = user ? user : hives[i];
		uninstall_list(ctx, &pl);
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

/* Loads one user's NTUSER.DAT under HKU\cadoctor_<SID>, reads it, and
 * unloads it again whatever happened in between. */
static void offline_user(struct cd_probe_ctx *ctx, const char *sid, const char *hive_file)
{
	char *mount = cd_aprintf("%s%s", MOUNT_PREFIX, sid);
	wchar_t *wmount = mount ? cd_w_from_utf8(mount) : NULL;
	wchar_t *wfile = cd_w_from_utf8(hive_file);
	char *user = NULL;
	struct place pl = {HKEY_USERS, mount, CD_REG_VIEW_64, "hku", NULL, hive_file};
	HKEY stale;
	LONG rc;

	if (!wmount || !wfile)
		goto out;
	/* A mount of ours left by a run that died: take it down first, or
	 * this user's programs stay unread until a reboot. */
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
	user = account_name(sid);
	pl.user = user ? user : sid;
	uninstall_list(ctx, &pl);
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
			  const char *self)
{
	char **sids = NULL;
	size_t n = 0, i, skipped = 0;
	HANDLE tok = NULL;
	struct privs prev;
	int privileged = -1; /* not tried yet: only when someone needs it */
	HKEY list;
	cd_err e = cd_reg_open(HKEY_LOCAL_MACHINE, PROFILES, CD_REG_VIEW_64, &list);

	if (e == CD_OK) {
		e = cd_reg_subkeys(list, &sids, &n);
		if (e)
			cd_reg_close(list);
	}
	if (e) {
		if (e != CD_ERR_NOT_FOUND) {
			char *where = cd_reg_describe(HKEY_LOCAL_MACHINE, PROFILES, CD_REG_VIEW_64, NULL);
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
		sub = cd_aprintf("%s\\%s", PROFILES, sids[i]);
		where = sub ? cd_reg_describe(HKEY_LOCAL_MACHINE, sub, CD_REG_VIEW_64, NULL) : NULL;
		if (where && (e = cd_reg_open(list, sids[i], CD_REG_VIEW_64, &k)) == CD_OK) {
			dir = cd_reg_probe_str(ctx, k, where, "ProfileImagePath", 1);
			cd_reg_close(k);
		} else if (where) {
			cd_probe_error(ctx, where, e, "cannot open the profile key");
		}
		file = dir && *dir ? cd_aprintf("%s\\NTUSER.DAT", dir) : NULL;
		if (file && cd_win_file_exists(file))
			offline_user(ctx, sids[i], file);
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
		cd_probe_error(ctx, PROFILES, CD_ERR_DENIED,
			       "not elevated: the programs of %lu users not logged on were not read",
			       (unsigned long)skipped);
	cd_free_list(sids, n);
	cd_reg_close(list);
}

static cd_err collect_programs(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	char *self, *me, **hives = NULL;
	size_t n_hives = 0;
	int nv, i;
	cd_err e;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	nv = cd_reg_views(views);
	for (i = 0; i < nv; i++) {
		struct place pl = {HKEY_LOCAL_MACHINE, "", views[i],
				   views[i] == CD_REG_VIEW_64 ? "hklm64" : "hklm32", NULL, NULL};
		uninstall_list(ctx, &pl);
	}

	self = current_sid();
	me = current_user_name();
	{
		/* HKCU\Software is one key for both views since Windows 7. */
		struct place pl = {HKEY_CURRENT_USER, "", CD_REG_VIEW_64, "hkcu", me ? me : self, NULL};
		uninstall_list(ctx, &pl);
	}

	/* Without the list of loaded hives, loading profiles would only fight
	 * with the hives of users who are logged on. */
	e = cd_reg_subkeys(HKEY_USERS, &hives, &n_hives);
	if (e) {
		cd_probe_error(ctx, "HKU", e, "cannot list the loaded user hives");
	} else {
		loaded_users(ctx, hives, n_hives, self);
		offline_users(ctx, hives, n_hives, self);
		cd_free_list(hives, n_hives);
	}
	free(self);
	free(me);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_programs = {
	"windows.programs",
	"programs",
	collect_programs,
};
