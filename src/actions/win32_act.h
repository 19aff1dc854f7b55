/* Helpers shared by the Windows action files (src/actions/win32_*.c):
 * registry keys named as text, values and whole subtrees captured as JSON
 * (types and raw bytes, so that undo writes back exactly what was there),
 * known folders, and running a program by absolute path without a shell. */
#ifndef CD_WIN32_ACT_H
#define CD_WIN32_ACT_H

#include <windows.h>

#include "../core/cmdline.h"
#include "../core/repair.h"
#include "../probes/win32_reg.h"

struct cJSON;

/* A key argument "HKLM\SOFTWARE\X" (also HKEY_LOCAL_MACHINE, HKCU, HKU,
 * HKCR): its root and the subkey text after the first backslash. */
cd_err cd_wa_parse_key(const char *key, HKEY *root, const char **subkey);
/* The view argument ("32", "64", or NULL for the native view). */
enum cd_reg_view cd_wa_view(const char *arg);
REGSAM cd_wa_sam(enum cd_reg_view v);
/* Opens root\sub with access in the view; CD_ERR_NOT_FOUND when absent. */
cd_err cd_wa_open(HKEY root, const char *sub, enum cd_reg_view v, REGSAM access, HKEY *out);
int cd_wa_key_exists(HKEY root, const char *sub, enum cd_reg_view v);

/* One value: {"exists": false} or {"exists": true, "type": N, "data": "hex"}. */
cd_err cd_wa_value_capture(HKEY h, const char *name, struct cJSON **out);
/* Writes back (or deletes, when it did not exist) a captured value. */
cd_err cd_wa_value_restore(HKEY h, const char *name, const struct cJSON *v);

/* A whole key: {"exists": false} or {"exists": true, "values": [{"name",
 * "type", "data"}...], "keys": [{"name", "values", "keys"}...]}, at most
 * 20000 keys and values and 32 levels (CD_ERR_LIMIT beyond). */
cd_err cd_wa_tree_capture(HKEY root, const char *sub, enum cd_reg_view v, struct cJSON **out);
/* Makes root\sub exactly the captured tree: deletes what is there, then
 * recreates the captured keys and values (or leaves it deleted). */
cd_err cd_wa_tree_restore(HKEY root, const char *sub, enum cd_reg_view v, const struct cJSON *tree);
/* Puts back only the values of root\sub (not its subkeys) as captured by
 * cd_wa_tree_capture: deletes values that were not there, rewrites the
 * others. */
cd_err cd_wa_values_restore(HKEY root, const char *sub, enum cd_reg_view v, const struct cJSON *tree);
/* Deletes root\sub and everything below it; CD_OK when it is not there. */
cd_err cd_wa_tree_delete(HKEY root, const char *sub, enum cd_reg_view v);
/* The outermost missing key on the way to root\sub (a new string), or NULL
 * when sub exists. */
char *cd_wa_first_missing(HKEY root, const char *sub, enum cd_reg_view v);
/* Deletes sub and its parents up to (and including) stop while they are
 * empty (no values, no subkeys). */
void cd_wa_prune_empty(HKEY root, const char *sub, const char *stop, enum cd_reg_view v);

/* A "registry state" capture used by the actions that create keys:
 * {"tree": <tree of sub>, "first_missing": "..."|null}; restore puts the
 * tree back, or deletes sub and the empty keys up to first_missing. */
cd_err cd_wa_state_capture(HKEY root, const char *sub, enum cd_reg_view v, struct cJSON **out);
cd_err cd_wa_state_restore(HKEY root, const char *sub, enum cd_reg_view v, const struct cJSON *st);

/* Win32 error -> cd_err */
cd_err cd_wa_err(DWORD e);

/* Program Files folders (UTF-8, new strings; NULL when there is none). */
char *cd_wa_program_files(int x86);
/* The system directory (System32; SysWOW64 for view 32 on 64-bit Windows). */
char *cd_wa_system_dir(enum cd_reg_view v);
/* Resolves an installer or DLL path that must lie under Program Files or
 * Program Files (x86): absolute and inside one of them, or relative to them
 * (x86 first). The file must exist. A new string, or NULL with d set. */
char *cd_wa_under_program_files(const char *path, struct cd_diag *d);

/* Runs argv (argv[0] an absolute path) with CreateProcessW: no shell, no
 * search. Waits up to timeout_ms; *code gets the exit code. */
cd_err cd_wa_run(char *const *argv, size_t argc, DWORD timeout_ms, DWORD *code, struct cd_diag *d);

/* The test switch CADOCTOR_TEST_NOT_ELEVATED (actions_os.h): 1 when this
 * process must believe it is not elevated (win32_elevate.c). */
int cd_wa_test_not_elevated(void);

/* sha256 of a file (64 hex digits + NUL). */
cd_err cd_wa_sha256_file(const char *path, char out[65]);

#endif
