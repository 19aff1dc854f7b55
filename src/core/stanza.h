/* The text format of rules, catalogs, strings and readable facts: stanzas of
 * "Field: value" lines separated by blank lines, as in Debian control files.
 *   - a line starting with '#' is a comment;
 *   - a line starting with a space or tab continues the previous field's value
 *     (the indentation of the first continuation line is removed from all of
 *     them; a continuation line of just "." stands for an empty line);
 *   - field names are ASCII letters, digits, '-', '_' and '.', case-insensitive.
 * Files must be UTF-8 (a BOM is skipped). Every field remembers its line so
 * that checks can say file:line. */
#ifndef CD_STANZA_H
#define CD_STANZA_H

#include <stddef.h>

#include "error.h"

struct cd_field {
	char *name;
	char *value;
	int line;       /* line of "Name:" */
	int first_line; /* line of the first non-empty value text */
};

struct cd_stanza {
	struct cd_field *fields;
	size_t nfields;
	int line; /* first line of the stanza */
};

struct cd_stanza_file {
	char *path;
	struct cd_stanza *stanzas;
	size_t nstanzas;
};

/* Parses text (len bytes) named path (for messages). On error fills d with
 * file:line and the reason, and *out is untouched. */
cd_err cd_stanza_parse(const char *path, const char *text, size_t len,
		       struct cd_stanza_file *out, struct cd_diag *d);
cd_err cd_stanza_load(const char *path, struct cd_stanza_file *out, struct cd_diag *d);
void cd_stanza_file_release(struct cd_stanza_file *f);

/* Field by name (case-insensitive), or NULL. */
const struct cd_field *cd_stanza_field(const struct cd_stanza *s, const char *name);
/* Value by name, or NULL. */
const char *cd_stanza_get(const struct cd_stanza *s, const char *name);

#endif
