/* Native messaging hosts registered for Chrome, Edge, Chromium and Firefox
 * (native_hosts). The signing extensions (CFCA CryptoKit and the like) talk
 * to their vendor's local program through one: when its manifest or program
 * is gone, the page's "sign" or "renew" button does nothing at all.
 *
 * Each host is a key <root>\SOFTWARE\<browser>\NativeMessagingHosts\<name>
 * whose default value is the manifest's path. The browsers read HKCU (shared
 * by both views) and HKLM in both views, so that is what is read here, and
 * the HKCU of every other user (their hive, loaded for the read when they are
 * not logged on), whose browsers read their own. Every
 * host is recorded, whatever its name: vendors name them per customer. */
#include <windows.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_profiles.h"
#include "win32_reg.h"

#define MANIFEST_MAX ((size_t)1 << 20) /* manifests are a few hundred bytes */

static const struct {
	const char *browser;
	const char *key;
	int firefox; /* allowed_extensions instead of allowed_origins */
} hives[] = {
	{"chrome", "SOFTWARE\\Google\\Chrome\\NativeMessagingHosts", 0},
	{"edge", "SOFTWARE\\Microsoft\\Edge\\NativeMessagingHosts", 0},
	{"chromium", "SOFTWARE\\Chromium\\NativeMessagingHosts", 0},
	{"firefox", "SOFTWARE\\Mozilla\\NativeMessagingHosts", 1},
};

/* Everything known about one registered host, for its row. */
struct host {
	char *manifest;
	int manifest_ok; /* -1 unknown */
	char *host_path;
	int host_exists; /* -1 unknown */
	char *origins;
	struct cd_buf error;
};

/* "C:\x\y.exe", "\\srv\x", "/x" are absolute; anything else is relative
 * to the manifest's directory, as the browsers resolve it. */
static int is_absolute(const char *p)
{
	if (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':')
		return 1;
	return p[0] == '\\' || p[0] == '/';
}

static char *resolve_host(const char *manifest, const char *path)
{
	const char *slash = NULL, *p;
	if (is_absolute(path))
		return cd_strdup(path);
	for (p = manifest; *p; p++)
		if (*p == '\\' || *p == '/')
			slash = p;
	if (!slash)
		return cd_strdup(path);
	return cd_aprintf("%.*s\\%s", (int)(slash - manifest), manifest, path);
}

static void add_error(struct host *h, const char *msg)
{
	if (h->error.len)
		cd_buf_adds(&h->error, "; ");
	cd_buf_adds(&h->error, msg);
}

/* Reads and checks the manifest: what the browser would refuse goes into
 * the error text; manifest_ok says only whether it exists and parses. */
static void read_manifest(struct cd_probe_ctx *ctx, struct host *h, const char *name, int firefox)
{
	char *text = NULL, *msg;
	const char *json;
	size_t len = 0;
	cJSON *root, *item;
	cd_err e = cd_read_file(h->manifest, MANIFEST_MAX + 1, &text, &len);

	if (e) {
		h->manifest_ok = 0;
		if (e == CD_ERR_NOT_FOUND) {
			add_error(h, "manifest file does not exist");
		} else if (e == CD_ERR_LIMIT) {
			add_error(h, "manifest file is larger than 1 MiB");
		} else {
			cd_probe_error(ctx, h->manifest, e, "cannot read the manifest of %s: %s", name,
				       cd_err_message(e));
			msg = cd_aprintf("manifest file not readable: %s", cd_err_message(e));
			add_error(h, msg ? msg : "manifest file not readable");
			free(msg);
		}
		return;
	}
	/* A UTF-8 byte order mark is common (Notepad) and the browsers skip it. */
	json = text;
	if (len >= 3 && !memcmp(json, "\xEF\xBB\xBF", 3)) {
		json += 3;
		len -= 3;
	}
	root = cJSON_ParseWithLength(json, len);
	if (!root || !cJSON_IsObject(root)) {
		h->manifest_ok = 0;
		add_error(h, root ? "manifest is not a JSON object" : "manifest is not valid JSON");
		cJSON_Delete(root);
		free(text);
		return;
	}
	h->manifest_ok = 1;

	item = cJSON_GetObjectItemCaseSensitive(root, "path");
	if (cJSON_IsString(item) && item->valuestring[0]) {
		h->host_path = resolve_host(h->manifest, item->valuestring);
		h->host_exists = h->host_path ? cd_win_file_exists(h->host_path) : -1;
	} else {
		add_error(h, "manifest has no \"path\"");
	}

	/* The browsers refuse a manifest whose name is not the registered one. */
	item = cJSON_GetObjectItemCaseSensitive(root, "name");
	if (!cJSON_IsString(item)) {
		add_error(h, "manifest has no \"name\"");
	} else if (strcmp(item->valuestring, name) != 0) {
		msg = cd_aprintf("manifest name \"%s\" is not the registered name", item->valuestring);
		add_error(h, msg ? msg : "manifest name is not the registered name");
		free(msg);
	}

	item = cJSON_GetObjectItemCaseSensitive(root, firefox ? "allowed_extensions" : "allowed_origins");
	if (cJSON_IsArray(item))
		h->origins = cJSON_PrintUnformatted(item);
	else
		add_error(h, firefox ? "manifest has no \"allowed_extensions\" list"
				     : "manifest has no \"allowed_origins\" list");
	cJSON_Delete(root);
	free(text);
}

static void one_host(struct cd_probe_ctx *ctx, HKEY root, const char *base, const char *name,
		     enum cd_reg_view view, const char *browser, int firefox, int user_scope,
		     const char *user)
{
	struct host h;
	struct cd_row r;
	char *sub = cd_aprintf("%s\\%s", base, name), *where;
	HKEY k = NULL;
	cd_err e;

	if (!sub)
		return;
	memset(&h, 0, sizeof(h));
	h.manifest_ok = -1;
	h.host_exists = -1;
	cd_buf_init(&h.error, 1 << 16);
	e = cd_reg_open(root, sub, view, &k);
	if (e == CD_OK)
		e = cd_reg_get_str(k, "", 1, &h.manifest);
	cd_reg_close(k);
	if (e == CD_ERR_NOT_FOUND) {
		h.manifest_ok = 0;
		add_error(&h, "no manifest path registered (default value missing)");
	} else if (e) {
		where = cd_reg_describe(root, sub, view, "(default)");
		cd_probe_error(ctx, where, e, "cannot read the manifest path: %s", cd_err_message(e));
		free(where);
		add_error(&h, "manifest path not readable");
	} else if (!*h.manifest) {
		h.manifest_ok = 0;
		add_error(&h, "manifest path is empty");
	} else {
		read_manifest(ctx, &h, name, firefox);
	}

	cd_row_init(&r, "native_hosts");
	cd_row_text(&r, "browser", browser);
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "scope", user_scope ? "user" : "machine");
	cd_row_text(&r, "view", cd_reg_view_name(view));
	cd_row_text(&r, "manifest_path", h.manifest && *h.manifest ? h.manifest : NULL);
	cd_row_bool(&r, "manifest_ok", h.manifest_ok);
	cd_row_text(&r, "host_path", h.host_path);
	cd_row_bool(&r, "host_exists", h.host_exists);
	cd_row_text(&r, "allowed_origins", h.origins);
	cd_row_text(&r, "error", h.error.len ? cd_buf_str(&h.error) : NULL);
	cd_row_text(&r, "user", user_scope ? user : NULL);
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, name, CD_ERR_SQL, "cannot store the native_hosts row");
	cd_buf_release(&h.error);
	free(h.manifest);
	free(h.host_path);
	free(h.origins);
	free(sub);
}

/* The hosts of one browser under root\prefix (prefix NULL, or another
 * user's hive under HKU); user is whose they are, for per-user ones. */
static void hosts_under(struct cd_probe_ctx *ctx, HKEY root, const char *prefix,
			enum cd_reg_view view, size_t hive, int user_scope, const char *user)
{
	HKEY k = NULL;
	char **names = NULL;
	size_t n = 0, i;
	char *base = prefix ? cd_aprintf("%s\\%s", prefix, hives[hive].key) : cd_strdup(hives[hive].key);
	cd_err e = base ? cd_reg_open(root, base, view, &k) : CD_ERR_NOMEM;
	if (e == CD_OK)
		e = cd_reg_subkeys(k, &names, &n);
	cd_reg_close(k);
	if (e) {
		if (e != CD_ERR_NOT_FOUND) {
			char *t = cd_reg_describe(root, base ? base : hives[hive].key, view, NULL);
			cd_probe_error(ctx, t, e, "cannot list native messaging hosts: %s",
				       cd_err_message(e));
			free(t);
		}
		free(base);
		return;
	}
	for (i = 0; i < n; i++)
		one_host(ctx, root, base, names[i], view, hives[hive].browser, hives[hive].firefox,
			 user_scope, user);
	cd_free_list(names, n);
	free(base);
}

/* Another user's per-user hosts (cd_win_other_hives): HKCU\SOFTWARE is
 * one key for both views, read in the machine's own view. */
static void other_user(struct cd_probe_ctx *ctx, const char *sid, const char *user,
		       const char *hive, const char *file, void *ud)
{
	enum cd_reg_view views[2];
	size_t b;
	(void)sid;
	(void)file;
	(void)ud;
	cd_reg_views(views);
	for (b = 0; b < sizeof(hives) / sizeof(hives[0]); b++)
		hosts_under(ctx, HKEY_USERS, hive, views[0], b, 1, user);
}

static cd_err collect_native_hosts(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	int nviews = cd_reg_views(views), v;
	size_t b;
	char *me;

	/* The registry read here is this machine's, not the mounted system's. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	/* A per-user host serves only its user's profiles: rows say whose. */
	me = cd_win_current_user();
	for (b = 0; b < sizeof(hives) / sizeof(hives[0]); b++) {
		/* HKCU\SOFTWARE is one key for both views: read once, in the
		 * machine's own view. */
		hosts_under(ctx, HKEY_CURRENT_USER, NULL, views[0], b, 1, me);
		for (v = 0; v < nviews; v++)
			hosts_under(ctx, HKEY_LOCAL_MACHINE, NULL, views[v], b, 0, NULL);
	}
	free(me);
	/* Other users' own registrations, when elevated also of those not
	 * logged on: their browsers read them, not ours. */
	cd_win_other_hives(ctx, "native messaging hosts", other_user, NULL);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_native_hosts = {
	"windows.native_hosts",
	"native_hosts",
	collect_native_hosts,
};
