/* Windows services the catalog names (cat_services, os 'windows'): asked of
 * the Service Control Manager, which knows the real state; the registry
 * only holds the configuration. Every catalog service gets a row, also when
 * it is not installed (rules tell "missing" from "stopped") and when it
 * cannot be queried (state "unknown", the reason in probe_errors). */
#include <windows.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"

static const char *state_name(DWORD s)
{
	switch (s) {
	case SERVICE_STOPPED:
		return "stopped";
	case SERVICE_START_PENDING:
		return "start_pending";
	case SERVICE_STOP_PENDING:
		return "stop_pending";
	case SERVICE_RUNNING:
		return "running";
	case SERVICE_CONTINUE_PENDING:
		return "continue_pending";
	case SERVICE_PAUSE_PENDING:
		return "pause_pending";
	case SERVICE_PAUSED:
		return "paused";
	default:
		return "unknown";
	}
}

static const char *start_name(DWORD t)
{
	switch (t) {
	case SERVICE_BOOT_START:
		return "boot";
	case SERVICE_SYSTEM_START:
		return "system";
	case SERVICE_AUTO_START:
		return "auto";
	case SERVICE_DEMAND_START:
		return "manual";
	case SERVICE_DISABLED:
		return "disabled";
	default:
		return NULL;
	}
}

static cd_err from_win32(DWORD le)
{
	switch (le) {
	case ERROR_ACCESS_DENIED:
		return CD_ERR_DENIED;
	case ERROR_SERVICE_DOES_NOT_EXIST:
		return CD_ERR_NOT_FOUND;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return CD_ERR_NOMEM;
	default:
		return CD_ERR_IO;
	}
}

/* Configuration: start type, display name, binary. Returns 1 when read. */
static int query_config(struct cd_probe_ctx *ctx, SC_HANDLE svc, const char *name, char **start,
			char **display, char **binary, struct cd_buf *detail)
{
	QUERY_SERVICE_CONFIGW *cfg = NULL;
	DWORD need = 0;
	int tries;
	*start = *display = *binary = NULL;
	/* The size can change between the calls when someone reconfigures
	 * the service meanwhile: ask again a few times. */
	for (tries = 0; tries < 3; tries++) {
		DWORD le;
		if (QueryServiceConfigW(svc, cfg, need, &need))
			break;
		le = GetLastError();
		free(cfg);
		cfg = NULL;
		if (le != ERROR_INSUFFICIENT_BUFFER || need == 0 || need > (1u << 20)) {
			cd_probe_error(ctx, name, from_win32(le), "QueryServiceConfig failed (error %lu)",
				       (unsigned long)le);
			cd_buf_adds(detail, "; configuration not readable");
			return 0;
		}
		cfg = malloc(need);
		if (!cfg) {
			cd_probe_error(ctx, name, CD_ERR_NOMEM, "no memory for the service configuration");
			return 0;
		}
	}
	if (!cfg || tries == 3) {
		free(cfg);
		cd_probe_error(ctx, name, CD_ERR_IO, "QueryServiceConfig kept changing size");
		return 0;
	}
	if (start_name(cfg->dwStartType))
		*start = cd_strdup(start_name(cfg->dwStartType));
	else
		*start = cd_aprintf("type_%lu", (unsigned long)cfg->dwStartType);
	if (cfg->lpDisplayName)
		*display = cd_utf8_from_w(cfg->lpDisplayName);
	if (cfg->lpBinaryPathName && cfg->lpBinaryPathName[0])
		*binary = cd_utf8_from_w(cfg->lpBinaryPathName);
	if (cfg->dwStartType == SERVICE_AUTO_START) {
		/* Delayed start (Vista+) looks like "auto" everywhere else. */
		SERVICE_DELAYED_AUTO_START_INFO da;
		DWORD n = 0;
		memset(&da, 0, sizeof(da));
		if (QueryServiceConfig2W(svc, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, (BYTE *)&da,
					 sizeof(da), &n)) {
			if (da.fDelayedAutostart) {
				free(*start);
				*start = cd_strdup("delayed-auto");
			}
		} else {
			DWORD le = GetLastError();
			/* ERROR_INVALID_LEVEL: the system does not know the
			 * setting (Wine); "auto" is all there is to say. */
			if (le != ERROR_INVALID_LEVEL)
				cd_probe_error(ctx, name, from_win32(le),
					       "QueryServiceConfig2 (delayed start) failed (error %lu)",
					       (unsigned long)le);
			cd_buf_adds(detail, "; delayed start not known");
		}
	}
	free(cfg);
	return 1;
}

static void one_service(struct cd_probe_ctx *ctx, SC_HANDLE scm, const char *name)
{
	struct cd_buf detail;
	struct cd_row r;
	SC_HANDLE svc = NULL;
	wchar_t *wname = cd_w_from_utf8(name);
	char *start = NULL, *display = NULL, *binary = NULL;
	const char *state = "unknown";
	int installed = -1;

	cd_buf_init(&detail, 1 << 16);
	if (!scm) {
		cd_buf_adds(&detail, "service control manager not reachable");
	} else if (!wname) {
		cd_buf_adds(&detail, "out of memory");
	} else if (!(svc = OpenServiceW(scm, wname, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG))) {
		DWORD le = GetLastError();
		if (le == ERROR_SERVICE_DOES_NOT_EXIST) {
			installed = 0;
			state = NULL;
			cd_buf_adds(&detail, "not installed (service control manager)");
		} else {
			/* Denied still means it exists: only a present service
			 * has a security descriptor to refuse us. */
			if (le == ERROR_ACCESS_DENIED)
				installed = 1;
			cd_probe_error(ctx, name, from_win32(le), "OpenService failed (error %lu)",
				       (unsigned long)le);
			cd_buf_addf(&detail, "cannot open the service (error %lu)", (unsigned long)le);
		}
	} else {
		SERVICE_STATUS_PROCESS ss;
		DWORD n = 0;
		installed = 1;
		if (QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&ss, sizeof(ss), &n)) {
			state = state_name(ss.dwCurrentState);
			if (ss.dwProcessId)
				cd_buf_addf(&detail, "service control manager: %s, pid %lu", state,
					    (unsigned long)ss.dwProcessId);
			else
				cd_buf_addf(&detail, "service control manager: %s", state);
		} else {
			DWORD le = GetLastError();
			cd_probe_error(ctx, name, from_win32(le), "QueryServiceStatusEx failed (error %lu)",
				       (unsigned long)le);
			cd_buf_addf(&detail, "state not readable (error %lu)", (unsigned long)le);
		}
		query_config(ctx, svc, name, &start, &display, &binary, &detail);
		CloseServiceHandle(svc);
	}

	cd_row_init(&r, "services");
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "display_name", display);
	cd_row_bool(&r, "installed", installed);
	cd_row_text(&r, "state", state);
	cd_row_text(&r, "start_type", start);
	cd_row_text(&r, "binary_path", binary);
	cd_row_text(&r, "detail", cd_buf_str(&detail));
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, name, CD_ERR_SQL, "cannot store the services row");
	cd_buf_release(&detail);
	free(wname);
	free(start);
	free(display);
	free(binary);
}

static cd_err collect_services(struct cd_probe_ctx *ctx)
{
	SC_HANDLE scm;
	sqlite3_stmt *st = NULL;
	int rc;

	/* The service manager answers for this machine, not a mounted one. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	if (sqlite3_prepare_v2(cd_facts_db(ctx->facts),
			       "SELECT DISTINCT name FROM rules.cat_services WHERE os = 'windows' ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK) {
		cd_probe_error(ctx, "rules.cat_services", CD_ERR_SQL, "no service catalog: %s",
			       sqlite3_errmsg(cd_facts_db(ctx->facts)));
		sqlite3_finalize(st);
		return CD_OK;
	}
	scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
	if (!scm) {
		DWORD le = GetLastError();
		cd_probe_error(ctx, "SCManager", from_win32(le), "OpenSCManager failed (error %lu)",
			       (unsigned long)le);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (name && *name)
			one_service(ctx, scm, name);
	}
	if (rc != SQLITE_DONE)
		cd_probe_error(ctx, "rules.cat_services", CD_ERR_SQL, "reading the catalog: %s",
			       sqlite3_errmsg(cd_facts_db(ctx->facts)));
	sqlite3_finalize(st);
	if (scm)
		CloseServiceHandle(scm);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_services = {
	"windows.services",
	"services",
	collect_services,
};
