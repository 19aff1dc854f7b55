/* Options shared by `scan` and `collect`: what to collect and how. */
#ifndef CD_CLI_SCANOPTS_H
#define CD_CLI_SCANOPTS_H

#include "../core/probe.h"
#include "cli.h"

#define SCAN_MAX_TARGETS 32
/* --module-timeout-ms bounds: below 100 ms even a healthy module cannot start
 * in a child process (Windows, antivirus scanning the DLL); above 10 minutes a
 * hang would look like cadoctor itself hanging. */
#define SCAN_MODULE_TIMEOUT_MIN 100
#define SCAN_MODULE_TIMEOUT_MAX 600000

enum {
	OPT_ROOT = 1,
	OPT_OFFLINE,
	OPT_PROBES,
	OPT_NET_TARGET,
	OPT_NET_TIMEOUT,
	OPT_RULES_DIR,
	OPT_MODULE_TIMEOUT,
	OPT_SCAN__LAST
};

#define SCAN_COMMON_OPTS                                                                   \
	{"root", 0, 1, OPT_ROOT}, {"offline", 0, 0, OPT_OFFLINE}, {"probes", 0, 1, OPT_PROBES}, \
		{"net-target", 0, 1, OPT_NET_TARGET}, {"net-timeout-ms", 0, 1, OPT_NET_TIMEOUT},  \
		{"rules", 0, 1, OPT_RULES_DIR}, {"module-timeout-ms", 0, 1, OPT_MODULE_TIMEOUT}

struct scan_cli {
	struct cd_scan_opts opts;
	const char *targets[SCAN_MAX_TARGETS];
	const char *rules_dir;
};

void scan_cli_init(struct scan_cli *s);
/* Handles a SCAN_COMMON_OPTS option. Returns 1 if handled, 0 if not one of
 * them, or -1 after printing a usage error. */
int scan_cli_option(struct scan_cli *s, int id, const char *arg, const char *cmd);
/* Collects a live facts database with the rules attached. Returns an exit code. */
int scan_cli_collect(struct scan_cli *s, struct cd_facts **out);

#endif
