/* Helpers of the Windows actions (win32_act.h). */
#include "win32_act.h"

#include <windows.h>
#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"

#define TREE_MAX_ITEMS 20000
#define TREE_MAX_DEPTH 32

cd_err cd_wa_err(DWORD e)
{
	switch (e) {
	case ERROR_SUCCESS:
		return CD_OK;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_SERVICE_DOES_NOT_EXIST:
		return CD_ERR_NOT_FOUND;
	case ERROR_ACCESS_DENIED:
		return CD_ERR_DENIED;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return CD_ERR_NOMEM;
	case ERROR_TIMEOUT:
	case ERROR_SERVICE_REQUEST_TIMEOUT:
		return CD_ERR_TIMEOUT;
	default:
		return CD_ERR_IO;
	}
}

cd_err cd_wa_parse_key(const char *key, HKEY *root, const char **subkey)
{
	static const struct {
		const char *name;
		HKEY root;
	} roots[] = {
		{"HKLM", HKEY_LOCAL_MACHINE}, {"HKEY_LOCAL_MACHINE", HKEY_LOCAL_MACHINE},
		{"HKCU", HKEY_CURRENT_USER},  {"HKEY_CURRENT_USER", HKEY_CURRENT_USER},
		{"HKU", HKEY_USERS},          {"HKEY_USERS", HKEY_USERS},
		{"HKCR", HKEY_CLASSES_ROOT},  {"HKEY_CLASSES_ROOT", HKEY_CLASSES_ROOT},
	};
	const char *bs = key ? strchr(key, '\\') : NULL;
	size_t i, n;
	if (!bs || !bs[1])
		return CD_ERR_INVALID;
	n = (size_t)(bs - key);
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (strlen(roots[i].name) == n && !_strnicmp(key, roots[i].name, n)) {
			const char *s = bs + 1;
			/* No empty components, no trailing backslash. */
			if (strstr(s, "\\\\") || s[strlen(s) - 1] == '\\' || strlen(s) > 1000)
				return CD_ERR_INVALID;
			*root = roots[i].root;
			*subkey = s;
			return CD_OK;
		}
	}
	return CD_ERR_INVALID;
}

enum cd_reg_view cd_wa_view(const char *arg)
{
	enum cd_reg_view views[2];
	if (arg && !strcmp(arg, "32"))
		return CD_REG_VIEW_32;
	if (arg && !strcmp(arg, "64"))
		return cd_reg_views(views) == 2 ? CD_REG_VIEW_64 : CD_REG_VIEW_32;
	cd_reg_views(views);
	return views[0];
}

REGSAM cd_wa_sam(enum cd_reg_view v)
{
	return v == CD_REG_VIEW_64 ? KEY_WOW64_64KEY : KEY_WOW64_32KEY;
}

cd_err cd_wa_open(HKEY root, const char *sub, enum cd_reg_view v, REGSAM access, HKEY *out)
{
	wchar_t *w = cd_w_from_utf8(sub);
	LONG rc;
	if (!w)
		return CD_ERR_NOMEM;
	rc = RegOpenKeyExW(root, w, 0, access | cd_wa_sam(v), out);
	free(w);
	return cd_wa_err((DWORD)rc);
}

int cd_wa_key_exists(HKEY root, const char *sub, enum cd_reg_view v)
{
	HKEY h;
	if (cd_wa_open(root, sub, v, KEY_READ, &h) != CD_OK)
		return 0;
	RegCloseKey(h);
	return 1;
}

static char *hex_of(const BYTE *p, DWORD n)
{
	static const char hx[] = "0123456789abcdef";
	char *s = malloc((size_t)n * 2 + 1);
	DWORD i;
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[i * 2] = hx[p[i] >> 4];
		s[i * 2 + 1] = hx[p[i] & 15];
	}
	s[n * 2] = '\0';
	return s;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static BYTE *bytes_of(const char *hex, DWORD *n)
{
	size_t len = strlen(hex), i;
	BYTE *b;
	if (len % 2)
		return NULL;
	b = malloc(len / 2 + 1);
	if (!b)
		return NULL;
	for (i = 0; i < len / 2; i++) {
		int h = hexval(hex[i * 2]), l = hexval(hex[i * 2 + 1]);
		if (h < 0 || l < 0) {
			free(b);
			return NULL;
		}
		b[i] = (BYTE)(h << 4 | l);
	}
	*n = (DWORD)(len / 2);
	return b;
}

/* Raw value by UTF-16 name. */
static LONG raw_value(HKEY h, const wchar_t *name, DWORD *type, BYTE **data, DWORD *size)
{
	DWORD sz = 0;
	LONG rc;
	int tries;
	for (tries = 0; tries < 3; tries++) {
		BYTE *buf;
		rc = RegQueryValueExW(h, name, NULL, type, NULL, &sz);
		if (rc != ERROR_SUCCESS)
			return rc;
		if (sz > CD_REG_MAX_VALUE)
			return ERROR_MORE_DATA;
		buf = malloc((size_t)sz + 2);
		if (!buf)
			return ERROR_OUTOFMEMORY;
		rc = RegQueryValueExW(h, name, NULL, type, buf, &sz);
		if (rc == ERROR_SUCCESS) {
			*data = buf;
			*size = sz;
			return rc;
		}
		free(buf);
		if (rc != ERROR_MORE_DATA)
			return rc;
	}
	return rc;
}

static cJSON *value_json(const char *name, DWORD type, const BYTE *data, DWORD size)
{
	cJSON *o = cJSON_CreateObject();
	char *hex = hex_of(data, size);
	if (!o || !hex || (name && !cJSON_AddStringToObject(o, "name", name)) ||
	    !cJSON_AddNumberToObject(o, "type", (double)type) || !cJSON_AddStringToObject(o, "data", hex)) {
		cJSON_Delete(o);
		free(hex);
		return NULL;
	}
	free(hex);
	return o;
}

cd_err cd_wa_value_capture(HKEY h, const char *name, cJSON **out)
{
	wchar_t *w = cd_w_from_utf8(name ? name : "");
	DWORD type = 0, size = 0;
	BYTE *data = NULL;
	LONG rc;
	if (!w)
		return CD_ERR_NOMEM;
	rc = raw_value(h, w, &type, &data, &size);
	free(w);
	if (rc == ERROR_FILE_NOT_FOUND) {
		*out = cJSON_CreateObject();
		if (!*out || !cJSON_AddFalseToObject(*out, "exists"))
			return CD_ERR_NOMEM;
		return CD_OK;
	}
	if (rc != ERROR_SUCCESS)
		return rc == ERROR_MORE_DATA ? CD_ERR_LIMIT : cd_wa_err((DWORD)rc);
	*out = value_json(NULL, type, data, size);
	free(data);
	if (!*out || !cJSON_AddTrueToObject(*out, "exists"))
		return CD_ERR_NOMEM;
	return CD_OK;
}

static cd_err set_raw(HKEY h, const char *name, const cJSON *v)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(v, "type"),
		    *d = cJSON_GetObjectItemCaseSensitive(v, "data");
	wchar_t *w;
	BYTE *b;
	DWORD n = 0;
	LONG rc;
	if (!cJSON_IsNumber(t) || !cJSON_IsString(d) || !(b = bytes_of(d->valuestring, &n)))
		return CD_ERR_PARSE;
	w = cd_w_from_utf8(name ? name : "");
	if (!w) {
		free(b);
		return CD_ERR_NOMEM;
	}
	rc = RegSetValueExW(h, w, 0, (DWORD)t->valuedouble, b, n);
	free(w);
	free(b);
	return cd_wa_err((DWORD)rc);
}

cd_err cd_wa_value_restore(HKEY h, const char *name, const cJSON *v)
{
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(v, "exists");
	if (!cJSON_IsBool(ex))
		return CD_ERR_PARSE;
	if (cJSON_IsTrue(ex))
		return set_raw(h, name, v);
	{
		wchar_t *w = cd_w_from_utf8(name ? name : "");
		LONG rc;
		if (!w)
			return CD_ERR_NOMEM;
		rc = RegDeleteValueW(h, w);
		free(w);
		return rc == ERROR_FILE_NOT_FOUND ? CD_OK : cd_wa_err((DWORD)rc);
	}
}

/* Fills o with the values and subkeys of h (in enumeration order). */
static cd_err tree_fill(HKEY h, cJSON *o, int depth, size_t *items)
{
	static wchar_t name[16384];
	cJSON *vals = cJSON_AddArrayToObject(o, "values"), *keys = cJSON_AddArrayToObject(o, "keys");
	DWORD i;
	if (!vals || !keys)
		return CD_ERR_NOMEM;
	if (depth > TREE_MAX_DEPTH)
		return CD_ERR_LIMIT;
	for (i = 0;; i++) {
		DWORD len = 16384, type = 0, size = 0;
		BYTE *data = NULL;
		char *u;
		cJSON *v;
		LONG rc = RegEnumValueW(h, i, name, &len, NULL, NULL, NULL, NULL);
		if (rc == ERROR_NO_MORE_ITEMS)
			break;
		if (rc != ERROR_SUCCESS)
			return cd_wa_err((DWORD)rc);
		if (++*items > TREE_MAX_ITEMS)
			return CD_ERR_LIMIT;
		name[len] = 0;
		rc = raw_value(h, name, &type, &data, &size);
		if (rc != ERROR_SUCCESS)
			return rc == ERROR_MORE_DATA ? CD_ERR_LIMIT : cd_wa_err((DWORD)rc);
		u = cd_utf8_from_w(name);
		v = u ? value_json(u, type, data, size) : NULL;
		free(u);
		free(data);
		if (!v)
			return CD_ERR_NOMEM;
		cJSON_AddItemToArray(vals, v);
	}
	for (i = 0;; i++) {
		DWORD len = 256;
		HKEY sub;
		cJSON *k;
		char *u;
		cd_err e;
		LONG rc = RegEnumKeyExW(h, i, name, &len, NULL, NULL, NULL, NULL);
		if (rc == ERROR_NO_MORE_ITEMS)
			break;
		if (rc != ERROR_SUCCESS)
			return cd_wa_err((DWORD)rc);
		if (++*items > TREE_MAX_ITEMS)
			return CD_ERR_LIMIT;
		name[len] = 0;
		u = cd_utf8_from_w(name);
		k = cJSON_CreateObject();
		if (!u || !k || !cJSON_AddStringToObject(k, "name", u)) {
			free(u);
			cJSON_Delete(k);
			return CD_ERR_NOMEM;
		}
		free(u);
		cJSON_AddItemToArray(keys, k);
		/* The name buffer is reused by the recursion: open first. */
		rc = RegOpenKeyExW(h, name, 0, KEY_READ, &sub);
		if (rc != ERROR_SUCCESS)
			return cd_wa_err((DWORD)rc);
		e = tree_fill(sub, k, depth + 1, items);
		RegCloseKey(sub);
		if (e)
			return e;
	}
	return CD_OK;
}

cd_err cd_wa_tree_capture(HKEY root, const char *sub, enum cd_reg_view v, cJSON **out)
{
	HKEY h;
	size_t items = 0;
	cd_err e = cd_wa_open(root, sub, v, KEY_READ, &h);
	*out = cJSON_CreateObject();
	if (!*out)
		return CD_ERR_NOMEM;
	if (e == CD_ERR_NOT_FOUND)
		return cJSON_AddFalseToObject(*out, "exists") ? CD_OK : CD_ERR_NOMEM;
	if (e)
		return e;
	e = cJSON_AddTrueToObject(*out, "exists") ? tree_fill(h, *out, 0, &items) : CD_ERR_NOMEM;
	RegCloseKey(h);
	return e;
}

cd_err cd_wa_tree_delete(HKEY root, const char *sub, enum cd_reg_view v)
{
	HKEY h;
	const char *bs = strrchr(sub, '\\');
	char *parent = bs ? cd_strndup(sub, (size_t)(bs - sub)) : NULL;
	wchar_t *leaf = cd_w_from_utf8(bs ? bs + 1 : sub);
	cd_err e;
	LONG rc;
	if (!leaf || (bs && !parent)) {
		free(parent);
		free(leaf);
		return CD_ERR_NOMEM;
	}
	e = parent ? cd_wa_open(root, parent, v, KEY_READ | KEY_WRITE, &h) : CD_OK;
	if (!parent)
		h = root;
	free(parent);
	if (e) {
		free(leaf);
		return e == CD_ERR_NOT_FOUND ? CD_OK : e;
	}
	rc = RegDeleteTreeW(h, leaf);
	if (rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND) {
		/* RegDeleteTree leaves the key itself on some systems: remove it. */
		LONG r2 = RegDeleteKeyExW(h, leaf, cd_wa_sam(v), 0);
		rc = r2 == ERROR_FILE_NOT_FOUND ? ERROR_SUCCESS : r2;
	}
	free(leaf);
	if (h != root)
		RegCloseKey(h);
	return cd_wa_err((DWORD)rc);
}

static cd_err tree_write(HKEY h, const cJSON *o, int depth)
{
	const cJSON *it;
	if (depth > TREE_MAX_DEPTH)
		return CD_ERR_LIMIT;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "values"))
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
		cd_err e;
		if (!cJSON_IsString(n))
			return CD_ERR_PARSE;
		if ((e = set_raw(h, n->valuestring, it)))
			return e;
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "keys"))
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
		wchar_t *w;
		HKEY sub;
		LONG rc;
		cd_err e;
		if (!cJSON_IsString(n) || !(w = cd_w_from_utf8(n->valuestring)))
			return CD_ERR_PARSE;
		rc = RegCreateKeyExW(h, w, 0, NULL, 0, KEY_READ | KEY_WRITE, NULL, &sub, NULL);
		free(w);
		if (rc != ERROR_SUCCESS)
			return cd_wa_err((DWORD)rc);
		e = tree_write(sub, it, depth + 1);
		RegCloseKey(sub);
		if (e)
			return e;
	}
	return CD_OK;
}

cd_err cd_wa_tree_restore(HKEY root, const char *sub, enum cd_reg_view v, const cJSON *tree)
{
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(tree, "exists");
	wchar_t *w;
	HKEY h;
	LONG rc;
	cd_err e;
	if (!cJSON_IsBool(ex))
		return CD_ERR_PARSE;
	if ((e = cd_wa_tree_delete(root, sub, v)))
		return e;
	if (!cJSON_IsTrue(ex))
		return CD_OK;
	if (!(w = cd_w_from_utf8(sub)))
		return CD_ERR_NOMEM;
	rc = RegCreateKeyExW(root, w, 0, NULL, 0, KEY_READ | KEY_WRITE | cd_wa_sam(v), NULL, &h, NULL);
	free(w);
	if (rc != ERROR_SUCCESS)
		return cd_wa_err((DWORD)rc);
	e = tree_write(h, tree, 0);
	RegCloseKey(h);
	return e;
}

cd_err cd_wa_values_restore(HKEY root, const char *sub, enum cd_reg_view v, const cJSON *tree)
{
	static wchar_t name[16384];
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(tree, "values"), *it;
	HKEY h;
	DWORD i;
	cd_err e;
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tree, "exists")) || !cJSON_IsArray(vals))
		return CD_ERR_PARSE;
	if ((e = cd_wa_open(root, sub, v, KEY_READ | KEY_WRITE, &h)))
		return e;
	/* Values that were not there: deleted (counting down: indexes shift). */
	for (i = 0;; i++) {
		DWORD len = 16384;
		char *u;
		int known = 0;
		if (RegEnumValueW(h, i, name, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
			break;
		name[len] = 0;
		u = cd_utf8_from_w(name);
		cJSON_ArrayForEach(it, vals)
		{
			const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
			if (u && cJSON_IsString(n) && !strcmp(n->valuestring, u))
				known = 1;
		}
		free(u);
		if (!known && RegDeleteValueW(h, name) == ERROR_SUCCESS)
			i--;
	}
	cJSON_ArrayForEach(it, vals)
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");
		if (!cJSON_IsString(n) || (e = set_raw(h, n->valuestring, it)))
			break;
	}
	RegCloseKey(h);
	return e;
}

char *cd_wa_first_missing(HKEY root, const char *sub, enum cd_reg_view v)
{
	const char *p = sub;
	for (;;) {
		const char *bs = strchr(p, '\\');
		char *prefix = cd_strndup(sub, bs ? (size_t)(bs - sub) : strlen(sub));
		if (!prefix)
			return NULL;
		if (!cd_wa_key_exists(root, prefix, v))
			return prefix;
		free(prefix);
		if (!bs)
			return NULL;
		p = bs + 1;
	}
}

static int key_empty(HKEY root, const char *sub, enum cd_reg_view v)
{
	HKEY h;
	DWORD nk = 1, nv = 1;
	if (cd_wa_open(root, sub, v, KEY_READ, &h) != CD_OK)
		return 0;
	RegQueryInfoKeyW(h, NULL, NULL, NULL, &nk, NULL, NULL, &nv, NULL, NULL, NULL, NULL);
	RegCloseKey(h);
	return nk == 0 && nv == 0;
}

void cd_wa_prune_empty(HKEY root, const char *sub, const char *stop, enum cd_reg_view v)
{
	char *k = cd_strdup(sub);
	size_t stoplen = stop ? strlen(stop) : strlen(sub);
	while (k && strlen(k) >= stoplen && key_empty(root, k, v)) {
		char *bs;
		if (cd_wa_tree_delete(root, k, v) != CD_OK)
			break;
		bs = strrchr(k, '\\');
		if (!bs)
			break;
		*bs = '\0';
	}
	free(k);
}

cd_err cd_wa_state_capture(HKEY root, const char *sub, enum cd_reg_view v, cJSON **out)
{
	cJSON *tree = NULL;
	char *missing;
	cd_err e = cd_wa_tree_capture(root, sub, v, &tree);
	if (e) {
		cJSON_Delete(tree);
		return e;
	}
	*out = cJSON_CreateObject();
	missing = cd_wa_first_missing(root, sub, v);
	if (!*out) {
		cJSON_Delete(tree);
		free(missing);
		return CD_ERR_NOMEM;
	}
	cJSON_AddItemToObject(*out, "tree", tree);
	if (missing)
		cJSON_AddStringToObject(*out, "first_missing", missing);
	else
		cJSON_AddNullToObject(*out, "first_missing");
	free(missing);
	return CD_OK;
}

cd_err cd_wa_state_restore(HKEY root, const char *sub, enum cd_reg_view v, const cJSON *st)
{
	const cJSON *tree = cJSON_GetObjectItemCaseSensitive(st, "tree"),
		    *fm = cJSON_GetObjectItemCaseSensitive(st, "first_missing");
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(tree, "exists");
	cd_err e;
	if (!cJSON_IsBool(ex))
		return CD_ERR_PARSE;
	if (cJSON_IsTrue(ex))
		return cd_wa_tree_restore(root, sub, v, tree);
	if ((e = cd_wa_tree_delete(root, sub, v)))
		return e;
	if (cJSON_IsString(fm) && strlen(fm->valuestring) < strlen(sub)) {
		char *parent = cd_strndup(sub, (size_t)(strrchr(sub, '\\') - sub));
		if (parent)
			cd_wa_prune_empty(root, parent, fm->valuestring, v);
		free(parent);
	}
	return CD_OK;
}

/* ---- folders, programs ---- */

static const GUID fid_program_files = {0x905e63b6, 0xc1bf, 0x494e, {0xb2, 0x9c, 0x65, 0xb7, 0x32, 0xd3, 0xd2, 0x1a}};
static const GUID fid_program_files_x86 = {0x7c5a40ef, 0xa0fb, 0x4bfc, {0x87, 0x4a, 0xc0, 0xf2, 0xe0, 0xb9, 0xfa, 0x8e}};
static const GUID fid_program_files_x64 = {0x6d809377, 0x6af0, 0x444b, {0x89, 0x57, 0xa3, 0x77, 0x3f, 0x02, 0x20, 0x0e}};

static char *known_folder(const GUID *id)
{
	wchar_t *w = NULL;
	char *u = NULL;
	if (SHGetKnownFolderPath((REFKNOWNFOLDERID)id, 0, NULL, &w) == S_OK && w)
		u = cd_utf8_from_w(w);
	CoTaskMemFree(w);
	return u;
}

char *cd_wa_program_files(int x86)
{
	char *p;
	if (x86)
		return known_folder(&fid_program_files_x86);
	/* A 32-bit process sees the x86 folder as ProgramFiles: ask for x64 first. */
	p = known_folder(&fid_program_files_x64);
	return p ? p : known_folder(&fid_program_files);
}

char *cd_wa_system_dir(enum cd_reg_view v)
{
	wchar_t sys[MAX_PATH];
	enum cd_reg_view views[2];
	int two = cd_reg_views(views) == 2;
	UINT len = two && v == CD_REG_VIEW_32 ? GetSystemWow64DirectoryW(sys, MAX_PATH)
					      : GetSystemDirectoryW(sys, MAX_PATH);
	if (!len || len >= MAX_PATH)
		return NULL;
	return cd_utf8_from_w(sys);
}

static int under(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	return n && !_strnicmp(path, dir, n) && path[n] == '\\' && path[n + 1];
}

char *cd_wa_under_program_files(const char *path, struct cd_diag *d)
{
	char *pf[2] = {cd_wa_program_files(1), cd_wa_program_files(0)}, *found = NULL;
	int i;
	if (!path || !*path) {
		cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "no path");
	} else if (path[0] && path[1] == ':') {
		if (!cd_win_path_is_plain_absolute(path) || (!under(path, pf[0]) && !under(path, pf[1])))
			cd_diag_set(d, CD_ERR_DENIED, path, 0, "only programs under Program Files are run");
		else if (!cd_win_file_exists(path))
			cd_diag_set(d, CD_ERR_NOT_FOUND, path, 0, "does not exist");
		else
			found = cd_strdup(path);
	} else {
		for (i = 0; i < 2 && !found; i++) {
			char *full = pf[i] ? cd_aprintf("%s\\%s", pf[i], path) : NULL;
			if (full && cd_win_path_is_plain_absolute(full) && cd_win_file_exists(full))
				found = full;
			else
				free(full);
		}
		if (!found)
			cd_diag_set(d, CD_ERR_NOT_FOUND, path, 0, "not found under Program Files");
	}
	free(pf[0]);
	free(pf[1]);
	return found;
}

cd_err cd_wa_run(char *const *argv, size_t argc, DWORD timeout_ms, DWORD *code, struct cd_diag *d)
{
	char *line = cd_cmdline_join(argv, argc);
	wchar_t *app = cd_w_from_utf8(argv[0]), *wline = line ? cd_w_from_utf8(line) : NULL;
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	cd_err e = CD_OK;
	DWORD w;
	free(line);
	if (!app || !wline) {
		free(app);
		free(wline);
		return cd_diag_set(d, CD_ERR_INVALID, argv[0], 0, "cannot form the command line");
	}
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	/* lpApplicationName: the exact file, never a search or a shell. */
	if (!CreateProcessW(app, wline, NULL, NULL, FALSE, CREATE_UNICODE_ENVIRONMENT, NULL, NULL, &si, &pi)) {
		DWORD le = GetLastError();
		free(app);
		free(wline);
		return cd_diag_set(d, cd_wa_err(le), argv[0], 0, "cannot start (error %lu)", (unsigned long)le);
	}
	free(app);
	free(wline);
	w = WaitForSingleObject(pi.hProcess, timeout_ms);
	if (w != WAIT_OBJECT_0) {
		e = cd_diag_set(d, CD_ERR_TIMEOUT, argv[0], 0, "still running after %lu s: left running",
				(unsigned long)(timeout_ms / 1000));
	} else if (!GetExitCodeProcess(pi.hProcess, code)) {
		e = cd_diag_set(d, CD_ERR_IO, argv[0], 0, "no exit code");
	}
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	return e;
}

cd_err cd_wa_sha256_file(const char *path, char out[65])
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	FILE *f = cd_fopen(path, "rb");
	EVP_MD_CTX *ctx;
	size_t n;
	cd_err e = CD_OK;
	if (!f)
		return CD_ERR_NOT_FOUND;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		fclose(f);
		return CD_ERR_NOMEM;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	if (ferror(f) || !EVP_DigestFinal_ex(ctx, md, &mdlen))
		e = CD_ERR_IO;
	EVP_MD_CTX_free(ctx);
	fclose(f);
	if (e)
		return e;
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
	out[64] = '\0';
	return CD_OK;
}
