/* Pure parsers of browser profile files (browser.h): Chromium Preferences,
 * Secure Preferences, Local State and manifests; Firefox extensions.json,
 * extension-preferences.json, profiles.ini and compatibility.ini; native
 * messaging host manifests. Text in, plain structs out: no files, no facts,
 * no recursion over documents (cJSON bounds nesting while parsing). */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/util.h"
#include "browser.h"

cJSON *cd_bjson_parse(const char *text, size_t len, const char **why)
{
	cJSON *root;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
	}
	while (len && (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')) {
		text++;
		len--;
	}
	if (!len) {
		*why = "empty";
		return NULL;
	}
	root = cJSON_ParseWithLength(text, len);
	if (!root) {
		*why = "not valid JSON (damaged, truncated, or nested too deeply)";
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		*why = "not a JSON object";
		return NULL;
	}
	return root;
}

/* ---- small cJSON helpers ---- */

static const cJSON *obj(const cJSON *o, const char *key)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsObject(v) ? v : NULL;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* 1/0 for a JSON boolean, -1 when absent or of another type. */
static int boolean(const cJSON *o, const char *key)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	if (cJSON_IsTrue(v))
		return 1;
	if (cJSON_IsFalse(v))
		return 0;
	return -1;
}

/* Integer value of a JSON number in range, else 0 with *ok = 0. */
static long long integer(const cJSON *v, int *ok)
{
	*ok = 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != v->valuedouble)
		return 0;
	if (v->valuedouble < -9.0e15 || v->valuedouble > 9.0e15)
		return 0;
	*ok = 1;
	return (long long)v->valuedouble;
}

static char *dup_or_null(const char *s)
{
	return s ? cd_strdup(s) : NULL;
}

/* ---- lists ---- */

static struct cd_bext *bext_add(struct cd_bext_list *l)
{
	struct cd_bext *e;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct cd_bext *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->enabled = e->from_webstore = e->incognito_allowed = -1;
	e->user_disabled = e->app_disabled = e->soft_disabled = -1;
	e->signed_state = INT_MIN;
	return e;
}

static void bext_release(struct cd_bext *e)
{
	free(e->ext_id);
	free(e->name);
	free(e->version);
	free(e->default_locale);
	free(e->state);
	free(e->disable_reasons);
	free(e->location);
	free(e->path);
}

void cd_bext_list_release(struct cd_bext_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		bext_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct cd_bprof *bprof_add(struct cd_bprof_list *l)
{
	struct cd_bprof *p;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct cd_bprof *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	p->relative = 1;
	return p;
}

void cd_bprof_list_release(struct cd_bprof_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].dir);
		free(l->v[i].name);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- Chromium ---- */

/* extensions/browser/disable_reason.h: bit -> name. The names say who or
 * what disabled it, in words a rule can test with list_has(). */
static const char *const reason_names[] = {
	"user",                   /* 1 << 0  DISABLE_USER_ACTION */
	"permissions_increase",   /* 1 << 1 */
	"reload",                 /* 1 << 2 */
	"unsupported_requirement", /* 1 << 3 */
	"sideload_wipeout",       /* 1 << 4 */
	"unknown_from_sync",      /* 1 << 5 */
	"permissions_consent",    /* 1 << 6, deprecated */
	"known_disabled",         /* 1 << 7, deprecated */
	"not_verified",           /* 1 << 8 */
	"greylist",               /* 1 << 9 */
	"corrupted",              /* 1 << 10 */
	"remote_install",         /* 1 << 11 */
	"inactive_ephemeral_app", /* 1 << 12, deprecated */
	"external_extension",     /* 1 << 13 */
	"update_required_by_policy", /* 1 << 14 */
	"custodian_approval_required", /* 1 << 15 */
	"policy",                 /* 1 << 16 DISABLE_BLOCKED_BY_POLICY */
	"blocked_mature",         /* 1 << 17, deprecated */
	"malware",                /* 1 << 18, deprecated (remotely for malware) */
	"reinstall",              /* 1 << 19 */
	"not_allowlisted",        /* 1 << 20 */
	"not_ash_keeplisted",     /* 1 << 21, deprecated */
	"unpublished_required_by_policy", /* 1 << 22 */
	"unsupported_manifest_version", /* 1 << 23 */
	"unsupported_developer_extension", /* 1 << 24: unpacked while developer mode is off */
	"unknown",                /* 1 << 25 */
};

char *cd_bprefs_disable_reason_names(long long bits)
{
	struct cd_buf b;
	int i;
	if (bits <= 0)
		return NULL;
	cd_buf_init(&b, 4096);
	for (i = 0; i < 63; i++) {
		if (!(bits & (1LL << i)))
			continue;
		if (b.len)
			cd_buf_adds(&b, ", ");
		if (i < (int)(sizeof(reason_names) / sizeof(reason_names[0])))
			cd_buf_adds(&b, reason_names[i]);
		else
			cd_buf_addf(&b, "bit%d", i);
	}
	return cd_buf_detach(&b);
}

/* mojom::ManifestLocation, as stored in "location". */
static const char *location_name(long long loc, int from_webstore)
{
	switch (loc) {
	case 1: return from_webstore == 1 ? "webstore" : "internal";
	case 2: return "external_pref";
	case 3: return "external_registry";
	case 4: return "unpacked";
	case 5: return "component";
	case 6: return "external_pref_download";
	case 7: return "policy";
	case 8: return "command_line";
	case 9: return "external_policy";
	case 10: return "external_component";
	default: return NULL;
	}
}

static const cJSON *ext_settings(const cJSON *doc)
{
	return obj(obj(doc, "extensions"), "settings");
}

/* The value of key for one extension: Secure Preferences first. */
static const cJSON *merged(const cJSON *sec, const cJSON *pref, const char *key)
{
	const cJSON *v = sec ? cJSON_GetObjectItemCaseSensitive(sec, key) : NULL;
	if (!v && pref)
		v = cJSON_GetObjectItemCaseSensitive(pref, key);
	return v;
}

void cd_bprefs_manifest_fill(const cJSON *m, struct cd_bext *e)
{
	if (!cJSON_IsObject(m))
		return;
	if (!e->name)
		e->name = dup_or_null(str(m, "name"));
	if (!e->version)
		e->version = dup_or_null(str(m, "version"));
	if (!e->default_locale)
		e->default_locale = dup_or_null(str(m, "default_locale"));
}

/* Reasons as a bit field: the old integer, or the newer list of reason
 * values (each itself a bit value). */
static long long reason_bits(const cJSON *v)
{
	long long bits = 0, x;
	int ok;
	const cJSON *it;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(it, v)
		{
			x = integer(it, &ok);
			if (ok && x > 0)
				bits |= x;
		}
		return bits;
	}
	x = integer(v, &ok);
	return ok && x > 0 ? x : 0;
}

static cd_err chromium_one(const char *id, const cJSON *sec, const cJSON *pref, struct cd_bext_list *out)
{
	struct cd_bext *e;
	const cJSON *v;
	long long bits, state = -1;
	int ok, blocklisted = 0;
	char *names;

	if (!cJSON_IsObject(sec))
		sec = NULL;
	if (!cJSON_IsObject(pref))
		pref = NULL;
	if (!sec && !pref)
		return CD_OK;
	e = bext_add(out);
	if (!e)
		return CD_ERR_NOMEM;
	e->ext_id = cd_strdup(id);
	v = merged(sec, pref, "manifest");
	if (cJSON_IsObject(v)) {
		e->has_manifest = 1;
		cd_bprefs_manifest_fill(v, e);
	}
	v = merged(sec, pref, "state");
	if (cJSON_IsNumber(v)) {
		state = integer(v, &ok);
		e->state = ok ? cd_aprintf("%lld", state) : NULL;
		if (!ok)
			state = -1;
	}
	bits = reason_bits(merged(sec, pref, "disable_reasons"));
	/* Safe Browsing: "blacklist" (old) or blocklist state 1 (malware). */
	v = merged(sec, pref, "blacklist");
	if (cJSON_IsTrue(v))
		blocklisted = 1;
	v = merged(sec, pref, "blacklist_state");
	if (!v)
		v = merged(sec, pref, "blocklist_state");
	if (integer(v, &ok) == 1 && ok)
		blocklisted = 1;

	names = cd_bprefs_disable_reason_names(bits);
	if (blocklisted) {
		char *s = names ? cd_aprintf("%s, blocklist", names) : cd_strdup("blocklist");
		free(names);
		names = s;
	}
	if (!names && (state == 0 || state == 2))
		names = cd_strdup(state == 2 ? "uninstalled" : "unknown");
	e->disable_reasons = names;
	e->enabled = !names && state != 0 && state != 2;

	e->from_webstore = boolean(sec, "from_webstore");
	if (e->from_webstore < 0)
		e->from_webstore = boolean(pref, "from_webstore");
	{
		long long loc = integer(merged(sec, pref, "location"), &ok);
		const char *ln = ok ? location_name(loc, e->from_webstore) : NULL;
		e->location = ln ? cd_strdup(ln) : (ok ? cd_aprintf("location%lld", loc) : NULL);
	}
	v = merged(sec, pref, "incognito");
	e->incognito_allowed = cJSON_IsTrue(v) ? 1 : 0;
	v = merged(sec, pref, "path");
	e->path = cJSON_IsString(v) ? dup_or_null(v->valuestring) : NULL;
	return CD_OK;
}

cd_err cd_bprefs_chromium_extensions(const cJSON *prefs, const cJSON *secure, struct cd_bext_list *out)
{
	const cJSON *ps = ext_settings(prefs), *ss = ext_settings(secure), *it;
	cd_err e;

	/* Every id of Secure Preferences, then those only in Preferences. */
	if (ss) {
		cJSON_ArrayForEach(it, ss)
		{
			if (!it->string)
				continue;
			e = chromium_one(it->string, it, ps ? cJSON_GetObjectItemCaseSensitive(ps, it->string) : NULL, out);
			if (e)
				return e;
		}
	}
	if (ps) {
		cJSON_ArrayForEach(it, ps)
		{
			if (!it->string || (ss && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(ss, it->string))))
				continue;
			e = chromium_one(it->string, NULL, it, out);
			if (e)
				return e;
		}
	}
	return CD_OK;
}

char *cd_bprefs_chromium_version(const cJSON *prefs)
{
	return dup_or_null(str(obj(prefs, "extensions"), "last_chrome_version"));
}

char *cd_bprefs_msg_key(const char *s)
{
	size_t n;
	if (!s || strncmp(s, "__MSG_", 6) != 0)
		return NULL;
	n = strlen(s);
	if (n < 9 || strcmp(s + n - 2, "__") != 0)
		return NULL;
	return cd_strndup(s + 6, n - 8);
}

char *cd_bprefs_message(const cJSON *messages, const char *key)
{
	const cJSON *it;
	if (!cJSON_IsObject(messages) || !key)
		return NULL;
	cJSON_ArrayForEach(it, messages)
	{
		if (it->string && cd_strieq(it->string, key))
			return dup_or_null(str(it, "message"));
	}
	return NULL;
}

/* ---- Firefox ---- */

static int has_private_permission(const cJSON *ext_prefs, const char *id)
{
	const cJSON *e = obj(ext_prefs, id), *perms, *it;
	perms = e ? cJSON_GetObjectItemCaseSensitive(e, "permissions") : NULL;
	if (!cJSON_IsArray(perms))
		return 0;
	cJSON_ArrayForEach(it, perms)
	{
		if (cJSON_IsString(it) && it->valuestring && !strcmp(it->valuestring, "internal:privateBrowsingAllowed"))
			return 1;
	}
	return 0;
}

static void add_reason(struct cd_buf *b, const char *name)
{
	if (b->len)
		cd_buf_adds(b, ", ");
	cd_buf_adds(b, name);
}

static cd_err firefox_one(const cJSON *a, const cJSON *ext_prefs, struct cd_bext_list *out)
{
	struct cd_bext *e;
	const char *type = str(a, "type"), *id = str(a, "id"), *src;
	const cJSON *v;
	struct cd_buf why;
	int ok, active, blockstate;
	long long ss;

	if (!id || (type && strcmp(type, "extension") != 0))
		return CD_OK;
	/* A shadowed copy (the same id in another location) never runs. */
	if (boolean(a, "visible") == 0)
		return CD_OK;
	e = bext_add(out);
	if (!e)
		return CD_ERR_NOMEM;
	e->ext_id = cd_strdup(id);
	e->name = dup_or_null(str(obj(a, "defaultLocale"), "name"));
	e->version = dup_or_null(str(a, "version"));
	e->location = dup_or_null(str(a, "location"));
	e->path = dup_or_null(str(a, "path"));
	if (!e->path)
		e->path = dup_or_null(str(a, "rootURI"));
	e->user_disabled = boolean(a, "userDisabled");
	e->app_disabled = boolean(a, "appDisabled");
	e->soft_disabled = boolean(a, "softDisabled");
	v = cJSON_GetObjectItemCaseSensitive(a, "signedState");
	ss = integer(v, &ok);
	if (ok && ss >= INT_MIN + 1 && ss <= INT_MAX)
		e->signed_state = (int)ss;
	blockstate = (int)integer(cJSON_GetObjectItemCaseSensitive(a, "blocklistState"), &ok);
	if (!ok)
		blockstate = 0;

	active = boolean(a, "active");
	if (active < 0) /* older files: derive it as Firefox does */
		active = e->user_disabled != 1 && e->app_disabled != 1 && e->soft_disabled != 1;
	e->enabled = active;
	e->state = cd_strdup(active ? "active" : "inactive");

	cd_buf_init(&why, 1024);
	if (e->user_disabled == 1)
		add_reason(&why, "user");
	if (e->soft_disabled == 1)
		add_reason(&why, "blocklist_soft");
	if (blockstate == 2)
		add_reason(&why, "blocklist");
	if (e->app_disabled == 1) {
		/* signedState: 0 missing, -1 unknown, -2 broken. */
		if (e->signed_state != INT_MIN && e->signed_state <= 0)
			add_reason(&why, "unsigned");
		else if (blockstate != 2)
			add_reason(&why, "unsupported");
	}
	if (boolean(a, "embedderDisabled") == 1)
		add_reason(&why, "embedder");
	if (!active && !why.len && !why.failed)
		add_reason(&why, "unknown");
	e->disable_reasons = why.len ? cd_buf_detach(&why) : NULL;
	cd_buf_release(&why);

	src = str(a, "sourceURI");
	e->from_webstore = src && !strncmp(src, "https://addons.mozilla.org/", 27);
	e->incognito_allowed = has_private_permission(ext_prefs, id);
	if (str(a, "incognito") && !strcmp(str(a, "incognito"), "not_allowed"))
		e->incognito_allowed = 0;
	return CD_OK;
}

cd_err cd_bprefs_firefox_extensions(const cJSON *extensions, const cJSON *ext_prefs, struct cd_bext_list *out)
{
	const cJSON *addons = extensions ? cJSON_GetObjectItemCaseSensitive(extensions, "addons") : NULL, *it;
	cd_err e;
	if (!cJSON_IsArray(addons))
		return CD_OK;
	cJSON_ArrayForEach(it, addons)
	{
		if (!cJSON_IsObject(it))
			continue;
		e = firefox_one(it, ext_prefs, out);
		if (e)
			return e;
	}
	return CD_OK;
}

/* ---- profile lists ---- */

cd_err cd_bini_local_state(const cJSON *ls, struct cd_bprof_list *out)
{
	const cJSON *profile = obj(ls, "profile"), *cache = obj(profile, "info_cache"), *it;
	const char *last = str(profile, "last_used");
	if (!last || !*last)
		last = "Default";
	if (!cache)
		return CD_OK;
	cJSON_ArrayForEach(it, cache)
	{
		struct cd_bprof *p;
		if (!it->string || !*it->string)
			continue;
		p = bprof_add(out);
		if (!p)
			return CD_ERR_NOMEM;
		p->dir = cd_strdup(it->string);
		p->name = dup_or_null(str(it, "name"));
		p->is_default = !strcmp(it->string, last);
		if (!p->dir)
			return CD_ERR_NOMEM;
	}
	return CD_OK;
}

/* Next line of text[0..len) from *pos, copied and trimmed; NULL at the end. */
static char *next_line(const char *text, size_t len, size_t *pos)
{
	size_t start = *pos, end;
	char *line, *t;
	if (start >= len)
		return NULL;
	end = start;
	while (end < len && text[end] != '\n')
		end++;
	*pos = end < len ? end + 1 : end;
	line = cd_strndup(text + start, end - start);
	if (!line)
		return NULL;
	t = cd_trim(line);
	memmove(line, t, strlen(t) + 1);
	return line;
}

cd_err cd_bini_profiles_ini(const char *text, size_t len, struct cd_bprof_list *out)
{
	size_t pos = 0, i;
	char *line, *install_default = NULL;
	struct cd_bprof *cur = NULL;
	int in_install = 0, have_install = 0;
	cd_err e = CD_OK;

	while ((line = next_line(text, len, &pos)) != NULL) {
		if (line[0] == '[') {
			cur = NULL;
			in_install = !strncmp(line, "[Install", 8);
			if (!strncmp(line, "[Profile", 8)) {
				cur = bprof_add(out);
				if (!cur) {
					free(line);
					e = CD_ERR_NOMEM;
					break;
				}
			}
		} else if (cur && !strncmp(line, "Path=", 5)) {
			free(cur->dir);
			cur->dir = cd_strdup(cd_trim(line + 5));
		} else if (cur && !strncmp(line, "Name=", 5)) {
			free(cur->name);
			cur->name = cd_strdup(cd_trim(line + 5));
		} else if (cur && !strncmp(line, "IsRelative=", 11)) {
			cur->relative = atoi(line + 11) != 0;
		} else if (cur && !strncmp(line, "Default=", 8)) {
			cur->is_default = atoi(line + 8) == 1;
		} else if (in_install && !strncmp(line, "Default=", 8) && !have_install) {
			install_default = cd_strdup(cd_trim(line + 8));
			have_install = 1;
		}
		free(line);
	}
	/* Drop sections without a path (Firefox ignores them). */
	for (i = 0; i < out->n;) {
		if (!out->v[i].dir || !*out->v[i].dir) {
			free(out->v[i].dir);
			free(out->v[i].name);
			out->v[i] = out->v[--out->n];
		} else {
			i++;
		}
	}
	/* Firefox 67+: the install's default wins over Default=1. */
	if (install_default && *install_default) {
		for (i = 0; i < out->n; i++)
			out->v[i].is_default = !strcmp(out->v[i].dir, install_default);
	}
	free(install_default);
	/* One profile and no default named: Firefox starts that one. */
	if (out->n == 1)
		out->v[0].is_default = 1;
	return e;
}

char *cd_bini_compat_version(const char *text, size_t len)
{
	size_t pos = 0;
	char *line, *v = NULL;
	while (!v && (line = next_line(text, len, &pos)) != NULL) {
		if (!strncmp(line, "LastVersion=", 12)) {
			char *s = line + 12;
			size_t n = strcspn(s, "_/");
			if (n)
				v = cd_strndup(s, n);
		}
		free(line);
	}
	return v;
}

/* ---- native messaging host manifests ---- */

static void host_error(struct cd_bhost *h, const char *msg)
{
	char *s = h->error ? cd_aprintf("%s; %s", h->error, msg) : cd_strdup(msg);
	if (s) {
		free(h->error);
		h->error = s;
	}
}

cd_err cd_bhost_parse(const char *text, size_t len, const char *name, int firefox, struct cd_bhost *h)
{
	const char *why = NULL, *s;
	const cJSON *item;
	cJSON *root;

	memset(h, 0, sizeof(*h));
	root = cd_bjson_parse(text, len, &why);
	if (!root) {
		char *msg = cd_aprintf("manifest is %s", why);
		host_error(h, msg ? msg : "manifest does not parse");
		free(msg);
		return CD_OK;
	}
	h->ok = 1;
	s = str(root, "path");
	if (s && *s)
		h->path = cd_strdup(s);
	else
		host_error(h, "manifest has no \"path\"");
	s = str(root, "name");
	if (!s) {
		host_error(h, "manifest has no \"name\"");
	} else if (name && strcmp(s, name) != 0) {
		char *msg = cd_aprintf("manifest name \"%s\" is not the registered name", s);
		host_error(h, msg ? msg : "manifest name is not the registered name");
		free(msg);
	}
	s = str(root, "type");
	if (!s || strcmp(s, "stdio") != 0)
		host_error(h, "manifest \"type\" is not \"stdio\"");
	item = cJSON_GetObjectItemCaseSensitive(root, firefox ? "allowed_extensions" : "allowed_origins");
	if (cJSON_IsArray(item)) {
		h->origins = cJSON_PrintUnformatted(item);
		if (!cJSON_GetArraySize(item))
			host_error(h, firefox ? "\"allowed_extensions\" is empty" : "\"allowed_origins\" is empty");
	} else {
		host_error(h, firefox ? "manifest has no \"allowed_extensions\" list"
				      : "manifest has no \"allowed_origins\" list");
	}
	cJSON_Delete(root);
	return CD_OK;
}

void cd_bhost_release(struct cd_bhost *h)
{
	free(h->path);
	if (h->origins)
		cJSON_free(h->origins);
	free(h->error);
	memset(h, 0, sizeof(*h));
}
