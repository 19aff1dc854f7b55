/* USB devices as Windows' device manager knows them (usb_devices, source
 * "setupapi"): every device instance under the USB enumerator, present or
 * not. A key whose driver never installed has no working function driver, so
 * libusb and WinUSB never see it; SetupAPI does, and the configuration
 * manager says why it does not work (problem 28: no driver). Devices plugged
 * in before are listed too (not present): "it worked on the other port".
 *
 * Present and problem come from CM_Get_DevNode_Status: it fails with
 * CR_NO_SUCH_DEVNODE for a device that is not plugged in. Two things it
 * cannot answer are read from the device's ConfigFlags, which Windows keeps
 * in the registry across boots: a device not plugged in has no live status,
 * and Wine's CM_Get_DevNode_Status is a stub that succeeds without writing
 * a status (a live devnode on Windows always has status bits). Then
 * CONFIGFLAG_FAILEDINSTALL stands for problem 28 and CONFIGFLAG_DISABLED for
 * problem 22, the codes Windows gives such a device when it is plugged in. */
#include <windows.h>
#include <setupapi.h>
#include <cfgmgr32.h>
#include <regstr.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"

#define PROBLEM_FAILED_INSTALL 28 /* CM_PROB_FAILED_INSTALL: no driver installed */
#define PROBLEM_DISABLED 22       /* CM_PROB_DISABLED */

/* A string property, or NULL when the device has none. */
static char *dev_str(struct cd_probe_ctx *ctx, HDEVINFO set, SP_DEVINFO_DATA *d, DWORD prop,
		     const char *id, const char *what)
{
	wchar_t buf[1024];
	DWORD type = 0, need = 0;
	memset(buf, 0, sizeof(buf));
	if (!SetupDiGetDeviceRegistryPropertyW(set, d, prop, &type, (BYTE *)buf,
					       sizeof(buf) - 2 * sizeof(wchar_t), &need)) {
		DWORD le = GetLastError();
		/* ERROR_INVALID_DATA is how SetupAPI says "no such property". */
		if (le != ERROR_INVALID_DATA && le != ERROR_NO_SUCH_DEVINST)
			cd_probe_error(ctx, id, le == ERROR_INSUFFICIENT_BUFFER ? CD_ERR_LIMIT : CD_ERR_IO,
				       "cannot read the %s property (error %lu)", what, (unsigned long)le);
		return NULL;
	}
	if (type != REG_SZ && type != REG_EXPAND_SZ && type != REG_MULTI_SZ)
		return NULL;
	/* The buffer was zeroed and two units kept back: always terminated.
	 * Of a multi-string the first item is the one to show. */
	return buf[0] ? cd_utf8_from_w(buf) : NULL;
}

static int dev_dword(HDEVINFO set, SP_DEVINFO_DATA *d, DWORD prop, DWORD *out)
{
	DWORD type = 0, v = 0;
	if (!SetupDiGetDeviceRegistryPropertyW(set, d, prop, &type, (BYTE *)&v, sizeof(v), NULL) ||
	    type != REG_DWORD)
		return 0;
	*out = v;
	return 1;
}

/* The 4 hex digits after tag ("VID_", "PID_") in an instance id, lower case. */
static int parse_id(const char *id, const char *tag, char out[5])
{
	const char *p;
	size_t n = strlen(tag);
	int i;
	for (p = id; *p; p++) {
		if (_strnicmp(p, tag, n))
			continue;
		for (i = 0; i < 4; i++) {
			char c = p[n + i];
			if (c >= 'A' && c <= 'F')
				c = (char)(c - 'A' + 'a');
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				return 0;
			out[i] = c;
		}
		out[4] = '\0';
		return 1;
	}
	return 0;
}

/* USB\VID_x&PID_y\<serial>: Windows names the instance after the device's
 * serial number when the device reports one; generated names have '&'. */
static const char *instance_serial(const char *id)
{
	const char *last = strrchr(id, '\\');
	char vid[5];
	if (!last || !last[1] || strchr(last, '&') || !parse_id(id, "VID_", vid))
		return NULL;
	return last + 1;
}

/* Root hubs are the host controller's own ports, never a key. Everything
 * else stays, including devices nobody recognises. */
static int is_root_hub(const char *id)
{
	return !_strnicmp(id, "USB\\ROOT_HUB", 12);
}

static void device_row(struct cd_probe_ctx *ctx, HDEVINFO set, SP_DEVINFO_DATA *d,
		       const char *id)
{
	char vid[5], pid[5];
	char *desc, *mfg, *service, *klass;
	ULONG st = 0, prob = 0;
	DWORD flags = 0;
	int have_flags, present, known = 0;
	int64_t problem = 0;
	const char *status;
	struct cd_row r;
	CONFIGRET cr;

	desc = dev_str(ctx, set, d, SPDRP_DEVICEDESC, id, "DeviceDesc");
	mfg = dev_str(ctx, set, d, SPDRP_MFG, id, "Mfg");
	service = dev_str(ctx, set, d, SPDRP_SERVICE, id, "Service");
	klass = dev_str(ctx, set, d, SPDRP_CLASS, id, "Class");
	have_flags = dev_dword(set, d, SPDRP_CONFIGFLAGS, &flags);

	cr = CM_Get_DevNode_Status(&st, &prob, d->DevInst, 0);
	if (cr == CR_SUCCESS) {
		present = 1;
		known = st != 0;
		if (st & DN_HAS_PROBLEM)
			problem = prob;
	} else if (cr == CR_NO_SUCH_DEVNODE) {
		present = 0;
	} else {
		present = -1;
		cd_probe_error(ctx, id, CD_ERR_IO, "CM_Get_DevNode_Status failed (CONFIGRET %lu)",
			       (unsigned long)cr);
	}
	if (!known && !problem && have_flags) {
		if (flags & CONFIGFLAG_FAILEDINSTALL)
			problem = PROBLEM_FAILED_INSTALL;
		else if (flags & CONFIGFLAG_DISABLED)
			problem = PROBLEM_DISABLED;
	}
	if (present == 0)
		status = "disconnected";
	else if (problem == PROBLEM_FAILED_INSTALL || !service)
		status = "no_driver";
	else if (problem)
		status = "problem";
	else
		status = present == 1 ? "ok" : NULL;

	cd_row_init(&r, "usb_devices");
	cd_row_text(&r, "source", "setupapi");
	cd_row_text(&r, "vid", parse_id(id, "VID_", vid) ? vid : NULL);
	cd_row_text(&r, "pid", parse_id(id, "PID_", pid) ? pid : NULL);
	cd_row_text(&r, "instance_id", id);
	cd_row_text(&r, "device_class", klass);
	cd_row_text(&r, "manufacturer", mfg);
	cd_row_text(&r, "product", desc);
	cd_row_text(&r, "serial", instance_serial(id));
	cd_row_text(&r, "driver", service);
	cd_row_bool(&r, "present", present);
	cd_row_int(&r, "problem_code", problem);
	cd_row_text(&r, "status", status);
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, id, CD_ERR_SQL, "cannot store the usb_devices row");
	free(desc);
	free(mfg);
	free(service);
	free(klass);
}

static cd_err collect_usb(struct cd_probe_ctx *ctx)
{
	HDEVINFO set;
	SP_DEVINFO_DATA d;
	DWORD i;

	/* The devices plugged into this machine say nothing about a system
	 * mounted with --root. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	/* No DIGCF_PRESENT: devices plugged in before, and those whose driver
	 * failed, are the ones that explain "the key is not recognised". */
	set = SetupDiGetClassDevsW(NULL, L"USB", NULL, DIGCF_ALLCLASSES);
	if (set == INVALID_HANDLE_VALUE) {
		cd_probe_error(ctx, "SetupDiGetClassDevs(USB)", CD_ERR_IO,
			       "cannot list USB devices (error %lu)", (unsigned long)GetLastError());
		return CD_OK;
	}
	for (i = 0; i < 100000; i++) {
		wchar_t wid[MAX_DEVICE_ID_LEN + 1];
		char *id;
		memset(&d, 0, sizeof(d));
		d.cbSize = sizeof(d);
		if (!SetupDiEnumDeviceInfo(set, i, &d)) {
			DWORD le = GetLastError();
			if (le != ERROR_NO_MORE_ITEMS)
				cd_probe_error(ctx, "SetupDiEnumDeviceInfo", CD_ERR_IO,
					       "device list ended early at %lu (error %lu)",
					       (unsigned long)i, (unsigned long)le);
			break;
		}
		if (!SetupDiGetDeviceInstanceIdW(set, &d, wid, MAX_DEVICE_ID_LEN + 1, NULL)) {
			cd_probe_error(ctx, "SetupDiGetDeviceInstanceId", CD_ERR_IO,
				       "device %lu has no readable instance id (error %lu)",
				       (unsigned long)i, (unsigned long)GetLastError());
			continue;
		}
		wid[MAX_DEVICE_ID_LEN] = 0;
		id = cd_utf8_from_w(wid);
		if (!id)
			continue;
		if (!is_root_hub(id))
			device_row(ctx, set, &d, id);
		free(id);
	}
	SetupDiDestroyDeviceInfoList(set);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_usb = {
	"windows.usb",
	"usb_devices",
	collect_usb,
};
