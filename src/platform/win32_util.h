/* Helpers for Windows code (platform layer and win32_* probes): UTF-8 <->
 * UTF-16 at the API edge. Only included by Windows files. */
#ifndef CD_WIN32_UTIL_H
#define CD_WIN32_UTIL_H

#include <wchar.h>

/* New UTF-16 copy of a UTF-8 string (free()), NULL on failure. */
wchar_t *cd_w_from_utf8(const char *s);
/* New UTF-8 copy of a UTF-16 string (free()). */
char *cd_utf8_from_w(const wchar_t *w);
/* The same for wlen UTF-16 units (no terminator needed); -1 means up to the terminator. */
char *cd_utf8_from_w_n(const wchar_t *w, int wlen);

#endif
