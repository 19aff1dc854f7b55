/* Security devices (PKCS#11 modules) of Firefox profiles on Windows: each
 * profile's pkcs11.txt, the NSS module database Firefox loads them from
 * (Settings > Security Devices writes it). One pkcs11_modules row per module,
 * source "nss", source_file the pkcs11.txt, as linux.nss records them, so
 * browser.pkcs11_not_loaded compares databases on both OSes.
 *
 * The profiles are the ones windows.browser_profiles recorded (their
 * nss_dir), read back from the facts: that probe already knows every user's
 * profiles, so this one runs after it. */
#include <windows.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/facts.h"
#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "nss_db.h"
#include "win32_reg.h"

#define MAX_DB_BYTES ((size_t)1 << 20) /* pkcs11.txt is a few hundred bytes */

static int is_absolute(const char *p)
{
	return (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':') || p[0] == '\\' ||
	       p[0] == '/';
}

static void module_row(struct cd_probe_ctx *ctx, const char *txt, const char *lib, const char *name)
{
	struct cd_row r;
	/* NSS hands a bare name to LoadLibrary, whose search path depends on
	 * the process: only absolute paths are checked. */
	int abs = is_absolute(lib);

	cd_row_init(&r, "pkcs11_modules");
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "path", lib);
	cd_row_text(&r, "resolved_path", abs ? lib : NULL);
	if (abs)
		cd_row_int(&r, "file_exists", cd_win_file_exists(lib));
	cd_row_text(&r, "source", "nss");
	cd_row_text(&r, "source_file", txt);
	/* NSS has no per-module switch: a registered module is loaded. */
	cd_row_int(&r, "enabled", 1);
	cd_row_text(&r, "load_status", "not_loaded");
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, txt, CD_ERR_SQL, "cannot store the module row");
}

struct db_ud {
	struct cd_probe_ctx *ctx;
	const char *txt;
};

static void on_module(void *ud, const char *lib, const char *name)
{
	const struct db_ud *u = ud;
	module_row(u->ctx, u->txt, lib, name);
}

/* One profile's pkcs11.txt, parsed by nss_db.c. */
static void nss_db(struct cd_probe_ctx *ctx, const char *dir)
{
	char *txt = cd_aprintf("%s\\pkcs11.txt", dir), *text = NULL;
	cd_err e;

	if (!txt)
		return;
	e = cd_read_file(txt, MAX_DB_BYTES, &text, NULL);
	if (e) {
		/* A profile that was never opened has no database yet. */
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, txt, e, "cannot read the NSS module database: %s",
				       e == CD_ERR_LIMIT ? "the file is too large" : cd_err_message(e));
		free(txt);
		return;
	}
	{
		struct db_ud u = {ctx, txt};
		cd_nss_db_parse(text, on_module, &u);
	}
	free(text);
	free(txt);
}

static cd_err collect_nss(struct cd_probe_ctx *ctx)
{
	sqlite3 *db = cd_facts_db(ctx->facts);
	sqlite3_stmt *st = NULL;
	char **dirs = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT nss_dir FROM browser_profiles WHERE nss_dir IS NOT NULL ORDER BY 1",
			       -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	/* Collected first: rows are inserted while no statement is open. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		if (!d)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 8;
			char **nv = realloc(dirs, nc * sizeof(*nv));
			if (!nv)
				break;
			dirs = nv;
			cap = nc;
		}
		dirs[n] = cd_strdup(d);
		if (dirs[n])
			n++;
	}
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		nss_db(ctx, dirs[i]);
		free(dirs[i]);
	}
	free(dirs);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_browser_nss = {
	"windows.browser_nss",
	"pkcs11_modules",
	collect_nss,
};
