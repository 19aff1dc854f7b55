/* Browser policies on Windows: the keys under SOFTWARE\Policies of HKLM
 * (scope "machine") and HKCU ("user") for Chrome, Edge, Chromium and Firefox,
 * one browser_policies row per policy, as the Linux probe records the
 * policy files. A key is read the way the browsers' Group Policy readers
 * read it: values are members, subkeys are objects, and numbered names
 * starting at "1" are lists (Chrome's ExtensionInstallForcelist\1, 2, ...;
 * Firefox's WindowsGPOParser does the same); REG_MULTI_SZ is JSON for
 * Firefox and a list otherwise. Lists and objects are stored as JSON text.
 * HKLM\SOFTWARE\Policies is shared by both registry views, so one is read. */
#include <windows.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "win32_reg.h"

#define MAX_DEPTH 8
#define MAX_ITEMS 5000

static const struct {
	const char *browser, *key;
} policy_keys[] = {
	{"chrome", "SOFTWARE\\Policies\\Google\\Chrome"},
	{"edge", "SOFTWARE\\Policies\\Microsoft\\Edge"},
	{"chromium", "SOFTWARE\\Policies\\Chromium"},
	{"firefox", "SOFTWARE\\Policies\\Mozilla\\Firefox"},
};

struct walk {
	struct cd_probe_ctx *ctx;
	int firefox;
	size_t items;
};

static cJSON *value_json(struct walk *w, HKEY h, const char *where, const char *name)
{
	uint32_t dw;
	char *s = NULL, **items = NULL;
	size_t n = 0, i;
	cJSON *v = NULL;
	if (cd_reg_get_dword(h, name, &dw) == CD_OK)
		return cJSON_CreateNumber((double)dw);
	if (cd_reg_get_multi(h, name, &items, &n) == CD_OK) {
		if (w->firefox) {
			/* Firefox joins the lines and parses them as JSON. */
			struct cd_buf b;
			cd_buf_init(&b, CD_REG_MAX_VALUE);
			for (i = 0; i < n; i++)
				cd_buf_addf(&b, "%s\n", items[i]);
			v = cJSON_Parse(cd_buf_str(&b));
			if (!v)
				cd_probe_error(w->ctx, where, CD_ERR_PARSE, "value %s is not JSON", name);
			cd_buf_release(&b);
		} else {
			v = cJSON_CreateArray();
			for (i = 0; v && i < n; i++)
				cJSON_AddItemToArray(v, cJSON_CreateString(items[i]));
		}
		cd_free_list(items, n);
		return v;
	}
	if (cd_reg_get_str(h, name, 0, &s) == CD_OK) {
		v = cJSON_CreateString(s);
		free(s);
		return v;
	}
	return NULL; /* binary, QWORD, unreadable: not a policy value browsers use */
}

static cJSON *key_json(struct walk *w, HKEY root, const char *sub, int depth)
{
	HKEY h;
	char **names = NULL, **keys = NULL, *where;
	size_t n = 0, k = 0, i;
	cJSON *obj = NULL;
	if (depth > MAX_DEPTH || w->items > MAX_ITEMS)
		return NULL;
	where = cd_reg_describe(root, sub, CD_REG_VIEW_64, NULL);
	if (cd_reg_open(root, sub, CD_REG_VIEW_64, &h) != CD_OK) {
		free(where);
		return NULL;
	}
	cd_reg_value_names(h, &names, &n);
	cd_reg_subkeys(h, &keys, &k);
	/* Numbered values or subkeys from "1": a list. */
	obj = (n && !strcmp(names[0], "1")) || (!n && k && !strcmp(keys[0], "1")) ? cJSON_CreateArray()
										 : cJSON_CreateObject();
	for (i = 0; obj && i < n && w->items <= MAX_ITEMS; i++) {
		cJSON *v;
		if (!*names[i])
			continue;
		w->items++;
		v = value_json(w, h, where, names[i]);
		if (!v)
			continue;
		if (cJSON_IsArray(obj))
			cJSON_AddItemToArray(obj, v);
		else
			cJSON_AddItemToObject(obj, names[i], v);
	}
	for (i = 0; obj && i < k && w->items <= MAX_ITEMS; i++) {
		char *child = cd_aprintf("%s\\%s", sub, keys[i]);
		cJSON *v = child ? key_json(w, root, child, depth + 1) : NULL;
		w->items++;
		free(child);
		if (!v)
			continue;
		if (cJSON_IsArray(obj))
			cJSON_AddItemToArray(obj, v);
		else if (!cJSON_GetObjectItemCaseSensitive(obj, keys[i]))
			cJSON_AddItemToObject(obj, keys[i], v);
		else
			cJSON_ReplaceItemInObjectCaseSensitive(obj, keys[i], v); /* a subkey wins, as in Firefox */
	}
	if (w->items > MAX_ITEMS)
		cd_probe_error(w->ctx, where, CD_ERR_LIMIT, "more than %d policy items: the rest is not read", MAX_ITEMS);
	cd_free_list(names, n);
	cd_free_list(keys, k);
	cd_reg_close(h);
	free(where);
	return obj;
}

static void policy_rows(struct cd_probe_ctx *ctx, const char *browser, const char *scope, HKEY root,
			const char *key)
{
	struct walk w = {ctx, !strcmp(browser, "firefox"), 0};
	cJSON *doc = key_json(&w, root, key, 0), *it;
	char *source = cd_reg_describe(root, key, CD_REG_VIEW_64, NULL);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		free(source);
		return;
	}
	cJSON_ArrayForEach(it, doc)
	{
		struct cd_row r;
		char *printed = cJSON_IsString(it) ? NULL : cJSON_PrintUnformatted(it);
		cd_row_init(&r, "browser_policies");
		cd_row_text(&r, "browser", browser);
		cd_row_text(&r, "scope", scope);
		cd_row_text(&r, "policy", it->string);
		cd_row_text(&r, "value", cJSON_IsString(it) ? it->valuestring : printed);
		cd_row_text(&r, "source", source);
		if (cd_row_insert(ctx->facts, &r))
			cd_probe_error(ctx, source, CD_ERR_SQL, "cannot store the policy row");
		if (printed)
			cJSON_free(printed);
	}
	free(source);
	cJSON_Delete(doc);
}

static cd_err collect_policies(struct cd_probe_ctx *ctx)
{
	size_t i;
	for (i = 0; i < sizeof(policy_keys) / sizeof(policy_keys[0]); i++) {
		policy_rows(ctx, policy_keys[i].browser, "machine", HKEY_LOCAL_MACHINE, policy_keys[i].key);
		policy_rows(ctx, policy_keys[i].browser, "user", HKEY_CURRENT_USER, policy_keys[i].key);
	}
	return CD_OK;
}

const struct cd_probe cd_probe_win32_browser_policies = {
	"windows.browser_policies",
	"browser_policies",
	collect_policies,
};
