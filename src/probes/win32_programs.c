/* Installed programs: the Uninstall keys Programs and Features reads, for the
 * machine (both registry views), the current user, every other user whose
 * hive is loaded, and, when elevated, the users not logged on, whose
 * NTUSER.DAT is loaded for the time of the read. Per-user installs matter
 * here: CA driver packages are often installed "for me only" by whoever
 * handled the token, and a second province's edition hides in another
 * user's hive. */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_profiles.h"
#include "win32_reg.h"

#define UNINSTALL "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall"

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

/* One other user's Uninstall entries (cd_win_other_hives). */
static void other_user(struct cd_probe_ctx *ctx, const char *sid, const char *user,
		       const char *hive, const char *file, void *ud)
{
	struct place pl = {HKEY_USERS, hive, CD_REG_VIEW_64, "hku", user, file};
	(void)sid;
	(void)ud;
	uninstall_list(ctx, &pl);
}

static cd_err collect_programs(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	char *self, *me;
	int nv, i;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	nv = cd_reg_views(views);
	for (i = 0; i < nv; i++) {
		struct place pl = {HKEY_LOCAL_MACHINE, "", views[i],
				   views[i] == CD_REG_VIEW_64 ? "hklm64" : "hklm32", NULL, NULL};
		uninstall_list(ctx, &pl);
	}

	self = cd_win_current_sid();
	me = cd_win_current_user();
	{
		/* HKCU\Software is one key for both views since Windows 7. */
		struct place pl = {HKEY_CURRENT_USER, "", CD_REG_VIEW_64, "hkcu", me ? me : self, NULL};
		uninstall_list(ctx, &pl);
	}

	cd_win_other_hives(ctx, "programs", other_user, NULL);
	free(self);
	free(me);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_programs = {
	"windows.programs",
	"programs",
	collect_programs,
};
