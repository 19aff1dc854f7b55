/* PKCS#11 modules registered in NSS databases: Chromium and Chrome read
 * ~/.pki/nssdb, Firefox one database per profile. A USB key's middleware added
 * with modutil (or by a vendor installer) appears in pkcs11.txt there, and
 * only there: p11-kit does not know about it. */
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "nss_db.h"
#include "posix_common.h"

#define MAX_CONF_BYTES ((size_t)1 << 20)

/* Directories a relative library name is looked for in, most specific first:
 * NSS hands the name to dlopen, which searches the multiarch and plain
 * library directories; vendors also drop modules next to p11-kit's. */
static void library_dirs(struct cd_probe_ctx *ctx, struct cd_strv *dirs)
{
	char *ma = cd_posix_multiarch(ctx);
	if (ma) {
		cd_strv_take(dirs, cd_aprintf("/usr/lib/%s", ma));
		cd_strv_take(dirs, cd_aprintf("/usr/lib/%s/pkcs11", ma));
		cd_strv_take(dirs, cd_aprintf("/usr/lib/%s/nss", ma));
		cd_strv_take(dirs, cd_aprintf("/lib/%s", ma));
		free(ma);
	}
	cd_strv_take(dirs, cd_strdup("/usr/lib64"));
	cd_strv_take(dirs, cd_strdup("/usr/lib64/pkcs11"));
	cd_strv_take(dirs, cd_strdup("/usr/lib"));
	cd_strv_take(dirs, cd_strdup("/usr/lib/pkcs11"));
	cd_strv_take(dirs, cd_strdup("/lib"));
}

/* Absolute path of a registered library on the analysed system, NULL when a
 * relative name is in none of the library directories. */
static char *resolve_library(struct cd_probe_ctx *ctx, const char *lib, const struct cd_strv *dirs)
{
	size_t i;
	if (lib[0] == '/')
		return cd_strdup(lib);
	for (i = 0; i < dirs->n; i++) {
		char *p = cd_aprintf("%s/%s", dirs->v[i], lib);
		if (p && cd_sys_exists(ctx, p))
			return p;
		free(p);
	}
	return NULL;
}

static void module_row(struct cd_probe_ctx *ctx, const char *sys_txt, const char *lib,
		       const char *name, const struct cd_strv *dirs)
{
	struct cd_row r;
	char *resolved = resolve_library(ctx, lib, dirs);

	cd_row_init(&r, "pkcs11_modules");
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "path", lib);
	cd_row_text(&r, "resolved_path", resolved);
	cd_row_int(&r, "file_exists", resolved ? cd_sys_exists(ctx, resolved) : 0);
	cd_row_text(&r, "source", "nss");
	cd_row_text(&r, "source_file", sys_txt);
	/* NSS has no per-module switch: a registered module is loaded. */
	cd_row_int(&r, "enabled", 1);
	cd_row_text(&r, "load_status", "not_loaded");
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, sys_txt, CD_ERR_SQL, "cannot store the module row");
	free(resolved);
}

struct db_ud {
	struct cd_probe_ctx *ctx;
	const char *sys_txt;
	const struct cd_strv *dirs;
};

static void on_module(void *ud, const char *lib, const char *name)
{
	const struct db_ud *u = ud;
	module_row(u->ctx, u->sys_txt, lib, name, u->dirs);
}

/* One pkcs11.txt (path on the analysed system), parsed by nss_db.c. */
static void nss_db(struct cd_probe_ctx *ctx, struct cd_strv *seen, const char *sys_txt,
		   const struct cd_strv *dirs)
{
	char *path, *text = NULL;
	cd_err e;

	if (cd_strv_has(seen, sys_txt))
		return;
	cd_strv_take(seen, cd_strdup(sys_txt));
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
	{
		struct db_ud u = {ctx, sys_txt, dirs};
		cd_nss_db_parse(text, on_module, &u);
	}
	free(text);
}

static void nss_db_in(struct cd_probe_ctx *ctx, struct cd_strv *seen, const char *sys_dir,
		      const struct cd_strv *dirs)
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

static void profile_done(struct cd_strv *profiles, const char *base, struct ini_profile *p)
{
	if (p->active && p->path && *p->path) {
		if (p->relative)
			cd_strv_take(profiles, cd_aprintf("%s/%s", base, p->path));
		else if (p->path[0] == '/')
			cd_strv_take(profiles, cd_strdup(p->path));
	}
	p->active = 0;
	p->relative = 1;
	p->path = NULL;
}

static void firefox_ini(struct cd_probe_ctx *ctx, struct cd_strv *profiles, const char *base)
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
static void firefox_dir(struct cd_probe_ctx *ctx, struct cd_strv *seen, const char *base,
			const struct cd_strv *dirs)
{
	struct cd_strv profiles = { 0 };
	char **names = NULL, *path;
	size_t n = 0, i;

	if (!cd_sys_is_dir(ctx, base))
		return;
	firefox_ini(ctx, &profiles, base);
	path = cd_probe_path(ctx, base);
	if (path && cd_list_dir(path, &names, &n) == CD_OK) {
		for (i = 0; i < n; i++) {
			char *dir = cd_aprintf("%s/%s", base, names[i]);
			if (dir && cd_sys_is_dir(ctx, dir))
				cd_strv_take(&profiles, dir);
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
	cd_strv_release(&profiles);
}

static cd_err collect_nss(struct cd_probe_ctx *ctx)
{
	/* Under each home: Chromium's shared database (also the snap's), and the
	 * Firefox directories of the deb, snap and flatpak packages. */
	static const char *const nssdbs[] = { "/.pki/nssdb", "/snap/chromium/current/.pki/nssdb" };
	/* ~/.config/mozilla/firefox is where Firefox 147 and later create new
	 * profiles (the XDG location); the older folders stay in use. */
	static const char *const firefoxes[] = { "/.mozilla/firefox", "/.config/mozilla/firefox",
						 "/snap/firefox/common/.mozilla/firefox",
						 "/.var/app/org.mozilla.firefox/.mozilla/firefox" };
	struct cd_strv homes = { 0 }, dirs = { 0 }, seen = { 0 };
	size_t h, i;

	library_dirs(ctx, &dirs);
	cd_posix_user_homes(ctx, &homes);
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
	cd_strv_release(&seen);
	cd_strv_release(&homes);
	cd_strv_release(&dirs);
	return CD_OK;
}

const struct cd_probe cd_probe_posix_nss = {
	"linux.nss",
	"pkcs11_modules",
	collect_nss,
};
