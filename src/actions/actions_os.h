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

/* Host and user names for the journal ("?" when unknown). */
void cd_actions_identity(char *host, size_t hostlen, char *user, size_t userlen);

#endif
