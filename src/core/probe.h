/* Probes collect facts and nothing else: they never decide what is wrong.
 * A probe is {name, tables it fills, collect()}. Each OS has a list of probes
 * (cd_os_probes, in src/probes/<os>_probes.c). A probe that meets a problem
 * records it with cd_probe_error and carries on; only when it can do nothing
 * at all does collect() return an error, which the runner records too. The
 * scan always goes on to the next probe.
 *
 * To add a probe: write src/probes/<os>_<area>.c defining one
 * `const struct cd_probe cd_probe_<name>`, add it to the OS list, document its
 * tables in schema.sql, and add a test under tests/integration. */
#ifndef CD_PROBE_H
#define CD_PROBE_H

#include "compiler.h"

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "facts.h"

struct cd_scan_opts {
	const char *root;       /* read this directory as "/" (offline analysis); NULL = live */
	int offline;            /* skip everything that uses the network */
	int net_timeout_ms;     /* per network step; 0 = default (3000) */
	/* "id=URL" pairs replacing the platform catalog's addresses (tests, help desks) */
	const char *const *net_targets;
	size_t n_net_targets;
	const char *only_probes; /* comma list of probe names to run; NULL = all */
	int module_timeout_ms;  /* per isolated vendor module load; 0 = default */
	/* progress: called before each probe; index from 0 */
	void (*progress)(void *ud, const char *probe, int index, int total);
	void *progress_ud;
};

struct cd_probe;

struct cd_probe_ctx {
	struct cd_facts *facts;
	const struct cd_scan_opts *opts;
	const struct cd_probe *probe;
	int errors; /* cd_probe_error calls so far */
};

struct cd_probe {
	const char *name;   /* stable id, e.g. "linux.p11kit"; used in probe_errors */
	const char *tables; /* fact tables it fills, comma separated (documentation) */
	/* Collects facts into ctx->facts. Returns CD_OK when it could run at all
	 * (even with errors recorded), an error code when it could not. */
	cd_err (*collect)(struct cd_probe_ctx *ctx);
};

/* NULL-terminated list of the probes for the OS this binary is built for. */
const struct cd_probe *const *cd_os_probes(void);

/* Records a problem as a probe_errors row. */
void cd_probe_error(struct cd_probe_ctx *ctx, const char *target, cd_err code, const char *fmt, ...)
	CD_PRINTF(4, 5);

/* Path of an absolute system path under the scan root (a new string to free()). */
char *cd_probe_path(const struct cd_probe_ctx *ctx, const char *abs_path);

/* 1 when the scan reads this machine itself: no --root (NULL or empty), or a
 * root made only of path separators ("/", "//"; on Windows backslashes too).
 * 0 when another system is analysed under --root: then this machine's
 * processes, sockets and devices say nothing about it. ctx->opts may be NULL
 * (live). Records no probe error. */
int cd_probe_is_live(const struct cd_probe_ctx *ctx);

/* Runs every probe (or opts->only_probes) into facts, recording probe_runs. */
cd_err cd_collect(struct cd_facts *facts, const struct cd_scan_opts *opts);

#endif
