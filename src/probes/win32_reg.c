#include "win32_reg.h"

#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"

typedef BOOL(WINAPI *is_wow64_fn)(HANDLE, PBOOL);

int cd_reg_views(enum cd_reg_view views[2])
{
	SYSTEM_INFO si;
	GetNativeSystemInfo(&si);
	if (si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64 ||
	    si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64 ||
	    si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_IA64) {
		views[0] = CD_REG_VIEW_64;
		views[1] = CD_REG_VIEW_32;
		return 2;
	}
	views[0] = CD_REG_VIEW_32;
	return 1;
}

const char *cd_reg_view_name(enum cd_reg_view v)
{
	return v == CD_REG_VIEW_64 ? "64" : "32";
}

static cd_err from_win32(LONG rc)
{
	switch (rc) {
	case ERROR_SUCCESS:
		return CD_OK;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return CD_ERR_NOT_FOUND;
	case ERROR_ACCESS_DENIED:
		return CD_ERR_DENIED;
	case ERROR_MORE_DATA:
		return CD_ERR_LIMIT;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return CD_ERR_NOMEM;
	default:
		return CD_ERR_IO;
	}
}

cd_err cd_reg_open(HKEY root, const char *subkey, enum cd_reg_view view, HKEY *out)
{
	wchar_t *w = cd_w_from_utf8(subkey ? subkey : "");
	LONG rc;
	REGSAM sam = KEY_READ | (view == CD_REG_VIEW_64 ? KEY_WOW64_64KEY : KEY_WOW64_32KEY);
	if (!w)
		return CD_ERR_NOMEM;
	rc = RegOpenKeyExW(root, w, 0, sam, out);
	free(w);
	return from_win32(rc);
}

void cd_reg_close(HKEY h)
{
	if (h)
		RegCloseKey(h);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Enumerates subkeys (values=0) or value names (values=1). */
static cd_err enum_names(HKEY h, int values, char ***names, size_t *count)
{
	wchar_t name[16384]; /* the registry's own limits: 255 for keys, 16383 for values */
	char **v = NULL;
	size_t n = 0, cap = 0;
	DWORD i;
	*names = NULL;
	*count = 0;
	for (i = 0;; i++) {
		DWORD len = sizeof(name) / sizeof(name[0]);
		LONG rc = values ? RegEnumValueW(h, i, name, &len, NULL, NULL, NULL, NULL)
				 : RegEnumKeyExW(h, i, name, &len, NULL, NULL, NULL, NULL);
		char *u;
		if (rc == ERROR_NO_MORE_ITEMS)
			break;
		if (rc != ERROR_SUCCESS) {
			if (rc == ERROR_MORE_DATA)
				continue; /* a name longer than the registry allows: skip it */
			cd_free_list(v, n);
			return from_win32(rc);
		}
		if (n == cap) {
			char **nv;
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				cd_free_list(v, n);
				return CD_ERR_NOMEM;
			}
			v = nv;
		}
		u = cd_utf8_from_w_n(name, (int)len);
		if (!u) {
			cd_free_list(v, n);
			return CD_ERR_NOMEM;
		}
		v[n++] = u;
		if (n > 100000)
			break; /* nobody has that many; stop rather than run away */
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	*count = n;
	return CD_OK;
}

cd_err cd_reg_subkeys(HKEY h, char ***names, size_t *count)
{
	return enum_names(h, 0, names, count);
}

cd_err cd_reg_value_names(HKEY h, char ***names, size_t *count)
{
	return enum_names(h, 1, names, count);
}

/* Reads a value's raw bytes (with two spare NUL bytes appended). */
static cd_err get_raw(HKEY h, const char *value, DWORD *type, BYTE **data, DWORD *size)
{
	wchar_t *w = cd_w_from_utf8(value ? value : "");
	DWORD sz = 0;
	LONG rc;
	BYTE *buf;
	int tries;
	if (!w)
		return CD_ERR_NOMEM;
	for (tries = 0; tries < 3; tries++) {
		rc = RegQueryValueExW(h, w, NULL, type, NULL, &sz);
		if (rc != ERROR_SUCCESS)
			break;
		if (sz > CD_REG_MAX_VALUE) {
			free(w);
			return CD_ERR_LIMIT;
		}
		buf = calloc(1, (size_t)sz + 4);
		if (!buf) {
			free(w);
			return CD_ERR_NOMEM;
		}
		rc = RegQueryValueExW(h, w, NULL, type, buf, &sz);
		if (rc == ERROR_SUCCESS) {
			free(w);
			*data = buf;
			*size = sz;
			return CD_OK;
		}
		free(buf);
		if (rc != ERROR_MORE_DATA)
			break; /* the value changed size between calls: try again */
	}
	free(w);
	return from_win32(rc);
}

cd_err cd_reg_get_str(HKEY h, const char *value, int expand, char **out)
{
	DWORD type, size;
	BYTE *data;
	cd_err e = get_raw(h, value, &type, &data, &size);
	int wlen;
	if (e)
		return e;
	if (type != REG_SZ && type != REG_EXPAND_SZ) {
		free(data);
		return CD_ERR_PARSE;
	}
	/* Count UTF-16 units up to the first NUL or the end of the data: the
	 * stored size may lack the terminator or be odd. */
	wlen = 0;
	while ((DWORD)(wlen + 1) * 2 <= size && ((wchar_t *)data)[wlen])
		wlen++;
	((wchar_t *)data)[wlen] = 0;
	if (type == REG_EXPAND_SZ && expand) {
		DWORD n = ExpandEnvironmentStringsW((wchar_t *)data, NULL, 0);
		wchar_t *x = n ? malloc((size_t)n * sizeof(wchar_t)) : NULL;
		if (x && ExpandEnvironmentStringsW((wchar_t *)data, x, n)) {
			*out = cd_utf8_from_w(x);
			free(x);
			free(data);
			return *out ? CD_OK : CD_ERR_NOMEM;
		}
		free(x);
	}
	*out = cd_utf8_from_w_n((wchar_t *)data, wlen);
	free(data);
	return *out ? CD_OK : CD_ERR_NOMEM;
}

cd_err cd_reg_get_dword(HKEY h, const char *value, uint32_t *out)
{
	DWORD type, size;
	BYTE *data;
	cd_err e = get_raw(h, value, &type, &data, &size);
	if (e)
		return e;
	if (type != REG_DWORD || size != 4) {
		free(data);
		return CD_ERR_PARSE;
	}
	memcpy(out, data, 4);
	free(data);
	return CD_OK;
}

cd_err cd_reg_get_multi(HKEY h, const char *value, char ***items, size_t *count)
{
	DWORD type, size, units, i, start = 0;
	BYTE *data;
	char **v = NULL;
	size_t n = 0;
	cd_err e = get_raw(h, value, &type, &data, &size);
	if (e)
		return e;
	if (type != REG_MULTI_SZ) {
		free(data);
		return CD_ERR_PARSE;
	}
	units = size / 2;
	v = calloc((size_t)units + 1, sizeof(char *));
	if (!v) {
		free(data);
		return CD_ERR_NOMEM;
	}
	for (i = 0; i <= units; i++) {
		wchar_t c = i < units ? ((wchar_t *)data)[i] : 0;
		if (c == 0) {
			if (i == start)
				break; /* the empty string ends the list */
			v[n] = cd_utf8_from_w_n((wchar_t *)data + start, (int)(i - start));
			if (!v[n])
				break;
			n++;
			start = i + 1;
		}
	}
	free(data);
	*items = v;
	*count = n;
	return CD_OK;
}

cd_err cd_reg_get_hex(HKEY h, const char *value, char **out)
{
	DWORD type, size, i;
	BYTE *data;
	char *s;
	cd_err e = get_raw(h, value, &type, &data, &size);
	if (e)
		return e;
	s = malloc((size_t)size * 2 + 1);
	if (!s) {
		free(data);
		return CD_ERR_NOMEM;
	}
	for (i = 0; i < size; i++) {
		static const char hx[] = "0123456789abcdef";
		s[i * 2] = hx[data[i] >> 4];
		s[i * 2 + 1] = hx[data[i] & 15];
	}
	s[size * 2] = '\0';
	free(data);
	*out = s;
	return CD_OK;
}

/* The probe error for a value that could not be used. */
static void value_error(struct cd_probe_ctx *ctx, const char *where, const char *value, cd_err e,
			const char *want)
{
	const char *name = value && *value ? value : "(default)";
	if (e == CD_ERR_PARSE)
		cd_probe_error(ctx, where, e, "value \"%s\" is not %s", name, want);
	else if (e == CD_ERR_LIMIT)
		cd_probe_error(ctx, where, e, "value \"%s\" is larger than %lu bytes", name,
			       (unsigned long)CD_REG_MAX_VALUE);
	else
		cd_probe_error(ctx, where, e, "value \"%s\": %s", name, cd_err_message(e));
}

char *cd_reg_probe_str(struct cd_probe_ctx *ctx, HKEY h, const char *where, const char *value,
		       int expand)
{
	char *s = NULL;
	cd_err e = cd_reg_get_str(h, value, expand, &s);
	if (e == CD_OK)
		return s;
	if (e != CD_ERR_NOT_FOUND)
		value_error(ctx, where, value, e, "a string (REG_SZ or REG_EXPAND_SZ)");
	return NULL;
}

int cd_reg_probe_dword(struct cd_probe_ctx *ctx, HKEY h, const char *where, const char *value,
		       uint32_t *out)
{
	cd_err e = cd_reg_get_dword(h, value, out);
	if (e == CD_OK)
		return 1;
	if (e != CD_ERR_NOT_FOUND)
		value_error(ctx, where, value, e, "a 4-byte REG_DWORD");
	return 0;
}

char *cd_reg_probe_hex(struct cd_probe_ctx *ctx, HKEY h, const char *where, const char *value)
{
	char *s = NULL;
	cd_err e = cd_reg_get_hex(h, value, &s);
	if (e == CD_OK)
		return s;
	if (e != CD_ERR_NOT_FOUND)
		value_error(ctx, where, value, e, "readable");
	return NULL;
}

const char *cd_reg_root_name(HKEY root)
{
	if (root == HKEY_LOCAL_MACHINE)
		return "HKLM";
	if (root == HKEY_CURRENT_USER)
		return "HKCU";
	if (root == HKEY_USERS)
		return "HKU";
	if (root == HKEY_CLASSES_ROOT)
		return "HKCR";
	return "HK?";
}

char *cd_reg_describe(HKEY root, const char *subkey, enum cd_reg_view view, const char *value)
{
	return cd_aprintf("%s\\%s%s%s (%s)", cd_reg_root_name(root), subkey ? subkey : "",
			  value ? " : " : "", value ? value : "", cd_reg_view_name(view));
}

/* Case-insensitive search for an ASCII needle. */
static char *find_ascii_ci(char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!_strnicmp(hay, needle, n))
			return hay;
	return NULL;
}

static int process_is_wow64(void)
{
	BOOL wow = FALSE;
	is_wow64_fn f = (is_wow64_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
								   "IsWow64Process");
	return f && f(GetCurrentProcess(), &wow) && wow;
}

/* "...\System32\x.dll" as the loader of the registering view sees it: a
 * 32-bit registration on 64-bit Windows means SysWOW64; a 64-bit one read by
 * a 32-bit cadoctor (file system redirection) must go through Sysnative. */
static char *map_system_dir(char *u, enum cd_reg_view view)
{
	enum cd_reg_view views[2];
	const char *repl = NULL;
	char *p, *full;
	if (cd_reg_views(views) != 2 || !(p = find_ascii_ci(u, "\\System32\\")))
		return u;
	if (view == CD_REG_VIEW_32)
		repl = "\\SysWOW64\\";
	else if (process_is_wow64())
		repl = "\\Sysnative\\";
	if (!repl)
		return u;
	full = cd_aprintf("%.*s%s%s", (int)(p - u), u, repl, p + 10);
	if (!full)
		return u;
	free(u);
	return full;
}

char *cd_win_expand_path(const char *path, enum cd_reg_view view)
{
	wchar_t *w, *x;
	DWORD n;
	char *u;
	if (!path)
		return NULL;
	w = cd_w_from_utf8(path);
	if (!w)
		return NULL;
	n = ExpandEnvironmentStringsW(w, NULL, 0);
	x = n ? malloc((size_t)n * sizeof(wchar_t)) : NULL;
	if (!x || !ExpandEnvironmentStringsW(w, x, n)) {
		free(x);
		x = NULL;
	}
	u = cd_utf8_from_w(x ? x : w);
	free(w);
	free(x);
	if (!u)
		return NULL;
	/* Registrations often name a bare DLL ("foo.dll"): it loads from the
	 * system directory of the view. A 32-bit view's System32 is SysWOW64 on
	 * 64-bit Windows (the 32-bit loader redirects it there). */
	if (!strchr(u, '\\') && !strchr(u, '/')) {
		wchar_t sys[MAX_PATH];
		enum cd_reg_view views[2];
		int two = cd_reg_views(views) == 2;
		UINT len = two && view == CD_REG_VIEW_32 ? GetSystemWow64DirectoryW(sys, MAX_PATH)
							 : GetSystemDirectoryW(sys, MAX_PATH);
		if (len && len < MAX_PATH) {
			char *s = cd_utf8_from_w(sys);
			char *full = s ? cd_aprintf("%s\\%s", s, u) : NULL;
			free(s);
			if (full) {
				free(u);
				u = full;
			}
		}
	}
	/* Also for the bare name just placed in System32: a 32-bit cadoctor
	 * must look at a 64-bit registration through Sysnative. */
	return map_system_dir(u, view);
}

int cd_win_file_exists(const char *path)
{
	DWORD a;
	wchar_t *w = cd_w_from_utf8(path);
	if (!w)
		return 0;
	a = GetFileAttributesW(w);
	free(w);
	return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

char *cd_win_file_version(const char *path)
{
	wchar_t *w = cd_w_from_utf8(path);
	DWORD handle = 0, size = w ? GetFileVersionInfoSizeW(w, &handle) : 0;
	VS_FIXEDFILEINFO *ffi = NULL;
	UINT len = 0;
	void *buf;
	char *v = NULL;
	if (!size || size > ((DWORD)1 << 20)) {
		free(w);
		return NULL;
	}
	buf = malloc(size);
	if (buf && GetFileVersionInfoW(w, 0, size, buf) &&
	    VerQueryValueW(buf, L"\\", (void **)&ffi, &len) && ffi && len >= sizeof(*ffi) &&
	    ffi->dwSignature == 0xFEEF04BD)
		v = cd_aprintf("%u.%u.%u.%u", (unsigned)HIWORD(ffi->dwFileVersionMS),
			       (unsigned)LOWORD(ffi->dwFileVersionMS), (unsigned)HIWORD(ffi->dwFileVersionLS),
			       (unsigned)LOWORD(ffi->dwFileVersionLS));
	free(buf);
	free(w);
	return v;
}
