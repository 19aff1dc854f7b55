/* Collectors of browser facts (browser.h): read the files of one place,
 * given as system paths, and write browser_profiles, browser_extensions,
 * browser_policies and native_hosts rows. Portable: files through the
 * platform layer, paths mapped under --root with cd_probe_path. */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "browser.h"

#define MAX_INI ((size_t)1 << 20)
#define MAX_MANIFEST ((size_t)1 << 20)

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n && (dir[n - 1] == '/' || dir[n - 1] == '\\'))
		return cd_aprintf("%s%s", dir, name);
	return cd_aprintf("%s%c%s", dir, CD_PATH_SEP, name);
}

static int sys_is_dir(struct cd_probe_ctx *ctx, const char *sys)
{
	char *p = cd_probe_path(ctx, sys);
	int r = p && cd_is_dir(p);
	free(p);
	return r;
}

static int sys_exists(struct cd_probe_ctx *ctx, const char *sys)
{
	char *p = cd_probe_path(ctx, sys);
	int r = p && cd_path_exists(p);
	free(p);
	return r;
}

/* Reads a system file. CD_ERR_NOT_FOUND is returned silently; any other
 * failure is recorded as a probe error naming what the file is. */
static cd_err read_sys(struct cd_probe_ctx *ctx, const char *sys, size_t max, const char *what, char **text,
		       size_t *len)
{
	char *p = cd_probe_path(ctx, sys);
	cd_err e = p ? cd_read_file(p, max, text, len) : CD_ERR_NOMEM;
	free(p);
	if (e && e != CD_ERR_NOT_FOUND)
		cd_probe_error(ctx, sys, e, "cannot read %s: %s", what,
			       e == CD_ERR_LIMIT ? "the file is too large" : cd_err_message(e));
	return e;
}

/* Reads and parses a JSON system file; a file that does not parse is a
 * probe error (CD_ERR_PARSE returned). */
static cd_err read_json(struct cd_probe_ctx *ctx, const char *sys, const char *what, cJSON **out)
{
	char *text = NULL;
	size_t len = 0;
	const char *why = NULL;
	cd_err e = read_sys(ctx, sys, CD_BROWSER_MAX_JSON, what, &text, &len);
	*out = NULL;
	if (e)
		return e;
	*out = cd_bjson_parse(text, len, &why);
	free(text);
	if (!*out) {
		cd_probe_error(ctx, sys, CD_ERR_PARSE, "%s is %s", what, why);
		return CD_ERR_PARSE;
	}
	return CD_OK;
}

static void insert(struct cd_probe_ctx *ctx, struct cd_row *r, const char *target)
{
	if (cd_row_insert(ctx->facts, r))
		cd_probe_error(ctx, target, CD_ERR_SQL, "cannot store a %s row", r->table);
}

static int is_absolute(const char *p)
{
	return p[0] == '/' || p[0] == '\\' ||
	       (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':');
}

static void ext_rows(struct cd_probe_ctx *ctx, const char *browser, const char *user, const char *profile_dir,
		     const char *source_file, const struct cd_bext_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		const struct cd_bext *e = &l->v[i];
		struct cd_row r;
		cd_row_init(&r, "browser_extensions");
		cd_row_text(&r, "browser", browser);
		cd_row_text(&r, "user", user);
		cd_row_text(&r, "profile_dir", profile_dir);
		cd_row_text(&r, "ext_id", e->ext_id);
		cd_row_text(&r, "name", e->name);
		cd_row_text(&r, "version", e->version);
		cd_row_bool(&r, "enabled", e->enabled);
		cd_row_text(&r, "state", e->state);
		cd_row_text(&r, "disable_reasons", e->disable_reasons);
		cd_row_text(&r, "location", e->location);
		cd_row_bool(&r, "from_webstore", e->from_webstore);
		cd_row_bool(&r, "incognito_allowed", e->incognito_allowed);
		cd_row_bool(&r, "user_disabled", e->user_disabled);
		cd_row_bool(&r, "app_disabled", e->app_disabled);
		cd_row_bool(&r, "soft_disabled", e->soft_disabled);
		if (e->signed_state != INT_MIN)
			cd_row_int(&r, "signed_state", e->signed_state);
		else
			cd_row_null(&r, "signed_state");
		cd_row_text(&r, "path", e->path);
		cd_row_text(&r, "source_file", source_file);
		insert(ctx, &r, source_file);
	}
}

static void profile_row(struct cd_probe_ctx *ctx, const char *browser, const char *user, const char *dir,
			const char *name, int is_default, const char *source, int readable, const char *nss_dir,
			const char *version)
{
	struct cd_row r;
	cd_row_init(&r, "browser_profiles");
	cd_row_text(&r, "browser", browser);
	cd_row_text(&r, "user", user);
	cd_row_text(&r, "profile_dir", dir);
	cd_row_text(&r, "profile_name", name);
	cd_row_bool(&r, "is_default", is_default);
	cd_row_text(&r, "source", source);
	cd_row_bool(&r, "readable", readable);
	cd_row_text(&r, "nss_dir", nss_dir);
	cd_row_text(&r, "browser_version", version);
	insert(ctx, &r, dir);
}

/* ---- Chromium ---- */

/* Name, version and locale from the extension's own manifest.json, and a
 * __MSG_ name resolved from _locales/<default_locale>/messages.json. The
 * extension directory is absolute for unpacked ones, else relative to the
 * profile's Extensions folder. Missing files are not errors: an extension
 * whose folder is gone keeps its id and state. */
static void chromium_resolve(struct cd_probe_ctx *ctx, const char *profile_dir, struct cd_bext *e)
{
	char *dir = NULL, *key;
	cJSON *doc = NULL;

	if (!e->path || !*e->path)
		return;
	if (is_absolute(e->path)) {
		dir = cd_strdup(e->path);
	} else {
		char *ext = join(profile_dir, "Extensions");
		dir = ext ? join(ext, e->path) : NULL;
		free(ext);
	}
	if (!dir)
		return;
	if (!e->has_manifest || !e->name || !e->version) {
		char *mf = join(dir, "manifest.json");
		if (mf && read_json(ctx, mf, "the extension manifest", &doc) == CD_OK)
			cd_bprefs_manifest_fill(doc, e);
		cJSON_Delete(doc);
		doc = NULL;
		free(mf);
	}
	key = cd_bprefs_msg_key(e->name);
	if (key && e->default_locale) {
		char *rel = cd_aprintf("_locales%c%s%cmessages.json", CD_PATH_SEP, e->default_locale, CD_PATH_SEP);
		char *mf = rel ? join(dir, rel) : NULL;
		if (mf && read_json(ctx, mf, "the extension messages", &doc) == CD_OK) {
			char *msg = cd_bprefs_message(doc, key);
			if (msg) {
				free(e->name);
				e->name = msg;
			}
		}
		cJSON_Delete(doc);
		free(mf);
		free(rel);
	}
	free(key);
	free(dir);
}

static void chromium_profile(struct cd_probe_ctx *ctx, const char *browser, const char *user, const char *sys_dir,
			     const struct cd_bprof *p, const char *source, const char *nss_dir, const char *last_version)
{
	char *dir = join(sys_dir, p->dir), *pf = NULL, *sf = NULL, *version = NULL;
	cJSON *prefs = NULL, *secure = NULL;
	struct cd_bext_list l = { 0 };
	int readable = 1;
	cd_err e;
	size_t i;

	if (!dir)
		return;
	pf = join(dir, "Preferences");
	sf = join(dir, "Secure Preferences");
	if (!pf || !sf)
		goto out;
	e = read_json(ctx, pf, "Chromium Preferences", &prefs);
	if (e && e != CD_ERR_NOT_FOUND)
		readable = 0;
	e = read_json(ctx, sf, "Chromium Secure Preferences", &secure);
	if (e && e != CD_ERR_NOT_FOUND)
		readable = 0;
	if (cd_bprefs_chromium_extensions(prefs, secure, &l))
		cd_probe_error(ctx, pf, CD_ERR_NOMEM, "out of memory listing extensions");
	for (i = 0; i < l.n; i++)
		chromium_resolve(ctx, dir, &l.v[i]);
	version = cd_bprefs_chromium_version(prefs);
	profile_row(ctx, browser, user, dir, p->name, p->is_default, source, readable, nss_dir,
		    version ? version : last_version);
	/* Both files feed the state: name the one that holds the settings. */
	ext_rows(ctx, browser, user, dir, secure && cJSON_GetObjectItemCaseSensitive(secure, "extensions") ? sf : pf, &l);
out:
	cd_bext_list_release(&l);
	cJSON_Delete(prefs);
	cJSON_Delete(secure);
	free(version);
	free(pf);
	free(sf);
	free(dir);
}

static int listed(const struct cd_bprof_list *l, const char *dir)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].dir, dir))
			return 1;
	return 0;
}

void cd_browser_chromium_dir(struct cd_probe_ctx *ctx, const char *browser, const char *user, const char *sys_dir,
			     const char *nss_dir)
{
	struct cd_bprof_list profiles = { 0 };
	cJSON *ls = NULL;
	char *lsf, *path, *lv = NULL, **names = NULL;
	size_t n = 0, i, listed_n;

	if (!sys_is_dir(ctx, sys_dir))
		return;
	lsf = join(sys_dir, "Local State");
	if (lsf && read_json(ctx, lsf, "Chromium Local State", &ls) == CD_OK &&
	    cd_bini_local_state(ls, &profiles) != CD_OK)
		cd_probe_error(ctx, lsf, CD_ERR_NOMEM, "out of memory listing profiles");
	cJSON_Delete(ls);
	free(lsf);
	listed_n = profiles.n;

	/* Profile folders on disk that Local State does not list (a damaged or
	 * missing Local State, a profile copied in). */
	path = cd_probe_path(ctx, sys_dir);
	if (path && cd_list_dir(path, &names, &n) == CD_OK) {
		for (i = 0; i < n; i++) {
			char *sub, *pf;
			if (listed(&profiles, names[i]) || !strcmp(names[i], "System Profile") ||
			    !strcmp(names[i], "Guest Profile"))
				continue;
			sub = join(sys_dir, names[i]);
			pf = sub ? join(sub, "Preferences") : NULL;
			if (pf && sys_exists(ctx, pf) && sys_is_dir(ctx, sub)) {
				struct cd_bprof *p;
				if (profiles.n == profiles.cap) {
					size_t cap = profiles.cap ? profiles.cap * 2 : 8;
					struct cd_bprof *v = realloc(profiles.v, cap * sizeof(*v));
					if (v) {
						profiles.v = v;
						profiles.cap = cap;
					}
				}
				if (profiles.n < profiles.cap) {
					p = &profiles.v[profiles.n++];
					memset(p, 0, sizeof(*p));
					p->dir = cd_strdup(names[i]);
					p->is_default = listed_n == 0 && !strcmp(names[i], "Default");
					if (!p->dir)
						profiles.n--;
				}
			}
			free(pf);
			free(sub);
		}
		cd_free_list(names, n);
	}
	free(path);

	{
		char *lvf = join(sys_dir, "Last Version");
		size_t len = 0;
		if (lvf && read_sys(ctx, lvf, 256, "Chromium Last Version", &lv, &len) == CD_OK) {
			char *t = cd_trim(lv);
			memmove(lv, t, strlen(t) + 1);
			if (!*lv) {
				free(lv);
				lv = NULL;
			}
		}
		free(lvf);
	}
	for (i = 0; i < profiles.n; i++)
		chromium_profile(ctx, browser, user, sys_dir, &profiles.v[i], i < listed_n ? "local_state" : "disk",
				 nss_dir, lv);
	free(lv);
	cd_bprof_list_release(&profiles);
}

/* ---- Firefox ---- */

static void firefox_profile(struct cd_probe_ctx *ctx, const char *user, const char *dir, const char *name,
			    int is_default, const char *source)
{
	char *ef = join(dir, "extensions.json"), *pf = join(dir, "extension-preferences.json");
	char *cf = join(dir, "compatibility.ini"), *ctext = NULL, *version = NULL;
	cJSON *exts = NULL, *eprefs = NULL;
	struct cd_bext_list l = { 0 };
	int readable = 1;
	size_t clen = 0;
	cd_err e;

	if (!ef || !pf || !cf)
		goto out;
	e = read_json(ctx, ef, "Firefox extensions.json", &exts);
	if (e && e != CD_ERR_NOT_FOUND)
		readable = 0;
	e = read_json(ctx, pf, "Firefox extension-preferences.json", &eprefs);
	if (e && e != CD_ERR_NOT_FOUND)
		readable = 0;
	if (cd_bprefs_firefox_extensions(exts, eprefs, &l))
		cd_probe_error(ctx, ef, CD_ERR_NOMEM, "out of memory listing add-ons");
	if (read_sys(ctx, cf, MAX_INI, "Firefox compatibility.ini", &ctext, &clen) == CD_OK)
		version = cd_bini_compat_version(ctext, clen);
	/* Firefox loads security devices from the profile's own NSS database. */
	profile_row(ctx, "firefox", user, dir, name, is_default, source, readable, dir, version);
	ext_rows(ctx, "firefox", user, dir, ef, &l);
out:
	cd_bext_list_release(&l);
	cJSON_Delete(exts);
	cJSON_Delete(eprefs);
	free(ctext);
	free(version);
	free(ef);
	free(pf);
	free(cf);
}

static int looks_like_profile(struct cd_probe_ctx *ctx, const char *dir)
{
	static const char *const marks[] = { "prefs.js", "times.json", "extensions.json" };
	size_t i;
	int found = 0;
	for (i = 0; !found && i < sizeof(marks) / sizeof(marks[0]); i++) {
		char *f = join(dir, marks[i]);
		found = f && sys_exists(ctx, f);
		free(f);
	}
	return found;
}

static void strip_trailing_sep(char *p)
{
	size_t n = strlen(p);
	while (n > 1 && (p[n - 1] == '/' || p[n - 1] == '\\'))
		p[--n] = '\0';
}

void cd_browser_firefox_dir(struct cd_probe_ctx *ctx, const char *user, const char *sys_dir)
{
	struct cd_bprof_list profiles = { 0 };
	struct {
		char **v;
		size_t n;
	} done = { NULL, 0 }; /* profile folders already read */
	char *ini, *text = NULL;
	size_t len = 0, i, k;
	static const char *const subdirs[] = { "", "Profiles" };

	if (!sys_is_dir(ctx, sys_dir))
		return;
	ini = join(sys_dir, "profiles.ini");
	if (ini && read_sys(ctx, ini, MAX_INI, "Firefox profiles.ini", &text, &len) == CD_OK &&
	    cd_bini_profiles_ini(text, len, &profiles) != CD_OK)
		cd_probe_error(ctx, ini, CD_ERR_NOMEM, "out of memory listing profiles");
	free(text);
	free(ini);
	done.v = calloc(profiles.n + 1, sizeof(char *));

	for (i = 0; done.v && i < profiles.n; i++) {
		struct cd_bprof *p = &profiles.v[i];
		char *dir;
		if (p->relative) {
			char *rel = cd_strdup(p->dir), *c;
			for (c = rel; c && *c; c++)
				if (*c == '/' || *c == '\\')
					*c = CD_PATH_SEP;
			dir = rel ? join(sys_dir, rel) : NULL;
			free(rel);
		} else {
			dir = is_absolute(p->dir) ? cd_strdup(p->dir) : NULL;
		}
		if (!dir)
			continue;
		strip_trailing_sep(dir);
		for (k = 0; k < done.n && strcmp(done.v[k], dir); k++)
			;
		if (k < done.n || !sys_is_dir(ctx, dir)) {
			free(dir); /* listed twice, or a profile that is gone */
			continue;
		}
		firefox_profile(ctx, user, dir, p->name, p->is_default, "profiles.ini");
		done.v[done.n++] = dir;
	}

	/* Profiles only on disk: ~/.mozilla/firefox/<x> (Linux) or
	 * ...\Firefox\Profiles\<x> (Windows). */
	for (k = 0; k < sizeof(subdirs) / sizeof(subdirs[0]); k++) {
		char *base = *subdirs[k] ? join(sys_dir, subdirs[k]) : cd_strdup(sys_dir);
		char *path = base ? cd_probe_path(ctx, base) : NULL, **names = NULL;
		size_t n = 0, j, m;
		if (path && cd_list_dir(path, &names, &n) == CD_OK) {
			for (j = 0; j < n; j++) {
				char *dir = join(base, names[j]);
				if (!dir)
					continue;
				for (m = 0; m < done.n && strcmp(done.v[m], dir); m++)
					;
				if (m == done.n && sys_is_dir(ctx, dir) && looks_like_profile(ctx, dir))
					firefox_profile(ctx, user, dir, names[j], 0, "disk");
				free(dir);
			}
			cd_free_list(names, n);
		}
		free(path);
		free(base);
	}
	for (k = 0; k < done.n; k++)
		free(done.v[k]);
	free(done.v);
	cd_bprof_list_release(&profiles);
}

/* ---- policies ---- */

static void policy_rows(struct cd_probe_ctx *ctx, const char *browser, const char *scope, const char *source,
			const cJSON *policies)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, policies)
	{
		struct cd_row r;
		char *printed = NULL;
		if (!it->string)
			continue;
		if (!cJSON_IsString(it))
			printed = cJSON_PrintUnformatted(it);
		cd_row_init(&r, "browser_policies");
		cd_row_text(&r, "browser", browser);
		cd_row_text(&r, "scope", scope);
		cd_row_text(&r, "policy", it->string);
		cd_row_text(&r, "value", cJSON_IsString(it) ? it->valuestring : printed);
		cd_row_text(&r, "source", source);
		insert(ctx, &r, source);
		if (printed)
			cJSON_free(printed);
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

void cd_browser_chromium_policies(struct cd_probe_ctx *ctx, const char *browser, const char *scope,
				  const char *sys_dir)
{
	char *path = cd_probe_path(ctx, sys_dir), **names = NULL;
	size_t n = 0, i;
	if (path && cd_list_dir(path, &names, &n) == CD_OK) {
		/* Chromium reads every file of the directory, in name order. */
		for (i = 0; i < n; i++) {
			char *f;
			cJSON *doc = NULL;
			if (!ends_with(names[i], ".json"))
				continue;
			f = join(sys_dir, names[i]);
			if (f && read_json(ctx, f, "a browser policy file", &doc) == CD_OK)
				policy_rows(ctx, browser, scope, f, doc);
			cJSON_Delete(doc);
			free(f);
		}
		cd_free_list(names, n);
	}
	free(path);
}

void cd_browser_firefox_policies(struct cd_probe_ctx *ctx, const char *scope, const char *sys_file)
{
	cJSON *doc = NULL;
	if (read_json(ctx, sys_file, "Firefox policies.json", &doc) == CD_OK) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(doc, "policies");
		if (cJSON_IsObject(p))
			policy_rows(ctx, "firefox", scope, sys_file, p);
		else
			cd_probe_error(ctx, sys_file, CD_ERR_PARSE, "Firefox policies.json has no \"policies\" object");
	}
	cJSON_Delete(doc);
}

/* ---- native messaging hosts ---- */

void cd_browser_native_host_dir(struct cd_probe_ctx *ctx, const char *browser, const char *scope, const char *user,
				const char *sys_dir, cd_bhost_check_fn check)
{
	char *path = cd_probe_path(ctx, sys_dir), **names = NULL;
	size_t n = 0, i;
	int firefox = !strcmp(browser, "firefox");

	if (!path || cd_list_dir(path, &names, &n) != CD_OK) {
		free(path);
		return;
	}
	for (i = 0; i < n; i++) {
		struct cd_bhost h;
		struct cd_row r;
		char *f, *name, *text = NULL;
		size_t len = 0;
		int exists = -1;
		cd_err e;

		if (!ends_with(names[i], ".json") || strlen(names[i]) <= 5)
			continue;
		f = join(sys_dir, names[i]);
		name = cd_strndup(names[i], strlen(names[i]) - 5);
		if (!f || !name) {
			free(f);
			free(name);
			continue;
		}
		memset(&h, 0, sizeof(h));
		e = read_sys(ctx, f, MAX_MANIFEST, "a native messaging host manifest", &text, &len);
		if (e == CD_OK)
			cd_bhost_parse(text, len, name, firefox, &h);
		else
			h.error = cd_aprintf("manifest not readable: %s", cd_err_message(e));
		if (h.path && !is_absolute(h.path)) {
			char *msg = cd_aprintf("%s%shost path is not absolute", h.error ? h.error : "",
					       h.error ? "; " : "");
			free(h.error);
			h.error = msg;
		} else if (h.path && check) {
			check(ctx, h.path, &exists, &h.error);
		}
		cd_row_init(&r, "native_hosts");
		cd_row_text(&r, "browser", browser);
		cd_row_text(&r, "name", name);
		cd_row_text(&r, "scope", scope);
		cd_row_text(&r, "user", user);
		cd_row_text(&r, "manifest_path", f);
		cd_row_bool(&r, "manifest_ok", h.ok);
		cd_row_text(&r, "host_path", h.path);
		cd_row_bool(&r, "host_exists", exists);
		cd_row_text(&r, "allowed_origins", h.origins);
		cd_row_text(&r, "error", h.error);
		insert(ctx, &r, f);
		cd_bhost_release(&h);
		free(text);
		free(name);
		free(f);
	}
	cd_free_list(names, n);
	free(path);
}
