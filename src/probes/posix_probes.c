/* The probes a Linux scan runs, in order. The host probe comes first: rules
 * measure time from the clock it records. */
#include "../core/probe.h"

extern const struct cd_probe cd_probe_posix_host;

static const struct cd_probe *const probes[] = {
	&cd_probe_posix_host,
	NULL,
};

const struct cd_probe *const *cd_os_probes(void)
{
	return probes;
}
