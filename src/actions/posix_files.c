/* File actions on Linux: file_quarantine (move a file into the journal's
 * quarantine folder, with its hash, and back) and p11kit_module_register
 * (a p11-kit .module file in /etc/pkcs11/modules). Paths are system paths;
 * under --root they are taken inside the root. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "posix_act.h"

#define MAX_QUARANTINE ((size_t)256 << 20)
#define MAX_MODULE_FILE ((size_t)1 << 20)

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *k, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* Moves src to dst: a rename, or across file systems a copy (fsync'ed)
 * and an unlink. dst must not exist. */
static cd_err move_file(const char *src, const char *dst, mode_t mode)
{
	char *data = NULL;
	size_t len = 0;
	int fd;
	if (rename(src, dst) == 0)
		return CD_OK;
	if (errno != EXDEV)
		return errno == EACCES || errno == EPERM ? CD_ERR_DENIED : CD_ERR_IO;
	if (cd_read_file(src, MAX_QUARANTINE, &data, &len) != CD_OK)
		return CD_ERR_IO;
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) != 0) {
		if (fd >= 0) {
			close(fd);
			unlink(dst);
		}
		free(data);
		return CD_ERR_IO;
	}
	close(fd);
	free(data);
	return unlink(src) == 0 ? CD_OK : CD_ERR_IO;
}

/* ---- file_quarantine ---- */

static cd_err q_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *path = cd_action_arg(a, "path");
	(void)env;
	if (!cd_act_plain_abs(path))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a plain absolute path: %s", path ? path : "");
	return CD_OK;
}

static int q_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	char *p = cd_act_path(env, cd_action_arg(a, "path"));
	struct stat st;
	int gone = p && lstat(p, &st) != 0 && errno == ENOENT;
	free(p);
	return gone;
}

static cd_err q_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			struct cd_diag *d)
{
	const char *path = cd_action_arg(a, "path"), *base;
	char *sys = NULL, *qdir = NULL, *qpath = NULL, hash[65];
	struct stat st;
	cd_err e = q_check(a, env, d);
	if (e)
		return e;
	if (!env->journal_dir)
		return cd_diag_set(d, CD_ERR_INTERNAL, NULL, 0, "no journal directory");
	sys = cd_act_path(env, path);
	if (!sys)
		return CD_ERR_NOMEM;
	if (lstat(sys, &st) != 0) {
		e = cd_diag_set(d, CD_ERR_NOT_FOUND, sys, 0, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		e = cd_diag_set(d, CD_ERR_UNSUPPORTED, sys, 0, "not a regular file: only files are quarantined");
		goto out;
	}
	if ((size_t)st.st_size > MAX_QUARANTINE) {
		e = cd_diag_set(d, CD_ERR_LIMIT, sys, 0, "larger than %zu MiB", MAX_QUARANTINE >> 20);
		goto out;
	}
	if ((e = cd_act_sha256_file(sys, hash))) {
		cd_diag_set(d, e, sys, 0, "cannot hash: %s", cd_err_message(e));
		goto out;
	}
	qdir = cd_aprintf("%s/quarantine", env->journal_dir);
	if (!qdir || (mkdir(qdir, 0700) != 0 && errno != EEXIST)) {
		e = cd_diag_set(d, CD_ERR_IO, qdir, 0, "cannot create the quarantine folder");
		goto out;
	}
	base = strrchr(path, '/') + 1;
	qpath = cd_aprintf("%s/%lld-%d-%.16s-%s", qdir, (long long)env->run_id, env->seq, hash, base);
	*before = cJSON_CreateObject();
	if (!qpath || !*before || !cJSON_AddStringToObject(*before, "path", path) ||
	    !cJSON_AddStringToObject(*before, "sha256", hash) ||
	    !cJSON_AddNumberToObject(*before, "size", (double)st.st_size) ||
	    !cJSON_AddNumberToObject(*before, "mode", (double)(st.st_mode & 07777)) ||
	    !cJSON_AddNumberToObject(*before, "uid", (double)st.st_uid) ||
	    !cJSON_AddNumberToObject(*before, "gid", (double)st.st_gid) ||
	    !cJSON_AddStringToObject(*before, "quarantine", qpath))
		e = CD_ERR_NOMEM;
out:
	free(sys);
	free(qdir);
	free(qpath);
	return e;
}

static cd_err q_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	const char *q = jstr(before, "quarantine"), *hash = jstr(before, "sha256");
	char *sys = cd_act_path(env, cd_action_arg(a, "path")), now[65];
	cd_err e;
	if (!sys || !q || !hash) {
		free(sys);
		return cd_diag_set(d, CD_ERR_INTERNAL, NULL, 0, "incomplete capture");
	}
	/* The file must still be the one recorded. */
	if ((e = cd_act_sha256_file(sys, now)) || strcmp(now, hash))
		e = cd_diag_set(d, e ? e : CD_ERR_INVALID, sys, 0, "changed since it was recorded");
	else if ((e = move_file(sys, q, (mode_t)jnum(before, "mode", 0600))))
		cd_diag_set(d, e, sys, 0, "cannot move to %s: %s", q, cd_err_message(e));
	free(sys);
	return e;
}

static cd_err q_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		     struct cd_diag *d)
{
	const char *q = jstr(before, "quarantine"), *hash = jstr(before, "sha256");
	char *sys = cd_act_path(env, cd_action_arg(a, "path")), now[65];
	struct stat st;
	int orig = 0;
	cd_err e = CD_OK;
	if (!sys || !q || !hash) {
		free(sys);
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	}
	orig = lstat(sys, &st) == 0;
	if (lstat(q, &st) != 0) {
		/* Never moved (the run stopped before): fine if the file is in place. */
		if (!orig)
			e = cd_diag_set(d, CD_ERR_NOT_FOUND, q, 0, "the quarantined copy is gone");
	} else if (orig) {
		e = cd_diag_set(d, CD_ERR_INVALID, sys, 0,
				"a file is at the original place again; the quarantined one stays at %s", q);
	} else if ((e = cd_act_sha256_file(q, now)) || strcmp(now, hash)) {
		e = cd_diag_set(d, e ? e : CD_ERR_INVALID, q, 0, "the quarantined copy was changed");
	} else if ((e = move_file(q, sys, (mode_t)jnum(before, "mode", 0600)))) {
		cd_diag_set(d, e, sys, 0, "cannot move back from %s: %s", q, cd_err_message(e));
	} else {
		if (chmod(sys, (mode_t)jnum(before, "mode", 0600)) != 0 ||
		    (lchown(sys, (uid_t)jnum(before, "uid", 0), (gid_t)jnum(before, "gid", 0)) != 0 && geteuid() == 0))
			e = cd_diag_set(d, CD_ERR_IO, sys, 0, "restored, but not its owner or mode");
	}
	free(sys);
	return e;
}

const struct cd_action_ops cd_act_posix_file_quarantine = {
	"file_quarantine", 1, 1, q_check, q_noop, q_capture, q_apply, q_undo,
};

/* ---- p11kit_module_register ---- */

#define MODULE_DIR "/etc/pkcs11/modules"

static int valid_module_name(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;
	if (!n || n > 64 || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("._-", s[i])))
			return 0;
	return 1;
}

static cd_err m_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *name = cd_action_arg(a, "name"), *path = cd_action_arg(a, "path");
	(void)env;
	if (!valid_module_name(name))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a module name: %s", name ? name : "");
	if (!cd_act_plain_abs(path))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a plain absolute path: %s", path ? path : "");
	return CD_OK;
}

static char *module_file(const struct cd_action *a, const struct cd_action_env *env)
{
	char *abs = cd_aprintf(MODULE_DIR "/%s.module", cd_action_arg(a, "name")), *p;
	if (!abs)
		return NULL;
	p = cd_act_path(env, abs);
	free(abs);
	return p;
}

static char *module_text(const struct cd_action *a)
{
	return cd_aprintf("module: %s\n", cd_action_arg(a, "path"));
}

static int m_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	char *f = module_file(a, env), *want = module_text(a), *have = NULL;
	int same = f && want && cd_read_file(f, MAX_MODULE_FILE, &have, NULL) == CD_OK && !strcmp(have, want);
	free(f);
	free(want);
	free(have);
	return same;
}

static cd_err m_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			struct cd_diag *d)
{
	char *f = NULL, *text = NULL;
	size_t len = 0;
	struct stat st;
	cd_err e = m_check(a, env, d);
	if (e)
		return e;
	f = module_file(a, env);
	*before = cJSON_CreateObject();
	if (!f || !*before) {
		free(f);
		return CD_ERR_NOMEM;
	}
	if (lstat(f, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			e = cd_diag_set(d, CD_ERR_UNSUPPORTED, f, 0, "exists and is not a regular file");
		else if ((e = cd_read_file(f, MAX_MODULE_FILE, &text, &len)))
			cd_diag_set(d, e, f, 0, "cannot read: %s", cd_err_message(e));
		else if (!cd_utf8_valid(text, len) || memchr(text, 0, len))
			e = cd_diag_set(d, CD_ERR_PARSE, f, 0, "not UTF-8 text: cannot be recorded");
		else if (!cJSON_AddTrueToObject(*before, "existed") ||
			 !cJSON_AddStringToObject(*before, "content", text) ||
			 !cJSON_AddNumberToObject(*before, "mode", (double)(st.st_mode & 07777)))
			e = CD_ERR_NOMEM;
	} else if (errno != ENOENT) {
		e = cd_diag_set(d, CD_ERR_IO, f, 0, "%s", strerror(errno));
	} else if (!cJSON_AddFalseToObject(*before, "existed")) {
		e = CD_ERR_NOMEM;
	}
	if (!e) {
		static const char *const dirs[] = {MODULE_DIR, "/etc/pkcs11"};
		cJSON *missing = cJSON_AddArrayToObject(*before, "missing_dirs");
		size_t i;
		for (i = 0; missing && i < 2; i++) {
			char *p = cd_act_path(env, dirs[i]);
			if (p && !cd_path_exists(p))
				cJSON_AddItemToArray(missing, cJSON_CreateString(dirs[i]));
			free(p);
		}
		if (!missing)
			e = CD_ERR_NOMEM;
	}
	free(f);
	free(text);
	return e;
}

static cd_err m_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	char *f = module_file(a, env), *text = module_text(a), *dir = cd_act_path(env, MODULE_DIR);
	char *created = NULL;
	cd_err e;
	(void)before;
	if (!f || !text || !dir)
		e = CD_ERR_NOMEM;
	else if ((e = cd_act_mkdirs(dir, &created)))
		cd_diag_set(d, e, dir, 0, "cannot create: %s", cd_err_message(e));
	else if ((e = cd_act_write_atomic(f, text, strlen(text), 0644)))
		cd_diag_set(d, e, f, 0, "cannot write: %s", cd_err_message(e));
	free(f);
	free(text);
	free(dir);
	free(created);
	return e;
}

/* Removes the directories that did not exist before (recorded in
 * "missing_dirs", deepest first) when they are empty. */
static void remove_created_dirs(const struct cd_action_env *env, const cJSON *before)
{
	const cJSON *dirs = cJSON_GetObjectItemCaseSensitive(before, "missing_dirs"), *it;
	cJSON_ArrayForEach(it, dirs)
	{
		char *p;
		if (!cJSON_IsString(it) || (strcmp(it->valuestring, MODULE_DIR) && strcmp(it->valuestring, "/etc/pkcs11")))
			continue;
		p = cd_act_path(env, it->valuestring);
		if (p)
			rmdir(p); /* fails, harmlessly, when not empty */
		free(p);
	}
}

static cd_err m_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		     struct cd_diag *d)
{
	const cJSON *existed = cJSON_GetObjectItemCaseSensitive(before, "existed");
	char *f = module_file(a, env);
	cd_err e = CD_OK;
	if (!f)
		return CD_ERR_NOMEM;
	if (!cJSON_IsBool(existed)) {
		e = cd_diag_set(d, CD_ERR_PARSE, f, 0, "incomplete record");
	} else if (cJSON_IsTrue(existed)) {
		const char *text = jstr(before, "content");
		if (!text)
			e = cd_diag_set(d, CD_ERR_PARSE, f, 0, "incomplete record");
		else if ((e = cd_act_write_atomic(f, text, strlen(text), (mode_t)jnum(before, "mode", 0644))))
			cd_diag_set(d, e, f, 0, "cannot write back: %s", cd_err_message(e));
	} else {
		if (unlink(f) != 0 && errno != ENOENT)
			e = cd_diag_set(d, CD_ERR_IO, f, 0, "cannot remove: %s", strerror(errno));
		else
			remove_created_dirs(env, before);
	}
	free(f);
	return e;
}

const struct cd_action_ops cd_act_posix_p11kit_module_register = {
	"p11kit_module_register", 1, 1, m_check, m_noop, m_capture, m_apply, m_undo,
};
