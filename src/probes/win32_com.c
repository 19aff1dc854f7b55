/* COM classes named in the catalog (cat_com_classes), per registry view.
 *
 * A page creates XTXAppCOM (and the like) through HKCR, which COM builds from
 * HKCU\Software\Classes over HKLM\SOFTWARE\Classes, key by key, separately
 * for the 64-bit and the 32-bit (WOW6432Node) view: a 32-bit browser sees
 * only the 32-bit one. So each view gets one row when the class is
 * registered there, with every part read the way HKCR would resolve it (the
 * per-user key first, the machine key after), and the server file checked
 * as the loader of that view would find it. The PE header says whether the
 * server can load at all into a process of that bitness. Where the catalog
 * says where the vendor installs the server, that file is looked for too. */
#include <windows.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_reg.h"

/* The two places a class can be registered, in HKCR's order of precedence. */
enum { SRC_USER, SRC_MACHINE, SRC_COUNT };

struct com_src {
	HKEY root;
	const char *base; /* "...\Classes\CLSID\{...}" under root */
	char *key;
	HKEY h;           /* the class key, NULL when absent */
};

/* Opens a key, recording anything but its absence. NULL when not opened. */
static HKEY open_key(struct cd_probe_ctx *ctx, HKEY root, const char *sub, enum cd_reg_view view)
{
	HKEY h = NULL;
	cd_err e = cd_reg_open(root, sub, view, &h);
	if (e == CD_OK)
		return h;
	if (e != CD_ERR_NOT_FOUND) {
		char *t = cd_reg_describe(root, sub, view, NULL);
		cd_probe_error(ctx, t, e, "cannot open the key: %s", cd_err_message(e));
		free(t);
	}
	return NULL;
}

/* A string value, recording anything but its absence. NULL when not read. */
static char *get_str(struct cd_probe_ctx *ctx, HKEY h, HKEY root, const char *sub,
		     enum cd_reg_view view, const char *value, int expand)
{
	char *s = NULL;
	cd_err e = cd_reg_get_str(h, value, expand, &s);
	if (e == CD_OK)
		return s;
	if (e != CD_ERR_NOT_FOUND) {
		char *t = cd_reg_describe(root, sub, view, value && *value ? value : "(default)");
		cd_probe_error(ctx, t, e, "cannot read the value: %s", cd_err_message(e));
		free(t);
	}
	return NULL;
}

/* Default value (or value) of a subkey of the class key, the per-user
 * registration first as HKCR resolves it. */
static char *class_str(struct cd_probe_ctx *ctx, struct com_src *src, enum cd_reg_view view,
		       const char *subkey, const char *value, int expand)
{
	int i;
	for (i = 0; i < SRC_COUNT; i++) {
		HKEY h;
		char *path, *s;
		if (!src[i].h)
			continue;
		if (!subkey)
			return get_str(ctx, src[i].h, src[i].root, src[i].key, view, value, expand);
		path = cd_aprintf("%s\\%s", src[i].key, subkey);
		if (!path)
			return NULL;
		h = open_key(ctx, src[i].root, path, view);
		s = h ? get_str(ctx, h, src[i].root, path, view, value, expand) : NULL;
		free(path);
		/* The subkey found decides, even if its value is missing or bad:
		 * HKCR does not fall back to the machine key then either. */
		if (h) {
			cd_reg_close(h);
			return s;
		}
	}
	return NULL;
}

/* 1 if any source has this subkey of the class key. */
static int class_has(struct cd_probe_ctx *ctx, struct com_src *src, enum cd_reg_view view,
		     const char *subkey)
{
	int i;
	for (i = 0; i < SRC_COUNT; i++) {
		char *path;
		HKEY h;
		if (!src[i].h)
			continue;
		path = cd_aprintf("%s\\%s", src[i].key, subkey);
		h = path ? open_key(ctx, src[i].root, path, view) : NULL;
		free(path);
		if (h) {
			cd_reg_close(h);
			return 1;
		}
	}
	return 0;
}

/* The file of a server command: quotes removed and, for LocalServer32,
 * arguments cut off ("C:\x\srv.exe" /automation, C:\x\srv.exe -Embedding).
 * An unquoted path with spaces is cut where the prefix names an existing
 * file, the way CreateProcess reads such a command line; failing that,
 * after ".exe". */
static char *server_file(const char *cmd, int local, enum cd_reg_view view)
{
	char *s, *p, *r;
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	if (*cmd == '"') {
		const char *end = strchr(cmd + 1, '"');
		s = end ? cd_strndup(cmd + 1, (size_t)(end - cmd - 1)) : cd_strdup(cmd + 1);
	} else {
		s = cd_strdup(cmd);
		if (s && local) {
			for (p = s; (p = strchr(p, ' ')) != NULL; p++) {
				char *cand = cd_strndup(s, (size_t)(p - s));
				char *x = cand ? cd_win_expand_path(cand, view) : NULL;
				int hit = x && cd_win_file_exists(x);
				free(cand);
				free(x);
				if (hit) {
					*p = '\0';
					break;
				}
			}
			if (!p) {
				char *full = cd_win_expand_path(s, view);
				int exists = full && cd_win_file_exists(full);
				free(full);
				for (p = s; !exists && *p; p++)
					if (!_strnicmp(p, ".exe", 4) && (p[4] == ' ' || p[4] == '\t')) {
						p[4] = '\0';
						break;
					}
			}
		}
	}
	if (!s)
		return NULL;
	/* Trailing blanks are common in hand-written registrations. */
	for (p = s + strlen(s); p > s && (p[-1] == ' ' || p[-1] == '\t'); p--)
		p[-1] = '\0';
	r = cd_win_expand_path(s, view);
	free(s);
	return r;
}

/* Bitness of a PE file from the Machine field of its COFF header: 32 or 64.
 * CD_ERR_PARSE when it is not a PE image, CD_ERR_UNSUPPORTED for a machine
 * type that is neither. */
static cd_err pe_bits(const char *path, int *bits)
{
	wchar_t *w = cd_w_from_utf8(path);
	HANDLE f;
	unsigned char dos[64], nt[6];
	DWORD got = 0, lfanew;
	LARGE_INTEGER at;
	unsigned machine;
	cd_err e = CD_ERR_PARSE;
	if (!w)
		return CD_ERR_NOMEM;
	/* Share everything: the DLL may be loaded or being replaced right now. */
	f = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
			OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	free(w);
	if (f == INVALID_HANDLE_VALUE) {
		DWORD le = GetLastError();
		return le == ERROR_FILE_NOT_FOUND || le == ERROR_PATH_NOT_FOUND ? CD_ERR_NOT_FOUND
		       : le == ERROR_ACCESS_DENIED				  ? CD_ERR_DENIED
										  : CD_ERR_IO;
	}
	if (!ReadFile(f, dos, sizeof(dos), &got, NULL) || got != sizeof(dos) || dos[0] != 'M' ||
	    dos[1] != 'Z')
		goto out;
	lfanew = (DWORD)dos[0x3c] | (DWORD)dos[0x3d] << 8 | (DWORD)dos[0x3e] << 16 |
		 (DWORD)dos[0x3f] << 24;
	if (lfanew < sizeof(dos) || lfanew > (1u << 20))
		goto out; /* a PE header is near the start; anything else is garbage */
	at.QuadPart = lfanew;
	if (!SetFilePointerEx(f, at, NULL, FILE_BEGIN) || !ReadFile(f, nt, sizeof(nt), &got, NULL) ||
	    got != sizeof(nt) || memcmp(nt, "PE\0\0", 4) != 0)
		goto out;
	machine = (unsigned)nt[4] | (unsigned)nt[5] << 8;
	if (machine == 0x14c) {
		*bits = 32;
		e = CD_OK;
	} else if (machine == 0x8664 || machine == 0xaa64) { /* x64, ARM64 */
		*bits = 64;
		e = CD_OK;
	} else {
		e = CD_ERR_UNSUPPORTED;
	}
out:
	CloseHandle(f);
	return e;
}

/* The ProgID the catalog names must lead back to the class through
 * HKCR\<ProgID>\CLSID: pages create XTXAppCOM by ProgID, so a ProgID that a
 * later installer pointed at another class breaks it while the class itself
 * looks fine. ProgID keys are shared between the views on current Windows
 * and redirected on older systems (and Wine): both views are read, and an
 * answer the previous view already gave is not reported twice. */
static void check_progid(struct cd_probe_ctx *ctx, const char *clsid, const char *progid,
			 const enum cd_reg_view *views, int nviews)
{
	char *sub = cd_aprintf("%s\\CLSID", progid), *prev = NULL;
	int i;
	if (!sub)
		return;
	for (i = 0; i < nviews; i++) {
		HKEY h = open_key(ctx, HKEY_CLASSES_ROOT, sub, views[i]);
		char *raw = h ? get_str(ctx, h, HKEY_CLASSES_ROOT, sub, views[i], "", 0) : NULL;
		char *target = raw ? cd_strdup(cd_trim(raw)) : NULL;
		cd_reg_close(h);
		free(raw);
		if (!target)
			continue;
		if (!cd_strieq(target, clsid) && !(prev && cd_strieq(prev, target))) {
			char *t = cd_reg_describe(HKEY_CLASSES_ROOT, sub, views[i], NULL);
			cd_probe_error(ctx, t, CD_ERR_INVALID, "ProgID %s names class %s, not %s", progid,
				       target, clsid);
			free(t);
		}
		free(prev);
		prev = target;
	}
	free(prev);
	free(sub);
}

static void class_in_view(struct cd_probe_ctx *ctx, const char *clsid, enum cd_reg_view view)
{
	struct com_src src[SRC_COUNT] = {
		{HKEY_CURRENT_USER, "Software\\Classes\\CLSID", NULL, NULL},
		{HKEY_LOCAL_MACHINE, "SOFTWARE\\Classes\\CLSID", NULL, NULL},
	};
	char *name = NULL, *progid = NULL, *raw = NULL, *path = NULL, *threading = NULL;
	const char *type = NULL;
	int i, any = 0, bits = 0, have_bits = 0, exists = 0;
	struct cd_row r;

	for (i = 0; i < SRC_COUNT; i++) {
		src[i].key = cd_aprintf("%s\\%s", src[i].base, clsid);
		if (src[i].key)
			src[i].h = open_key(ctx, src[i].root, src[i].key, view);
		any |= src[i].h != NULL;
	}
	if (!any)
		goto out; /* not registered in this view: no row */

	name = class_str(ctx, src, view, NULL, "", 0);
	progid = class_str(ctx, src, view, "ProgID", "", 0);
	if (class_has(ctx, src, view, "InprocServer32")) {
		type = "InprocServer32";
		raw = class_str(ctx, src, view, type, "", 1);
		threading = class_str(ctx, src, view, type, "ThreadingModel", 0);
	} else if (class_has(ctx, src, view, "LocalServer32")) {
		type = "LocalServer32";
		raw = class_str(ctx, src, view, type, "", 1);
	}
	if (raw && *cd_trim(raw))
		path = server_file(cd_trim(raw), type[0] == 'L', view);
	if (path) {
		cd_err e;
		exists = cd_win_file_exists(path);
		e = exists ? pe_bits(path, &bits) : CD_ERR_NOT_FOUND;
		have_bits = e == CD_OK;
		if (exists && e != CD_OK)
			cd_probe_error(ctx, path, e, "cannot tell the bitness of the COM server: %s",
				       cd_err_message(e));
	}

	cd_row_init(&r, "com_classes");
	cd_row_text(&r, "clsid", clsid);
	cd_row_text(&r, "progid", progid ? cd_trim(progid) : NULL);
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "view", cd_reg_view_name(view));
	cd_row_text(&r, "server_type", type);
	cd_row_text(&r, "server_path", path);
	/* A registration without a server file to load is as broken as one
	 * whose file is gone. */
	cd_row_int(&r, "server_exists", exists);
	if (have_bits)
		cd_row_int(&r, "server_bits", bits);
	else
		cd_row_null(&r, "server_bits");
	cd_row_text(&r, "threading_model", threading);
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, clsid, CD_ERR_SQL, "cannot store the com_classes row");
out:
	for (i = 0; i < SRC_COUNT; i++) {
		cd_reg_close(src[i].h);
		free(src[i].key);
	}
	free(name);
	free(progid);
	free(raw);
	free(path);
	free(threading);
}

/* "{...}" in upper case, as COM writes class ids; NULL if it is not one. */
static char *norm_clsid(const char *s)
{
	char *c;
	size_t i, n = strlen(s);
	if (n != 38 || s[0] != '{' || s[37] != '}')
		return NULL;
	c = cd_strdup(s);
	for (i = 0; c && c[i]; i++)
		if (c[i] >= 'a' && c[i] <= 'z')
			c[i] = (char)(c[i] - 'a' + 'A');
	return c;
}

/* A Program Files folder from the environment (a new UTF-8 string, NULL
 * when the variable is not set, e.g. ProgramW6432 on 32-bit Windows). */
static char *pf_dir(const wchar_t *var)
{
	wchar_t w[MAX_PATH];
	DWORD n = GetEnvironmentVariableW(var, w, MAX_PATH);
	return n && n < MAX_PATH ? cd_utf8_from_w(w) : NULL;
}

/* Where the vendor's installer puts the class's server (server_file, relative
 * to Program Files): one files row per Program Files folder, purpose
 * "com:{CLSID}:VIEW" (VIEW the registry view a server there registers in), so
 * that a rule can tell a server present but not registered (com_register)
 * from one that is not there at all (the vendor's installer). */
static void server_files(struct cd_probe_ctx *ctx, const char *clsid, const char *rel, const enum cd_reg_view *views,
			 int nviews)
{
	/* 64-bit Windows: ProgramW6432 is the native folder whatever our own
	 * bitness, ProgramFiles(x86) the 32-bit one. 32-bit Windows: only
	 * ProgramFiles, the native (32-bit) view. */
	char *dirs[2] = {NULL, NULL};
	enum cd_reg_view dv[2];
	int i, n = 0;
	if (!rel || !*rel || strchr(rel, ':') || strchr(rel, '/') || strstr(rel, "..") || rel[0] == '\\') {
		cd_probe_error(ctx, "rules.cat_com_classes", CD_ERR_INVALID,
			       "server_file \"%s\" is not a path relative to Program Files", rel ? rel : "");
		return;
	}
	if (nviews == 2) {
		dirs[n] = pf_dir(L"ProgramW6432");
		dv[n++] = views[0];
		dirs[n] = pf_dir(L"ProgramFiles(x86)");
		dv[n++] = CD_REG_VIEW_32;
	} else {
		dirs[n] = pf_dir(L"ProgramFiles");
		dv[n++] = views[0];
	}
	for (i = 0; i < n; i++) {
		char *path = dirs[i] ? cd_aprintf("%s\\%s", dirs[i], rel) : NULL;
		char *purpose = cd_aprintf("com:%s:%s", clsid, cd_reg_view_name(dv[i]));
		wchar_t *w = path ? cd_w_from_utf8(path) : NULL;
		if (w && purpose) {
			struct cd_row r;
			DWORD a = GetFileAttributesW(w);
			cd_row_init(&r, "files");
			cd_row_text(&r, "path", path);
			cd_row_text(&r, "purpose", purpose);
			cd_row_bool(&r, "present", a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY));
			cd_row_insert(ctx->facts, &r);
		}
		free(w);
		free(purpose);
		free(path);
		free(dirs[i]);
	}
}

static cd_err collect_com(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	int nviews, rc, v;
	sqlite3_stmt *st = NULL;

	/* The registry read here is this machine's, not the mounted system's. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	nviews = cd_reg_views(views);
	if (sqlite3_prepare_v2(cd_facts_db(ctx->facts),
			       "SELECT clsid, progid, server_file FROM rules.cat_com_classes ORDER BY clsid", -1, &st,
			       NULL) != SQLITE_OK) {
		cd_probe_error(ctx, "rules.cat_com_classes", CD_ERR_SQL, "no COM class catalog: %s",
			       sqlite3_errmsg(cd_facts_db(ctx->facts)));
		sqlite3_finalize(st);
		return CD_OK;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *raw = (const char *)sqlite3_column_text(st, 0);
		const char *progid = (const char *)sqlite3_column_text(st, 1);
		char *clsid = raw ? norm_clsid(raw) : NULL;
		if (!clsid) {
			cd_probe_error(ctx, "rules.cat_com_classes", CD_ERR_INVALID,
				       "catalog class id \"%s\" is not a {GUID}", raw ? raw : "");
			continue;
		}
		for (v = 0; v < nviews; v++)
			class_in_view(ctx, clsid, views[v]);
		if (progid && *progid)
			check_progid(ctx, clsid, progid, views, nviews);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			server_files(ctx, clsid, (const char *)sqlite3_column_text(st, 2), views, nviews);
		free(clsid);
	}
	if (rc != SQLITE_DONE)
		cd_probe_error(ctx, "rules.cat_com_classes", CD_ERR_SQL, "reading the catalog: %s",
			       sqlite3_errmsg(cd_facts_db(ctx->facts)));
	sqlite3_finalize(st);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_com = {
	"windows.com",
	"com_classes, files",
	collect_com,
};
