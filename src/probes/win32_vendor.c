/* What USB-key vendors' own middleware says about devices and DLLs: NETCA's
 * PKI\Devices keys and BJCA's Driver\driver.ini map USB ids to the DLL the
 * middleware loads for them, and a map that names a missing DLL explains a
 * token that Windows sees but no page can use. Also the middleware DLLs of
 * the catalog in the system directories, with their file versions; those of
 * kind pkcs11 that are there become pkcs11_modules rows for pkcs11.tokens,
 * which runs next and reads each in a child process. */
#include <windows.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_reg.h"

#define NETCA_DEVICES "SOFTWARE\\NETCA\\PKI\\Devices"
#define BJCA_KEY "SOFTWARE\\BJCA"
#define INI_MAX ((size_t)4 << 20)   /* a driver.ini is a few KB; refuse anything huge */
#define INI_LINE_MAX 4096           /* longer lines are garbage, not settings */
#define MAX_IDS 64                  /* ids per entry: more is garbage too */

struct usb_id {
	char vid[5], pid[5];
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_alnum(char c)
{
	return hexval(c) >= 0 || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '_';
}

/* Exactly four hex digits at s, not followed by a fifth: copied lower-case. */
static int hex4(const char *s, char out[5])
{
	int i;
	for (i = 0; i < 4; i++) {
		if (hexval(s[i]) < 0)
			return 0;
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
	}
	out[4] = '\0';
	return hexval(s[4]) < 0;
}

/* Pushes an id pair unless it is already there. */
static void add_id(struct usb_id *ids, int *n, const char *vid, const char *pid)
{
	int i;
	for (i = 0; i < *n; i++)
		if (!strcmp(ids[i].vid, vid) && !strcmp(ids[i].pid, pid))
			return;
	if (*n < MAX_IDS) {
		memcpy(ids[*n].vid, vid, 5);
		memcpy(ids[*n].pid, pid, 5);
		(*n)++;
	}
}

/* Every USB id pair in s, in the forms vendors write them:
 * "vid_096e&pid_0309" (any case, '&', '_', '-' or blanks between the two
 * halves, in lists separated by ';', ',' or blanks) and "096e:0309".
 * Returns how many ids are in the array now. */
static int find_ids(const char *s, struct usb_id *ids, int n)
{
	const char *p;
	char vid[5], pid[5];
	for (p = s; *p; p++) {
		if (!_strnicmp(p, "vid_", 4) && (p == s || !is_alnum(p[-1])) && hex4(p + 4, vid)) {
			const char *q = p + 8;
			int sep = 0;
			while (sep < 3 && (*q == '&' || *q == '_' || *q == '-' || *q == ' '))
				q++, sep++;
			if (!_strnicmp(q, "pid_", 4) && hex4(q + 4, pid)) {
				add_id(ids, &n, vid, pid);
				p = q + 7;
			}
		} else if (*p == ':' && p - s >= 4 && (p - s == 4 || (!is_alnum(p[-5]) && p[-5] != ':')) &&
			   hex4(p - 4, vid) && hex4(p + 1, pid) && !is_alnum(p[5]) && p[5] != ':') {
			/* "096e:0309", but not a piece of "fe80:0000:..." */
			add_id(ids, &n, vid, pid);
			p += 4;
		}
	}
	return n;
}

/* ---- NETCA: HKLM\SOFTWARE\NETCA\PKI\Devices\<name> ---- */

static void netca_view(struct cd_probe_ctx *ctx, enum cd_reg_view view)
{
	HKEY list;
	char **names = NULL;
	size_t n = 0, i;
	cd_err e = cd_reg_open(HKEY_LOCAL_MACHINE, NETCA_DEVICES, view, &list);

	if (e == CD_OK) {
		e = cd_reg_subkeys(list, &names, &n);
		if (e)
			cd_reg_close(list);
	}
	if (e) {
		if (e != CD_ERR_NOT_FOUND) {
			char *where = cd_reg_describe(HKEY_LOCAL_MACHINE, NETCA_DEVICES, view, NULL);
			cd_probe_error(ctx, where, e, "cannot list the NETCA devices");
			free(where);
		}
		return;
	}
	for (i = 0; i < n; i++) {
		char *sub = cd_aprintf("%s\\%s", NETCA_DEVICES, names[i]);
		char *source = sub ? cd_aprintf("HKLM\\%s", sub) : NULL;
		char *where = sub ? cd_reg_describe(HKEY_LOCAL_MACHINE, sub, view, NULL) : NULL;
		char *idstring = NULL, *dll = NULL, *skf = NULL, *resolved = NULL;
		struct usb_id ids[MAX_IDS];
		int nids = 0, j;
		HKEY k;

		if (!source || !where) {
			free(sub);
			free(source);
			free(where);
			break;
		}
		e = cd_reg_open(list, names[i], view, &k);
		if (e) {
			cd_probe_error(ctx, where, e, "cannot open the NETCA device key");
			goto next;
		}
		idstring = cd_reg_probe_str(ctx, k, where, "idstring", 0);
		dll = cd_reg_probe_str(ctx, k, where, "dllpath", 0);
		skf = cd_reg_probe_str(ctx, k, where, "SkfDllPath", 0);
		cd_reg_close(k);
		if (idstring)
			nids = find_ids(idstring, ids, 0);
		if (idstring && *idstring && !nids)
			cd_probe_error(ctx, where, CD_ERR_PARSE, "no vid_XXXX&pid_YYYY in idstring \"%s\"",
				       idstring);
		if (dll && *dll)
			resolved = cd_win_expand_path(dll, view);
		/* A device without usable ids still maps a DLL: one row with the ids unknown. */
		for (j = 0; j < (nids ? nids : 1); j++) {
			struct cd_row r;
			cd_row_init(&r, "vendor_device_maps");
			cd_row_text(&r, "vendor", "NETCA");
			cd_row_text(&r, "source", source);
			cd_row_text(&r, "device", names[i]);
			cd_row_text(&r, "vid", nids ? ids[j].vid : NULL);
			cd_row_text(&r, "pid", nids ? ids[j].pid : NULL);
			cd_row_text(&r, "dll", dll);
			cd_row_bool(&r, "dll_exists", resolved ? cd_win_file_exists(resolved) : -1);
			cd_row_text(&r, "skf_dll", skf);
			cd_row_text(&r, "view", cd_reg_view_name(view));
			cd_row_insert(ctx->facts, &r);
		}
next:
		free(idstring);
		free(dll);
		free(skf);
		free(resolved);
		free(where);
		free(source);
		free(sub);
	}
	cd_free_list(names, n);
	cd_reg_close(list);
}

/* ---- BJCA: InstallPath and <dir>\Driver\driver.ini ---- */

/* The ids and DLLs gathered for one INI section. */
struct ini_section {
	char *name;             /* section name, UTF-8; "" before the first */
	struct usb_id ids[MAX_IDS];
	int nids;
	char vid[5], pid[5];    /* from vid= and pid= keys */
	char *dll, *skf;
};

struct ini_ctx {
	struct cd_probe_ctx *ctx;
	const char *path;       /* driver.ini */
	const char *dir;        /* BJCA install directory */
	enum cd_reg_view view;  /* where InstallPath was found: the DLLs are of that bitness */
	int garbage, first_garbage;
};

static int is_absolute(const char *p)
{
	return (p[0] && p[1] == ':') || (p[0] == '\\' && p[1] == '\\');
}

/* Where the middleware would load a DLL from: an absolute path as written,
 * else its own Driver directory, its install directory, or the system
 * directory of its bitness. */
static int bjca_dll_exists(const struct ini_ctx *ic, const char *dll)
{
	char *p;
	int found;
	if (is_absolute(dll) || strchr(dll, '%')) {
		p = cd_win_expand_path(dll, ic->view);
		found = p && cd_win_file_exists(p);
		free(p);
		return found;
	}
	p = cd_aprintf("%s\\Driver\\%s", ic->dir, dll);
	found = p && cd_win_file_exists(p);
	free(p);
	if (found)
		return 1;
	p = cd_aprintf("%s\\%s", ic->dir, dll);
	found = p && cd_win_file_exists(p);
	free(p);
	if (found)
		return 1;
	p = strchr(dll, '\\') ? NULL : cd_win_expand_path(dll, ic->view);
	found = p && cd_win_file_exists(p);
	free(p);
	return found;
}

static void bjca_rows(struct ini_ctx *ic, const char *device, const struct usb_id *ids, int n,
		      const char *dll, const char *skf)
{
	int i, exists = dll ? bjca_dll_exists(ic, dll) : -1;
	for (i = 0; i < n; i++) {
		struct cd_row r;
		cd_row_init(&r, "vendor_device_maps");
		cd_row_text(&r, "vendor", "BJCA");
		cd_row_text(&r, "source", ic->path);
		cd_row_text(&r, "device", device);
		cd_row_text(&r, "vid", ids[i].vid);
		cd_row_text(&r, "pid", ids[i].pid);
		cd_row_text(&r, "dll", dll);
		cd_row_bool(&r, "dll_exists", exists);
		cd_row_text(&r, "skf_dll", skf);
		cd_row_insert(ic->ctx->facts, &r);
	}
}

/* Ends a section: its ids (from its name, vid=/pid= keys or id-only lines)
 * with its DLL give rows. */
static void section_end(struct ini_ctx *ic, struct ini_section *s)
{
	if (s->vid[0] && s->pid[0])
		add_id(s->ids, &s->nids, s->vid, s->pid);
	if (s->nids && (s->dll || s->skf))
		bjca_rows(ic, s->name, s->ids, s->nids, s->dll ? s->dll : s->skf, s->dll ? s->skf : NULL);
	free(s->name);
	free(s->dll);
	free(s->skf);
	memset(s, 0, sizeof(*s));
}

static int has_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (!_strnicmp(s, needle, n))
			return 1;
	return 0;
}

/* The DLL a value names: the item ending in ".dll" of a list separated by
 * ',', ';' or '|' (blanks stay: paths have them). NULL if none. */
static char *dll_in(const char *v)
{
	const char *p, *start;
	for (p = v; (p = strchr(p, '.')) != NULL; p++) {
		if (_strnicmp(p, ".dll", 4) || is_alnum(p[4]))
			continue;
		for (start = p; start > v && !strchr(",;|\"=", start[-1]); start--)
			;
		while (*start == ' ' || *start == '\t')
			start++;
		if (start < p)
			return cd_strndup(start, (size_t)(p + 4 - start));
	}
	return NULL;
}

/* A vid= or pid= value: "096e", "0x096E", "VID_096E". */
static int id_value(const char *v, char out[5])
{
	if (!_strnicmp(v, "0x", 2))
		v += 2;
	else if (!_strnicmp(v, "vid_", 4) || !_strnicmp(v, "pid_", 4))
		v += 4;
	return hex4(v, out) && (v[4] == '\0' || v[4] == ' ' || v[4] == '\t');
}

/* One decoded, trimmed line that is not blank or a comment. Returns 0 if
 * it is no INI syntax at all. */
static int ini_line(struct ini_ctx *ic, struct ini_section *s, char *line)
{
	char *eq, *key, *val, *dll;
	struct usb_id ids[MAX_IDS];
	int n;

	if (*line == '[') {
		char *close = strchr(line, ']');
		if (!close)
			return 0;
		section_end(ic, s);
		s->name = cd_strndup(line + 1, (size_t)(close - line - 1));
		if (s->name)
			s->nids = find_ids(s->name, s->ids, 0);
		return 1;
	}
	if (!(eq = strchr(line, '=')))
		return 0;
	*eq = '\0';
	key = cd_trim(line);
	val = cd_trim(eq + 1);
	if (*val == '"' && val[1] && val[strlen(val) - 1] == '"') {
		val[strlen(val) - 1] = '\0';
		val++;
	}
	/* vid= / pid= keys name the section's device; a bad value is just unused. */
	if (cd_strieq(key, "vid")) {
		id_value(val, s->vid);
		return 1;
	}
	if (cd_strieq(key, "pid")) {
		id_value(val, s->pid);
		return 1;
	}
	n = find_ids(key, ids, 0);
	dll = dll_in(val);
	if (!n)
		n = find_ids(val, ids, 0);
	if (n && dll) {
		/* "VID_096E&PID_0309=x.dll" or "dev=VID_...,x.dll": a complete entry */
		bjca_rows(ic, s->name && *s->name ? s->name : key, ids, n, dll, NULL);
	} else if (n) {
		int i;
		for (i = 0; i < n; i++)
			add_id(s->ids, &s->nids, ids[i].vid, ids[i].pid);
	} else if (dll && has_ci(key, "skf")) {
		if (!s->skf) {
			s->skf = dll;
			dll = NULL;
		}
	} else if (dll && !s->dll) {
		s->dll = dll;
		dll = NULL;
	}
	free(dll);
	return 1;
}

/* A line as UTF-8: itself when valid UTF-8, else decoded from the ANSI
 * code page (GBK on Chinese Windows, as the vendor's own non-Unicode code
 * reads it). NULL when it is garbage: binary, over-long, undecodable. */
static char *decode_line(const char *s, size_t n)
{
	size_t i;
	int wn;
	wchar_t *w;
	char *u;
	if (n > INI_LINE_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return NULL;
	if (cd_utf8_valid(s, n))
		return cd_strndup(s, n);
	wn = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, s, (int)n, NULL, 0);
	if (wn <= 0)
		return NULL;
	w = malloc((size_t)wn * sizeof(wchar_t));
	if (!w)
		return NULL;
	u = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, s, (int)n, w, wn) == wn
		    ? cd_utf8_from_w_n(w, wn)
		    : NULL;
	free(w);
	return u;
}

static void parse_ini(struct ini_ctx *ic, const char *text, size_t len)
{
	struct ini_section s;
	size_t pos = 0;
	int lineno = 0;

	memset(&s, 0, sizeof(s));
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char *u, *t;
		int ok = 1;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		u = decode_line(line, n);
		if (!u) {
			ok = 0;
		} else {
			t = cd_trim(u);
			if (*t && *t != ';' && *t != '#')
				ok = ini_line(ic, &s, t);
			free(u);
		}
		if (!ok && !ic->garbage++)
			ic->first_garbage = lineno;
	}
	section_end(ic, &s);
}

static void bjca_ini(struct cd_probe_ctx *ctx, const char *dir, enum cd_reg_view view)
{
	struct ini_ctx ic;
	char *path = cd_aprintf("%s\\Driver\\driver.ini", dir);
	char *raw = NULL, *text = NULL;
	size_t len = 0, off = 0;
	cd_err e;

	if (!path)
		return;
	e = cd_read_file(path, INI_MAX, &raw, &len);
	if (e) {
		/* InstallPath without a driver map is a BJCA install without one. */
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, path, e, "cannot read the BJCA device map");
		free(path);
		return;
	}
	if (len >= 2 && (unsigned char)raw[0] == 0xff && (unsigned char)raw[1] == 0xfe) {
		/* Saved as "Unicode" by Notepad: UTF-16LE. */
		size_t units = (len - 2) / 2;
		wchar_t *w = malloc((units + 1) * sizeof(wchar_t));
		if (w) {
			memcpy(w, raw + 2, units * 2);
			text = cd_utf8_from_w_n(w, (int)units);
			free(w);
		}
		len = text ? strlen(text) : 0;
	} else {
		if (len >= 3 && !memcmp(raw, "\xef\xbb\xbf", 3))
			off = 3;
		text = raw;
		raw = NULL;
	}
	memset(&ic, 0, sizeof(ic));
	ic.ctx = ctx;
	ic.path = path;
	ic.dir = dir;
	ic.view = view;
	if (text)
		parse_ini(&ic, text + off, len - off);
	else
		cd_probe_error(ctx, path, CD_ERR_PARSE, "cannot decode the UTF-16 text");
	if (ic.garbage)
		cd_probe_error(ctx, path, CD_ERR_PARSE,
			       "%d lines skipped (binary, too long, undecodable or not INI),"
			       " the first at line %d",
			       ic.garbage, ic.first_garbage);
	free(raw);
	free(text);
	free(path);
}

/* The first non-empty string value of a key, or NULL. */
static char *first_string(HKEY k)
{
	char **names = NULL, *s = NULL;
	size_t n = 0, i;
	if (cd_reg_value_names(k, &names, &n) != CD_OK)
		return NULL;
	for (i = 0; i < n && !s; i++) {
		if (*names[i] && cd_reg_get_str(k, names[i], 1, &s) == CD_OK && !*s) {
			free(s);
			s = NULL;
		}
	}
	cd_free_list(names, n);
	return s;
}

/* BJCA\InstallPath: a value of the BJCA key, or a key whose default value
 * (failing that, its first string value) is the directory. */
static char *bjca_dir(struct cd_probe_ctx *ctx, HKEY bjca, enum cd_reg_view view)
{
	char *where = cd_reg_describe(HKEY_LOCAL_MACHINE, BJCA_KEY, view, NULL);
	char *dir = where ? cd_reg_probe_str(ctx, bjca, where, "InstallPath", 1) : NULL;
	HKEY k;
	size_t len;

	free(where);
	if (!dir && cd_reg_open(bjca, "InstallPath", view, &k) == CD_OK) {
		where = cd_reg_describe(HKEY_LOCAL_MACHINE, BJCA_KEY "\\InstallPath", view, NULL);
		dir = where ? cd_reg_probe_str(ctx, k, where, "", 1) : NULL;
		if (!dir || !*dir) {
			free(dir);
			dir = first_string(k);
		}
		free(where);
		cd_reg_close(k);
	}
	if (!dir || !*dir) {
		free(dir);
		return NULL;
	}
	len = strlen(dir);
	while (len > 3 && (dir[len - 1] == '\\' || dir[len - 1] == '/'))
		dir[--len] = '\0';
	return dir;
}

static void bjca(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	char *seen[2] = {NULL, NULL};
	int nv = cd_reg_views(views), i, j;

	/* BJCA middleware is 32-bit: its keys are in the 32-bit view
	 * (WOW6432Node), read first; the 64-bit view only adds other dirs. */
	for (i = nv - 1; i >= 0; i--) {
		HKEY h;
		char *dir = NULL;
		cd_err e = cd_reg_open(HKEY_LOCAL_MACHINE, BJCA_KEY, views[i], &h);
		if (e == CD_OK) {
			dir = bjca_dir(ctx, h, views[i]);
			cd_reg_close(h);
		} else if (e != CD_ERR_NOT_FOUND) {
			char *where = cd_reg_describe(HKEY_LOCAL_MACHINE, BJCA_KEY, views[i], NULL);
			cd_probe_error(ctx, where, e, "cannot open the BJCA key");
			free(where);
		}
		for (j = 0; dir && j < 2; j++)
			if (seen[j] && cd_strieq(seen[j], dir)) {
				free(dir);
				dir = NULL;
			}
		if (dir) {
			bjca_ini(ctx, dir, views[i]);
			seen[i] = dir;
		}
	}
	free(seen[0]);
	free(seen[1]);
}

/* ---- middleware DLLs of the catalog ---- */

/* Returns 1 when the file is there, 0 when not, -1 when unknown. */
static int file_row(struct cd_probe_ctx *ctx, const char *path, const char *purpose)
{
	WIN32_FILE_ATTRIBUTE_DATA fa;
	wchar_t *w = cd_w_from_utf8(path);
	char *version = NULL;
	int present = -1;
	struct cd_row r;

	if (!w)
		return -1;
	cd_row_init(&r, "files");
	cd_row_text(&r, "path", path);
	cd_row_text(&r, "purpose", purpose);
	if (GetFileAttributesExW(w, GetFileExInfoStandard, &fa)) {
		present = !(fa.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
		if (present) {
			cd_row_int(&r, "size", ((int64_t)fa.nFileSizeHigh << 32) | fa.nFileSizeLow);
			version = cd_win_file_version(path);
		}
	} else {
		DWORD err = GetLastError();
		if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)
			present = 0;
		else
			cd_probe_error(ctx, path, err == ERROR_ACCESS_DENIED ? CD_ERR_DENIED : CD_ERR_IO,
				       "cannot read the file's attributes (Windows error %lu)",
				       (unsigned long)err);
	}
	cd_row_bool(&r, "present", present);
	cd_row_text(&r, "version", version);
	cd_row_insert(ctx->facts, &r);
	free(version);
	free(w);
	return present;
}

/* A PKCS#11 middleware DLL that is there: the probe pkcs11.tokens reads it
 * in a child process and fills in the rest of the row. */
static void pkcs11_module_row(struct cd_probe_ctx *ctx, const char *file, const char *path, const char *vendor)
{
	struct cd_row r;
	cd_row_init(&r, "pkcs11_modules");
	cd_row_text(&r, "name", file);
	cd_row_text(&r, "path", path);
	cd_row_text(&r, "resolved_path", path);
	cd_row_int(&r, "file_exists", 1);
	cd_row_text(&r, "source", "catalog");
	cd_row_int(&r, "enabled", 1);
	cd_row_text(&r, "vendor", vendor);
	cd_row_text(&r, "load_status", "not_loaded");
	cd_row_insert(ctx->facts, &r);
}

static void middleware_files(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	int nv = cd_reg_views(views), i;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(cd_facts_db(ctx->facts),
			       "SELECT file, vendor, kind FROM rules.cat_middleware ORDER BY file", -1, &st,
			       NULL) != SQLITE_OK) {
		cd_probe_error(ctx, "rules.cat_middleware", CD_ERR_SQL, "%s",
			       sqlite3_errmsg(cd_facts_db(ctx->facts)));
		sqlite3_finalize(st);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *file = (const char *)sqlite3_column_text(st, 0);
		const char *vendor = (const char *)sqlite3_column_text(st, 1);
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		char *purpose;
		/* Bare names only: a catalog entry is a DLL name, never a path. */
		if (!file || !*file || strpbrk(file, "\\/:"))
			continue;
		purpose = cd_aprintf("middleware:%s", vendor ? vendor : "");
		/* System32 of each view: SysWOW64 for 32-bit, Sysnative when a
		 * 32-bit cadoctor looks at the 64-bit one. */
		for (i = 0; purpose && i < nv; i++) {
			char *path = cd_win_expand_path(file, views[i]);
			if (path && file_row(ctx, path, purpose) == 1 && kind && !strcmp(kind, "pkcs11"))
				pkcs11_module_row(ctx, file, path, vendor);
			free(path);
		}
		free(purpose);
	}
	sqlite3_finalize(st);
}

static cd_err collect_vendor(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	int nv, i;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	nv = cd_reg_views(views);
	for (i = 0; i < nv; i++)
		netca_view(ctx, views[i]);
	bjca(ctx);
	middleware_files(ctx);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_vendor = {
	"windows.vendor",
	"vendor_device_maps, files, pkcs11_modules",
	collect_vendor,
};
