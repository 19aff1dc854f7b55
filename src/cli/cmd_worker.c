/* cadoctor __pkcs11-worker MODULE: the hidden command the probe pkcs11.tokens
 * runs in a child process, once per PKCS#11 module, so that a module that
 * crashes or hangs takes only this process with it (src/probes/pkcs11_worker.h
 * describes what it writes). Not listed in the help: people never run it. */
#include <stdlib.h>

#include "../platform/platform.h"
#include "../probes/pkcs11_worker.h"
#include "cli.h"

int cmd_pkcs11_worker(int argc, char **argv)
{
	FILE *out;
	int rc;

	if (argc != 2) {
		err_printf("usage: cadoctor __pkcs11-worker MODULE_PATH\n");
		return CD_EXIT_USAGE;
	}
	/* What the module prints goes to stderr (the null device when the
	 * probe runs us), never into the records. */
	out = cd_take_stdout();
	if (!out)
		out = stdout;
	rc = cd_pkcs11_worker(argv[1], out);
	fflush(out);
	/* No exit handlers or library destructors: vendor modules often crash
	 * when unloaded, and the records are already written. */
	_Exit(rc);
}
