/* The action kinds a Linux repair can apply, the journal directory, and the
 * helpers the posix_* action files share. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "actions_os.h"
#include "posix_act.h"

extern const struct cd_action_ops cd_act_posix_service_start;
extern const struct cd_action_ops cd_act_posix_service_stop;
extern const struct cd_action_ops cd_act_posix_service_set_start;
extern const struct cd_action_ops cd_act_posix_file_quarantine;
extern const struct cd_action_ops cd_act_posix_p11kit_module_register;
extern const struct cd_action_ops cd_act_posix_nss_module_register;
extern const struct cd_action_ops cd_act_posix_clock_sync;
extern const struct cd_action_ops cd_act_posix_open_url;
extern const struct cd_action_ops cd_act_posix_browser_extension_policy;
extern const struct cd_action_ops cd_act_posix_native_host_register;

static const struct cd_action_ops *const actions[] = {
	&cd_act_posix_service_start,
	&cd_act_posix_service_stop,
	&cd_act_posix_service_set_start,
	&cd_act_posix_file_quarantine,
	&cd_act_posix_p11kit_module_register,
	&cd_act_posix_nss_module_register,
	&cd_act_posix_browser_extension_policy,
	&cd_act_posix_native_host_register,
	&cd_act_posix_clock_sync,
	&cd_act_posix_open_url,
	NULL,
};

const struct cd_action_ops *const *cd_os_actions(void)
{
	return actions;
}

#define SYSTEM_JOURNAL_DIR "/var/lib/cadoctor"

/* The directory must be a real directory owned by uid that nobody else can
 * write (for the system one: nobody else can even read). */
static cd_err check_dir(const char *dir, uid_t uid, mode_t forbidden, int fix, struct cd_diag *d)
{
	struct stat st;
	if (lstat(dir, &st) != 0)
		return cd_diag_set(d, errno == ENOENT ? CD_ERR_NOT_FOUND : CD_ERR_DENIED, dir, 0, "%s",
				   strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cd_diag_set(d, CD_ERR_DENIED, dir, 0, "not a directory (or a symbolic link)");
	if (st.st_uid != uid)
		return cd_diag_set(d, CD_ERR_DENIED, dir, 0, "owned by uid %ld, not %ld", (long)st.st_uid,
				   (long)uid);
	if (st.st_mode & forbidden) {
		if (!fix || chmod(dir, 0700) != 0)
			return cd_diag_set(d, CD_ERR_DENIED, dir, 0,
					   "others may write to it (mode %03o)", (unsigned)(st.st_mode & 0777));
	}
	return CD_OK;
}

cd_err cd_actions_journal_dir(int create, char **out, struct cd_diag *d)
{
	const char *test = cd_getenv(CD_TEST_JOURNAL_ENV);
	cd_err e;
	if (test && *test) {
		/* Test only: the caller's own directory, closed to others. */
		if (test[0] != '/')
			return cd_diag_set(d, CD_ERR_DENIED, test, 0, "%s must be an absolute path",
					   CD_TEST_JOURNAL_ENV);
		e = check_dir(test, geteuid(), 022, 0, d);
		if (e)
			return e;
		*out = cd_strdup(test);
		return *out ? CD_OK : CD_ERR_NOMEM;
	}
	if (create && mkdir(SYSTEM_JOURNAL_DIR, 0700) != 0 && errno != EEXIST)
		return cd_diag_set(d, errno == EACCES || errno == EPERM ? CD_ERR_DENIED : CD_ERR_IO,
				   SYSTEM_JOURNAL_DIR, 0, "cannot create: %s", strerror(errno));
	/* Tightened only when a repair is about to write: a dry run changes nothing. */
	e = check_dir(SYSTEM_JOURNAL_DIR, 0, 077, create && geteuid() == 0, d);
	if (e)
		return e;
	*out = cd_strdup(SYSTEM_JOURNAL_DIR);
	return *out ? CD_OK : CD_ERR_NOMEM;
}

int cd_actions_is_admin(void)
{
	return geteuid() == 0;
}

void cd_actions_identity(char *host, size_t hostlen, char *user, size_t userlen)
{
	struct passwd *pw = getpwuid(geteuid());
	if (gethostname(host, hostlen) != 0 || !hostlen)
		snprintf(host, hostlen, "?");
	host[hostlen - 1] = '\0';
	snprintf(user, userlen, "%s", pw && pw->pw_name ? pw->pw_name : "?");
}

/* ---- helpers ---- */

int cd_act_live(const struct cd_action_env *env)
{
	const char *r = env ? env->root : NULL;
	if (!r)
		return 1;
	while (*r == '/')
		r++;
	return *r == '\0';
}

char *cd_act_path(const struct cd_action_env *env, const char *abs_path)
{
	if (cd_act_live(env))
		return cd_strdup(abs_path);
	return cd_aprintf("%s%s", env->root, abs_path);
}

int cd_act_plain_abs(const char *p)
{
	const char *c;
	if (!p || p[0] != '/' || strlen(p) > 4000)
		return 0;
	for (c = p; *c; c++)
		if ((unsigned char)*c < 0x20)
			return 0;
	for (c = p; (c = strchr(c, '/')) != NULL; c++) {
		if (c[1] == '/' || (c[1] == '.' && (c[2] == '/' || !c[2])) ||
		    (c[1] == '.' && c[2] == '.' && (c[3] == '/' || !c[3])))
			return 0;
	}
	return p[1] != '\0';
}

cd_err cd_act_write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	char *tmp = cd_aprintf("%s.cadoctor-tmp", path), *slash;
	int fd;
	size_t off = 0;
	if (!tmp)
		return CD_ERR_NOMEM;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		free(tmp);
		return errno == EACCES || errno == EPERM ? CD_ERR_DENIED : CD_ERR_IO;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)w;
	}
	if (off < len || fchmod(fd, mode) != 0 || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		if (off < len)
			close(fd);
		unlink(tmp);
		free(tmp);
		return CD_ERR_IO;
	}
	/* The rename itself reaches the disk with the directory. */
	slash = strrchr(tmp, '/');
	if (slash) {
		*slash = '\0';
		fd = open(*tmp ? tmp : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(tmp);
	return CD_OK;
}

cd_err cd_act_sha256_file(const char *path, char out[65])
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;
	cd_err e = CD_OK;
	if (fd < 0)
		return errno == ENOENT ? CD_ERR_NOT_FOUND : CD_ERR_IO;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		close(fd);
		return CD_ERR_NOMEM;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = CD_ERR_IO;
			break;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	}
	if (!e && !EVP_DigestFinal_ex(ctx, md, &mdlen))
		e = CD_ERR_INTERNAL;
	EVP_MD_CTX_free(ctx);
	close(fd);
	if (e)
		return e;
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
	out[64] = '\0';
	return CD_OK;
}

cd_err cd_act_mkdirs(const char *dir, char **created)
{
	char *p = cd_strdup(dir), *s;
	*created = NULL;
	if (!p)
		return CD_ERR_NOMEM;
	for (s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) == 0) {
				if (!*created)
					*created = cd_strdup(p);
			} else if (errno != EEXIST) {
				free(p);
				return errno == EACCES ? CD_ERR_DENIED : CD_ERR_IO;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return cd_is_dir(dir) ? CD_OK : CD_ERR_IO;
}

cd_err cd_act_run(const char *const *argv, int timeout_ms, int *status, struct cd_diag *d)
{
	char *out = NULL;
	size_t len = 0;
	int code = -1;
	cd_err e = cd_spawn_capture(argv, timeout_ms, 1 << 16, &out, &len, &code);
	if (e == CD_OK) {
		*status = code;
		if (code != 0)
			cd_diag_set(d, CD_ERR_IO, argv[0], 0, "exit status %d: %.400s", code,
				    out ? cd_trim(out) : "");
	} else {
		cd_diag_set(d, e, argv[0], 0, "%s", cd_err_message(e));
	}
	free(out);
	return e;
}

int cd_act_systemd(void)
{
	return cd_is_dir("/run/systemd/system");
}
