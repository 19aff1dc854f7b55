/* clock_sync on Windows: the Windows Time service (W32Time) made able to
 * run and started, then asked to synchronise (w32tm /resync). Captured: the
 * service's start type, whether it ran, the values of its key (the service
 * manager may add some when the configuration changes) and
 * Parameters\Type; undo puts them back and stops the service if it was
 * stopped. cadoctor never sets the clock itself: a failed resync is
 * reported, and the service changes stay journaled for undo. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_act.h"

#define SVC_NAME L"W32Time"
#define SVC_KEY "SYSTEM\\CurrentControlSet\\Services\\W32Time"
#define PARAMS_KEY SVC_KEY "\\Parameters"
#define WAIT_MS 30000
#define RESYNC_MS 60000

static cd_err open_time_service(DWORD access, SC_HANDLE *scm, SC_HANDLE *svc, struct cd_diag *d)
{
	DWORD le;
	*svc = NULL;
	*scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	if (!*scm)
		return cd_diag_set(d, cd_wa_err(GetLastError()), "W32Time", 0, "cannot reach the service manager");
	*svc = OpenServiceW(*scm, SVC_NAME, access);
	if (*svc)
		return CD_OK;
	le = GetLastError();
	CloseServiceHandle(*scm);
	if (le == ERROR_SERVICE_DOES_NOT_EXIST)
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, "W32Time", 0,
				   "the Windows Time service is not installed: set the clock by hand");
	return cd_diag_set(d, cd_wa_err(le), "W32Time", 0, "cannot open the service (error %lu)", (unsigned long)le);
}

static DWORD time_state(SC_HANDLE svc)
{
	SERVICE_STATUS_PROCESS ss;
	DWORD n;
	if (!QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&ss, sizeof(ss), &n))
		return 0;
	return ss.dwCurrentState;
}

static DWORD time_start_type(SC_HANDLE svc)
{
	BYTE buf[8192];
	DWORD n = 0;
	QUERY_SERVICE_CONFIGW *c = (QUERY_SERVICE_CONFIGW *)buf;
	if (!QueryServiceConfigW(svc, c, sizeof(buf), &n))
		return (DWORD)-1;
	return c->dwStartType;
}

static cd_err wait_for(SC_HANDLE svc, DWORD want, struct cd_diag *d)
{
	int waited;
	for (waited = 0; waited < WAIT_MS; waited += 250) {
		if (time_state(svc) == want)
			return CD_OK;
		Sleep(250);
	}
	return cd_diag_set(d, CD_ERR_TIMEOUT, "W32Time", 0, "did not %s within %d s",
			   want == SERVICE_RUNNING ? "start" : "stop", WAIT_MS / 1000);
}

static cd_err set_type(SC_HANDLE svc, DWORD type, struct cd_diag *d)
{
	DWORD le;
	if (time_start_type(svc) == type ||
	    ChangeServiceConfigW(svc, SERVICE_NO_CHANGE, type, SERVICE_NO_CHANGE, NULL, NULL, NULL, NULL, NULL, NULL,
				 NULL))
		return CD_OK;
	le = GetLastError();
	return cd_diag_set(d, cd_wa_err(le), "W32Time", 0, "cannot change the start type (error %lu)", (unsigned long)le);
}

static cd_err set_run(SC_HANDLE svc, int run, struct cd_diag *d)
{
	DWORD st = time_state(svc), le;
	SERVICE_STATUS ss;
	if (run && st != SERVICE_RUNNING) {
		if (st != SERVICE_START_PENDING && !StartServiceW(svc, 0, NULL) &&
		    (le = GetLastError()) != ERROR_SERVICE_ALREADY_RUNNING)
			return cd_diag_set(d, cd_wa_err(le), "W32Time", 0, "cannot start (error %lu)", (unsigned long)le);
		return wait_for(svc, SERVICE_RUNNING, d);
	}
	if (!run && st != SERVICE_STOPPED) {
		if (st != SERVICE_STOP_PENDING && !ControlService(svc, SERVICE_CONTROL_STOP, &ss)) {
			le = GetLastError();
			return cd_diag_set(d, cd_wa_err(le), "W32Time", 0, "cannot stop (error %lu)", (unsigned long)le);
		}
		return wait_for(svc, SERVICE_STOPPED, d);
	}
	return CD_OK;
}

/* Parameters\Type as captured: {"exists": false} or type and data. */
static cd_err type_capture(cJSON **out)
{
	HKEY h;
	cd_err e = cd_wa_open(HKEY_LOCAL_MACHINE, PARAMS_KEY, cd_wa_view(NULL), KEY_QUERY_VALUE, &h);
	if (e == CD_ERR_NOT_FOUND) {
		*out = cJSON_CreateObject();
		return *out && cJSON_AddBoolToObject(*out, "exists", 0) ? CD_OK : CD_ERR_NOMEM;
	}
	if (e)
		return e;
	e = cd_wa_value_capture(h, "Type", out);
	RegCloseKey(h);
	return e;
}

/* 1 when Parameters\Type is the string NoSync (synchronisation off). */
static int type_is_nosync(void)
{
	HKEY h;
	wchar_t buf[64];
	DWORD t = 0, n = sizeof(buf) - sizeof(wchar_t);
	int r = 0;
	if (cd_wa_open(HKEY_LOCAL_MACHINE, PARAMS_KEY, cd_wa_view(NULL), KEY_QUERY_VALUE, &h))
		return 0;
	memset(buf, 0, sizeof(buf));
	if (RegQueryValueExW(h, L"Type", NULL, &t, (BYTE *)buf, &n) == ERROR_SUCCESS && (t == REG_SZ || t == REG_EXPAND_SZ))
		r = !_wcsicmp(buf, L"NoSync");
	RegCloseKey(h);
	return r;
}

static cd_err capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
		      struct cd_diag *d)
{
	SC_HANDLE scm, svc;
	cJSON *tree = NULL, *type = NULL;
	DWORD st;
	cd_err e;
	(void)a;
	(void)env;
	if ((e = open_time_service(SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, &scm, &svc, d)))
		return e;
	st = time_start_type(svc);
	*before = cJSON_CreateObject();
	if (st == (DWORD)-1)
		e = cd_diag_set(d, CD_ERR_IO, "W32Time", 0, "cannot read the start type");
	else if (!*before || !cJSON_AddBoolToObject(*before, "running", time_state(svc) == SERVICE_RUNNING) ||
		 !cJSON_AddNumberToObject(*before, "start_type", (double)st))
		e = CD_ERR_NOMEM;
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	if (!e && (e = cd_wa_tree_capture(HKEY_LOCAL_MACHINE, SVC_KEY, cd_wa_view(NULL), &tree)))
		e = cd_diag_set(d, e, "HKLM\\" SVC_KEY, 0, "cannot record the service's key");
	else if (!e)
		cJSON_AddItemToObject(*before, "key", tree), tree = NULL;
	if (!e && (e = type_capture(&type)))
		e = cd_diag_set(d, e, "HKLM\\" PARAMS_KEY, 0, "cannot record the value Type");
	else if (!e)
		cJSON_AddItemToObject(*before, "type", type), type = NULL;
	cJSON_Delete(tree);
	cJSON_Delete(type);
	return e;
}

static cd_err resync(struct cd_diag *d)
{
	char *sys = cd_wa_system_dir(cd_wa_view(NULL)), *exe = sys ? cd_aprintf("%s\\w32tm.exe", sys) : NULL;
	char *argv[2];
	DWORD code = 0;
	cd_err e;
	free(sys);
	if (!exe)
		return cd_diag_set(d, CD_ERR_NOMEM, "w32tm.exe", 0, "cannot find the system directory");
	argv[0] = exe;
	argv[1] = (char *)"/resync";
	e = cd_wa_run(argv, 2, RESYNC_MS, &code, d);
	if (!e && code)
		e = cd_diag_set(d, CD_ERR_IO, exe, 0,
				"the service runs, but synchronising failed (exit %lu): "
				"check the network, or set the clock by hand",
				(unsigned long)code);
	free(exe);
	return e;
}

static cd_err apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
		    struct cd_diag *d)
{
	SC_HANDLE scm, svc;
	cd_err e;
	(void)a;
	(void)env;
	(void)b;
	if ((e = open_time_service(SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG | SERVICE_START,
				   &scm, &svc, d)))
		return e;
	if (time_start_type(svc) == SERVICE_DISABLED)
		e = set_type(svc, SERVICE_DEMAND_START, d);
	if (!e && type_is_nosync()) {
		HKEY h;
		static const wchar_t ntp[] = L"NTP";
		LONG rc;
		if (!(e = cd_wa_open(HKEY_LOCAL_MACHINE, PARAMS_KEY, cd_wa_view(NULL), KEY_SET_VALUE, &h))) {
			rc = RegSetValueExW(h, L"Type", 0, REG_SZ, (const BYTE *)ntp, sizeof(ntp));
			RegCloseKey(h);
			if (rc != ERROR_SUCCESS)
				e = cd_diag_set(d, cd_wa_err((DWORD)rc), "HKLM\\" PARAMS_KEY, 0, "cannot set Type to NTP");
		} else {
			e = cd_diag_set(d, e, "HKLM\\" PARAMS_KEY, 0, "cannot open the key");
		}
	}
	if (!e)
		e = set_run(svc, 1, d);
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return e ? e : resync(d);
}

static cd_err undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		   struct cd_diag *d)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(before, "running");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(before, "start_type");
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(before, "key");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(before, "type");
	SC_HANDLE scm, svc;
	HKEY h;
	cd_err e;
	(void)a;
	(void)env;
	if (!cJSON_IsBool(r) || !cJSON_IsNumber(t) || !cJSON_IsObject(key) || !cJSON_IsObject(type))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	if ((e = open_time_service(SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG | SERVICE_START |
					   SERVICE_STOP,
				   &scm, &svc, d)))
		return e;
	/* Stopped first (if it was stopped): a disabled service is then put
	 * back as it was, not stopped while disabled. */
	if (!cJSON_IsTrue(r))
		e = set_run(svc, 0, d);
	if (!e)
		e = set_type(svc, (DWORD)t->valuedouble, d);
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	if (!e && (e = cd_wa_values_restore(HKEY_LOCAL_MACHINE, SVC_KEY, cd_wa_view(NULL), key)))
		e = cd_diag_set(d, e, "HKLM\\" SVC_KEY, 0, "cannot restore the service's key values");
	if (e)
		return e;
	e = cd_wa_open(HKEY_LOCAL_MACHINE, PARAMS_KEY, cd_wa_view(NULL), KEY_QUERY_VALUE | KEY_SET_VALUE, &h);
	if (e == CD_ERR_NOT_FOUND && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(type, "exists")))
		return CD_OK;
	if (e)
		return cd_diag_set(d, e, "HKLM\\" PARAMS_KEY, 0, "cannot open the key");
	e = cd_wa_value_restore(h, "Type", type);
	RegCloseKey(h);
	if (e)
		return cd_diag_set(d, e, "HKLM\\" PARAMS_KEY, 0, "cannot restore the value Type");
	return CD_OK;
}

/* No is_noop: even with the service running, asking it to synchronise is
 * the repair the clock findings want. */
const struct cd_action_ops cd_act_win32_clock_sync = {
	"clock_sync", 1, 1, NULL, NULL, capture, apply, undo,
};
