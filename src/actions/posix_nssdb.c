/* nss_module_register on Linux: adds a PKCS#11 module to an NSS database
 * (Chromium's ~/.pki/nssdb, a Firefox profile) with modutil, run by absolute
 * path with an argument vector (no shell). Captured: the database's
 * pkcs11.txt, where NSS keeps its module list. Undo deletes the module with
 * modutil and, if pkcs11.txt still differs from the recorded text, writes the
 * recorded text back. Only sql: databases (cert9.db, pkcs11.txt). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "posix_act.h"

#define MAX_PKCS11_TXT ((size_t)1 << 20)

static const char *modutil(void)
{
	static const char *const where[] = {"/usr/bin/modutil", "/bin/modutil", NULL};
	size_t i;
	for (i = 0; where[i]; i++)
		if (cd_path_exists(where[i]))
			return where[i];
	return NULL;
}

/* The database directory on the system (without "sql:"), or NULL. */
static const char *db_arg(const struct cd_action *a)
{
	const char *db = cd_action_arg(a, "db");
	if (db && !strncmp(db, "sql:", 4))
		db += 4;
	return db;
}

static cd_err check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *db = db_arg(a), *name = cd_action_arg(a, "name"), *path = cd_action_arg(a, "path");
	size_t i;
	(void)env;
	if (!cd_act_plain_abs(db))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not an sql: NSS database directory: %s",
				   cd_action_arg(a, "db") ? cd_action_arg(a, "db") : "");
	if (!name || !*name || strlen(name) > 128)
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad module name");
	for (i = 0; name[i]; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == '"')
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad module name");
	if (!cd_act_plain_abs(path))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a plain absolute library path: %s",
				   path ? path : "");
	if (!modutil())
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0, "modutil is not installed (libnss3-tools)");
	return CD_OK;
}

/* 1 when pkcs11.txt text lists a module named name. */
static int listed(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);
	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len >= 5 && !strncmp(p, "name=", 5)) {
			const char *v = p + 5;
			size_t vl = len - 5;
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			if (vl == n && !strncmp(v, name, n))
				return 1;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static char *txt_path(const struct cd_action *a, const struct cd_action_env *env)
{
	char *abs = cd_aprintf("%s/pkcs11.txt", db_arg(a)), *p;
	if (!abs)
		return NULL;
	p = cd_act_path(env, abs);
	free(abs);
	return p;
}

static int noop(const struct cd_action *a, const struct cd_action_env *env)
{
	char *f = txt_path(a, env), *text = NULL;
	int yes = f && cd_read_file(f, MAX_PKCS11_TXT, &text, NULL) == CD_OK && listed(text, cd_action_arg(a, "name"));
	free(f);
	free(text);
	return yes;
}

static cd_err capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
		      struct cd_diag *d)
{
	char *f, *text = NULL, *cert = NULL, *dir;
	size_t len = 0;
	struct stat st;
	cd_err e = check(a, env, d);
	if (e)
		return e;
	dir = cd_act_path(env, db_arg(a));
	cert = dir ? cd_aprintf("%s/cert9.db", dir) : NULL;
	f = txt_path(a, env);
	if (!dir || !cert || !f) {
		e = CD_ERR_NOMEM;
	} else if (lstat(cert, &st) != 0 || lstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		e = cd_diag_set(d, CD_ERR_NOT_FOUND, dir, 0, "not an NSS sql: database (cert9.db, pkcs11.txt)");
	} else if ((e = cd_read_file(f, MAX_PKCS11_TXT, &text, &len))) {
		cd_diag_set(d, e, f, 0, "cannot read: %s", cd_err_message(e));
	} else if (!cd_utf8_valid(text, len) || memchr(text, 0, len)) {
		e = cd_diag_set(d, CD_ERR_PARSE, f, 0, "not UTF-8 text: cannot be recorded");
	} else {
		*before = cJSON_CreateObject();
		if (!*before || !cJSON_AddStringToObject(*before, "pkcs11_txt", text) ||
		    !cJSON_AddNumberToObject(*before, "mode", (double)(st.st_mode & 07777)) ||
		    !cJSON_AddBoolToObject(*before, "listed", listed(text, cd_action_arg(a, "name"))))
			e = CD_ERR_NOMEM;
	}
	free(dir);
	free(cert);
	free(f);
	free(text);
	return e;
}

static cd_err run_modutil(const char *op, const struct cd_action *a, const struct cd_action_env *env,
			  struct cd_diag *d)
{
	char *dir = cd_act_path(env, db_arg(a)), *spec = dir ? cd_aprintf("sql:%s", dir) : NULL;
	const char *add[] = {modutil(), "-dbdir", spec, "-add", cd_action_arg(a, "name"), "-libfile",
			     cd_action_arg(a, "path"), "-force", NULL};
	const char *del[] = {modutil(), "-dbdir", spec, "-delete", cd_action_arg(a, "name"), "-force", NULL};
	int st = -1;
	cd_err e;
	if (!spec) {
		free(dir);
		return CD_ERR_NOMEM;
	}
	e = cd_act_run(!strcmp(op, "add") ? add : del, 60000, &st, d);
	free(spec);
	free(dir);
	if (!e && st != 0)
		e = CD_ERR_IO;
	return e;
}

static cd_err apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		    struct cd_diag *d)
{
	(void)before;
	if (!cd_path_exists(cd_action_arg(a, "path")) && cd_act_live(env))
		return cd_diag_set(d, CD_ERR_NOT_FOUND, cd_action_arg(a, "path"), 0, "library does not exist");
	if (run_modutil("add", a, env, d))
		return d->code ? d->code : CD_ERR_IO;
	return noop(a, env) ? CD_OK : cd_diag_set(d, CD_ERR_IO, NULL, 0, "modutil did not register the module");
}

static cd_err undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		   struct cd_diag *d)
{
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(before, "pkcs11_txt");
	const cJSON *was = cJSON_GetObjectItemCaseSensitive(before, "listed");
	const cJSON *mode = cJSON_GetObjectItemCaseSensitive(before, "mode");
	char *f = txt_path(a, env), *now = NULL;
	cd_err e = CD_OK;
	if (!cJSON_IsString(old) || !cJSON_IsBool(was) || !f) {
		free(f);
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	}
	if (!cJSON_IsTrue(was) && noop(a, env)) {
		struct cd_diag md;
		cd_diag_clear(&md);
		run_modutil("delete", a, env, &md); /* checked below through the file */
	}
	if (cd_read_file(f, MAX_PKCS11_TXT, &now, NULL) != CD_OK || strcmp(now, old->valuestring)) {
		e = cd_act_write_atomic(f, old->valuestring, strlen(old->valuestring),
					cJSON_IsNumber(mode) ? (mode_t)mode->valuedouble : 0600);
		if (e)
			cd_diag_set(d, e, f, 0, "cannot write back: %s", cd_err_message(e));
	}
	free(now);
	free(f);
	return e;
}

const struct cd_action_ops cd_act_posix_nss_module_register = {
	"nss_module_register", 1, 1, check, noop, capture, apply, undo,
};
