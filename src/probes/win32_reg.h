/* Reading the Windows registry defensively. Values on a user's machine are
 * written by many vendors' installers: wrong types, wrong sizes, strings
 * without terminators, huge values. Every reader here checks type and size,
 * terminates strings itself, caps sizes, and returns an error code the probe
 * records; none of them trusts a value.
 *
 * Views: 64-bit Windows keeps two views of HKLM\SOFTWARE (64-bit and the
 * WOW6432Node 32-bit one). Probes read both where the data exists in both and
 * record which view a fact came from ("64" / "32"). */
#ifndef CD_WIN32_REG_H
#define CD_WIN32_REG_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"

enum cd_reg_view { CD_REG_VIEW_64 = 64, CD_REG_VIEW_32 = 32 };

#define CD_REG_MAX_VALUE ((DWORD)1 << 20) /* bigger values are refused: CD_ERR_LIMIT */

/* The registry views this machine has: {64, 32} on 64-bit Windows, {32} on
 * 32-bit Windows. Returns the count (1 or 2). */
int cd_reg_views(enum cd_reg_view views[2]);
const char *cd_reg_view_name(enum cd_reg_view v); /* "64" or "32" */

/* Opens root\subkey (UTF-8) for reading in the given view. CD_ERR_NOT_FOUND
 * when absent, CD_ERR_DENIED when access is refused. */
cd_err cd_reg_open(HKEY root, const char *subkey, enum cd_reg_view view, HKEY *out);
void cd_reg_close(HKEY h);

/* Names of the subkeys (sorted, UTF-8). */
cd_err cd_reg_subkeys(HKEY h, char ***names, size_t *count);
/* Names of the values (sorted, UTF-8; the default value is ""). */
cd_err cd_reg_value_names(HKEY h, char ***names, size_t *count);

/* A string value (REG_SZ, or REG_EXPAND_SZ expanded when expand is set).
 * value NULL or "" reads the default value. CD_ERR_NOT_FOUND when absent,
 * CD_ERR_PARSE when the type is not a string type, CD_ERR_LIMIT when huge.
 * A missing terminator is tolerated; an odd byte count is truncated. */
cd_err cd_reg_get_str(HKEY h, const char *value, int expand, char **out);
/* A REG_DWORD of exactly 4 bytes. */
cd_err cd_reg_get_dword(HKEY h, const char *value, uint32_t *out);
/* REG_MULTI_SZ as a list (cd_free_list). */
cd_err cd_reg_get_multi(HKEY h, const char *value, char ***items, size_t *count);
/* Any value as lower-case hex of its bytes (for ATRs, binary blobs). */
cd_err cd_reg_get_hex(HKEY h, const char *value, char **out);

/* Probe shorthands over the readers above: read one value of the open key h
 * and record every failure except absence as a probe error whose target is
 * where (the key as cd_reg_describe names it) and whose message names the
 * value and what is wrong with it. An absent or unusable value gives NULL
 * (cd_reg_probe_dword: 0, with *out untouched; 1 when *out was set). */
struct cd_probe_ctx;
char *cd_reg_probe_str(struct cd_probe_ctx *ctx, HKEY h, const char *where, const char *value,
		       int expand);
int cd_reg_probe_dword(struct cd_probe_ctx *ctx, HKEY h, const char *where, const char *value,
		       uint32_t *out);
char *cd_reg_probe_hex(struct cd_probe_ctx *ctx, HKEY h, const char *where, const char *value);

/* "HKLM", "HKCU", "HKU", "HKCR" for messages and facts. */
const char *cd_reg_root_name(HKEY root);
/* "HKLM\SOFTWARE\X (32)" style text for probe errors (a new string). */
char *cd_reg_describe(HKEY root, const char *subkey, enum cd_reg_view view, const char *value);

/* Expands %VARS% and maps the system directory for the view a path was
 * registered in (System32 seen from a 32-bit registration is SysWOW64). */
char *cd_win_expand_path(const char *path, enum cd_reg_view view);
/* 1 if the file exists (after expansion). */
int cd_win_file_exists(const char *path);
/* The file version of a PE file's version resource ("a.b.c.d" from its
 * VS_FIXEDFILEINFO), or NULL when it has none or cannot be read. */
char *cd_win_file_version(const char *path);

#endif
