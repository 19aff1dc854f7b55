/* Actions that run programs on Windows, always by absolute path through
 * CreateProcessW with an argument vector, never through a shell:
 *   program_uninstall     the Uninstall entry's QuietUninstallString, else its
 *                         UninstallString, checked and split by
 *                         cd_uninstall_parse (src/core/cmdline.c); MSI
 *                         products run msiexec /x {code} /qn. Cannot be undone:
 *                         the journal keeps the Uninstall entry as a record.
 *   run_vendor_installer  a vendor's environment installer, only from under
 *                         Program Files. Cannot be undone.
 *   com_register          regsvr32 /s of a DLL under Program Files; the CLSID
 *                         key (and the ProgID key, when named) is captured
 *                         and put back by undo. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_act.h"

#define UNINSTALL_MS (30u * 60u * 1000u)
#define INSTALLER_MS (30u * 60u * 1000u)
#define UNINSTALL_KEY "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"

static int exists_cb(void *ud, const char *path)
{
	(void)ud;
	return cd_win_file_exists(path);
}

/* GetLongPathNameW: InstallShield's uninstall strings name its Ctor.dll by
 * 8.3 short names (C:\PROGRA~1\COMMON~1\...). */
static char *long_cb(void *ud, const char *path)
{
	wchar_t *w = cd_w_from_utf8(path), *l = NULL;
	char *u = NULL;
	DWORD n = w ? GetLongPathNameW(w, NULL, 0) : 0, got;
	(void)ud;
	if (n && (l = malloc((size_t)n * sizeof(wchar_t))) != NULL && (got = GetLongPathNameW(w, l, n)) > 0 && got < n)
		u = cd_utf8_from_w(l);
	free(l);
	free(w);
	return u;
}

/* ---- program_uninstall ---- */

struct entry {
	HKEY root;
	char *sub;
	enum cd_reg_view view;
};

static cd_err entry_of(const struct cd_action *a, struct entry *en, struct cd_diag *d)
{
	const char *key = cd_action_arg(a, "key"), *src = cd_action_arg(a, "source"), *user = cd_action_arg(a, "user");
	memset(en, 0, sizeof(*en));
	if (!key || !*key || strchr(key, '\\') || strlen(key) > 255)
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not an Uninstall entry name: %s", key ? key : "");
	if (!src || !*src || !strcmp(src, "hklm64") || !strcmp(src, "hklm")) {
		en->root = HKEY_LOCAL_MACHINE;
		en->view = cd_wa_view("64");
	} else if (!strcmp(src, "hklm32")) {
		en->root = HKEY_LOCAL_MACHINE;
		en->view = CD_REG_VIEW_32;
	} else if (!strcmp(src, "hkcu")) {
		en->root = HKEY_CURRENT_USER;
		en->view = cd_wa_view(NULL);
	} else if (!strcmp(src, "hku") && user && !strncmp(user, "S-1-", 4) && !strpbrk(user, "\\/")) {
		en->root = HKEY_USERS;
		en->view = cd_wa_view(NULL);
		en->sub = cd_aprintf("%s\\" UNINSTALL_KEY "\\%s", user, key);
		return en->sub ? CD_OK : CD_ERR_NOMEM;
	} else {
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "unknown source %s", src);
	}
	en->sub = cd_aprintf(UNINSTALL_KEY "\\%s", key);
	return en->sub ? CD_OK : CD_ERR_NOMEM;
}

/* The command to run, checked: MSI products by their code, else the quiet
 * string, else the plain one. */
static cd_err uninstall_argv(const struct entry *en, struct cd_cmdline *argv, char **line, struct cd_diag *d)
{
	HKEY h;
	char *s = NULL, *sys = cd_wa_system_dir(CD_REG_VIEW_64), why[256];
	char *pf64 = cd_wa_program_files(0), *pf32 = cd_wa_program_files(1);
	const char *leaf = strrchr(en->sub, '\\') + 1;
	uint32_t msi = 0;
	struct cd_uninstall_opts opt = {exists_cb, NULL, sys, {pf64, pf32}, long_cb};
	cd_err e = cd_wa_open(en->root, en->sub, en->view, KEY_READ, &h);
	if (e) {
		free(sys);
		free(pf64);
		free(pf32);
		return cd_diag_set(d, e, en->sub, 0, "cannot open the Uninstall entry");
	}
	if (cd_reg_get_dword(h, "WindowsInstaller", &msi) == CD_OK && msi == 1 && leaf[0] == '{')
		s = cd_aprintf("MsiExec.exe /X%s", leaf);
	if (!s && cd_reg_get_str(h, "QuietUninstallString", 1, &s) != CD_OK)
		s = NULL;
	if (!s && cd_reg_get_str(h, "UninstallString", 1, &s) != CD_OK)
		s = NULL;
	RegCloseKey(h);
	if (!s) {
		free(sys);
		free(pf64);
		free(pf32);
		return cd_diag_set(d, CD_ERR_NOT_FOUND, en->sub, 0, "no uninstall command");
	}
	e = cd_uninstall_parse(s, &opt, argv, why, sizeof(why));
	free(sys);
	free(pf64);
	free(pf32);
	if (e) {
		cd_diag_set(d, CD_ERR_DENIED, en->sub, 0, "uninstall command refused (%s): %s", why, s);
		free(s);
		return CD_ERR_DENIED;
	}
	*line = s;
	return CD_OK;
}

static cd_err un_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	struct entry en;
	cd_err e = entry_of(a, &en, d);
	(void)env;
	free(en.sub);
	return e;
}

static int un_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	struct entry en;
	int gone = 0;
	(void)env;
	if (entry_of(a, &en, NULL) == CD_OK)
		gone = !cd_wa_key_exists(en.root, en.sub, en.view);
	free(en.sub);
	return gone;
}

static cd_err un_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			 struct cd_diag *d)
{
	struct entry en;
	struct cd_cmdline argv = {NULL, 0};
	char *line = NULL;
	cJSON *tree = NULL, *run;
	size_t i;
	cd_err e = entry_of(a, &en, d);
	(void)env;
	if (!e)
		e = uninstall_argv(&en, &argv, &line, d);
	if (!e && (e = cd_wa_tree_capture(en.root, en.sub, en.view, &tree)))
		cd_diag_set(d, e, en.sub, 0, "cannot record the Uninstall entry");
	if (!e) {
		*before = cJSON_CreateObject();
		run = cJSON_CreateArray();
		if (!*before || !run) {
			cJSON_Delete(run);
			e = CD_ERR_NOMEM;
		} else {
			for (i = 0; i < argv.argc; i++)
				cJSON_AddItemToArray(run, cJSON_CreateString(argv.argv[i]));
			cJSON_AddStringToObject(*before, "uninstall_string", line);
			cJSON_AddItemToObject(*before, "run", run);
			cJSON_AddItemToObject(*before, "entry", tree);
			tree = NULL;
		}
	}
	cJSON_Delete(tree);
	cd_cmdline_release(&argv);
	free(line);
	free(en.sub);
	return e;
}

static cd_err un_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	struct entry en;
	struct cd_cmdline argv = {NULL, 0};
	char *line = NULL;
	DWORD code = 0;
	int waited;
	cd_err e = entry_of(a, &en, d);
	(void)env;
	(void)before;
	/* Parsed again from the registry as it is now: the same checks. */
	if (!e)
		e = uninstall_argv(&en, &argv, &line, d);
	if (!e)
		e = cd_wa_run(argv.argv, argv.argc, UNINSTALL_MS, &code, d);
	/* 3010/1641: done, restart needed; 1605: the product is not installed. */
	if (!e && code != 0 && code != 3010 && code != 1641 && code != 1605)
		e = cd_diag_set(d, CD_ERR_IO, argv.argv[0], 0, "the uninstaller ended with code %lu", (unsigned long)code);
	/* Some uninstallers hand over to a copy of themselves and return at once. */
	for (waited = 0; !e && waited < 120000 && cd_wa_key_exists(en.root, en.sub, en.view); waited += 500)
		Sleep(500);
	if (!e && cd_wa_key_exists(en.root, en.sub, en.view))
		e = cd_diag_set(d, CD_ERR_IO, en.sub, 0, "the uninstaller finished but the program is still registered");
	cd_cmdline_release(&argv);
	free(line);
	free(en.sub);
	return e;
}

static cd_err no_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	(void)a;
	(void)env;
	(void)before;
	return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0, "cannot be undone");
}

const struct cd_action_ops cd_act_win32_program_uninstall = {
	"program_uninstall", 0, 1, un_check, un_noop, un_capture, un_apply, no_undo,
};

/* ---- run_vendor_installer ---- */

static cd_err inst_argv(const struct cd_action *a, struct cd_cmdline *argv, struct cd_diag *d)
{
	const char *args = cd_action_arg(a, "args");
	char *exe = cd_wa_under_program_files(cd_action_arg(a, "path"), d), *line, why[256];
	struct cd_uninstall_opts opt = {exists_cb, NULL, NULL, {NULL, NULL}, NULL};
	cd_err e;
	if (!exe)
		return d && d->code ? d->code : CD_ERR_NOT_FOUND;
	line = cd_aprintf("\"%s\"%s%s", exe, args && *args ? " " : "", args ? args : "");
	free(exe);
	if (!line)
		return CD_ERR_NOMEM;
	/* The same checks as an uninstall string: no shell metacharacters, no
	 * wrappers, an existing .exe. */
	e = cd_uninstall_parse(line, &opt, argv, why, sizeof(why));
	if (e)
		cd_diag_set(d, CD_ERR_DENIED, NULL, 0, "installer command refused (%s)", why);
	free(line);
	return e ? CD_ERR_DENIED : CD_OK;
}

static cd_err inst_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *p = cd_action_arg(a, "path");
	(void)env;
	if (!p || !*p || strstr(p, "..") || strchr(p, '/'))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not an installer path under Program Files");
	return CD_OK;
}

static cd_err inst_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			   struct cd_diag *d)
{
	struct cd_cmdline argv = {NULL, 0};
	char hash[65];
	cJSON *run;
	size_t i;
	cd_err e = inst_check(a, env, d);
	if (!e)
		e = inst_argv(a, &argv, d);
	if (e)
		return e;
	*before = cJSON_CreateObject();
	run = cJSON_CreateArray();
	if (!*before || !run) {
		cJSON_Delete(run);
		cd_cmdline_release(&argv);
		return CD_ERR_NOMEM;
	}
	for (i = 0; i < argv.argc; i++)
		cJSON_AddItemToArray(run, cJSON_CreateString(argv.argv[i]));
	cJSON_AddItemToObject(*before, "run", run);
	if (cd_wa_sha256_file(argv.argv[0], hash) == CD_OK)
		cJSON_AddStringToObject(*before, "sha256", hash);
	cd_cmdline_release(&argv);
	return CD_OK;
}

static cd_err inst_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			 struct cd_diag *d)
{
	struct cd_cmdline argv = {NULL, 0};
	DWORD code = 0;
	cd_err e = inst_argv(a, &argv, d);
	(void)env;
	(void)before;
	if (!e)
		e = cd_wa_run(argv.argv, argv.argc, INSTALLER_MS, &code, d);
	if (!e && code != 0 && code != 3010)
		e = cd_diag_set(d, CD_ERR_IO, argv.argv[0], 0, "the installer ended with code %lu", (unsigned long)code);
	cd_cmdline_release(&argv);
	return e;
}

const struct cd_action_ops cd_act_win32_run_vendor_installer = {
	"run_vendor_installer", 0, 1, inst_check, NULL, inst_capture, inst_apply, no_undo,
};

/* ---- com_register ---- */

static cd_err clsid_key(const struct cd_action *a, char **sub, struct cd_diag *d)
{
	const char *c = cd_action_arg(a, "clsid");
	size_t i;
	if (!c || strlen(c) != 38 || c[0] != '{' || c[37] != '}')
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a CLSID: %s", c ? c : "");
	for (i = 1; i < 37; i++)
		if (!(strchr("0123456789abcdefABCDEF", c[i]) && c[i]) && !((i == 9 || i == 14 || i == 19 || i == 24) && c[i] == '-'))
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a CLSID: %s", c);
	*sub = cd_aprintf("SOFTWARE\\Classes\\CLSID\\%s", c);
	return *sub ? CD_OK : CD_ERR_NOMEM;
}

/* The optional ProgID whose key the DLL writes too: letters, digits and
 * dots (COM allows at most 39 characters); its key is captured and restored
 * with the class's. *sub is NULL when the argument is absent. */
static cd_err progid_key(const struct cd_action *a, char **sub, struct cd_diag *d)
{
	const char *p = cd_action_arg(a, "progid");
	size_t i, n = p ? strlen(p) : 0;
	*sub = NULL;
	if (!p || !*p)
		return CD_OK;
	for (i = 0; i < n; i++)
		if (!(p[i] >= 'A' && p[i] <= 'Z') && !(p[i] >= 'a' && p[i] <= 'z') && !(p[i] >= '0' && p[i] <= '9') &&
		    !(p[i] == '.' && i > 0 && p[i - 1] != '.') && p[i] != '_')
			break;
	if (i < n || n > 39 || p[0] == '.' || p[0] == '_' || (p[0] >= '0' && p[0] <= '9'))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a ProgID: %s", p);
	*sub = cd_aprintf("SOFTWARE\\Classes\\%s", p);
	return *sub ? CD_OK : CD_ERR_NOMEM;
}

static cd_err com_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	char *sub = NULL;
	const char *p = cd_action_arg(a, "path");
	cd_err e = clsid_key(a, &sub, d);
	size_t n = p ? strlen(p) : 0;
	(void)env;
	free(sub);
	if (e)
		return e;
	if ((e = progid_key(a, &sub, d)))
		return e;
	free(sub);
	if (n < 5 || (!cd_strieq(p + n - 4, ".dll") && !cd_strieq(p + n - 4, ".ocx")) || strstr(p, ".."))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a DLL path: %s", p ? p : "");
	return CD_OK;
}

static int com_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	char *sub = NULL, *srv, *have = NULL, *want;
	enum cd_reg_view v = cd_wa_view(cd_action_arg(a, "view"));
	HKEY h;
	int same = 0;
	(void)env;
	if (clsid_key(a, &sub, NULL))
		return 0;
	srv = cd_aprintf("%s\\InprocServer32", sub);
	want = cd_wa_under_program_files(cd_action_arg(a, "path"), NULL);
	if (srv && want && cd_wa_open(HKEY_LOCAL_MACHINE, srv, v, KEY_READ, &h) == CD_OK) {
		same = cd_reg_get_str(h, "", 1, &have) == CD_OK && cd_strieq(have, want);
		RegCloseKey(h);
	}
	free(have);
	free(want);
	free(srv);
	free(sub);
	return same;
}

static cd_err com_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			  struct cd_diag *d)
{
	char *sub = NULL, *dll;
	enum cd_reg_view v = cd_wa_view(cd_action_arg(a, "view"));
	cd_err e = com_check(a, env, d);
	if (e)
		return e;
	if (!(dll = cd_wa_under_program_files(cd_action_arg(a, "path"), d)))
		return d->code ? d->code : CD_ERR_NOT_FOUND;
	free(dll);
	clsid_key(a, &sub, d);
	e = cd_wa_state_capture(HKEY_LOCAL_MACHINE, sub, v, before);
	if (e)
		cd_diag_set(d, e, sub, 0, "cannot record the CLSID key");
	free(sub);
	/* The ProgID key beside it, as "progid_state" in the same record. */
	if (!e && (e = progid_key(a, &sub, d)) == CD_OK && sub) {
		cJSON *ps = NULL;
		if ((e = cd_wa_state_capture(HKEY_LOCAL_MACHINE, sub, v, &ps)) == CD_OK)
			cJSON_AddItemToObject(*before, "progid_state", ps);
		else
			cd_diag_set(d, e, sub, 0, "cannot record the ProgID key");
		free(sub);
	}
	if (e) {
		cJSON_Delete(*before);
		*before = NULL;
	}
	return e;
}

static cd_err com_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			struct cd_diag *d)
{
	enum cd_reg_view v = cd_wa_view(cd_action_arg(a, "view"));
	char *dll = cd_wa_under_program_files(cd_action_arg(a, "path"), d), *sys = cd_wa_system_dir(v), *exe;
	char *argv[4];
	DWORD code = 0;
	cd_err e;
	(void)env;
	(void)before;
	exe = sys ? cd_aprintf("%s\\regsvr32.exe", sys) : NULL;
	if (!dll || !exe) {
		free(dll);
		free(sys);
		free(exe);
		return d->code ? d->code : CD_ERR_NOT_FOUND;
	}
	argv[0] = exe;
	argv[1] = "/s";
	argv[2] = dll;
	argv[3] = NULL;
	e = cd_wa_run(argv, 3, 120000, &code, d);
	if (!e && code != 0)
		e = cd_diag_set(d, CD_ERR_IO, dll, 0, "regsvr32 ended with code %lu", (unsigned long)code);
	free(dll);
	free(sys);
	free(exe);
	return e;
}

static cd_err com_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	char *sub = NULL;
	enum cd_reg_view v = cd_wa_view(cd_action_arg(a, "view"));
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(before, "progid_state");
	cd_err e = clsid_key(a, &sub, d);
	(void)env;
	if (!e && (e = cd_wa_state_restore(HKEY_LOCAL_MACHINE, sub, v, before)))
		cd_diag_set(d, e, sub, 0, "cannot restore the CLSID key");
	free(sub);
	sub = NULL;
	if (!e && ps && (e = progid_key(a, &sub, d)) == CD_OK && sub &&
	    (e = cd_wa_state_restore(HKEY_LOCAL_MACHINE, sub, v, ps)))
		cd_diag_set(d, e, sub, 0, "cannot restore the ProgID key");
	free(sub);
	return e;
}

const struct cd_action_ops cd_act_win32_com_register = {
	"com_register", 1, 1, com_check, com_noop, com_capture, com_apply, com_undo,
};
