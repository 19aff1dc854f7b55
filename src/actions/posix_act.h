/* Helpers shared by the Linux action files (src/actions/posix_*.c). */
#ifndef CD_POSIX_ACT_H
#define CD_POSIX_ACT_H

#include <stddef.h>
#include <sys/types.h>

#include "../core/error.h"
#include "../core/repair.h"

/* A system path under env->root (a new string). */
char *cd_act_path(const struct cd_action_env *env, const char *abs_path);
/* 1 when env names the running system (no root, or "/"). */
int cd_act_live(const struct cd_action_env *env);
/* 1 if p is absolute with no "." or ".." component and no empty one. */
int cd_act_plain_abs(const char *p);
/* Writes data to path through a temporary file in the same directory,
 * fsync'ed, then renamed over it, with mode. */
cd_err cd_act_write_atomic(const char *path, const char *data, size_t len, mode_t mode);
/* sha256 of a file as 64 hex digits into out[65]. */
cd_err cd_act_sha256_file(const char *path, char out[65]);
/* Creates dir and missing parents (0755); returns in *created the outermost
 * directory it created (a new string), or NULL when all existed. */
cd_err cd_act_mkdirs(const char *dir, char **created);
/* Runs argv (argv[0] an absolute path; no shell), waits up to timeout_ms,
 * and puts the exit status into *status. Output is captured into d->msg
 * when it fails. */
cd_err cd_act_run(const char *const *argv, int timeout_ms, int *status, struct cd_diag *d);
/* 1 when systemd runs this system (/run/systemd/system is a directory). */
int cd_act_systemd(void);

#endif
