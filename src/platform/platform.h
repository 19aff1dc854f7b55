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
/* PKCS#11 structures are packed to 1 byte on Windows (src/probes/pkcs11_min.h). */
#define CD_CRYPTOKI_PACK_BEGIN _Pragma("pack(push, cd_cryptoki, 1)")
#define CD_CRYPTOKI_PACK_END _Pragma("pack(pop, cd_cryptoki)")
#else
#define CD_OS_NAME "linux"
#define CD_PATH_SEP '/'
#define CD_CRYPTOKI_PACK_BEGIN
#define CD_CRYPTOKI_PACK_END
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

/* ---- isolating vendor code: child processes, shared libraries ---- */

/* Full path of the running executable (/proc/self/exe, GetModuleFileNameW)
 * as a new UTF-8 string (free()), NULL if unknown. */
char *cd_self_exe(void);

/* Text from Chinese vendor code that is not UTF-8 (token labels written by
 * GBK-era tools) decoded as GBK/GB18030 (iconv on POSIX, code page 936 on
 * Windows): a new UTF-8 string, or NULL when the bytes are not valid GBK
 * either (or n is 0). */
char *cd_gbk_to_utf8(const char *s, size_t n);

/* PE machine (IMAGE_FILE_HEADER.Machine, src/probes/pe.h) of this Windows
 * build: only DLLs of this machine can be loaded in its processes. 0 on
 * systems whose libraries are not PE images. */
long cd_self_pe_machine(void);

/* Runs the program argv[0] (a full path) with the arguments argv (NULL-
 * terminated; argv[0] included), standard input and error from the null
 * device, and captures its standard output, at most max_out bytes. It gets
 * timeout_ms to finish; then it is killed together with whatever it started
 * (its process group on POSIX, its job object on Windows, where a crash also
 * ends it at once instead of showing an error dialog). Returns:
 *   CD_OK           it exited by itself; *exit_code = its exit status
 *   CD_ERR_CRASH    killed by a signal or ended by an exception;
 *                   *exit_code = the signal number or the exception code
 *   CD_ERR_TIMEOUT  still running after timeout_ms: killed; *exit_code = -1
 *   CD_ERR_LIMIT    wrote more than max_out bytes: killed; *exit_code = -1
 *   CD_ERR_NOT_FOUND, CD_ERR_IO, CD_ERR_NOMEM: it could not be started;
 *                   nothing is set
 * In the first four cases *out (NUL-terminated, free()) and *out_len hold
 * what it wrote, so a child that crashed half way still tells how far it got.
 * Core dumps of the child are switched off. */
cd_err cd_spawn_capture(const char *const *argv, int timeout_ms, size_t max_out, char **out,
			size_t *out_len, int *exit_code);

/* For a process about to load foreign code: returns a new stream on the
 * original standard output, and points the standard output (fd 1, and on
 * Windows STD_OUTPUT_HANDLE) at the standard error, so that whatever the
 * loaded code prints cannot mix into what the stream carries. NULL (and
 * nothing changed) on failure. */
FILE *cd_take_stdout(void);

/* Shared libraries (dlopen, LoadLibraryExW). cd_lib_open returns a handle, or
 * NULL with the reason in err (UTF-8, truncated to errlen). Dependencies of a
 * Windows DLL are looked for in its own directory first. */
void *cd_lib_open(const char *path, char *err, size_t errlen);
/* Address of an exported symbol, NULL if there is none. */
void *cd_lib_sym(void *lib, const char *name);
void cd_lib_close(void *lib);

#endif
