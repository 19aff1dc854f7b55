/* The command line: a table of sub-commands, one file each (cmd_<name>.c).
 * To add a command: write cmd_<name>.c with `int cmd_<name>(int argc, char **argv)`
 * (argv[0] is the command name), declare it below, add a row to the table in
 * main.c, and add docs/cli/<name>.md. Commands return an enum cd_exit value. */
#ifndef CD_CLI_H
#define CD_CLI_H

#include "../core/compiler.h"

#include <stddef.h>

#include "../core/error.h"
#include "../core/exitcodes.h"

struct cd_facts;

int cmd_scan(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_repair(int argc, char **argv);
int cmd_undo(int argc, char **argv);
/* repair --yes and undo without administrator rights: run elevated
 * (cmd_repair.c). The child's exit code, -1 to go on unelevated, -2 when
 * the user declined. */
int cli_elevate(int argc, char **argv);
/* explain --code: prints what a support code says (explain_code.c). */
int explain_support_code(struct cd_facts *f, const char *code);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
/* Hidden (not in the help): the isolated PKCS#11 reader, cmd_worker.c. */
int cmd_pkcs11_worker(int argc, char **argv);

/* ---- option parsing (no global state, same on every OS) ---- */
struct cli_opt {
	const char *name; /* long name without "--" */
	char short_name;  /* 0 if none */
	int has_arg;
	int id;
};

struct cli_args {
	int argc;
	char **argv;
	int i;            /* next index */
	const char *arg;  /* argument of the last option */
	const char *bad;  /* offending text on error */
	int positional_only;
};

enum { CLI_END = -1, CLI_POSITIONAL = -2, CLI_UNKNOWN = -3, CLI_MISSING_ARG = -4 };

void cli_args_init(struct cli_args *a, int argc, char **argv);
/* Returns the id of the next option, CLI_POSITIONAL (a->arg = the word),
 * CLI_END, or an error (a->bad names the word). */
int cli_next(struct cli_args *a, const struct cli_opt *opts);

/* Options every command accepts: --lang, --quiet. Returns 1 if handled. */
enum { OPT_LANG = 1000, OPT_QUIET, OPT_HELP };
#define CLI_COMMON_OPTS                                                        \
	{"lang", 0, 1, OPT_LANG}, {"quiet", 'q', 0, OPT_QUIET}, {"help", 'h', 0, OPT_HELP}
int cli_common(int id, const char *arg, const char *cmd);

extern int cli_quiet;

/* ---- output ---- */
/* UTF-8 text to stdout/stderr, correct on any console. */
void out_text(const char *s);
void out_printf(const char *fmt, ...)
	CD_PRINTF(1, 2);
void err_printf(const char *fmt, ...)
	CD_PRINTF(1, 2);
/* Prints "cadoctor: <msg>" for a diagnostic, with file:line when known. */
void err_diag(const struct cd_diag *d);
/* Writes data to path, or to stdout when path is "-". */
int write_output(const char *path, const char *data, size_t len);
/* Usage error: prints the message and a hint, returns CD_EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...)
	CD_PRINTF(2, 3);
/* Exit code for a failed load of an input file. */
int exit_for_error(cd_err e);

/* ---- rules ---- */
/* Attaches the rules to facts: the embedded database, or rules_dir compiled now.
 * Keeps compiled bytes alive until exit. */
int cli_attach_rules(struct cd_facts *f, const char *rules_dir);

#endif
