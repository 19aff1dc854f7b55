/* Windows command lines: splitting them as Windows does, and deciding whether
 * an uninstall string (from an Uninstall key any installer wrote) may be run.
 * Portable, so that the parser is unit-tested and fuzzed on every build; the
 * Windows backend (src/actions/win32_programs.c) runs what it returns with
 * CreateProcessW by absolute path, never through a shell. */
#ifndef CD_CMDLINE_H
#define CD_CMDLINE_H

#include <stddef.h>

#include "error.h"

struct cd_cmdline {
	char **argv; /* argc strings, then NULL */
	size_t argc;
};

void cd_cmdline_release(struct cd_cmdline *c);

/* Splits a command line by the rules of CommandLineToArgvW: the program name
 * ends at the next quote when it starts with one, else at the first blank,
 * with no escapes; in the arguments 2n backslashes before a quote give n and
 * toggle quoting, 2n+1 give n and a literal quote, and a run of quotes inside
 * a quoted part gives a literal quote for every third. An empty line gives
 * argc 0. CD_ERR_INVALID for a line with a NUL byte or invalid UTF-8,
 * CD_ERR_LIMIT past 32767 bytes (Windows' own limit). */
cd_err cd_cmdline_split(const char *line, size_t len, struct cd_cmdline *out);

/* The inverse: a command line that cd_cmdline_split (and CommandLineToArgvW)
 * turns back into argv exactly. argv[0] is quoted when it has a blank; it
 * must not contain a quote (Windows file names cannot). A new string. */
char *cd_cmdline_join(char *const *argv, size_t argc);

/* Whether a path names an existing regular file (a callback, so that tests
 * run the checks against a made-up file system). */
typedef int (*cd_file_exists_fn)(void *ud, const char *path);

struct cd_uninstall_opts {
	cd_file_exists_fn exists;
	void *exists_ud;
	/* Windows' system directory ("C:\Windows\System32"): a bare
	 * "MsiExec.exe" runs the msiexec.exe in it. NULL: bare names refused. */
	const char *system_dir;
	/* The Program Files folders ("C:\Program Files", "C:\Program Files
	 * (x86)"; NULL when unknown): the allow-listed wrapper form runs code
	 * only from under them. */
	const char *program_files[2];
	/* Optional: the long form of a path that may hold 8.3 short names
	 * ("C:\PROGRA~1\..."; GetLongPathNameW), a new string, or NULL when
	 * it cannot be had. Without it short names are compared as written. */
	char *(*long_path)(void *ud, const char *path);
};

/* Turns an uninstall string into the program and arguments to run, or
 * refuses it. Accepted:
 *   - an absolute path (X:\..., no "..", not a network path) to an existing
 *     .exe, quoted or not (unquoted with blanks: the shortest prefix that ends
 *     in .exe, as CreateProcess would take), and its arguments;
 *   - msiexec (bare or by path) with /I or /X and a product code {GUID}:
 *     always turned into <system_dir>\msiexec.exe /x {GUID} /qn /norestart.
 *   - the one allow-listed wrapper form, InstallShield's (InstallScript)
 *     uninstaller: rundll32 (bare, or the system directory's) with
 *     "<dir>\Ctor.dll,LaunchSetup" where the DLL exists under Program
 *     Files (its Common Files), then the setup .exe it launches, also an
 *     existing plain absolute path under Program Files, then only switches
 *     (-x or /x, no quotes, no paths). It runs as
 *     <system_dir>\rundll32.exe with the long forms of both paths.
 * Refused (CD_ERR_DENIED, why says which rule): shell metacharacters
 * & | < > ^ outside quotes, any line break, relative or network paths,
 * missing files, programs that are not .exe, and wrappers that run other
 * code: cmd, command, powershell, pwsh, rundll32 (any other form: an INF
 * section, a DLL elsewhere, another entry point), regsvr32, mshta, wscript,
 * cscript, msbuild, installutil, forfiles, schtasks, bash, wsl, ...
 * CD_ERR_INVALID for a line cd_cmdline_split refuses. why gets a short
 * English reason (for the journal and messages). */
cd_err cd_uninstall_parse(const char *line, const struct cd_uninstall_opts *opt,
			  struct cd_cmdline *out, char *why, size_t whylen);

/* 1 if path is absolute in the Windows sense this module accepts:
 * a drive letter, ":\", no "." or ".." component, no forward slash, no
 * control characters, no ":" after the drive, no "\\?\" or UNC prefix. */
int cd_win_path_is_plain_absolute(const char *path);

#endif
