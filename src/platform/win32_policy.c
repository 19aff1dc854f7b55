/* Enterprise settings on Windows: HKLM\SOFTWARE\Policies\cadoctor, written
 * by Group Policy (installer/cadoctor.admx), Intune or a .reg file; a value
 * not set there is taken from HKLM\SOFTWARE\cadoctor, where the installer
 * writes its DEFAULTPLATFORM and REPORTFOLDER properties. Read in the 64-bit
 * view so the 32-bit exe sees what the 64-bit policy engine wrote. And the
 * Application event log (source "cadoctor"). */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "platform.h"
#include "policy.h"
#include "win32_util.h"

#define POLICY_KEY L"SOFTWARE\\Policies\\cadoctor"
#define SETTINGS_KEY L"SOFTWARE\\cadoctor"

static char *reg_text(HKEY k, const wchar_t *name)
{
	DWORD type = 0, size = 0, i;
	wchar_t *buf;
	char *out = NULL;
	if (RegQueryValueExW(k, name, NULL, &type, NULL, &size) != ERROR_SUCCESS || size > (1u << 20))
		return NULL;
	if (type == REG_DWORD) {
		DWORD v = 0;
		size = sizeof(v);
		if (RegQueryValueExW(k, name, NULL, &type, (BYTE *)&v, &size) != ERROR_SUCCESS)
			return NULL;
		return cd_aprintf("%lu", (unsigned long)v);
	}
	if (type != REG_SZ && type != REG_EXPAND_SZ && type != REG_MULTI_SZ)
		return NULL;
	buf = calloc(size / sizeof(wchar_t) + 2, sizeof(wchar_t));
	if (!buf)
		return NULL;
	if (RegQueryValueExW(k, name, NULL, &type, (BYTE *)buf, &size) != ERROR_SUCCESS) {
		free(buf);
		return NULL;
	}
	if (type == REG_MULTI_SZ) {
		/* "a\0b\0\0" -> "a,b" */
		DWORD n = size / sizeof(wchar_t);
		while (n > 0 && buf[n - 1] == 0)
			n--;
		for (i = 0; i < n; i++)
			if (buf[i] == 0)
				buf[i] = L',';
		buf[n] = 0;
	} else if (type == REG_EXPAND_SZ) {
		wchar_t exp[4096];
		DWORD m = ExpandEnvironmentStringsW(buf, exp, 4096);
		if (m > 0 && m <= 4096) {
			free(buf);
			buf = _wcsdup(exp);
			if (!buf)
				return NULL;
		}
	}
	out = cd_utf8_from_w(buf);
	free(buf);
	if (out && !*cd_trim(out)) {
		free(out);
		out = NULL;
	}
	return out;
}

/* Policies: the 64-bit view first (where the policy engine writes). The
 * installer's key: this exe's own view (the x86 package writes the 32-bit one). */
static HKEY open_key(const wchar_t *path, int view64)
{
	HKEY k;
	if ((view64 && RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ | KEY_WOW64_64KEY, &k) == ERROR_SUCCESS) ||
	    RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) == ERROR_SUCCESS)
		return k;
	return NULL;
}

/* The policy's value, else the installer's. */
static char *value(HKEY pol, HKEY inst, const wchar_t *name, int *from_policy)
{
	char *v = pol ? reg_text(pol, name) : NULL;
	if (v) {
		*from_policy = 1;
		return v;
	}
	return inst ? reg_text(inst, name) : NULL;
}

void cd_policy_read(struct cd_policy_raw *r)
{
	HKEY pol = open_key(POLICY_KEY, 1), inst = open_key(SETTINGS_KEY, 0);
	int from_policy = 0;
	memset(r, 0, sizeof(*r));
	if (!pol && !inst)
		return;
	r->default_platform = value(pol, inst, L"DefaultPlatform", &from_policy);
	r->report_folder = value(pol, inst, L"ReportFolder", &from_policy);
	r->allowed_actions = value(pol, inst, L"AllowedRepairActions", &from_policy);
	r->redaction = value(pol, inst, L"RedactionLevel", &from_policy);
	r->event_log = value(pol, inst, L"EventLog", &from_policy);
	if (r->default_platform || r->report_folder || r->allowed_actions || r->redaction || r->event_log)
		r->source = cd_strdup(from_policy ? "HKLM\\SOFTWARE\\Policies\\cadoctor" : "HKLM\\SOFTWARE\\cadoctor");
	if (pol)
		RegCloseKey(pol);
	if (inst)
		RegCloseKey(inst);
}

int cd_eventlog_write(enum cd_event_type type, const char *text)
{
	static const WORD types[] = {EVENTLOG_INFORMATION_TYPE, EVENTLOG_WARNING_TYPE, EVENTLOG_ERROR_TYPE};
	HANDLE h;
	wchar_t *w = cd_w_from_utf8(text ? text : "");
	const wchar_t *strs[1];
	BOOL ok = FALSE;
	if (!w)
		return -1;
	h = RegisterEventSourceW(NULL, L"cadoctor");
	if (h) {
		strs[0] = w;
		ok = ReportEventW(h, types[type <= CD_EVENT_ERROR ? type : 0], 0, CD_EVENT_ID, NULL, 1, 0, strs, NULL);
		DeregisterEventSource(h);
	}
	free(w);
	return ok ? 0 : -1;
}
