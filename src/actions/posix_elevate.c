/* Self-elevation (actions_os.h) is Windows' UAC; on Linux repair --yes and
 * undo are run with sudo, and a run without root says so (exit 77). */
#include "actions_os.h"

int cd_actions_is_elevated_child(void)
{
	return 0;
}

cd_err cd_actions_relaunch_elevated(int argc, char **argv, int *code, struct cd_diag *d)
{
	(void)argc;
	(void)argv;
	(void)code;
	(void)d;
	return CD_ERR_UNSUPPORTED;
}

cd_err cd_actions_become_elevated_child(const char *marker_arg)
{
	(void)marker_arg;
	return CD_ERR_UNSUPPORTED;
}
