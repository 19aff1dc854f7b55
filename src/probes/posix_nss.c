/* PKCS#11 modules registered in NSS databases: Chromium and Chrome read
 * ~/.pki/nssdb, Firefox one database per profile. A USB key's middleware added
 * with modutil (or by a vendor installer) appears in pkcs11.txt there, and
 * only there: p11-kit does not know about it. */
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"

/* The helpers below (homes, multiarch) are the same as in posix_p11kit.c. */

/* The multiarch directory this build would use (Debian, UOS and Kylin keep
 * libraries in /usr/lib/<triplet>); other systems mounted with --root are
 * recognised by looking at their /usr/lib (see multiarch()). */
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

#define MAX_CONF_BYTES ((size_t)1 << 20)

/* A list of strings that owns its items. */
struct strv {
	char **v;
	size_t n, cap;
};

static int strv_has(const struct strv *s, const char *x)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return 1;
	return 0;
}

/* Takes ownership of x (frees it when it cannot be added). */
static cd_err strv_take(struct strv *s, char *x)
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

static void strv_release(struct strv *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int sys_is_dir(struct cd_probe_ctx *ctx, const char *sys_path)
{
	char *p = cd_probe_path(ctx, sys_path);
	int r = cd_is_dir(p);
	free(p);
	return r;
}

static int sys_exists(struct cd_probe_ctx *ctx, const char *sys_path)
{
	char *p = cd_probe_path(ctx, sys_path);
	int r = cd_path_exists(p);
	free(p);
	return r;
}

static void add_home(struct cd_probe_ctx *ctx, struct strv *homes, char *home)
{
	size_t n = home ? strlen(home) : 0;
	/* "/home/a/" and "/home/a" are one home. */
	while (n > 1 && home[n - 1] == '/')
		home[--n] = '\0';
	if (home && strcmp(home, "/") && !strv_has(homes, home) && sys_is_dir(ctx, home))
		strv_take(homes, home);
	else
		free(home);
}

/* Home directories of the analysed system's users, as paths on that system:
 * /root, /home/<name>, and every /etc/passwd home that exists. $HOME is not
 * used: cadoctor usually runs as root while the key belongs to a desktop user. */
static void user_homes(struct cd_probe_ctx *ctx, struct strv *homes)
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
	e = path ? cd_read_file(path, MAX_CONF_BYTES * 16, &passwd, NULL) : CD_ERR_NOMEM;
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

/* Multiarch triplet of the analysed system, or NULL when it has none. */
static char *multiarch(struct cd_probe_ctx *ctx)
{
	char **names = NULL, *path, *found = NULL;
	size_t n = 0, i;

	if (BUILD_MULTIARCH[0]) {
		char *sys = cd_aprintf("/usr/lib/%s", BUILD_MULTIARCH);
		int ok = sys && sys_is_dir(ctx, sys);
		free(sys);
		if (ok)
			return cd_strdup(BUILD_MULTIARCH);
	}
	/* Another architecture mounted with --root: take its triplet directory. */
	path = cd_probe_path(ctx, "/usr/lib");
	if (path && cd_list_dir(path, &names, &n) == CD_OK) {
		for (i = 0; i < n && !found; i++) {
			char *sys = cd_aprintf("/usr/lib/%s", names[i]);
			if (strstr(names[i], "-linux-") && sys && sys_is_dir(ctx, sys))
				found = cd_strdup(names[i]);
			free(sys);
		}
		cd_free_list(names, n);
	}
	free(path);
	return found;
}

/* Directories a relative library name is looked for in, most specific first:
 * NSS hands the name to dlopen, which searches the multiarch and plain
 * library directories; vendors also drop modules next to p11-kit's. */
static void library_dirs(struct cd_probe_ctx *ctx, struct strv *dirs)
{
	char *ma = multiarch(ctx);
	if (ma) {
		strv_take(dirs, cd_aprintf("/usr/lib/%s", ma));
		strv_take(dirs, cd_aprintf("/usr/lib/%s/pkcs11", ma));
		strv_take(dirs, cd_aprintf("/usr/lib/%s/nss", ma));
		strv_take(dirs, cd_aprintf("/lib/%s", ma));
		free(ma);
	}
	strv_take(dirs, cd_strdup("/usr/lib64"));
	strv_take(dirs, cd_strdup("/usr/lib64/pkcs11"));
	strv_take(dirs, cd_strdup("/usr/lib"));
	strv_take(dirs, cd_strdup("/usr/lib/pkcs11"));
	strv_take(dirs, cd_strdup("/lib"));
}

/* Absolute path of a registered library on the analysed system, NULL when a
 * relative name is in none of the library directories. */
static char *resolve_library(struct cd_probe_ctx *ctx, const char *lib, const struct strv *dirs)
{
	size_t i;
	if (lib[0] == '/')
		return cd_strdup(lib);
	for (i = 0; i < dirs->n; i++) {
		char *p = cd_aprintf("%s/%s", dirs->v[i], lib);
		if (p && sys_exists(ctx, p))
			return p;
		free(p);
	}
	return NULL;
}

/* Value with one pair of surrounding double quotes removed, in place. */
static char *unquote(char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

static void module_row(struct cd_probe_ctx *ctx, const char *sys_txt, const char *lib,
		       const char *name, const struct strv *dirs)
{
	struct cd_row r;
	char *resolved = resolve_library(ctx, lib, dirs);

	cd_row_init(&r, "pkcs11_modules");
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "path", lib);
	cd_row_text(&r, "resolved_path", resolved);
	cd_row_int(&r, "file_exists", resolved ? sys_exists(ctx, resolved) : 0);
	cd_row_text(&r, "source", "nss");
	cd_row_text(&r, "source_file", sys_txt);
	/* NSS has no per-module switch: a registered module is loaded. */
	cd_row_int(&r, "enabled", 1);
	cd_row_text(&r, "load_status", "not_loaded");
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, sys_txt, CD_ERR_SQL, "cannot store the module row");
	free(resolved);
}

/* One pkcs11.txt (path on the analysed system): blocks of key=value lines
 * separated by blank lines, one block per module. The internal NSS module
 * has an empty library= and is not a PKCS#11 library of its own. */
static void nss_db(struct cd_probe_ctx *ctx, struct strv *seen, const char *sys_txt,
		   const struct strv *dirs)
{
	char *path, *text = NULL, *line, *next, *lib = NULL, *name = NULL;
	cd_err e;

	if (strv_has(seen, sys_txt))
		return;
	strv_take(seen, cd_strdup(sys_txt));
	path = cd_probe_path(ctx, sys_txt);
	e = path ? cd_read_file(path, MAX_CONF_BYTES, &text, NULL) : CD_ERR_NOMEM;
	free(path);
	if (e) {
		/* A profile that was never opened has no database yet. */
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, sys_txt, e, "cannot read the NSS module database: %s",
				       cd_err_message(e));
		return;
	}
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = cd_trim(line);
		if (!*line) {
			if (lib && *lib)
				module_row(ctx, sys_txt, lib, name, dirs);
			lib = name = NULL;
		} else if (!strncmp(line, "library=", 8)) {
			lib = unquote(cd_trim(line + 8));
		} else if (!strncmp(line, "name=", 5)) {
			name = unquote(cd_trim(line + 5));
		}
	}
	if (lib && *lib)
		module_row(ctx, sys_txt, lib, name, dirs);
	free(text);
}

static void nss_db_in(struct cd_probe_ctx *ctx, struct strv *seen, const char *sys_dir,
		      const struct strv *dirs)
{
	char *txt = cd_aprintf("%s/pkcs11.txt", sys_dir);
	if (txt)
		nss_db(ctx, seen, txt, dirs);
	free(txt);
}

/* Profile directories named in profiles.ini: [ProfileN] sections with Path=
 * and IsRelative= (relative to the directory of profiles.ini). */
struct ini_profile {
	int active;
	int relative;
	const char *path;
};

static void profile_done(struct strv *profiles, const char *base, struct ini_profile *p)
{
	if (p->active && p->path && *p->path) {
		if (p->relative)
			strv_take(profiles, cd_aprintf("%s/%s", base, p->path));
		else if (p->path[0] == '/')
			strv_take(profiles, cd_strdup(p->path));
	}
	p->active = 0;
	p->relative = 1;
	p->path = NULL;
}

static void firefox_ini(struct cd_probe_ctx *ctx, struct strv *profiles, const char *base)
{
	struct ini_profile p = { 0, 1, NULL };
	char *sys_ini = cd_aprintf("%s/profiles.ini", base), *path, *text = NULL, *line, *next;
	cd_err e;

	if (!sys_ini)
		return;
	path = cd_probe_path(ctx, sys_ini);
	e = path ? cd_read_file(path, MAX_CONF_BYTES, &text, NULL) : CD_ERR_NOMEM;
	free(path);
	if (e) {
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, sys_ini, e, "cannot read the Firefox profile list: %s",
				       cd_err_message(e));
		goto out;
	}
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = cd_trim(line);
		if (line[0] == '[') {
			profile_done(profiles, base, &p);
			p.active = !strncmp(line, "[Profile", 8);
		} else if (p.active && !strncmp(line, "Path=", 5)) {
			p.path = cd_trim(line + 5);
		} else if (p.active && !strncmp(line, "IsRelative=", 11)) {
			p.relative = atoi(line + 11) != 0;
		}
	}
	profile_done(profiles, base, &p);
out:
	free(text);
	free(sys_ini);
}

/* A Firefox directory (~/.mozilla/firefox): the profiles profiles.ini lists,
 * then every other directory in it, since a profile copied in from another
 * machine or a damaged profiles.ini still leaves a database Firefox may use. */
static void firefox_dir(struct cd_probe_ctx *ctx, struct strv *seen, const char *base,
			const struct strv *dirs)
{
	struct strv profiles = { 0 };
	char **names = NULL, *path;
	size_t n = 0, i;

	if (!sys_is_dir(ctx, base))
		return;
	firefox_ini(ctx, &profiles, base);
	path = cd_probe_path(ctx, base);
	if (path && cd_list_dir(path, &names, &n) == CD_OK) {
		for (i = 0; i < n; i++) {
			char *dir = cd_aprintf("%s/%s", base, names[i]);
			if (dir && sys_is_dir(ctx, dir))
				strv_take(&profiles, dir);
			else
				free(dir);
		}
		cd_free_list(names, n);
	}
	free(path);
	for (i = 0; i < profiles.n; i++) {
		size_t len = strlen(profiles.v[i]);
		while (len > 1 && profiles.v[i][len - 1] == '/')
			profiles.v[i][--len] = '\0';
		nss_db_in(ctx, seen, profiles.v[i], dirs);
	}
	strv_release(&profiles);
}

static cd_err collect_nss(struct cd_probe_ctx *ctx)
{
	/* Under each home: Chromium's shared database (also the snap's), and the
	 * Firefox directories of the deb, snap and flatpak packages. */
	static const char *const nssdbs[] = { "/.pki/nssdb", "/snap/chromium/current/.pki/nssdb" };
	static const char *const firefoxes[] = { "/.mozilla/firefox", "/snap/firefox/common/.mozilla/firefox",
						 "/.var/app/org.mozilla.firefox/.mozilla/firefox" };
	struct strv homes = { 0 }, dirs = { 0 }, seen = { 0 };
	size_t h, i;

	library_dirs(ctx, &dirs);
	user_homes(ctx, &homes);
	for (h = 0; h < homes.n; h++) {
		for (i = 0; i < sizeof(nssdbs) / sizeof(nssdbs[0]); i++) {
			char *dir = cd_aprintf("%s%s", homes.v[h], nssdbs[i]);
			if (dir)
				nss_db_in(ctx, &seen, dir, &dirs);
			free(dir);
		}
		for (i = 0; i < sizeof(firefoxes) / sizeof(firefoxes[0]); i++) {
			char *dir = cd_aprintf("%s%s", homes.v[h], firefoxes[i]);
			if (dir)
				firefox_dir(ctx, &seen, dir, &dirs);
			free(dir);
		}
	}
	strv_release(&seen);
	strv_release(&homes);
	strv_release(&dirs);
	return CD_OK;
}

const struct cd_probe cd_probe_posix_nss = {
	"linux.nss",
	"pkcs11_modules",
	collect_nss,
};
