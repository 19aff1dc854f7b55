/* Browser policies on Windows (browser_policies): what Group Policy or an
 * administrator's .reg file set for Chrome, Chromium, Edge and Firefox under
 * HKLM and HKCU\SOFTWARE\Policies, and Firefox's policies.json in its
 * install's distribution folder. Rows are the same as the Linux policy files
 * give (browser_collect.c): one per policy, lists and dictionaries as JSON,
 * so one set of rules reads both.
 *
 * How the browsers turn the registry into policies, and so how it is read
 * here:
 *   - a value is a policy: REG_SZ a string, REG_DWORD a number (booleans are
 *     0/1); dictionary policies (ExtensionSettings) are a REG_SZ holding JSON;
 *   - a subkey is a list when it holds values named 1, 2, 3, ... (Chrome's
 *     ExtensionInstallForcelist: "id;update_url" strings, read in number
 *     order up to the first gap), otherwise a dictionary of its values and
 *     subkeys (Firefox writes SecurityDevices\Add, Extensions\Install so);
 *   - Firefox parses a REG_MULTI_SZ as JSON text (lines joined);
 *   - Chromium-family "Recommended" subkeys are defaults the user may change.
 * A value the browser cannot use (JSON that does not parse, a type it does not
 * read) is a probe error and no row: the browser ignores it too. Keys nested
 * deeper than MAX_DEPTH are left out of their policy's value, with a probe
 * error (no real policy is that deep; the walk over the registry recurses).
 *
 * Software\Policies is read in the machine's native view, where Group Policy
 * writes it. HKCU policies are the current user's and, through their hives
 * (loaded for the read when they are not logged on, which needs an elevated
 * process), every other user's; rows name the user they apply to. */
#include <windows.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "browser.h"
#include "win32_profiles.h"
#include "win32_reg.h"

#define APP_PATHS_FIREFOX "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\firefox.exe"
#define MAX_DEPTH 8    /* real policy trees are 3 levels deep; deeper is refused */
#define MAX_ITEMS 5000 /* values read into one list or dictionary */

static const struct {
	const char *browser;
	const char *key;
	int firefox;
} places[] = {
	{"chrome", "SOFTWARE\\Policies\\Google\\Chrome", 0},
	{"chromium", "SOFTWARE\\Policies\\Chromium", 0},
	{"edge", "SOFTWARE\\Policies\\Microsoft\\Edge", 0},
	{"firefox", "SOFTWARE\\Policies\\Mozilla\\Firefox", 1},
};

/* Policies whose REG_SZ is a JSON dictionary in both browser families. */
static int json_policy(const char *name)
{
	return cd_strieq(name, "ExtensionSettings");
}

struct walk {
	struct cd_probe_ctx *ctx;
	HKEY root;
	enum cd_reg_view view;
	int firefox;
	const char *user; /* whose HKCU policies these are, NULL for HKLM */
};

static void bad_value(const struct walk *w, const char *sub, const char *value, cd_err e, const char *what)
{
	char *where = cd_reg_describe(w->root, sub, w->view, value);
	cd_probe_error(w->ctx, where ? where : sub, e, "browser policy %s", what);
	free(where);
}

/* One value as the browser reads it, or NULL (recorded) when it cannot. */
static cJSON *read_value(const struct walk *w, HKEY h, const char *sub, const char *name, int top)
{
	char *s = NULL, **items = NULL;
	size_t n = 0, i;
	uint32_t d;
	cJSON *v = NULL;
	cd_err e = cd_reg_get_str(h, name, 0, &s);

	if (e == CD_OK) {
		if (top && json_policy(name)) {
			const char *why = NULL;
			v = cd_bjson_parse(s, strlen(s), &why);
			if (!v) {
				char *m = cd_aprintf("is %s", why ? why : "not JSON");
				bad_value(w, sub, name, CD_ERR_PARSE, m ? m : "is not JSON");
				free(m);
			}
		} else {
			v = cJSON_CreateString(s);
		}
		free(s);
		return v;
	}
	if (e == CD_ERR_PARSE && (e = cd_reg_get_dword(h, name, &d)) == CD_OK)
		return cJSON_CreateNumber((double)d);
	if (e == CD_ERR_PARSE && (e = cd_reg_get_multi(h, name, &items, &n)) == CD_OK) {
		struct cd_buf b;
		if (!w->firefox) {
			cd_free_list(items, n);
			bad_value(w, sub, name, CD_ERR_PARSE, "is a REG_MULTI_SZ, which Chromium browsers do not read");
			return NULL;
		}
		cd_buf_init(&b, CD_REG_MAX_VALUE);
		for (i = 0; i < n; i++) {
			cd_buf_adds(&b, items[i]);
			cd_buf_addc(&b, '\n');
		}
		cd_free_list(items, n);
		v = cJSON_ParseWithLength(cd_buf_str(&b), b.len);
		cd_buf_release(&b);
		if (!v)
			bad_value(w, sub, name, CD_ERR_PARSE, "is a REG_MULTI_SZ that is not valid JSON (or nested too deeply)");
		return v;
	}
	if (e == CD_ERR_PARSE)
		bad_value(w, sub, name, e, "has a type the browser does not read (not REG_SZ, REG_DWORD or REG_MULTI_SZ)");
	else if (e != CD_ERR_NOT_FOUND)
		bad_value(w, sub, name, e, "cannot be read");
	return NULL;
}

static int has_name(char **names, size_t n, const char *name)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (cd_strieq(names[i], name))
			return 1;
	return 0;
}

/* Counts names that are positive numbers. */
static size_t numbered(char **names, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++) {
		const char *p = names[i];
		if (*p < '1' || *p > '9')
			continue;
		while (*p >= '0' && *p <= '9')
			p++;
		c += *p == '\0';
	}
	return c;
}

static cJSON *key_to_json(const struct walk *w, const char *sub, int depth);

/* A list: values (or, Firefox, subkeys) 1, 2, 3, ... in number order up to
 * the first gap, as the browsers read them. */
static cJSON *key_list(const struct walk *w, HKEY h, const char *sub, char **names, size_t n, int keys,
		       int depth)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i, num = numbered(names, n), got = 0;
	char idx[24];

	for (i = 1; arr && i <= MAX_ITEMS; i++) {
		cJSON *item;
		snprintf(idx, sizeof(idx), "%u", (unsigned)i);
		if (!has_name(names, n, idx))
			break;
		got++;
		if (keys) {
			char *child = cd_aprintf("%s\\%s", sub, idx);
			item = child ? key_to_json(w, child, depth + 1) : NULL;
			free(child);
		} else {
			item = read_value(w, h, sub, idx, 0);
		}
		if (item)
			cJSON_AddItemToArray(arr, item);
	}
	if (got < num)
		bad_value(w, sub, NULL, CD_ERR_PARSE,
			  "is a list with a gap in its numbering: the browser ignores the items after it");
	return arr;
}

/* The policy value a key stands for, or NULL (recorded). */
static cJSON *key_to_json(const struct walk *w, const char *sub, int depth)
{
	HKEY h = NULL;
	char **vals = NULL, **keys = NULL;
	size_t nv = 0, nk = 0, i;
	cJSON *out = NULL;
	cd_err e;

	if (depth > MAX_DEPTH) {
		bad_value(w, sub, NULL, CD_ERR_LIMIT, "is nested deeper than any policy the browsers know");
		return NULL;
	}
	e = cd_reg_open(w->root, sub, w->view, &h);
	if (e == CD_OK)
		e = cd_reg_value_names(h, &vals, &nv);
	if (e == CD_OK)
		e = cd_reg_subkeys(h, &keys, &nk);
	if (e) {
		if (e != CD_ERR_NOT_FOUND)
			bad_value(w, sub, NULL, e, "cannot be read");
		goto done;
	}
	if (nv + nk > MAX_ITEMS) {
		bad_value(w, sub, NULL, CD_ERR_LIMIT, "key has more entries than any real policy");
		goto done;
	}
	if (has_name(vals, nv, "1")) {
		out = key_list(w, h, sub, vals, nv, 0, depth);
	} else if (!nv && has_name(keys, nk, "1")) {
		out = key_list(w, h, sub, keys, nk, 1, depth);
	} else {
		out = cJSON_CreateObject();
		for (i = 0; out && i < nv; i++) {
			cJSON *v;
			if (!vals[i][0])
				continue; /* the default value names no policy */
			v = read_value(w, h, sub, vals[i], 0);
			if (v)
				cJSON_AddItemToObject(out, vals[i], v);
		}
		for (i = 0; out && i < nk; i++) {
			char *child = cd_aprintf("%s\\%s", sub, keys[i]);
			cJSON *v = child ? key_to_json(w, child, depth + 1) : NULL;
			free(child);
			if (v)
				cJSON_AddItemToObject(out, keys[i], v);
		}
	}
done:
	cd_free_list(vals, nv);
	cd_free_list(keys, nk);
	cd_reg_close(h);
	return out;
}

static void policy_row(const struct walk *w, const char *browser, const char *scope, const char *policy,
		       const char *sub, const cJSON *v)
{
	struct cd_row r;
	char *printed = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
	char *source = cd_aprintf("%s\\%s", cd_reg_root_name(w->root), sub);

	cd_row_init(&r, "browser_policies");
	cd_row_text(&r, "browser", browser);
	cd_row_text(&r, "scope", scope);
	cd_row_text(&r, "policy", policy);
	cd_row_text(&r, "value", cJSON_IsString(v) ? v->valuestring : printed);
	cd_row_text(&r, "source", source);
	cd_row_text(&r, "user", w->user);
	if (cd_row_insert(w->ctx->facts, &r))
		cd_probe_error(w->ctx, source ? source : sub, CD_ERR_SQL, "cannot store a browser_policies row");
	free(source);
	if (printed)
		cJSON_free(printed);
}

/* Every policy of one policy key: its values and its subkeys. */
static void policies_under(const struct walk *w, const char *browser, const char *scope, const char *base)
{
	HKEY h = NULL;
	char **vals = NULL, **keys = NULL;
	size_t nv = 0, nk = 0, i;
	cd_err e = cd_reg_open(w->root, base, w->view, &h);

	if (e == CD_OK)
		e = cd_reg_value_names(h, &vals, &nv);
	if (e == CD_OK)
		e = cd_reg_subkeys(h, &keys, &nk);
	if (e) {
		if (e != CD_ERR_NOT_FOUND)
			bad_value(w, base, NULL, e, "cannot be read");
		cd_reg_close(h);
		return;
	}
	for (i = 0; i < nv; i++) {
		cJSON *v;
		if (!vals[i][0])
			continue;
		v = read_value(w, h, base, vals[i], 1);
		if (v)
			policy_row(w, browser, scope, vals[i], base, v);
		cJSON_Delete(v);
	}
	for (i = 0; i < nk; i++) {
		char *child;
		cJSON *v;
		/* Chromium's recommended policies are read on their own. */
		if (!w->firefox && cd_strieq(keys[i], "Recommended"))
			continue;
		child = cd_aprintf("%s\\%s", base, keys[i]);
		v = child ? key_to_json(w, child, 1) : NULL;
		if (v)
			policy_row(w, browser, scope, keys[i], child, v);
		cJSON_Delete(v);
		free(child);
	}
	cd_free_list(vals, nv);
	cd_free_list(keys, nk);
	cd_reg_close(h);
}

/* The folder of the firefox.exe App Paths names (HKLM in each view, then
 * HKCU), or NULL. */
static char *firefox_dir(struct cd_probe_ctx *ctx, const enum cd_reg_view *views, int nv)
{
	int i;
	for (i = 0; i <= nv; i++) {
		HKEY root = i < nv ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
		enum cd_reg_view view = i < nv ? views[i] : views[0];
		char *where, *raw, *p, *path, *slash;
		size_t n;
		HKEY h;
		cd_err e = cd_reg_open(root, APP_PATHS_FIREFOX, view, &h);

		if (e) {
			if (e != CD_ERR_NOT_FOUND) {
				where = cd_reg_describe(root, APP_PATHS_FIREFOX, view, NULL);
				cd_probe_error(ctx, where ? where : APP_PATHS_FIREFOX, e, "cannot open the App Paths key");
				free(where);
			}
			continue;
		}
		where = cd_reg_describe(root, APP_PATHS_FIREFOX, view, NULL);
		raw = where ? cd_reg_probe_str(ctx, h, where, "", 1) : NULL;
		cd_reg_close(h);
		free(where);
		if (!raw)
			continue;
		p = cd_trim(raw);
		n = strlen(p);
		if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
			p[n - 1] = '\0';
			p++;
		}
		path = *p ? cd_win_expand_path(p, view) : NULL;
		free(raw);
		if (path && cd_win_file_exists(path) && (slash = strrchr(path, '\\')) != NULL) {
			*slash = '\0';
			return path;
		}
		free(path);
	}
	return NULL;
}

/* The policies of one browser in one policy root (HKLM, HKCU or another
 * user's hive under HKU, prefix its key there). */
static void browser_places(struct walk *w, size_t p, const char *prefix, const char *scope)
{
	char *key = prefix ? cd_aprintf("%s\\%s", prefix, places[p].key) : cd_strdup(places[p].key);
	char *rec;
	if (!key)
		return;
	w->firefox = places[p].firefox;
	policies_under(w, places[p].browser, scope, key);
	if (!places[p].firefox) {
		rec = cd_aprintf("%s\\Recommended", key);
		if (rec)
			policies_under(w, places[p].browser, "recommended", rec);
		free(rec);
	}
	free(key);
}

/* Another user's own policies (cd_win_other_hives): they apply to that
 * user's browsers only. */
static void other_user(struct cd_probe_ctx *ctx, const char *sid, const char *user,
		       const char *hive, const char *file, void *ud)
{
	struct walk w;
	size_t p;
	(void)sid;
	(void)file;
	w.ctx = ctx;
	w.root = HKEY_USERS;
	w.view = *(const enum cd_reg_view *)ud;
	w.user = user;
	for (p = 0; p < sizeof(places) / sizeof(places[0]); p++)
		browser_places(&w, p, hive, "user");
}

static cd_err collect_policies(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	int nv;
	size_t p;
	char *ff, *me;

	/* The registry read here is this machine's, not a mounted system's. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	nv = cd_reg_views(views);
	me = cd_win_current_user();
	for (p = 0; p < sizeof(places) / sizeof(places[0]); p++) {
		/* Machine policies first: they win over the user's. */
		struct walk w;
		int r;
		for (r = 0; r < 2; r++) {
			w.ctx = ctx;
			w.root = r ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE;
			w.view = views[0];
			w.user = r ? me : NULL;
			browser_places(&w, p, NULL, r ? "user" : "machine");
		}
	}
	free(me);
	/* Every other user's HKCU policies (loaded for the read when they
	 * are not logged on): each applies to that user's profiles only. */
	cd_win_other_hives(ctx, "browser policies", other_user, &views[0]);
	/* Firefox also reads distribution\policies.json next to firefox.exe;
	 * registry policies win where both set one. */
	ff = firefox_dir(ctx, views, nv);
	if (ff) {
		char *file = cd_aprintf("%s\\distribution\\policies.json", ff);
		if (file)
			cd_browser_firefox_policies(ctx, "machine", file);
		free(file);
	}
	free(ff);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_browser_policies = {
	"windows.browser_policies",
	"browser_policies",
	collect_policies,
};
