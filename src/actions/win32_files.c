/* file_quarantine and open_url on Windows. A quarantined file is moved into
 * the journal's quarantine folder (Administrators and SYSTEM only, inherited
 * from the journal directory) under a name made of the run, the step and its
 * sha256; undo moves it back if nothing took its place. open_url opens an
 * http(s) address with the default browser and is not journaled. */
#include <windows.h>
#include <cjson/cJSON.h>
#include <shellapi.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_act.h"

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static DWORD attrs(const char *path)
{
	wchar_t *w = cd_w_from_utf8(path);
	DWORD a = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
	free(w);
	return a;
}

static cd_err move(const char *from, const char *to, struct cd_diag *d)
{
	wchar_t *a = cd_w_from_utf8(from), *b = cd_w_from_utf8(to);
	BOOL ok = a && b && MoveFileExW(a, b, MOVEFILE_COPY_ALLOWED | MOVEFILE_WRITE_THROUGH);
	DWORD le = ok ? 0 : GetLastError();
	free(a);
	free(b);
	if (!ok)
		return cd_diag_set(d, cd_wa_err(le), from, 0, "cannot move to %s (error %lu)", to, (unsigned long)le);
	return CD_OK;
}

static cd_err q_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *p = cd_action_arg(a, "path");
	(void)env;
	if (!cd_win_path_is_plain_absolute(p))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a plain absolute path: %s", p ? p : "");
	return CD_OK;
}

static int q_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	(void)env;
	return attrs(cd_action_arg(a, "path")) == INVALID_FILE_ATTRIBUTES;
}

static cd_err q_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			struct cd_diag *d)
{
	const char *path = cd_action_arg(a, "path");
	char hash[65], *qdir, *qpath;
	DWORD at;
	wchar_t *w;
	cd_err e = q_check(a, env, d);
	if (e)
		return e;
	at = attrs(path);
	if (at == INVALID_FILE_ATTRIBUTES)
		return cd_diag_set(d, CD_ERR_NOT_FOUND, path, 0, "does not exist");
	if (at & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT))
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, path, 0, "not a plain file: only files are quarantined");
	if ((e = cd_wa_sha256_file(path, hash)))
		return cd_diag_set(d, e, path, 0, "cannot hash: %s", cd_err_message(e));
	qdir = cd_aprintf("%s\\quarantine", env->journal_dir);
	w = qdir ? cd_w_from_utf8(qdir) : NULL;
	if (!w || (!CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)) {
		free(w);
		free(qdir);
		return cd_diag_set(d, CD_ERR_IO, env->journal_dir, 0, "cannot create the quarantine folder");
	}
	free(w);
	qpath = cd_aprintf("%s\\%lld-%d-%.16s-%s", qdir, (long long)env->run_id, env->seq, hash, strrchr(path, '\\') + 1);
	free(qdir);
	*before = cJSON_CreateObject();
	if (!qpath || !*before || !cJSON_AddStringToObject(*before, "path", path) ||
	    !cJSON_AddStringToObject(*before, "sha256", hash) ||
	    !cJSON_AddNumberToObject(*before, "attributes", (double)at) ||
	    !cJSON_AddStringToObject(*before, "quarantine", qpath))
		e = CD_ERR_NOMEM;
	free(qpath);
	return e;
}

static cd_err q_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	const char *q = jstr(before, "quarantine"), *hash = jstr(before, "sha256"), *path = cd_action_arg(a, "path");
	char now[65];
	cd_err e;
	(void)env;
	if (!q || !hash)
		return cd_diag_set(d, CD_ERR_INTERNAL, NULL, 0, "incomplete capture");
	if ((e = cd_wa_sha256_file(path, now)) || strcmp(now, hash))
		return cd_diag_set(d, e ? e : CD_ERR_INVALID, path, 0, "changed since it was recorded");
	return move(path, q, d);
}

static cd_err q_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		     struct cd_diag *d)
{
	const char *q = jstr(before, "quarantine"), *hash = jstr(before, "sha256"), *path = cd_action_arg(a, "path");
	int orig = attrs(path) != INVALID_FILE_ATTRIBUTES, inq;
	char now[65];
	cd_err e;
	(void)env;
	if (!q || !hash)
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	inq = attrs(q) != INVALID_FILE_ATTRIBUTES;
	if (!inq)
		return orig ? CD_OK : cd_diag_set(d, CD_ERR_NOT_FOUND, q, 0, "the quarantined copy is gone");
	if (orig)
		return cd_diag_set(d, CD_ERR_INVALID, path, 0, "a file is at the original place again; the quarantined one stays at %s", q);
	/* Other bytes under the file's name would be worse than no file: a copy
	 * that cannot be read or no longer has the recorded hash stays where it
	 * is, and the message says where. */
	if ((e = cd_wa_sha256_file(q, now)))
		return cd_diag_set(d, e, q, 0, "cannot read the quarantined copy (%s): not put back; it stays at %s",
				   cd_err_message(e), q);
	if (strcmp(now, hash))
		return cd_diag_set(d, CD_ERR_INVALID, q, 0,
				   "the quarantined copy was changed after quarantine (its SHA-256 is not the one "
				   "recorded): not put back; it stays at %s",
				   q);
	return move(q, path, d);
}

const struct cd_action_ops cd_act_win32_file_quarantine = {
	"file_quarantine", 1, 1, q_check, q_noop, q_capture, q_apply, q_undo,
};

static cd_err url_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *u = cd_action_arg(a, "url");
	size_t i;
	(void)env;
	if (!u || (strncmp(u, "https://", 8) && strncmp(u, "http://", 7)))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "only http and https addresses are opened");
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == '"')
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "address with blanks or quotes");
	return CD_OK;
}

static cd_err url_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			struct cd_diag *d)
{
	wchar_t *w;
	HINSTANCE r;
	cd_err e = url_check(a, env, d);
	(void)b;
	if (e)
		return e;
	w = cd_w_from_utf8(cd_action_arg(a, "url"));
	if (!w)
		return CD_ERR_NOMEM;
	r = ShellExecuteW(NULL, L"open", w, NULL, NULL, SW_SHOWNORMAL);
	free(w);
	if ((INT_PTR)r <= 32)
		return cd_diag_set(d, CD_ERR_IO, NULL, 0, "no browser opened it (code %d)", (int)(INT_PTR)r);
	return CD_OK;
}

const struct cd_action_ops cd_act_win32_open_url = {
	"open_url", 0, 0, url_check, NULL, NULL, url_apply, NULL,
};
