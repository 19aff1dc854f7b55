/* The one place that knows which OS cadoctor runs on. Portable code calls
 * these functions; posix_platform.c and win32_platform.c implement them (the
 * build picks one file, so no function body carries an #ifdef).
 * Strings are UTF-8 everywhere; the Windows side converts at the API edge. */
#ifndef CD_PLATFORM_H
#define CD_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/error.h"

#ifdef _WIN32
#define CD_OS_NAME "windows"
#define CD_PATH_SEP '\\'
#else
#define CD_OS_NAME "linux"
#define CD_PATH_SEP '/'
#endif

/* Called once at start: console code page, sockets, UTF-8 argv.
 * Replaces *argv with a UTF-8 copy where the OS passes another encoding. */
void cd_platform_init(int *argc, char ***argv);
void cd_platform_cleanup(void);

/* fopen with a UTF-8 path. */
FILE *cd_fopen(const char *path, const char *mode);
/* 1 if a file or directory exists at path. */
int cd_path_exists(const char *path);
int cd_is_dir(const char *path);
/* Names (not paths) in a directory, sorted, without "." and "..". */
cd_err cd_list_dir(const char *path, char ***names, size_t *count);
void cd_free_list(char **names, size_t count);
/* Creates a directory and its parents (0755 / default ACL). */
cd_err cd_mkdirs(const char *path);
cd_err cd_remove_file(const char *path);

/* Writes UTF-8 text to stdout/stderr so that Chinese shows correctly on a
 * console whatever its code page, and stays UTF-8 when redirected. */
void cd_write_text(FILE *stream, const char *text, size_t len);
/* 1 if the stream is an interactive terminal/console. */
int cd_isatty(FILE *stream);

/* Monotonic milliseconds for measuring durations. */
int64_t cd_monotonic_ms(void);
/* Peak resident memory of this process in KiB, 0 if unknown. */
size_t cd_peak_rss_kib(void);
void cd_sleep_ms(int ms);

/* Runs fn(arg) on a worker thread and waits up to timeout_ms. Returns CD_OK
 * when fn finished, CD_ERR_TIMEOUT otherwise: the worker is then abandoned
 * (detached) and must own everything it touches (for blocking calls with no
 * time-out of their own, such as getaddrinfo). */
cd_err cd_run_with_timeout(void (*fn)(void *), void *arg, int timeout_ms);

/* Value of an environment variable as UTF-8, or NULL. Not owned by caller. */
const char *cd_getenv(const char *name);

#endif
