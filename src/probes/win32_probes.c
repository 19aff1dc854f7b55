/* The probes a Windows scan runs, in order. The host probe comes first:
 * rules measure time from the clock it records. */
#include "../core/probe.h"

extern const struct cd_probe cd_probe_win32_host;
extern const struct cd_probe cd_probe_win32_certstore;
extern const struct cd_probe cd_probe_win32_browsers;
extern const struct cd_probe cd_probe_win32_browser_profiles;
extern const struct cd_probe cd_probe_win32_browser_policies;
extern const struct cd_probe cd_probe_win32_csp;
extern const struct cd_probe cd_probe_win32_minidrivers;
extern const struct cd_probe cd_probe_win32_programs;
extern const struct cd_probe cd_probe_win32_vendor;
extern const struct cd_probe cd_probe_win32_com;
extern const struct cd_probe cd_probe_win32_services;
extern const struct cd_probe cd_probe_win32_processes;
extern const struct cd_probe cd_probe_win32_usb;
extern const struct cd_probe cd_probe_win32_native_hosts;
extern const struct cd_probe cd_probe_usb_libusb;
extern const struct cd_probe cd_probe_net_platforms;

static const struct cd_probe *const probes[] = {
	&cd_probe_win32_host,
	&cd_probe_win32_certstore,
	&cd_probe_win32_browsers,
	&cd_probe_win32_browser_profiles,
	&cd_probe_win32_browser_policies,
	&cd_probe_win32_csp,
	&cd_probe_win32_minidrivers,
	&cd_probe_win32_programs,
	&cd_probe_win32_vendor,
	&cd_probe_win32_com,
	&cd_probe_win32_services,
	&cd_probe_win32_processes,
	&cd_probe_win32_usb,
	&cd_probe_win32_native_hosts,
	&cd_probe_usb_libusb,
	&cd_probe_net_platforms,
	NULL,
};

const struct cd_probe *const *cd_os_probes(void)
{
	return probes;
}
