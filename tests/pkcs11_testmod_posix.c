/* pkcs11_testmod.h on Linux: dladdr names the shared object. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

#include "pkcs11_testmod.h"

int testmod_self_path(char *out, size_t outlen)
{
	Dl_info di;
	if (!dladdr((void *)testmod_self_path, &di) || !di.dli_fname)
		return -1;
	snprintf(out, outlen, "%s", di.dli_fname);
	return 0;
}

void testmod_sleep_forever(void)
{
	for (;;)
		sleep(60);
}
