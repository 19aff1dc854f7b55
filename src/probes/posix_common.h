/* Helpers shared by the Linux probes (posix_*.c): a list of strings, system
 * paths under the scan root, the users' home directories and the multiarch
 * triplet of the analysed system. Like every posix_*.c file, posix_common.c
 * is compiled only on Linux: include this header from posix_*.c files only.
 *
 * "System path" means an absolute path on the analysed system ("/etc/passwd");
 * the helpers map it under --root with cd_probe_path(). */
#ifndef CD_POSIX_COMMON_H
#define CD_POSIX_COMMON_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/probe.h"

/* A list of strings that owns its items (each one a malloc'd string).
 * Zero-initialise it (struct cd_strv s = { 0 };) before use and free it with
 * cd_strv_release; v[0..n) may be read (and edited in place) directly. */
struct cd_strv {
	char **v;
	size_t n, cap;
};

/* 1 if an item of s equals x (strcmp), else 0. Neither may be NULL. */
int cd_strv_has(const struct cd_strv *s, const char *x);

/* Appends x and takes ownership of it in every case: when it cannot be added
 * it is freed. x may be NULL (a failed cd_strdup or cd_aprintf passed
 * straight in): nothing is added and CD_ERR_NOMEM returned. Returns CD_OK or
 * CD_ERR_NOMEM; records no probe error. */
cd_err cd_strv_take(struct cd_strv *s, char *x);

/* Frees every item and the array; s is left empty and may be used again. */
void cd_strv_release(struct cd_strv *s);

/* 1 if the system path sys_path is a directory on the analysed system
 * (cd_is_dir of its place under the scan root, links followed), else 0 --
 * also when it is absent, unreadable, or memory runs out. Records no probe
 * error: absence is an ordinary answer here. */
int cd_sys_is_dir(const struct cd_probe_ctx *ctx, const char *sys_path);

/* 1 if anything (file, directory, link to an existing target) exists at the
 * system path sys_path on the analysed system, else 0, as cd_sys_is_dir. */
int cd_sys_exists(const struct cd_probe_ctx *ctx, const char *sys_path);

/* Appends to homes (taking care not to repeat one already there) the home
 * directories of the analysed system's users, as system paths without a
 * trailing '/': /root, every /home/<name>, and every home named in
 * /etc/passwd, each only if it is a directory there; "/" is never one.
 * $HOME is not used: cadoctor usually runs as root while the key belongs to
 * a desktop user. The only probe error recorded is an /etc/passwd that
 * exists but cannot be read (target "/etc/passwd"); a missing /home or
 * /etc/passwd is silent, and a home that cannot be stored for want of
 * memory is left out. */
void cd_posix_user_homes(struct cd_probe_ctx *ctx, struct cd_strv *homes);

/* Multiarch triplet of the analysed system ("x86_64-linux-gnu": Debian, UOS
 * and Kylin keep libraries in /usr/lib/<triplet>) as a new string to free(),
 * or NULL when it has none (or memory runs out). This build's own triplet
 * wins when /usr/lib/<it> exists; otherwise, for another architecture
 * mounted with --root, the first directory of /usr/lib whose name contains
 * "-linux-". Records no probe error. */
char *cd_posix_multiarch(const struct cd_probe_ctx *ctx);

#endif
