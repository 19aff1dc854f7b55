/* service_start, service_stop and service_set_start on Windows, through the
 * service control manager. Captured: whether the service ran and its start
 * type; undo starts or stops it again and puts the start type back. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_act.h"

#define WAIT_MS 30000
#define SERVICES_KEY "SYSTEM\\CurrentControlSet\\Services"

static cd_err open_service(const struct cd_action *a, DWORD access, SC_HANDLE *scm, SC_HANDLE *svc,
			   struct cd_diag *d)
{
	const char *name = cd_action_arg(a, "name");
	wchar_t *w;
	*scm = NULL;
	*svc = NULL;
	if (!name || !*name || strlen(name) > 256 || strpbrk(name, "\\/"))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a service name: %s", name ? name : "");
	*scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
	if (!*scm)
		return cd_diag_set(d, cd_wa_err(GetLastError()), name, 0, "cannot reach the service manager");
	w = cd_w_from_utf8(name);
	*svc = w ? OpenServiceW(*scm, w, access) : NULL;
	free(w);
	if (!*svc) {
		DWORD le = GetLastError();
		CloseServiceHandle(*scm);
		return cd_diag_set(d, cd_wa_err(le), name, 0, "cannot open the service (error %lu)", (unsigned long)le);
	}
	return CD_OK;
}

static void close_service(SC_HANDLE scm, SC_HANDLE svc)
{
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
}

static DWORD svc_state(SC_HANDLE svc)
{
	SERVICE_STATUS_PROCESS ss;
	DWORD n;
	if (!QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&ss, sizeof(ss), &n))
		return 0;
	return ss.dwCurrentState;
}

static DWORD svc_start_type(SC_HANDLE svc)
{
	BYTE buf[8192];
	DWORD n = 0;
	QUERY_SERVICE_CONFIGW *c = (QUERY_SERVICE_CONFIGW *)buf;
	if (!QueryServiceConfigW(svc, c, sizeof(buf), &n))
		return (DWORD)-1;
	return c->dwStartType;
}

static int parse_start_type(const char *s, DWORD *out)
{
	if (!s)
		return 0;
	if (!strcmp(s, "auto"))
		*out = SERVICE_AUTO_START;
	else if (!strcmp(s, "manual") || !strcmp(s, "demand"))
		*out = SERVICE_DEMAND_START;
	else if (!strcmp(s, "disabled"))
		*out = SERVICE_DISABLED;
	else
		return 0;
	return 1;
}

static cd_err wait_state(SC_HANDLE svc, DWORD want, struct cd_diag *d, const char *name)
{
	int waited;
	for (waited = 0; waited < WAIT_MS; waited += 250) {
		if (svc_state(svc) == want)
			return CD_OK;
		Sleep(250);
	}
	return cd_diag_set(d, CD_ERR_TIMEOUT, name, 0, "did not %s within %d s", want == SERVICE_RUNNING ? "start" : "stop",
			   WAIT_MS / 1000);
}

static cd_err set_running(const struct cd_action *a, int run, struct cd_diag *d)
{
	SC_HANDLE scm, svc;
	const char *name = cd_action_arg(a, "name");
	cd_err e = open_service(a, SERVICE_QUERY_STATUS | SERVICE_START | SERVICE_STOP, &scm, &svc, d);
	DWORD st;
	if (e)
		return e;
	st = svc_state(svc);
	if (run && st != SERVICE_RUNNING) {
		if (st != SERVICE_START_PENDING && !StartServiceW(svc, 0, NULL) &&
		    GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
			DWORD le = GetLastError();
			e = cd_diag_set(d, cd_wa_err(le), name, 0, "cannot start (error %lu)", (unsigned long)le);
		} else {
			e = wait_state(svc, SERVICE_RUNNING, d, name);
		}
	} else if (!run && st != SERVICE_STOPPED) {
		SERVICE_STATUS ss;
		if (st != SERVICE_STOP_PENDING && !ControlService(svc, SERVICE_CONTROL_STOP, &ss)) {
			DWORD le = GetLastError();
			e = cd_diag_set(d, cd_wa_err(le), name, 0, "cannot stop (error %lu)", (unsigned long)le);
		} else {
			e = wait_state(svc, SERVICE_STOPPED, d, name);
		}
	}
	close_service(scm, svc);
	return e;
}

static cd_err set_start_type(const struct cd_action *a, DWORD type, struct cd_diag *d)
{
	SC_HANDLE scm, svc;
	cd_err e = open_service(a, SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG, &scm, &svc, d);
	if (e)
		return e;
	if (svc_start_type(svc) != type &&
	    !ChangeServiceConfigW(svc, SERVICE_NO_CHANGE, type, SERVICE_NO_CHANGE, NULL, NULL, NULL, NULL, NULL,
				  NULL, NULL)) {
		DWORD le = GetLastError();
		e = cd_diag_set(d, cd_wa_err(le), cd_action_arg(a, "name"), 0, "cannot change the start type (error %lu)",
				(unsigned long)le);
	}
	close_service(scm, svc);
	return e;
}

static cd_err check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *name = cd_action_arg(a, "name"), *t = cd_action_arg(a, "start_type");
	DWORD st;
	(void)env;
	if (!name || !*name || strlen(name) > 256 || strpbrk(name, "\\/"))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a service name");
	if (t && !parse_start_type(t, &st))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "start_type is auto, manual or disabled");
	return CD_OK;
}

static cd_err capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
		      struct cd_diag *d)
{
	SC_HANDLE scm, svc;
	DWORD type;
	cd_err e = check(a, env, d);
	if (e || (e = open_service(a, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, &scm, &svc, d)))
		return e;
	type = svc_start_type(svc);
	*before = cJSON_CreateObject();
	if (type == (DWORD)-1)
		e = cd_diag_set(d, CD_ERR_IO, cd_action_arg(a, "name"), 0, "cannot read the start type");
	else if (!*before || !cJSON_AddBoolToObject(*before, "running", svc_state(svc) == SERVICE_RUNNING) ||
		 !cJSON_AddNumberToObject(*before, "start_type", (double)type))
		e = CD_ERR_NOMEM;
	close_service(scm, svc);
	/* A configuration change rewrites the service's key (the service
	 * manager may add values): its values are recorded too. */
	if (!e && cd_action_arg(a, "start_type")) {
		char *sub = cd_aprintf(SERVICES_KEY "\\%s", cd_action_arg(a, "name"));
		cJSON *tree = NULL;
		if (!sub || (e = cd_wa_tree_capture(HKEY_LOCAL_MACHINE, sub, cd_wa_view(NULL), &tree)))
			e = cd_diag_set(d, e ? e : CD_ERR_NOMEM, sub, 0, "cannot record the service's key");
		else
			cJSON_AddItemToObject(*before, "key", tree), tree = NULL;
		cJSON_Delete(tree);
		free(sub);
	}
	return e;
}

static int state_is(const struct cd_action *a, int running)
{
	SC_HANDLE scm, svc;
	int r = 0;
	if (open_service(a, SERVICE_QUERY_STATUS, &scm, &svc, NULL) == CD_OK) {
		r = (svc_state(svc) == SERVICE_RUNNING) == running;
		close_service(scm, svc);
	}
	return r;
}

static int start_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	(void)env;
	return state_is(a, 1);
}

static int stop_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	(void)env;
	return state_is(a, 0);
}

static int type_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	SC_HANDLE scm, svc;
	DWORD want;
	int r = 0;
	(void)env;
	if (parse_start_type(cd_action_arg(a, "start_type"), &want) &&
	    open_service(a, SERVICE_QUERY_CONFIG, &scm, &svc, NULL) == CD_OK) {
		r = svc_start_type(svc) == want;
		close_service(scm, svc);
	}
	return r;
}

static cd_err start_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			  struct cd_diag *d)
{
	(void)env;
	(void)b;
	return set_running(a, 1, d);
}

static cd_err stop_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			 struct cd_diag *d)
{
	(void)env;
	(void)b;
	return set_running(a, 0, d);
}

static cd_err type_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			 struct cd_diag *d)
{
	DWORD t;
	(void)env;
	(void)b;
	if (!parse_start_type(cd_action_arg(a, "start_type"), &t))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "bad start_type");
	return set_start_type(a, t, d);
}

static cd_err run_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(before, "running");
	(void)env;
	if (!cJSON_IsBool(r))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	return set_running(a, cJSON_IsTrue(r), d);
}

static cd_err type_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			struct cd_diag *d)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(before, "start_type");
	(void)env;
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(before, "key");
	cd_err e;
	if (!cJSON_IsNumber(t))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "incomplete record");
	if ((e = set_start_type(a, (DWORD)t->valuedouble, d)))
		return e;
	if (cJSON_IsObject(key)) {
		char *sub = cd_aprintf(SERVICES_KEY "\\%s", cd_action_arg(a, "name"));
		if (!sub || (e = cd_wa_values_restore(HKEY_LOCAL_MACHINE, sub, cd_wa_view(NULL), key)))
			e = cd_diag_set(d, e ? e : CD_ERR_NOMEM, sub, 0, "cannot restore the service's key values");
		free(sub);
	}
	return e;
}

const struct cd_action_ops cd_act_win32_service_start = {
	"service_start", 1, 1, check, start_noop, capture, start_apply, run_undo,
};
const struct cd_action_ops cd_act_win32_service_stop = {
	"service_stop", 1, 1, check, stop_noop, capture, stop_apply, run_undo,
};
const struct cd_action_ops cd_act_win32_service_set_start = {
	"service_set_start", 1, 1, check, type_noop, capture, type_apply, type_undo,
};
