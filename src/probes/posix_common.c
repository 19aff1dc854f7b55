/* Helpers shared by the Linux probes; see posix_common.h. Not a probe itself:
 * it defines no struct cd_probe. */
#include "posix_common.h"

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"

/* The multiarch directory this build would use (Debian, UOS and Kylin keep
 * libraries in /usr/lib/<triplet>); other systems mounted with --root are
 * recognised by looking at their /usr/lib (see cd_posix_multiarch()). */
#if defined(__x86_64__)
#define BUILD_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define BUILD_MULTIARCH "aarch64-linux-gnu"
#elif defined(__loongarch64)
#define BUILD_MULTIARCH "loongarch64-linux-gnu"
#elif defined(__mips64) && defined(__MIPSEL__)
#define BUILD_MULTIARCH "mips64el-linux-gnuabi64"
#elif defined(__i386__)
#define BUILD_MULTIARCH "i386-linux-gnu"
#elif defined(__arm__)
#define BUILD_MULTIARCH "arm-linux-gnueabihf"
#elif defined(__riscv) && defined(__LP64__)
#define BUILD_MULTIARCH "riscv64-linux-gnu"
#else
#define BUILD_MULTIARCH ""
#endif

/* Largest /etc/passwd read (a directory service can make it big). */
#define MAX_PASSWD_BYTES ((size_t)16 << 20)

int cd_strv_has(const struct cd_strv *s, const char *x)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return 1;
	return 0;
}

cd_err cd_strv_take(struct cd_strv *s, char *x)
{
	if (!x)
		return CD_ERR_NOMEM;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			free(x);
			return CD_ERR_NOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return CD_OK;
}

void cd_strv_release(struct cd_strv *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int cd_sys_is_dir(const struct cd_probe_ctx *ctx, const char *sys_path)
{
	char *p = cd_probe_path(ctx, sys_path);
	int r = cd_is_dir(p); /* NULL (out of memory) is "no" */
	free(p);
	return r;
}

int cd_sys_exists(const struct cd_probe_ctx *ctx, const char *sys_path)
{
	char *p = cd_probe_path(ctx, sys_path);
	int r = cd_path_exists(p); /* NULL (out of memory) is "no" */
	free(p);
	return r;
}

/* Adds one home (a system path, owned: stored or freed) when it is a
 * directory and not yet listed. */
static void add_home(const struct cd_probe_ctx *ctx, struct cd_strv *homes, char *home)
{
	size_t n = home ? strlen(home) : 0;
	/* "/home/a/" and "/home/a" are one home. */
	while (n > 1 && home[n - 1] == '/')
		home[--n] = '\0';
	if (home && strcmp(home, "/") && !cd_strv_has(homes, home) && cd_sys_is_dir(ctx, home))
		cd_strv_take(homes, home);
	else
		free(home);
}

void cd_posix_user_homes(struct cd_probe_ctx *ctx, struct cd_strv *homes)
{
	char **names = NULL, *path, *passwd = NULL, *line, *next;
	size_t n = 0, i;
	cd_err e;

	add_home(ctx, homes, cd_strdup("/root"));
	path = cd_probe_path(ctx, "/home");
	if (path && cd_list_dir(path, &names, &n) == CD_OK) {
		for (i = 0; i < n; i++)
			add_home(ctx, homes, cd_aprintf("/home/%s", names[i]));
		cd_free_list(names, n);
	}
	free(path);
	path = cd_probe_path(ctx, "/etc/passwd");
	e = path ? cd_read_file(path, MAX_PASSWD_BYTES, &passwd, NULL) : CD_ERR_NOMEM;
	free(path);
	/* A sysroot without a passwd file is odd but leaves /home to go on with. */
	if (e && e != CD_ERR_NOT_FOUND)
		cd_probe_error(ctx, "/etc/passwd", e, "cannot read the user list: %s",
			       cd_err_message(e));
	for (line = passwd; line && *line; line = next) {
		char *f = line;
		int field;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* name:password:uid:gid:gecos:home:shell */
		for (field = 0; field < 5 && f; field++) {
			f = strchr(f, ':');
			if (f)
				f++;
		}
		if (f && *f == '/') {
			char *end = strchr(f, ':');
			add_home(ctx, homes, cd_strndup(f, end ? (size_t)(end - f) : strlen(f)));
		}
	}
	free(passwd);
}

char *cd_posix_multiarch(const struct cd_probe_ctx *ctx)
{
	char **names = NULL, *path, *found = NULL;
	size_t n = 0, i;

	if (BUILD_MULTIARCH[0]) {
		char *sys = cd_aprintf("/usr/lib/%s", BUILD_MULTIARCH);
		int ok = sys && cd_sys_is_dir(ctx, sys);
		free(sys);
		if (ok)
			return cd_strdup(BUILD_MULTIARCH);
	}
	/* Another architecture mounted with --root: take its triplet directory. */
	path = cd_probe_path(ctx, "/usr/lib");
	if (path && cd_list_dir(path, &names, &n) == CD_OK) {
		for (i = 0; i < n && !found; i++) {
			char *sys = cd_aprintf("/usr/lib/%s", names[i]);
			if (strstr(names[i], "-linux-") && sys && cd_sys_is_dir(ctx, sys))
				found = cd_strdup(names[i]);
			free(sys);
		}
		cd_free_list(names, n);
	}
	free(path);
	return found;
}
