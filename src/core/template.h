/* Message templates: text with {column} placeholders filled from one evidence
 * row. "{not_after:date}" formats seconds since the epoch as YYYY-MM-DD,
 * "{x:datetime}" as YYYY-MM-DD HH:MM UTC; "{{" and "}}" are literal braces. */
#ifndef CD_TEMPLATE_H
#define CD_TEMPLATE_H

#include "buf.h"
#include "error.h"

/* Looks up a column's value as text; returns NULL for SQL NULL, and sets
 * *found = 0 when there is no such column. */
typedef const char *(*cd_template_lookup)(void *ud, const char *name, int *found);

/* Checks that every placeholder names one of cols. On failure writes the
 * offending placeholder into bad and returns CD_ERR_PARSE. */
cd_err cd_template_check(const char *tmpl, const char *const *cols, int ncols, char *bad,
			 size_t badlen);
/* Appends the rendered template to out. NULL values render as "-". */
cd_err cd_template_render(const char *tmpl, cd_template_lookup lookup, void *ud, struct cd_buf *out);

/* Fills a description template whose {placeholders} name arguments (action
 * descriptions): unknown names render empty. A new string (free()). */
char *cd_template_fill_args(const char *tmpl, const char *const *keys, const char *const *values,
			    size_t n);

#endif
