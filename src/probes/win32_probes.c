/* The probes a Windows scan runs, in order. The host probe comes first:
 * rules measure time from the clock it records. */
#include "../core/probe.h"

extern const struct cd_probe cd_probe_win32_host;
extern const struct cd_probe cd_probe_usb_libusb;
extern const struct cd_probe cd_probe_net_platforms;

static const struct cd_probe *const probes[] = {
	&cd_probe_win32_host,
	&cd_probe_usb_libusb,
	&cd_probe_net_platforms,
	NULL,
};

const struct cd_probe *const *cd_os_probes(void)
{
	return probes;
}
