/* Registry actions on Windows: registry_set, registry_delete_value,
 * registry_delete_key, and the two that are registry writes underneath:
 * browser_extension_policy (Chrome/Edge ExtensionInstallAllowlist or
 * ExtensionInstallForcelist policies; Firefox ExtensionSettings\<id>) and
 * native_host_register (the
 * NativeMessagingHosts key naming a host's manifest).
 * Captured: the value's type and bytes, or the whole key subtree, and the
 * outermost key that did not exist yet; undo writes back exactly that and
 * removes the keys the action created. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/actions.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_act.h"

/* ---- arguments ---- */

static cd_err key_arg(const struct cd_action *a, HKEY *root, const char **sub, enum cd_reg_view *v,
		      struct cd_diag *d)
{
	const char *key = cd_action_arg(a, "key");
	*root = NULL;
	*sub = NULL;
	*v = CD_REG_VIEW_64;
	if (cd_wa_parse_key(key, root, sub))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a registry key: %s", key ? key : "");
	*v = cd_wa_view(cd_action_arg(a, "view"));
	return CD_OK;
}

/* Type and bytes of registry_set's data: REG_SZ, REG_EXPAND_SZ (text),
 * REG_DWORD, REG_QWORD (decimal or 0x hex), REG_MULTI_SZ (items separated by
 * the two characters \0), REG_BINARY (hex digits). */
static cd_err encode_data(const char *type, const char *data, DWORD *t, BYTE **out, DWORD *n)
{
	if (!type || !data)
		return CD_ERR_INVALID;
	if (!strcmp(type, "REG_SZ") || !strcmp(type, "REG_EXPAND_SZ")) {
		wchar_t *w = cd_w_from_utf8(data);
		if (!w)
			return CD_ERR_NOMEM;
		*t = !strcmp(type, "REG_SZ") ? REG_SZ : REG_EXPAND_SZ;
		*n = (DWORD)((wcslen(w) + 1) * sizeof(wchar_t));
		*out = (BYTE *)w;
		return CD_OK;
	}
	if (!strcmp(type, "REG_DWORD") || !strcmp(type, "REG_QWORD")) {
		char *end = NULL;
		unsigned long long v = strtoull(data, &end, 0);
		int q = !strcmp(type, "REG_QWORD");
		if (!*data || *end || *data == '-' || (!q && v > 0xffffffffULL))
			return CD_ERR_INVALID;
		*out = malloc(8);
		if (!*out)
			return CD_ERR_NOMEM;
		if (q) {
			memcpy(*out, &v, 8);
			*n = 8;
			*t = REG_QWORD;
		} else {
			DWORD dv = (DWORD)v;
			memcpy(*out, &dv, 4);
			*n = 4;
			*t = REG_DWORD;
		}
		return CD_OK;
	}
	if (!strcmp(type, "REG_MULTI_SZ")) {
		struct cd_buf b;
		const char *p = data;
		wchar_t *w;
		size_t i, len;
		cd_buf_init(&b, 1 << 20);
		while (*p) {
			if (p[0] == '\\' && p[1] == '0') {
				cd_buf_addc(&b, '\n');
				p += 2;
			} else if (*p == '\n') {
				cd_buf_release(&b);
				return CD_ERR_INVALID;
			} else {
				cd_buf_addc(&b, *p++);
			}
		}
		cd_buf_addc(&b, '\n');
		if (!cd_buf_str(&b) || !(w = cd_w_from_utf8(b.data))) {
			cd_buf_release(&b);
			return CD_ERR_NOMEM;
		}
		cd_buf_release(&b);
		len = wcslen(w);
		for (i = 0; i < len; i++)
			if (w[i] == L'\n')
				w[i] = 0;
		*t = REG_MULTI_SZ;
		*n = (DWORD)((len + 1) * sizeof(wchar_t)); /* items, each ended, then the empty one */
		*out = (BYTE *)w;
		return CD_OK;
	}
	if (!strcmp(type, "REG_BINARY")) {
		size_t len = strlen(data), i;
		if (len % 2)
			return CD_ERR_INVALID;
		*out = malloc(len / 2 + 1);
		if (!*out)
			return CD_ERR_NOMEM;
		for (i = 0; i < len / 2; i++) {
			unsigned int x;
			if (sscanf(data + i * 2, "%2x", &x) != 1) {
				free(*out);
				return CD_ERR_INVALID;
			}
			(*out)[i] = (BYTE)x;
		}
		*t = REG_BINARY;
		*n = (DWORD)(len / 2);
		return CD_OK;
	}
	return CD_ERR_INVALID;
}

static int same_value(HKEY h, const char *name, DWORD t, const BYTE *data, DWORD n)
{
	wchar_t *w = cd_w_from_utf8(name ? name : "");
	DWORD type = 0, size = 0;
	BYTE *have;
	int same = 0;
	if (!w)
		return 0;
	if (RegQueryValueExW(h, w, NULL, &type, NULL, &size) == ERROR_SUCCESS && type == t && size == n &&
	    (have = malloc(size + 1)) != NULL) {
		if (RegQueryValueExW(h, w, NULL, &type, have, &size) == ERROR_SUCCESS && size == n &&
		    !memcmp(have, data, n))
			same = 1;
		free(have);
	}
	free(w);
	return same;
}

/* ---- registry_set ---- */

static cd_err set_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	DWORD t, n;
	BYTE *b = NULL;
	cd_err e = key_arg(a, &root, &sub, &v, d);
	(void)env;
	if (e)
		return e;
	if (encode_data(cd_action_arg(a, "type"), cd_action_arg(a, "data"), &t, &b, &n))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad type or data for %s",
				   cd_action_arg(a, "type") ? cd_action_arg(a, "type") : "?");
	free(b);
	return CD_OK;
}

static int set_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	HKEY root, h;
	const char *sub;
	enum cd_reg_view v;
	DWORD t, n;
	BYTE *b = NULL;
	int same = 0;
	(void)env;
	if (key_arg(a, &root, &sub, &v, NULL) ||
	    encode_data(cd_action_arg(a, "type"), cd_action_arg(a, "data"), &t, &b, &n))
		return 0;
	if (cd_wa_open(root, sub, v, KEY_READ, &h) == CD_OK) {
		same = same_value(h, cd_action_arg(a, "value"), t, b, n);
		RegCloseKey(h);
	}
	free(b);
	return same;
}

/* {"value": <value capture>, "first_missing": key or null} */
static cd_err value_state_capture(const struct cd_action *a, cJSON **before, struct cd_diag *d)
{
	HKEY root, h;
	const char *sub;
	enum cd_reg_view v;
	cJSON *val = NULL;
	char *missing;
	cd_err e = key_arg(a, &root, &sub, &v, d);
	if (e)
		return e;
	e = cd_wa_open(root, sub, v, KEY_READ, &h);
	if (e == CD_OK) {
		e = cd_wa_value_capture(h, cd_action_arg(a, "value"), &val);
		RegCloseKey(h);
	} else if (e == CD_ERR_NOT_FOUND) {
		val = cJSON_CreateObject();
		e = val && cJSON_AddFalseToObject(val, "exists") ? CD_OK : CD_ERR_NOMEM;
	}
	if (e) {
		cJSON_Delete(val);
		return cd_diag_set(d, e, cd_action_arg(a, "key"), 0, "cannot read: %s", cd_err_message(e));
	}
	missing = cd_wa_first_missing(root, sub, v);
	*before = cJSON_CreateObject();
	if (!*before) {
		cJSON_Delete(val);
		free(missing);
		return CD_ERR_NOMEM;
	}
	cJSON_AddItemToObject(*before, "value", val);
	if (missing)
		cJSON_AddStringToObject(*before, "first_missing", missing);
	else
		cJSON_AddNullToObject(*before, "first_missing");
	free(missing);
	return CD_OK;
}

static cd_err value_state_restore(const struct cd_action *a, const cJSON *before, struct cd_diag *d)
{
	HKEY root, h;
	const char *sub;
	enum cd_reg_view v;
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(before, "value"),
		    *fm = cJSON_GetObjectItemCaseSensitive(before, "first_missing");
	cd_err e = key_arg(a, &root, &sub, &v, d);
	if (e)
		return e;
	if (!cJSON_IsObject(val))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	e = cd_wa_open(root, sub, v, KEY_READ | KEY_WRITE, &h);
	if (e == CD_ERR_NOT_FOUND && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(val, "exists")))
		return CD_OK; /* nothing was created */
	if (e == CD_ERR_NOT_FOUND) {
		wchar_t *w = cd_w_from_utf8(sub);
		LONG rc = w ? RegCreateKeyExW(root, w, 0, NULL, 0, KEY_READ | KEY_WRITE | cd_wa_sam(v), NULL, &h, NULL)
			    : ERROR_OUTOFMEMORY;
		free(w);
		e = cd_wa_err((DWORD)rc);
	}
	if (e)
		return cd_diag_set(d, e, cd_action_arg(a, "key"), 0, "cannot open: %s", cd_err_message(e));
	e = cd_wa_value_restore(h, cd_action_arg(a, "value"), val);
	RegCloseKey(h);
	if (e)
		return cd_diag_set(d, e, cd_action_arg(a, "key"), 0, "cannot restore the value: %s", cd_err_message(e));
	if (cJSON_IsString(fm))
		cd_wa_prune_empty(root, sub, fm->valuestring, v);
	return CD_OK;
}

static cd_err set_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			  struct cd_diag *d)
{
	cd_err e = set_check(a, env, d);
	return e ? e : value_state_capture(a, before, d);
}

static cd_err write_value(HKEY root, const char *sub, enum cd_reg_view v, const char *name, DWORD t,
			  const BYTE *b, DWORD n, struct cd_diag *d)
{
	wchar_t *w = cd_w_from_utf8(sub), *wn = cd_w_from_utf8(name ? name : "");
	HKEY h;
	LONG rc = ERROR_OUTOFMEMORY;
	if (w && wn) {
		rc = RegCreateKeyExW(root, w, 0, NULL, 0, KEY_READ | KEY_WRITE | cd_wa_sam(v), NULL, &h, NULL);
		if (rc == ERROR_SUCCESS) {
			rc = RegSetValueExW(h, wn, 0, t, b, n);
			RegCloseKey(h);
		}
	}
	free(w);
	free(wn);
	if (rc != ERROR_SUCCESS)
		return cd_diag_set(d, cd_wa_err((DWORD)rc), sub, 0, "cannot write (error %ld)", (long)rc);
	return CD_OK;
}

static cd_err set_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			struct cd_diag *d)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	DWORD t, n;
	BYTE *b = NULL;
	cd_err e = key_arg(a, &root, &sub, &v, d);
	(void)env;
	(void)before;
	if (e)
		return e;
	if ((e = encode_data(cd_action_arg(a, "type"), cd_action_arg(a, "data"), &t, &b, &n)))
		return cd_diag_set(d, e, NULL, 0, "bad data");
	e = write_value(root, sub, v, cd_action_arg(a, "value"), t, b, n, d);
	free(b);
	return e;
}

static cd_err value_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			 struct cd_diag *d)
{
	(void)env;
	return value_state_restore(a, before, d);
}

const struct cd_action_ops cd_act_win32_registry_set = {
	"registry_set", 1, 1, set_check, set_noop, set_capture, set_apply, value_undo,
};

/* ---- registry_delete_value ---- */

static cd_err dv_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	(void)env;
	if (!cd_action_arg(a, "value"))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "no value named");
	return key_arg(a, &root, &sub, &v, d);
}

static int dv_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	HKEY root, h;
	const char *sub;
	enum cd_reg_view v;
	wchar_t *w;
	int gone = 1;
	(void)env;
	if (key_arg(a, &root, &sub, &v, NULL) || cd_wa_open(root, sub, v, KEY_READ, &h))
		return 1;
	if ((w = cd_w_from_utf8(cd_action_arg(a, "value"))) != NULL)
		gone = RegQueryValueExW(h, w, NULL, NULL, NULL, NULL) == ERROR_FILE_NOT_FOUND;
	free(w);
	RegCloseKey(h);
	return gone;
}

static cd_err dv_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			 struct cd_diag *d)
{
	cd_err e = dv_check(a, env, d);
	return e ? e : value_state_capture(a, before, d);
}

static cd_err dv_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	HKEY root, h;
	const char *sub;
	enum cd_reg_view v;
	wchar_t *w;
	LONG rc;
	cd_err e = key_arg(a, &root, &sub, &v, d);
	(void)env;
	(void)before;
	if (e)
		return e;
	if ((e = cd_wa_open(root, sub, v, KEY_READ | KEY_WRITE, &h)))
		return e == CD_ERR_NOT_FOUND ? CD_OK : cd_diag_set(d, e, sub, 0, "cannot open");
	w = cd_w_from_utf8(cd_action_arg(a, "value"));
	rc = w ? RegDeleteValueW(h, w) : ERROR_OUTOFMEMORY;
	free(w);
	RegCloseKey(h);
	if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND)
		return cd_diag_set(d, cd_wa_err((DWORD)rc), sub, 0, "cannot delete (error %ld)", (long)rc);
	return CD_OK;
}

const struct cd_action_ops cd_act_win32_registry_delete_value = {
	"registry_delete_value", 1, 1, dv_check, dv_noop, dv_capture, dv_apply, value_undo,
};

/* ---- registry_delete_key ---- */

/* Keys that hold the system together: never deleted whole. */
static int protected_key(const char *sub)
{
	static const char *const keys[] = {
		"SOFTWARE", "SYSTEM", "SAM", "SECURITY", "HARDWARE", "BCD00000000",
		"SOFTWARE\\Microsoft", "SOFTWARE\\Classes", "SOFTWARE\\Classes\\CLSID", "SOFTWARE\\WOW6432Node",
		"SOFTWARE\\Policies", "SOFTWARE\\Microsoft\\Windows", "SOFTWARE\\Microsoft\\Windows NT",
		"SOFTWARE\\Microsoft\\Windows\\CurrentVersion", "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
		"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall", "SOFTWARE\\Microsoft\\Cryptography",
		"SYSTEM\\CurrentControlSet", "SYSTEM\\CurrentControlSet\\Services", "SYSTEM\\CurrentControlSet\\Control",
		"SYSTEM\\CurrentControlSet\\Enum", "CLSID", "Software", "Software\\Microsoft",
	};
	size_t i;
	if (!strchr(sub, '\\'))
		return 1; /* one level below a root: always refused */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (cd_strieq(sub, keys[i]))
			return 1;
	return 0;
}

static cd_err dk_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	cd_err e = key_arg(a, &root, &sub, &v, d);
	(void)env;
	if (e)
		return e;
	if (protected_key(sub))
		return cd_diag_set(d, CD_ERR_DENIED, cd_action_arg(a, "key"), 0, "a system key: never deleted");
	return CD_OK;
}

static int dk_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	(void)env;
	return !key_arg(a, &root, &sub, &v, NULL) && !cd_wa_key_exists(root, sub, v);
}

static cd_err dk_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			 struct cd_diag *d)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	cd_err e = dk_check(a, env, d);
	if (e)
		return e;
	key_arg(a, &root, &sub, &v, d);
	if ((e = cd_wa_tree_capture(root, sub, v, before)))
		return cd_diag_set(d, e, cd_action_arg(a, "key"), 0, "cannot record the whole key: %s",
				   cd_err_message(e));
	return CD_OK;
}

static cd_err dk_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	cd_err e = key_arg(a, &root, &sub, &v, d);
	(void)env;
	(void)before;
	if (!e && (e = cd_wa_tree_delete(root, sub, v)))
		cd_diag_set(d, e, cd_action_arg(a, "key"), 0, "cannot delete: %s", cd_err_message(e));
	return e;
}

static cd_err dk_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	HKEY root;
	const char *sub;
	enum cd_reg_view v;
	cd_err e = key_arg(a, &root, &sub, &v, d);
	(void)env;
	if (!e && (e = cd_wa_tree_restore(root, sub, v, before)))
		cd_diag_set(d, e, cd_action_arg(a, "key"), 0, "cannot recreate: %s", cd_err_message(e));
	return e;
}

const struct cd_action_ops cd_act_win32_registry_delete_key = {
	"registry_delete_key", 1, 1, dk_check, dk_noop, dk_capture, dk_apply, dk_undo,
};

/* ---- browser_extension_policy ---- */

struct policy {
	char *key;  /* SOFTWARE\Policies\...\ExtensionInstall... or Firefox's ExtensionSettings\<id> */
	char *data; /* what one numbered value holds (Chrome/Edge) */
	const char *id, *url;
	int firefox, force;
};

#define FIREFOX_POLICIES "SOFTWARE\\Policies\\Mozilla\\Firefox"

static void policy_release(struct policy *p)
{
	free(p->key);
	free(p->data);
}

/* Firefox reads its Windows policies key as JSON-like data: a subkey is an
 * object, its values members (WindowsGPOParser). ExtensionSettings\<id>
 * with installation_mode (and install_url) is one extension's entry,
 * beside the administrator's other entries. */
static cd_err policy_of(const struct cd_action *a, struct policy *p, struct cd_diag *d)
{
	const char *b = cd_action_arg(a, "browser"), *id = cd_action_arg(a, "ext_id"),
		   *mode = cd_action_arg(a, "mode"), *url = cd_action_arg(a, "update_url"), *base;
	int force = mode && !strcmp(mode, "force");
	size_t i;
	memset(p, 0, sizeof(*p));
	if (mode && *mode && strcmp(mode, "force") && strcmp(mode, "allow"))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "mode is allow or force");
	if (url && !*url)
		url = NULL;
	if (b && !strcmp(b, "firefox")) {
		if (!cd_action_firefox_addon_id(id))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a Firefox add-on id: %s", id ? id : "");
		if (force && !url)
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0,
					   "forcing a Firefox add-on needs its install address (update_url)");
		if (url && (strncmp(url, "https://", 8) || strpbrk(url, " \t\r\n;\"\\")))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "update_url must be an https address");
		p->firefox = 1;
		p->force = force;
		p->id = id;
		p->url = url;
		p->key = cd_aprintf(FIREFOX_POLICIES "\\ExtensionSettings\\%s", id);
		return p->key ? CD_OK : CD_ERR_NOMEM;
	}
	if (!id || strlen(id) != 32)
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not an extension id: %s", id ? id : "");
	for (i = 0; i < 32; i++)
		if (id[i] < 'a' || id[i] > 'p')
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not an extension id: %s", id);
	if (b && !strcmp(b, "chrome")) {
		base = "SOFTWARE\\Policies\\Google\\Chrome";
		if (!url)
			url = "https://clients2.google.com/service/update2/crx";
	} else if (b && !strcmp(b, "edge")) {
		base = "SOFTWARE\\Policies\\Microsoft\\Edge";
		if (!url)
			url = "https://edge.microsoft.com/extensionwebstorebase/v1/crx";
	} else {
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0, "extension policies are written for chrome, edge and firefox");
	}
	if (strncmp(url, "https://", 8) || strpbrk(url, " \t\r\n;\""))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "update_url must be an https address");
	p->id = id;
	p->url = url;
	p->force = force;
	p->key = cd_aprintf("%s\\%s", base, force ? "ExtensionInstallForcelist" : "ExtensionInstallAllowlist");
	p->data = force ? cd_aprintf("%s;%s", id, url) : cd_strdup(id);
	return p->key && p->data ? CD_OK : CD_ERR_NOMEM;
}

/* A string value of HKLM\key, or NULL. */
static char *hklm_str(const char *key, const char *name)
{
	HKEY h;
	char *s = NULL;
	if (cd_wa_open(HKEY_LOCAL_MACHINE, key, cd_wa_view(NULL), KEY_READ, &h) != CD_OK)
		return NULL;
	if (cd_reg_get_str(h, name, 0, &s) != CD_OK)
		s = NULL;
	RegCloseKey(h);
	return s;
}

/* 1 when Firefox's entry for the extension already says what we would. */
static int firefox_listed(const struct policy *p)
{
	char *mode = hklm_str(p->key, "installation_mode"), *url = hklm_str(p->key, "install_url");
	int r = 0;
	if (mode && p->force)
		r = !strcmp(mode, "force_installed") && url && !strcmp(url, p->url);
	else if (mode)
		r = !strcmp(mode, "allowed") || !strcmp(mode, "force_installed") || !strcmp(mode, "normal_installed");
	free(mode);
	free(url);
	return r;
}

/* 1 when the administrator set ExtensionSettings as one JSON value: Firefox
 * would let our subkey replace it whole, so it is not touched. */
static int firefox_json_value(void)
{
	HKEY h;
	int r = 0;
	if (cd_wa_open(HKEY_LOCAL_MACHINE, FIREFOX_POLICIES, cd_wa_view(NULL), KEY_READ, &h) == CD_OK) {
		r = RegQueryValueExW(h, L"ExtensionSettings", NULL, NULL, NULL, NULL) == ERROR_SUCCESS;
		RegCloseKey(h);
	}
	return r;
}

static cd_err pol_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	struct policy p;
	cd_err e = policy_of(a, &p, d);
	(void)env;
	policy_release(&p);
	return e;
}

/* Name of the numbered value already listing the extension, or the next
 * free number (*listed says which). */
static int find_slot(const struct policy *p, enum cd_reg_view v, int *listed)
{
	HKEY h;
	int n, free_slot = 0;
	*listed = 0;
	if (cd_wa_open(HKEY_LOCAL_MACHINE, p->key, v, KEY_READ, &h) != CD_OK)
		return 1;
	for (n = 1; n < 1000; n++) {
		char name[16], *s = NULL;
		snprintf(name, sizeof(name), "%d", n);
		if (cd_reg_get_str(h, name, 0, &s) != CD_OK) {
			if (!free_slot)
				free_slot = n;
			continue;
		}
		if (!strncmp(s, p->id, 32) && (s[32] == '\0' || s[32] == ';')) {
			free(s);
			*listed = 1;
			RegCloseKey(h);
			return n;
		}
		free(s);
	}
	RegCloseKey(h);
	return free_slot ? free_slot : 1000;
}

static int pol_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	struct policy p;
	int listed = 0;
	(void)env;
	if (policy_of(a, &p, NULL) == CD_OK) {
		if (p.firefox)
			listed = firefox_listed(&p);
		else
			find_slot(&p, cd_wa_view(NULL), &listed);
	}
	policy_release(&p);
	return listed;
}

static cd_err pol_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			  struct cd_diag *d)
{
	struct policy p;
	cd_err e = policy_of(a, &p, d);
	(void)env;
	if (!e && p.firefox && firefox_json_value())
		e = cd_diag_set(d, CD_ERR_UNSUPPORTED, FIREFOX_POLICIES, 0,
				"ExtensionSettings is set there as one JSON value, which a subkey would replace: add %s to it",
				p.id);
	if (!e && (e = cd_wa_state_capture(HKEY_LOCAL_MACHINE, p.key, cd_wa_view(NULL), before)))
		cd_diag_set(d, e, p.key, 0, "cannot record: %s", cd_err_message(e));
	policy_release(&p);
	return e;
}

static cd_err pol_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			struct cd_diag *d)
{
	struct policy p;
	char name[16];
	int listed = 0, slot;
	wchar_t *w = NULL;
	cd_err e = policy_of(a, &p, d);
	(void)env;
	(void)before;
	if (e) {
		policy_release(&p);
		return e;
	}
	if (p.firefox) {
		const char *mode = p.force ? "force_installed" : "allowed";
		w = cd_w_from_utf8(mode);
		e = w ? write_value(HKEY_LOCAL_MACHINE, p.key, cd_wa_view(NULL), "installation_mode", REG_SZ, (BYTE *)w,
				    (DWORD)((wcslen(w) + 1) * sizeof(wchar_t)), d)
		      : CD_ERR_NOMEM;
		free(w);
		w = NULL;
		if (!e && p.url) {
			w = cd_w_from_utf8(p.url);
			e = w ? write_value(HKEY_LOCAL_MACHINE, p.key, cd_wa_view(NULL), "install_url", REG_SZ, (BYTE *)w,
					    (DWORD)((wcslen(w) + 1) * sizeof(wchar_t)), d)
			      : CD_ERR_NOMEM;
		}
		free(w);
		policy_release(&p);
		return e;
	}
	slot = find_slot(&p, cd_wa_view(NULL), &listed);
	if (!listed) {
		snprintf(name, sizeof(name), "%d", slot);
		w = cd_w_from_utf8(p.data);
		e = w ? write_value(HKEY_LOCAL_MACHINE, p.key, cd_wa_view(NULL), name, REG_SZ, (BYTE *)w,
				    (DWORD)((wcslen(w) + 1) * sizeof(wchar_t)), d)
		      : CD_ERR_NOMEM;
	}
	free(w);
	policy_release(&p);
	return e;
}

static cd_err pol_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	struct policy p;
	cd_err e = policy_of(a, &p, d);
	(void)env;
	if (!e && (e = cd_wa_state_restore(HKEY_LOCAL_MACHINE, p.key, cd_wa_view(NULL), before)))
		cd_diag_set(d, e, p.key, 0, "cannot restore: %s", cd_err_message(e));
	policy_release(&p);
	return e;
}

const struct cd_action_ops cd_act_win32_browser_extension_policy = {
	"browser_extension_policy", 1, 1, pol_check, pol_noop, pol_capture, pol_apply, pol_undo,
};

/* ---- native_host_register ---- */

struct host_key {
	HKEY root;
	char *sub;
	enum cd_reg_view view;
};

static cd_err host_key_of(const struct cd_action *a, struct host_key *k, struct cd_diag *d)
{
	const char *b = cd_action_arg(a, "browser"), *name = cd_action_arg(a, "name"),
		   *scope = cd_action_arg(a, "scope"), *mp = cd_action_arg(a, "manifest_path"), *base;
	size_t i;
	memset(k, 0, sizeof(*k));
	if (!name || !*name || strlen(name) > 200)
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad host name");
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '.' ||
		      name[i] == '_'))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad host name: %s", name);
	if (!cd_win_path_is_plain_absolute(mp))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "manifest_path is not a plain absolute path");
	if (b && !strcmp(b, "chrome"))
		base = "Software\\Google\\Chrome\\NativeMessagingHosts";
	else if (b && !strcmp(b, "edge"))
		base = "Software\\Microsoft\\Edge\\NativeMessagingHosts";
	else if (b && !strcmp(b, "firefox"))
		base = "Software\\Mozilla\\NativeMessagingHosts";
	else
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "browser is chrome, edge or firefox");
	k->root = scope && !strcmp(scope, "machine") ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
	if (scope && *scope && strcmp(scope, "machine") && strcmp(scope, "user"))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "scope is user or machine");
	k->view = cd_wa_view(cd_action_arg(a, "view"));
	k->sub = cd_aprintf("%s\\%s", base, name);
	return k->sub ? CD_OK : CD_ERR_NOMEM;
}

static cd_err nh_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	struct host_key k;
	cd_err e = host_key_of(a, &k, d);
	(void)env;
	free(k.sub);
	return e;
}

static int nh_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	struct host_key k;
	HKEY h;
	char *s = NULL;
	int same = 0;
	(void)env;
	if (host_key_of(a, &k, NULL) == CD_OK && cd_wa_open(k.root, k.sub, k.view, KEY_READ, &h) == CD_OK) {
		same = cd_reg_get_str(h, "", 0, &s) == CD_OK && !strcmp(s, cd_action_arg(a, "manifest_path"));
		free(s);
		RegCloseKey(h);
	}
	free(k.sub);
	return same;
}

static cd_err nh_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			 struct cd_diag *d)
{
	struct host_key k;
	cd_err e = host_key_of(a, &k, d);
	(void)env;
	if (!e && (e = cd_wa_state_capture(k.root, k.sub, k.view, before)))
		cd_diag_set(d, e, k.sub, 0, "cannot record: %s", cd_err_message(e));
	free(k.sub);
	return e;
}

static cd_err nh_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	struct host_key k;
	const char *mp = cd_action_arg(a, "manifest_path");
	wchar_t *w;
	cd_err e = host_key_of(a, &k, d);
	(void)env;
	(void)before;
	if (!e && !cd_win_file_exists(mp))
		e = cd_diag_set(d, CD_ERR_NOT_FOUND, mp, 0, "the manifest does not exist");
	if (!e) {
		w = cd_w_from_utf8(mp);
		e = w ? write_value(k.root, k.sub, k.view, "", REG_SZ, (BYTE *)w,
				    (DWORD)((wcslen(w) + 1) * sizeof(wchar_t)), d)
		      : CD_ERR_NOMEM;
		free(w);
	}
	free(k.sub);
	return e;
}

static cd_err nh_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	struct host_key k;
	cd_err e = host_key_of(a, &k, d);
	(void)env;
	if (!e && (e = cd_wa_state_restore(k.root, k.sub, k.view, before)))
		cd_diag_set(d, e, k.sub, 0, "cannot restore: %s", cd_err_message(e));
	free(k.sub);
	return e;
}

const struct cd_action_ops cd_act_win32_native_host_register = {
	"native_host_register", 1, 1, nh_check, nh_noop, nh_capture, nh_apply, nh_undo,
};
