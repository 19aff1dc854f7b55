/* Browser actions on Linux: browser_extension_policy and
 * native_host_register. Both are small JSON files in places the browsers
 * read (docs/repairs.md):
 *  - Chromium, Chrome, Edge: a cadoctor-owned file
 *    <policy dir>/managed/cadoctor-extensions.json listing the extension in
 *    ExtensionInstallForcelist ("id;update_url", mode=force) or
 *    ExtensionInstallAllowlist (mode=allow, the default). Chromium does not
 *    merge one policy set by two files of the same directory, so when
 *    another file there already sets that policy the action is refused.
 *  - Firefox: ExtensionSettings.<id> merged into the system policies.json
 *    (/etc/firefox/policies/policies.json), installation_mode
 *    force_installed (with install_url) or allowed.
 *  - native_host_register: the manifest at manifest_path copied byte for byte
 *    to <hosts dir>/<name>.json of the browser, machine-wide or (scope=user)
 *    in the user's home, owned by that user.
 * Captured for every file it may write: whether it existed, its bytes (hex)
 * and mode, and the outermost directory that was missing. Undo writes the
 * bytes back (or removes the file) and removes the directories it created
 * when they are empty. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/actions.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "posix_act.h"

#define MAX_FILE ((size_t)1 << 20)
#define OWN_POLICY_FILE "cadoctor-extensions.json"

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- one file: capture and restore ---- */

static char *hex_of(const char *data, size_t len)
{
	char *h = malloc(len * 2 + 1);
	size_t i;
	if (!h)
		return NULL;
	for (i = 0; i < len; i++)
		snprintf(h + i * 2, 3, "%02x", (unsigned char)data[i]);
	h[len * 2] = '\0';
	return h;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *bytes_of(const char *hex, size_t *len)
{
	size_t n = strlen(hex), i;
	char *b;
	if (n % 2 || !(b = malloc(n / 2 + 1)))
		return NULL;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(b);
			return NULL;
		}
		b[i] = (char)(hi * 16 + lo);
	}
	*len = n / 2;
	return b;
}

/* Adds {path, existed, data, mode, uid, gid, created_dir} of the system path
 * sys (inside env's root) to arr. */
static cd_err file_capture(const struct cd_action_env *env, const char *sys, cJSON *arr, struct cd_diag *d)
{
	char *p = cd_act_path(env, sys), *data = NULL, *hex = NULL, *dir = NULL, *outer = NULL, *slash;
	size_t len = 0;
	struct stat st;
	cJSON *o = cJSON_CreateObject();
	cd_err e = CD_OK;
	if (!p || !o) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	cJSON_AddItemToArray(arr, o);
	if (!cJSON_AddStringToObject(o, "path", sys)) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	if (lstat(p, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			e = cd_diag_set(d, CD_ERR_UNSUPPORTED, p, 0, "exists and is not a regular file");
		else if ((e = cd_read_file(p, MAX_FILE, &data, &len)))
			cd_diag_set(d, e, p, 0, "cannot read: %s", cd_err_message(e));
		else if (!(hex = hex_of(data, len)) || !cJSON_AddTrueToObject(o, "existed") ||
			 !cJSON_AddStringToObject(o, "data", hex) ||
			 !cJSON_AddNumberToObject(o, "mode", (double)(st.st_mode & 07777)) ||
			 !cJSON_AddNumberToObject(o, "uid", (double)st.st_uid) ||
			 !cJSON_AddNumberToObject(o, "gid", (double)st.st_gid))
			e = CD_ERR_NOMEM;
		goto out;
	}
	if (errno != ENOENT) {
		e = cd_diag_set(d, CD_ERR_IO, p, 0, "%s", strerror(errno));
		goto out;
	}
	if (!cJSON_AddFalseToObject(o, "existed")) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	/* The outermost missing directory (system path) on the way to it. */
	dir = cd_strdup(sys);
	while (dir && (slash = strrchr(dir, '/')) != NULL && slash != dir) {
		char *in;
		*slash = '\0';
		in = cd_act_path(env, dir);
		if (in && cd_path_exists(in)) {
			free(in);
			break;
		}
		free(in);
		free(outer);
		outer = cd_strdup(dir);
	}
	if (outer && !cJSON_AddStringToObject(o, "created_dir", outer))
		e = CD_ERR_NOMEM;
out:
	free(p);
	free(data);
	free(hex);
	free(dir);
	free(outer);
	return e;
}

/* Creates the directories to sys's folder (and, for a user's file, gives
 * the ones it made to uid/gid), then writes data atomically. */
static cd_err file_write(const struct cd_action_env *env, const char *sys, const char *data, size_t len,
			 mode_t mode, long uid, long gid, struct cd_diag *d)
{
	char *p = cd_act_path(env, sys), *dir = p ? cd_strdup(p) : NULL, *slash, *created = NULL;
	cd_err e = CD_OK;
	if (!p || !dir || !(slash = strrchr(dir, '/'))) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	*slash = '\0';
	if ((e = cd_act_mkdirs(dir, &created))) {
		cd_diag_set(d, e, dir, 0, "cannot create: %s", cd_err_message(e));
		goto out;
	}
	if (created && uid >= 0) {
		/* Every directory from the first one created down to dir. */
		char *c = cd_strdup(dir);
		size_t base = strlen(created);
		while (c && strlen(c) >= base) {
			char *s;
			if (lchown(c, (uid_t)uid, (gid_t)gid) != 0)
				break;
			if (strlen(c) == base || !(s = strrchr(c, '/')))
				break;
			*s = '\0';
		}
		free(c);
	}
	if ((e = cd_act_write_atomic(p, data, len, mode))) {
		cd_diag_set(d, e, p, 0, "cannot write: %s", cd_err_message(e));
		goto out;
	}
	if (uid >= 0 && lchown(p, (uid_t)uid, (gid_t)gid) != 0 && geteuid() == 0)
		e = cd_diag_set(d, CD_ERR_IO, p, 0, "cannot give it to uid %ld: %s", uid, strerror(errno));
out:
	free(p);
	free(dir);
	free(created);
	return e;
}

/* Puts one captured file back. */
static cd_err file_restore(const struct cd_action_env *env, const cJSON *o, struct cd_diag *d)
{
	const char *sys = jstr(o, "path"), *hex = jstr(o, "data"), *created = jstr(o, "created_dir");
	const cJSON *existed = cJSON_GetObjectItemCaseSensitive(o, "existed");
	char *p, *data = NULL;
	size_t len = 0;
	cd_err e = CD_OK;
	if (!sys || !cd_act_plain_abs(sys) || !cJSON_IsBool(existed) || (cJSON_IsTrue(existed) && !hex))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	if (!(p = cd_act_path(env, sys)))
		return CD_ERR_NOMEM;
	if (cJSON_IsTrue(existed)) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "mode"),
			    *u = cJSON_GetObjectItemCaseSensitive(o, "uid"),
			    *g = cJSON_GetObjectItemCaseSensitive(o, "gid");
		char *now = NULL;
		size_t nowlen = 0;
		if (!(data = bytes_of(hex, &len))) {
			e = cd_diag_set(d, CD_ERR_PARSE, p, 0, "recorded bytes are not hex");
		} else if (cd_read_file(p, MAX_FILE, &now, &nowlen) == CD_OK && nowlen == len &&
			   !memcmp(now, data, len)) {
			/* already as recorded */
		} else if ((e = cd_act_write_atomic(p, data, len, cJSON_IsNumber(m) ? (mode_t)m->valuedouble : 0644))) {
			cd_diag_set(d, e, p, 0, "cannot write back: %s", cd_err_message(e));
		} else if (cJSON_IsNumber(u) && cJSON_IsNumber(g) && geteuid() == 0 &&
			   lchown(p, (uid_t)u->valuedouble, (gid_t)g->valuedouble) != 0) {
			e = cd_diag_set(d, CD_ERR_IO, p, 0, "written back, but not its owner");
		}
		free(now);
	} else {
		if (unlink(p) != 0 && errno != ENOENT) {
			e = cd_diag_set(d, CD_ERR_IO, p, 0, "cannot remove: %s", strerror(errno));
		} else if (created && cd_act_plain_abs(created) && !strncmp(sys, created, strlen(created)) &&
			   sys[strlen(created)] == '/') {
			/* The folders it made, deepest first; rmdir leaves non-empty ones. */
			char *dir = cd_strdup(sys), *slash;
			while (dir && (slash = strrchr(dir, '/')) != NULL && strlen(dir) > strlen(created)) {
				char *in;
				*slash = '\0';
				if (strlen(dir) < strlen(created))
					break;
				in = cd_act_path(env, dir);
				if (in)
					rmdir(in);
				free(in);
			}
			free(dir);
		}
	}
	free(p);
	free(data);
	return e;
}

static cd_err files_restore(const struct cd_action_env *env, const cJSON *before, struct cd_diag *d)
{
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(before, "files"), *it;
	cd_err first = CD_OK;
	if (!cJSON_IsArray(files))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "recorded state lacks \"files\"");
	cJSON_ArrayForEach(it, files)
	{
		cd_err e = file_restore(env, it, d);
		if (e && !first)
			first = e;
	}
	return first;
}

/* ---- browser_extension_policy ---- */

static const struct {
	const char *browser, *managed_dir, *update_url;
} chromium_family[] = {
	{"chrome", "/etc/opt/chrome/policies/managed", "https://clients2.google.com/service/update2/crx"},
	{"chromium", "/etc/chromium/policies/managed", "https://clients2.google.com/service/update2/crx"},
	{"edge", "/etc/opt/edge/policies/managed", "https://edge.microsoft.com/extensionwebstorebase/v1/crx"},
};

/* Firefox's system policies (its SysConfD). Debian's firefox-esr reads this
 * one too, not /etc/firefox-esr/policies (checked with the real browser:
 * tests/integration/repair_browser.sh). */
#define FIREFOX_POLICY_FILE "/etc/firefox/policies/policies.json"

struct pol {
	int family; /* index into chromium_family, -1 for Firefox */
	int force;
	const char *id, *url;
	const char *files[2];
	size_t nfiles;
};

static int chromium_id(const char *id)
{
	size_t i;
	if (!id || strlen(id) != 32)
		return 0;
	for (i = 0; i < 32; i++)
		if (id[i] < 'a' || id[i] > 'p')
			return 0;
	return 1;
}

static cd_err pol_of(const struct cd_action *a, const struct cd_action_env *env, struct pol *p, struct cd_diag *d)
{
	const char *b = cd_action_arg(a, "browser"), *mode = cd_action_arg(a, "mode");
	size_t i;
	memset(p, 0, sizeof(*p));
	p->family = -1;
	p->id = cd_action_arg(a, "ext_id");
	p->url = cd_action_arg(a, "update_url");
	if (p->url && !*p->url)
		p->url = NULL;
	if (mode && *mode && strcmp(mode, "force") && strcmp(mode, "allow"))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "mode is allow or force");
	p->force = mode && !strcmp(mode, "force");
	if (p->url && (strncmp(p->url, "https://", 8) || strpbrk(p->url, " \t\r\n;\"\\") || strlen(p->url) > 2000))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "update_url must be an https address");
	if (b && !strcmp(b, "firefox")) {
		if (!cd_action_firefox_addon_id(p->id))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a Firefox add-on id: %s", p->id ? p->id : "");
		if (p->force && !p->url)
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0,
					   "forcing a Firefox add-on needs its install address (update_url)");
		p->files[p->nfiles++] = FIREFOX_POLICY_FILE;
		return CD_OK;
	}
	for (i = 0; i < sizeof(chromium_family) / sizeof(chromium_family[0]); i++)
		if (b && !strcmp(b, chromium_family[i].browser))
			p->family = (int)i;
	if (p->family < 0)
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "browser is chrome, chromium, edge or firefox");
	if (!chromium_id(p->id))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not an extension id: %s", p->id ? p->id : "");
	if (!p->url)
		p->url = chromium_family[p->family].update_url;
	return CD_OK;
}

static const char *chromium_policy(const struct pol *p)
{
	return p->force ? "ExtensionInstallForcelist" : "ExtensionInstallAllowlist";
}

/* 1 when the list item names the extension (forcelist items: "id;url"). */
static int item_is(const cJSON *it, const char *id)
{
	return cJSON_IsString(it) && !strncmp(it->valuestring, id, 32) &&
	       (it->valuestring[32] == '\0' || it->valuestring[32] == ';');
}

/* Looks through the managed directory: *listed when a file lists the
 * extension in the policy; *other names another file setting the policy. */
static void chromium_scan(const struct cd_action_env *env, const struct pol *p, int *listed, char **other)
{
	char *dir = cd_act_path(env, chromium_family[p->family].managed_dir), **names = NULL;
	size_t n = 0, i;
	*listed = 0;
	if (other)
		*other = NULL;
	if (!dir || cd_list_dir(dir, &names, &n) != CD_OK) {
		free(dir);
		return;
	}
	for (i = 0; i < n; i++) {
		size_t l = strlen(names[i]);
		char *f, *text = NULL;
		cJSON *doc, *list, *it;
		if (l < 5 || strcmp(names[i] + l - 5, ".json"))
			continue;
		f = cd_aprintf("%s/%s", dir, names[i]);
		if (!f || cd_read_file(f, MAX_FILE, &text, NULL) != CD_OK) {
			free(f);
			continue;
		}
		doc = cJSON_Parse(text);
		list = cJSON_GetObjectItemCaseSensitive(doc, chromium_policy(p));
		if (list && other && !*other && strcmp(names[i], OWN_POLICY_FILE))
			*other = cd_strdup(names[i]);
		if (cJSON_IsArray(list)) {
			cJSON_ArrayForEach(it, list)
			if (item_is(it, p->id))
				*listed = 1;
		}
		cJSON_Delete(doc);
		free(text);
		free(f);
	}
	cd_free_list(names, n);
	free(dir);
}

/* 1 when the Firefox file already has the entry. */
static int firefox_has(const struct cd_action_env *env, const struct pol *p, const char *sys)
{
	char *f = cd_act_path(env, sys), *text = NULL;
	cJSON *doc = NULL, *e;
	const char *mode;
	int r = 0;
	if (f && cd_read_file(f, MAX_FILE, &text, NULL) == CD_OK && (doc = cJSON_Parse(text)) != NULL) {
		e = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "policies"), "ExtensionSettings"),
			p->id);
		mode = jstr(e, "installation_mode");
		if (p->force)
			r = mode && !strcmp(mode, "force_installed") && jstr(e, "install_url") &&
			    !strcmp(jstr(e, "install_url"), p->url);
		else
			r = mode && (!strcmp(mode, "allowed") || !strcmp(mode, "force_installed") ||
				     !strcmp(mode, "normal_installed"));
	}
	cJSON_Delete(doc);
	free(text);
	free(f);
	return r;
}

static cd_err pol_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	struct pol p;
	return pol_of(a, env, &p, d);
}

static int pol_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	struct pol p;
	size_t i;
	int listed = 0;
	if (pol_of(a, env, &p, NULL))
		return 0;
	if (p.family >= 0) {
		chromium_scan(env, &p, &listed, NULL);
		return listed;
	}
	for (i = 0; i < p.nfiles; i++)
		if (!firefox_has(env, &p, p.files[i]))
			return 0;
	return 1;
}

static cd_err pol_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			  struct cd_diag *d)
{
	struct pol p;
	cJSON *files;
	size_t i;
	cd_err e = pol_of(a, env, &p, d);
	if (e)
		return e;
	if (p.family >= 0) {
		int listed;
		char *other = NULL;
		chromium_scan(env, &p, &listed, &other);
		if (other) {
			e = cd_diag_set(d, CD_ERR_UNSUPPORTED, chromium_family[p.family].managed_dir, 0,
					"%s already sets %s, and Chromium does not merge one policy from two files: add %s there",
					other, chromium_policy(&p), p.id);
			free(other);
			return e;
		}
	}
	*before = cJSON_CreateObject();
	if (!*before || !(files = cJSON_AddArrayToObject(*before, "files")))
		return CD_ERR_NOMEM;
	if (p.family >= 0) {
		char *f = cd_aprintf("%s/%s", chromium_family[p.family].managed_dir, OWN_POLICY_FILE);
		e = f ? file_capture(env, f, files, d) : CD_ERR_NOMEM;
		free(f);
		return e;
	}
	for (i = 0; i < p.nfiles && !e; i++) {
		e = file_capture(env, p.files[i], files, d);
		if (!e) {
			/* Firefox reads the file as JSON: one it cannot merge into is left alone. */
			char *f = cd_act_path(env, p.files[i]), *text = NULL;
			cJSON *doc;
			if (f && cd_read_file(f, MAX_FILE, &text, NULL) == CD_OK) {
				doc = cJSON_Parse(text);
				if (!cJSON_IsObject(doc))
					e = cd_diag_set(d, CD_ERR_PARSE, f, 0, "not a JSON object: not changed");
				cJSON_Delete(doc);
			}
			free(text);
			free(f);
		}
	}
	return e;
}

static cd_err chromium_apply(const struct cd_action_env *env, const struct pol *p, struct cd_diag *d)
{
	char *f = cd_aprintf("%s/%s", chromium_family[p->family].managed_dir, OWN_POLICY_FILE), *in = NULL,
	     *text = NULL, *out = NULL;
	cJSON *doc = NULL, *list, *it;
	cd_err e = CD_OK;
	int have = 0;
	if (!f || !(in = cd_act_path(env, f))) {
		e = CD_ERR_NOMEM;
		goto done;
	}
	if (cd_read_file(in, MAX_FILE, &text, NULL) == CD_OK)
		doc = cJSON_Parse(text);
	if (!cJSON_IsObject(doc)) {
		/* Ours, and recorded: a damaged copy is replaced. */
		cJSON_Delete(doc);
		doc = cJSON_CreateObject();
	}
	list = cJSON_GetObjectItemCaseSensitive(doc, chromium_policy(p));
	if (!cJSON_IsArray(list)) {
		cJSON_DeleteItemFromObjectCaseSensitive(doc, chromium_policy(p));
		list = cJSON_AddArrayToObject(doc, chromium_policy(p));
	}
	cJSON_ArrayForEach(it, list)
	if (item_is(it, p->id))
		have = 1;
	if (!have) {
		char *item = p->force ? cd_aprintf("%s;%s", p->id, p->url) : cd_strdup(p->id);
		if (!item || !list || !cJSON_AddItemToArray(list, cJSON_CreateString(item)))
			e = CD_ERR_NOMEM;
		free(item);
	}
	if (!e && !(out = cJSON_Print(doc)))
		e = CD_ERR_NOMEM;
	if (!e) {
		char *nl = cd_aprintf("%s\n", out);
		e = nl ? file_write(env, f, nl, strlen(nl), 0644, -1, -1, d) : CD_ERR_NOMEM;
		free(nl);
	}
done:
	cJSON_free(out);
	cJSON_Delete(doc);
	free(text);
	free(in);
	free(f);
	return e;
}

static cd_err firefox_apply(const struct cd_action_env *env, const struct pol *p, const char *sys,
			    struct cd_diag *d)
{
	char *in = cd_act_path(env, sys), *text = NULL, *out = NULL;
	cJSON *doc = NULL, *pols, *settings, *entry;
	cd_err e = CD_OK;
	if (!in)
		return CD_ERR_NOMEM;
	if (cd_read_file(in, MAX_FILE, &text, NULL) == CD_OK) {
		doc = cJSON_Parse(text);
		if (!cJSON_IsObject(doc)) {
			e = cd_diag_set(d, CD_ERR_PARSE, in, 0, "not a JSON object: not changed");
			goto done;
		}
	} else {
		doc = cJSON_CreateObject();
	}
	pols = cJSON_GetObjectItemCaseSensitive(doc, "policies");
	if (!pols)
		pols = cJSON_AddObjectToObject(doc, "policies");
	settings = cJSON_GetObjectItemCaseSensitive(pols, "ExtensionSettings");
	if (cJSON_IsObject(pols) && !settings)
		settings = cJSON_AddObjectToObject(pols, "ExtensionSettings");
	if (!cJSON_IsObject(pols) || !cJSON_IsObject(settings)) {
		e = cd_diag_set(d, CD_ERR_PARSE, in, 0, "policies or ExtensionSettings is not an object: not changed");
		goto done;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(settings, p->id);
	entry = cJSON_AddObjectToObject(settings, p->id);
	if (!entry || !cJSON_AddStringToObject(entry, "installation_mode", p->force ? "force_installed" : "allowed") ||
	    (p->url && !cJSON_AddStringToObject(entry, "install_url", p->url)) || !(out = cJSON_Print(doc))) {
		e = CD_ERR_NOMEM;
		goto done;
	}
	{
		/* The administrator's file keeps its mode and owner. */
		struct stat st;
		char *nl = cd_aprintf("%s\n", out);
		int had = stat(in, &st) == 0;
		e = nl ? file_write(env, sys, nl, strlen(nl), had ? st.st_mode & 07777 : 0644, had ? (long)st.st_uid : -1,
				    had ? (long)st.st_gid : -1, d)
		       : CD_ERR_NOMEM;
		free(nl);
	}
done:
	cJSON_free(out);
	cJSON_Delete(doc);
	free(text);
	free(in);
	return e;
}

static cd_err pol_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			struct cd_diag *d)
{
	struct pol p;
	size_t i;
	cd_err e = pol_of(a, env, &p, d);
	(void)before;
	if (e)
		return e;
	if (p.family >= 0)
		return chromium_apply(env, &p, d);
	for (i = 0; i < p.nfiles && !e; i++)
		if (!firefox_has(env, &p, p.files[i]))
			e = firefox_apply(env, &p, p.files[i], d);
	return e;
}

static cd_err any_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	(void)a;
	return files_restore(env, before, d);
}

const struct cd_action_ops cd_act_posix_browser_extension_policy = {
	"browser_extension_policy", 1, 1, pol_check, pol_noop, pol_capture, pol_apply, any_undo,
};

/* ---- native_host_register ---- */

static const struct {
	const char *browser, *machine_dir, *user_dir;
} host_dirs[] = {
	{"chrome", "/etc/opt/chrome/native-messaging-hosts", "/.config/google-chrome/NativeMessagingHosts"},
	{"chromium", "/etc/chromium/native-messaging-hosts", "/.config/chromium/NativeMessagingHosts"},
	{"edge", "/etc/opt/edge/native-messaging-hosts", "/.config/microsoft-edge/NativeMessagingHosts"},
	{"firefox", "/usr/lib/mozilla/native-messaging-hosts", "/.mozilla/native-messaging-hosts"},
};

struct host {
	char *target; /* system path of <dir>/<name>.json */
	long uid, gid; /* the user's, for scope=user; -1 machine-wide */
	int firefox;
};

/* uid, gid and home of user from the system's /etc/passwd. */
static cd_err passwd_user(const struct cd_action_env *env, const char *user, long *uid, long *gid, char **home)
{
	char *pw = cd_act_path(env, "/etc/passwd"), *text = NULL, *line, *next;
	size_t ulen = strlen(user);
	cd_err e = CD_ERR_NOT_FOUND;
	*home = NULL;
	if (!pw || cd_read_file(pw, 4 << 20, &text, NULL) != CD_OK) {
		free(pw);
		return CD_ERR_NOT_FOUND;
	}
	for (line = text; line && e; line = next) {
		char *f[7], *s = line;
		int k;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, user, ulen) || line[ulen] != ':')
			continue;
		for (k = 0; k < 7 && s; k++) {
			f[k] = s;
			s = strchr(s, ':');
			if (s)
				*s++ = '\0';
		}
		if (k < 6 || !cd_act_plain_abs(f[5]))
			continue;
		*uid = atol(f[2]);
		*gid = atol(f[3]);
		*home = cd_strdup(f[5]);
		e = *home ? CD_OK : CD_ERR_NOMEM;
	}
	free(text);
	free(pw);
	return e;
}

static void host_release(struct host *h)
{
	free(h->target);
}

static cd_err host_of(const struct cd_action *a, const struct cd_action_env *env, struct host *h, struct cd_diag *d)
{
	const char *b = cd_action_arg(a, "browser"), *name = cd_action_arg(a, "name"),
		   *scope = cd_action_arg(a, "scope"), *user = cd_action_arg(a, "user"),
		   *mp = cd_action_arg(a, "manifest_path");
	size_t i, k = sizeof(host_dirs) / sizeof(host_dirs[0]);
	memset(h, 0, sizeof(*h));
	h->uid = h->gid = -1;
	if (!name || !*name || strlen(name) > 200 || name[0] == '.' || name[strlen(name) - 1] == '.')
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad host name");
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '.' ||
		      name[i] == '_'))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad host name: %s", name);
	if (!cd_act_plain_abs(mp))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "manifest_path is not a plain absolute path");
	for (i = 0; i < sizeof(host_dirs) / sizeof(host_dirs[0]); i++)
		if (b && !strcmp(b, host_dirs[i].browser))
			k = i;
	if (k == sizeof(host_dirs) / sizeof(host_dirs[0]))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "browser is chrome, chromium, edge or firefox");
	h->firefox = !strcmp(b, "firefox");
	if (!scope || !*scope || !strcmp(scope, "machine")) {
		h->target = cd_aprintf("%s/%s.json", host_dirs[k].machine_dir, name);
	} else if (!strcmp(scope, "user")) {
		char *home = NULL;
		if (!user || !*user || strchr(user, ':') || strchr(user, '\n'))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "scope=user needs the user's name (user=)");
		if (passwd_user(env, user, &h->uid, &h->gid, &home))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "no such user with a home: %s", user);
		if (!strcmp(home, "/")) {
			free(home);
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "%s has no home folder", user);
		}
		h->target = cd_aprintf("%s%s/%s.json", home, host_dirs[k].user_dir, name);
		free(home);
	} else {
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "scope is user or machine");
	}
	if (!h->target)
		return CD_ERR_NOMEM;
	if (!strcmp(h->target, mp)) {
		host_release(h);
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "the manifest is already where the browser looks");
	}
	return CD_OK;
}

/* The manifest's bytes, checked as the browser would take them: a JSON
 * object naming this host, an absolute program path, type stdio, and the
 * browser's list of allowed callers. */
static cd_err read_manifest(const struct cd_action *a, const struct cd_action_env *env, const struct host *h,
			    char **data, size_t *len, struct cd_diag *d)
{
	char *p = cd_act_path(env, cd_action_arg(a, "manifest_path"));
	cJSON *doc = NULL;
	const char *path, *type;
	cd_err e;
	*data = NULL;
	if (!p)
		return CD_ERR_NOMEM;
	if ((e = cd_read_file(p, MAX_FILE, data, len))) {
		cd_diag_set(d, e, p, 0, "cannot read the manifest: %s", cd_err_message(e));
	} else if (!cJSON_IsObject(doc = cJSON_Parse(*data))) {
		e = cd_diag_set(d, CD_ERR_PARSE, p, 0, "the manifest is not a JSON object");
	} else if (!jstr(doc, "name") || strcmp(jstr(doc, "name"), cd_action_arg(a, "name"))) {
		e = cd_diag_set(d, CD_ERR_INVALID, p, 0, "the manifest names another host");
	} else if (!(path = jstr(doc, "path")) || path[0] != '/') {
		e = cd_diag_set(d, CD_ERR_INVALID, p, 0, "the manifest's program path is not absolute");
	} else if (!(type = jstr(doc, "type")) || strcmp(type, "stdio")) {
		e = cd_diag_set(d, CD_ERR_INVALID, p, 0, "the manifest's type is not stdio");
	} else if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, h->firefox ? "allowed_extensions"
										    : "allowed_origins"))) {
		e = cd_diag_set(d, CD_ERR_INVALID, p, 0, "the manifest has no %s for this browser",
				h->firefox ? "allowed_extensions" : "allowed_origins");
	}
	cJSON_Delete(doc);
	free(p);
	if (e) {
		free(*data);
		*data = NULL;
	}
	return e;
}

static cd_err nh_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	struct host h;
	cd_err e = host_of(a, env, &h, d);
	host_release(&h);
	return e;
}

static int nh_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	struct host h;
	char *want = NULL, *have = NULL, *t = NULL;
	size_t wl = 0, hl = 0;
	int same = 0;
	if (host_of(a, env, &h, NULL) == CD_OK && read_manifest(a, env, &h, &want, &wl, NULL) == CD_OK &&
	    (t = cd_act_path(env, h.target)) != NULL && cd_read_file(t, MAX_FILE, &have, &hl) == CD_OK)
		same = hl == wl && !memcmp(have, want, wl);
	host_release(&h);
	free(want);
	free(have);
	free(t);
	return same;
}

static cd_err nh_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			 struct cd_diag *d)
{
	struct host h;
	char *data = NULL;
	size_t len = 0;
	cJSON *files;
	cd_err e = host_of(a, env, &h, d);
	if (!e)
		e = read_manifest(a, env, &h, &data, &len, d);
	if (!e) {
		*before = cJSON_CreateObject();
		if (!*before || !(files = cJSON_AddArrayToObject(*before, "files")))
			e = CD_ERR_NOMEM;
		else
			e = file_capture(env, h.target, files, d);
	}
	free(data);
	host_release(&h);
	return e;
}

static cd_err nh_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	struct host h;
	char *data = NULL;
	size_t len = 0;
	cd_err e = host_of(a, env, &h, d);
	(void)before;
	if (!e && !(e = read_manifest(a, env, &h, &data, &len, d)))
		e = file_write(env, h.target, data, len, 0644, h.uid, h.gid, d);
	free(data);
	host_release(&h);
	return e;
}

const struct cd_action_ops cd_act_posix_native_host_register = {
	"native_host_register", 1, 1, nh_check, nh_noop, nh_capture, nh_apply, any_undo,
};
