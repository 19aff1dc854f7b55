/* What the repair commands need from the OS besides the action kinds: the
 * journal's directory, whether we run with administrator rights, and who and
 * where we are (recorded with each run). One implementation per OS:
 * src/actions/posix_actions.c, src/actions/win32_actions.c. */
#ifndef CD_ACTIONS_OS_H
#define CD_ACTIONS_OS_H

#include <stddef.h>

#include "../core/error.h"

/* Test only: a journal directory instead of the system's. Accepted only when
 * it exists, is a directory (not a link) owned by the current user, and no
 * one else may write to it. */
#define CD_TEST_JOURNAL_ENV "CADOCTOR_TEST_JOURNAL_DIR"

/* The journal directory (a new string): Linux /var/lib/cadoctor (root, 0700),
 * Windows %ProgramData%\cadoctor (Administrators and SYSTEM only). With
 * create (a repair about to write) it is created when missing and its
 * permissions tightened; its owner and permissions (Linux) and its kind (not
 * a link) are checked every time. CD_ERR_DENIED, with the reason in d, when
 * it is not safe or cannot be made safe. */
cd_err cd_actions_journal_dir(int create, char **out, struct cd_diag *d);

/* 1 when this process has administrator (root) rights. */
int cd_actions_is_admin(void);

/* Self-elevation (Windows; elsewhere CD_ERR_UNSUPPORTED). A non-elevated
 * `repair --yes` or `undo` runs itself again with the "runas" verb, the same
 * arguments and a hidden first argument CD_ELEVATED_ARG "DIR": the elevated
 * child, whose console is its own, writes its standard output and error to
 * files in DIR (a directory the parent made that only this user,
 * Administrators and SYSTEM can open); the parent waits, copies them to its
 * own output and returns the child's exit code. A process started with the
 * marker never elevates again, so it cannot loop. */
#define CD_ELEVATED_ARG "--elevated-output="

/* Test only: "1" makes a process that is not an elevated child believe it
 * is not elevated (cd_actions_is_admin() is 0), so that Wine, where every
 * process is an administrator, exercises the relaunch; "all" makes the
 * elevated child believe it too (it must then not relaunch again);
 * "declined" also makes the relaunch fail as when the user says No to the
 * UAC prompt (Wine shows none). Does nothing unless set. */
#define CD_TEST_NOT_ELEVATED_ENV "CADOCTOR_TEST_NOT_ELEVATED"

/* Relaunches elevated with args (argv[0] is the command, e.g. "repair"),
 * relays the child's output and sets *code to its exit code. CD_ERR_DENIED
 * when the user declined; CD_ERR_UNSUPPORTED when this OS does not elevate
 * or this process is already an elevated child; other errors with d set. */
cd_err cd_actions_relaunch_elevated(int argc, char **argv, int *code, struct cd_diag *d);

/* In main, for an argument starting with CD_ELEVATED_ARG: becomes the
 * elevated child, its output going to files in the directory named after
 * the marker. CD_ERR_DENIED (nothing written) when the directory is not a
 * plain directory. */
cd_err cd_actions_become_elevated_child(const char *marker_arg);

/* 1 in a process started with the marker. */
int cd_actions_is_elevated_child(void);

/* Host and user names for the journal ("?" when unknown). */
void cd_actions_identity(char *host, size_t hostlen, char *user, size_t userlen);

#endif
