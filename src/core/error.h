/* One error enum for the whole program. Values are negative so that functions
 * returning a count can return an error in the same int. Every value has a
 * stable name (for JSON and probe_errors) and a message (cd_err_message). */
#ifndef CD_ERROR_H
#define CD_ERROR_H

#include "compiler.h"

#include <stddef.h>

typedef enum cd_err {
	CD_OK = 0,
	CD_ERR_NOMEM = -1,       /* allocation failed or a buffer hit its maximum */
	CD_ERR_IO = -2,          /* a file could not be read or written */
	CD_ERR_PARSE = -3,       /* input is not in the expected format */
	CD_ERR_SQL = -4,         /* SQLite reported an error */
	CD_ERR_NOT_FOUND = -5,   /* the thing looked for does not exist */
	CD_ERR_INVALID = -6,     /* bad argument or bad value */
	CD_ERR_TIMEOUT = -7,     /* a time or step limit was reached */
	CD_ERR_DENIED = -8,      /* access denied, or refused by the rule sandbox */
	CD_ERR_UNSUPPORTED = -9, /* not available on this OS or build */
	CD_ERR_LIMIT = -10,      /* a size or count limit was reached */
	CD_ERR_NET = -11,        /* a network step failed */
	CD_ERR_VERSION = -12,    /* a file's format version is not one we read */
	CD_ERR_CRASH = -13,      /* isolated code crashed */
	CD_ERR_INTERNAL = -14    /* a bug in cadoctor */
} cd_err;

/* Stable lower-case identifier, e.g. "parse". Never NULL. */
const char *cd_err_name(cd_err e);
/* Human readable message in the current language. Never NULL. */
const char *cd_err_message(cd_err e);

/* A diagnostic: where (file, line; either may be empty/0) and why. Functions
 * that can fail on user input fill one so the message can name the place. */
struct cd_diag {
	cd_err code;
	int line;
	char file[512];
	char msg[768];
};

void cd_diag_clear(struct cd_diag *d);
/* Sets d (if not NULL) and returns code, so callers can `return cd_diag_set(...)`. */
cd_err cd_diag_set(struct cd_diag *d, cd_err code, const char *file, int line,
		   const char *fmt, ...)
	CD_PRINTF(5, 6);

/* A growable list of diagnostics, for checks that report every problem at once. */
struct cd_diag_list {
	struct cd_diag *v;
	size_t n, cap;
};
void cd_diag_list_add(struct cd_diag_list *l, const struct cd_diag *d);
void cd_diag_list_release(struct cd_diag_list *l);

#endif
