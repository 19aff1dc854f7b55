/* Small portable helpers: strings, UTF-8, versions, time, files. */
#ifndef CD_UTIL_H
#define CD_UTIL_H

#include "compiler.h"

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

char *cd_strdup(const char *s);
char *cd_strndup(const char *s, size_t n);
/* printf into a new malloc'd string; NULL on failure. */
char *cd_aprintf(const char *fmt, ...)
	CD_PRINTF(1, 2);
int cd_streq(const char *a, const char *b);
/* ASCII case-insensitive comparison. */
int cd_strieq(const char *a, const char *b);
/* Trims blanks (space, tab, CR, LF) at both ends of s (not NULL): trailing
 * ones are cut in place by writing a NUL; leading ones are skipped, not
 * moved. Returns a pointer into s at its first non-blank character (s itself
 * only when it starts with none), so free() s, never the result. */
char *cd_trim(char *s);

/* Splits a list: copies the next item before sep (trimmed, truncated to
 * outlen) into out, advances *p past it; returns 0 when the list is done. */
int cd_split_next(const char **p, char sep, char *out, size_t outlen);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
int cd_utf8_valid(const char *s, size_t n);
/* Copy of s[0..n) with every invalid byte replaced by U+FFFD. NULL on OOM. */
char *cd_utf8_sanitize(const char *s, size_t n);
/* Decodes one code point at *p (advancing it); returns -1 on invalid input. */
long cd_utf8_next(const char **p, const char *end);

/* Folds text for matching what a user typed: drops white space and
 * punctuation (ASCII and CJK full-width), folds full-width ASCII to ASCII and
 * ASCII to lower case. "Load XTX  fail!" and "loadxtxfail" fold alike. */
char *cd_fold_for_match(const char *s);

/* Compares dotted versions numerically ("2.10" > "2.9"); non-numeric parts
 * compare as text; missing parts count as 0. Returns <0, 0, >0. */
int cd_version_cmp(const char *a, const char *b);

/* Seconds since the epoch, UTC. Tests may pin it with CADOCTOR_NOW (seconds). */
int64_t cd_now(void);
/* "2026-11-22T01:02:03Z" into out (>= 21 bytes). */
void cd_format_utc(int64_t t, char *out, size_t outlen);

/* Reads a whole file (max bytes) into a NUL-terminated buffer. */
cd_err cd_read_file(const char *path, size_t max, char **out, size_t *outlen);
cd_err cd_write_file(const char *path, const void *data, size_t len);

#endif
