/* The probes a Linux scan runs, in order. The host probe comes first: rules
 * measure time from the clock it records. */
#include "../core/probe.h"

extern const struct cd_probe cd_probe_posix_host;
extern const struct cd_probe cd_probe_posix_p11kit;
extern const struct cd_probe cd_probe_posix_nss;
extern const struct cd_probe cd_probe_pkcs11_tokens;
extern const struct cd_probe cd_probe_posix_pcscd;
extern const struct cd_probe cd_probe_posix_dpkg;
extern const struct cd_probe cd_probe_posix_browsers;
extern const struct cd_probe cd_probe_usb_libusb;
extern const struct cd_probe cd_probe_net_platforms;

static const struct cd_probe *const probes[] = {
	&cd_probe_posix_host,
	&cd_probe_posix_p11kit,
	&cd_probe_posix_nss,
	&cd_probe_pkcs11_tokens, /* after the probes that find the modules */
	&cd_probe_posix_pcscd,
	&cd_probe_posix_dpkg,
	&cd_probe_posix_browsers,
	&cd_probe_usb_libusb,
	&cd_probe_net_platforms,
	NULL,
};

const struct cd_probe *const *cd_os_probes(void)
{
	return probes;
}
