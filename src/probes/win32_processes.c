/* Running processes the catalog names (cat_processes: security software the
 * platforms ask users to pause, vendor daemons the keys need). Only those are
 * recorded: the full process list says little and may say too much about
 * the user. Toolhelp works for every process without rights; the full path
 * and the owner need a handle, which protected processes (antivirus) refuse:
 * then they stay NULL. */
#include <windows.h>
#include <tlhelp32.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"

typedef BOOL(WINAPI *query_image_fn)(HANDLE, DWORD, LPWSTR, PDWORD);

/* DOMAIN\user owning the process, or NULL. Only asked for the few processes
 * that match, so the account lookup stays cheap. */
static char *process_user(HANDLE proc)
{
	HANDLE tok;
	union {
		TOKEN_USER tu;
		BYTE buf[512];
	} u;
	wchar_t name[256], dom[256];
	DWORD n = 0, nn = 256, dn = 256;
	SID_NAME_USE use;
	char *un, *du, *r = NULL;
	if (!OpenProcessToken(proc, TOKEN_QUERY, &tok))
		return NULL;
	if (!GetTokenInformation(tok, TokenUser, &u, sizeof(u), &n) ||
	    !LookupAccountSidW(NULL, u.tu.User.Sid, name, &nn, dom, &dn, &use)) {
		CloseHandle(tok);
		return NULL;
	}
	CloseHandle(tok);
	un = cd_utf8_from_w(name);
	du = cd_utf8_from_w(dom);
	if (un)
		r = du && *du ? cd_aprintf("%s\\%s", du, un) : cd_strdup(un);
	free(un);
	free(du);
	return r;
}

static void record(struct cd_probe_ctx *ctx, const PROCESSENTRY32W *pe, const char *name,
		   query_image_fn query_image)
{
	struct cd_row r;
	char *path = NULL, *user = NULL;
	/* PROCESS_QUERY_LIMITED_INFORMATION (Vista+) is granted for far more
	 * processes than PROCESS_QUERY_INFORMATION, and is all both calls need. */
	HANDLE proc = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pe->th32ProcessID);
	if (proc) {
		wchar_t w[32768];
		DWORD len = sizeof(w) / sizeof(w[0]);
		if (query_image && query_image(proc, 0, w, &len))
			path = cd_utf8_from_w_n(w, (int)len);
		else if (query_image)
			cd_probe_error(ctx, name, CD_ERR_IO,
				       "QueryFullProcessImageName failed for pid %lu (error %lu)",
				       (unsigned long)pe->th32ProcessID, (unsigned long)GetLastError());
		user = process_user(proc);
		CloseHandle(proc);
	} else {
		DWORD le = GetLastError();
		/* The process may have ended since the snapshot: not a failure. */
		if (le != ERROR_INVALID_PARAMETER)
			cd_probe_error(ctx, name, le == ERROR_ACCESS_DENIED ? CD_ERR_DENIED : CD_ERR_IO,
				       "cannot open pid %lu for its path (error %lu)",
				       (unsigned long)pe->th32ProcessID, (unsigned long)le);
	}
	cd_row_init(&r, "processes");
	cd_row_int(&r, "pid", (int64_t)pe->th32ProcessID);
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "path", path);
	cd_row_text(&r, "user", user);
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, name, CD_ERR_SQL, "cannot store the processes row");
	free(path);
	free(user);
}

static cd_err collect_processes(struct cd_probe_ctx *ctx)
{
	HANDLE snap;
	PROCESSENTRY32W pe;
	sqlite3_stmt *st = NULL;
	query_image_fn query_image;

	/* This machine's processes say nothing about a mounted system. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	/* ASCII lower() is enough: executable names in the catalog are ASCII. */
	if (sqlite3_prepare_v2(cd_facts_db(ctx->facts),
			       "SELECT 1 FROM rules.cat_processes WHERE lower(image) = lower(?1)", -1,
			       &st, NULL) != SQLITE_OK) {
		cd_probe_error(ctx, "rules.cat_processes", CD_ERR_SQL, "no process catalog: %s",
			       sqlite3_errmsg(cd_facts_db(ctx->facts)));
		sqlite3_finalize(st);
		return CD_OK;
	}
	query_image = (query_image_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
								       "QueryFullProcessImageNameW");
	snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	if (snap == INVALID_HANDLE_VALUE) {
		DWORD le = GetLastError();
		sqlite3_finalize(st);
		cd_probe_error(ctx, "CreateToolhelp32Snapshot", CD_ERR_IO,
			       "cannot list processes (error %lu)", (unsigned long)le);
		return CD_OK;
	}
	memset(&pe, 0, sizeof(pe));
	pe.dwSize = sizeof(pe);
	if (Process32FirstW(snap, &pe)) {
		do {
			char *name = cd_utf8_from_w(pe.szExeFile);
			int hit;
			if (!name)
				continue;
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
			hit = sqlite3_step(st) == SQLITE_ROW;
			if (hit)
				record(ctx, &pe, name, query_image);
			free(name);
			pe.dwSize = sizeof(pe);
		} while (Process32NextW(snap, &pe));
	} else if (GetLastError() != ERROR_NO_MORE_FILES) {
		cd_probe_error(ctx, "Process32First", CD_ERR_IO, "cannot read the process list (error %lu)",
			       (unsigned long)GetLastError());
	}
	CloseHandle(snap);
	sqlite3_finalize(st);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_processes = {
	"windows.processes",
	"processes",
	collect_processes,
};
