/* Installed browsers: the App Paths registrations of the browsers users
 * bring to online-banking and government pages, the executable each names
 * (when it exists) with its file version, and which one is the user's
 * default for https links. */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_reg.h"

#define APP_PATHS "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths"
#define USER_CHOICE "Software\\Microsoft\\Windows\\Shell\\Associations\\UrlAssociations\\https\\UserChoice"
#define IE_KEY "SOFTWARE\\Microsoft\\Internet Explorer"

static const struct {
	const char *id, *exe;
} browsers[] = {
	{"chrome", "chrome.exe"},   {"edge", "msedge.exe"},   {"firefox", "firefox.exe"},
	{"ie", "iexplore.exe"},     {"360se", "360se.exe"},   {"360chrome", "360chrome.exe"},
};

/* The browser id of the user's https handler (UserChoice ProgId), or NULL. */
static const char *default_browser(struct cd_probe_ctx *ctx)
{
	HKEY h;
	char *where, *progid;
	const char *id = NULL;
	cd_err e = cd_reg_open(HKEY_CURRENT_USER, USER_CHOICE, CD_REG_VIEW_64, &h);
	if (e) {
		if (e != CD_ERR_NOT_FOUND) {
			where = cd_reg_describe(HKEY_CURRENT_USER, USER_CHOICE, CD_REG_VIEW_64, NULL);
			cd_probe_error(ctx, where, e, "cannot open the https UserChoice key");
			free(where);
		}
		return NULL;
	}
	where = cd_reg_describe(HKEY_CURRENT_USER, USER_CHOICE, CD_REG_VIEW_64, NULL);
	progid = where ? cd_reg_probe_str(ctx, h, where, "ProgId", 0) : NULL;
	cd_reg_close(h);
	if (progid) {
		if (cd_strieq(progid, "ChromeHTML"))
			id = "chrome";
		else if (cd_strieq(progid, "MSEdgeHTM"))
			id = "edge";
		else if (!_strnicmp(progid, "FirefoxURL", 10))
			id = "firefox";
		else if (cd_strieq(progid, "IE.HTTPS"))
			id = "ie";
	}
	free(progid);
	free(where);
	return id;
}

/* IE's own version: svcVersion (IE 10 and later), else Version. */
static char *ie_version(struct cd_probe_ctx *ctx)
{
	HKEY h;
	char *where, *v = NULL;
	cd_err e = cd_reg_open(HKEY_LOCAL_MACHINE, IE_KEY, CD_REG_VIEW_64, &h);
	if (e) {
		if (e != CD_ERR_NOT_FOUND) {
			where = cd_reg_describe(HKEY_LOCAL_MACHINE, IE_KEY, CD_REG_VIEW_64, NULL);
			cd_probe_error(ctx, where, e, "cannot open the Internet Explorer key");
			free(where);
		}
		return NULL;
	}
	where = cd_reg_describe(HKEY_LOCAL_MACHINE, IE_KEY, CD_REG_VIEW_64, NULL);
	if (where) {
		v = cd_reg_probe_str(ctx, h, where, "svcVersion", 0);
		if (v && !*v) {
			free(v);
			v = NULL;
		}
		if (!v)
			v = cd_reg_probe_str(ctx, h, where, "Version", 0);
		if (v && !*v) {
			free(v);
			v = NULL;
		}
	}
	cd_reg_close(h);
	free(where);
	return v;
}

/* The registry key text of root\subkey as a view shows it: the 32-bit view
 * of HKLM\SOFTWARE on 64-bit Windows is WOW6432Node. */
static char *key_text(HKEY root, const char *subkey, enum cd_reg_view view)
{
	enum cd_reg_view views[2];
	if (root == HKEY_LOCAL_MACHINE && view == CD_REG_VIEW_32 && cd_reg_views(views) == 2 &&
	    !_strnicmp(subkey, "SOFTWARE\\", 9))
		return cd_aprintf("%s\\SOFTWARE\\WOW6432Node\\%s", cd_reg_root_name(root), subkey + 9);
	return cd_aprintf("%s\\%s", cd_reg_root_name(root), subkey);
}

/* The executable an App Paths key names, expanded and unquoted, if it
 * exists; NULL otherwise. */
static char *app_path(struct cd_probe_ctx *ctx, HKEY root, const char *subkey, enum cd_reg_view view)
{
	HKEY h;
	char *where = cd_reg_describe(root, subkey, view, NULL);
	char *raw = NULL, *p, *path = NULL;
	size_t n;
	cd_err e;

	if (!where)
		return NULL;
	e = cd_reg_open(root, subkey, view, &h);
	if (e) {
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, where, e, "cannot open the App Paths key");
		free(where);
		return NULL;
	}
	raw = cd_reg_probe_str(ctx, h, where, "", 1);
	cd_reg_close(h);
	free(where);
	if (!raw)
		return NULL;
	p = cd_trim(raw);
	n = strlen(p);
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p[n - 1] = '\0';
		p++;
	}
	if (*p) {
		path = cd_win_expand_path(p, view);
		if (path && !cd_win_file_exists(path)) {
			free(path);
			path = NULL;
		}
	}
	free(raw);
	return path;
}

static cd_err collect_browsers(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	const char *def;
	size_t b;
	int nv;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	nv = cd_reg_views(views);
	def = default_browser(ctx);
	for (b = 0; b < sizeof(browsers) / sizeof(browsers[0]); b++) {
		char *subkey = cd_aprintf("%s\\%s", APP_PATHS, browsers[b].exe);
		char *path = NULL, *source = NULL, *version;
		struct cd_row r;
		int i;

		if (!subkey)
			return CD_ERR_NOMEM;
		/* HKLM in each view, then HKCU (per-user installs): the first
		 * registration whose executable exists is the browser's row. */
		for (i = 0; i <= nv && !path; i++) {
			HKEY root = i < nv ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
			enum cd_reg_view view = i < nv ? views[i] : views[0];
			path = app_path(ctx, root, subkey, view);
			if (path)
				source = key_text(root, subkey, view);
		}
		free(subkey);
		if (!path)
			continue;
		version = !strcmp(browsers[b].id, "ie") ? ie_version(ctx) : NULL;
		if (!version)
			version = cd_win_file_version(path);
		cd_row_init(&r, "browsers");
		cd_row_text(&r, "browser", browsers[b].id);
		cd_row_text(&r, "version", version);
		cd_row_text(&r, "path", path);
		cd_row_text(&r, "source", source);
		cd_row_bool(&r, "is_default", def && !strcmp(def, browsers[b].id));
		cd_row_insert(ctx->facts, &r);
		free(version);
		free(source);
		free(path);
	}
	return CD_OK;
}

const struct cd_probe cd_probe_win32_browsers = {
	"windows.browsers",
	"browsers",
	collect_browsers,
};
