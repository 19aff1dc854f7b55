/* Facts: what probes collected, in an SQLite database with the fixed,
 * versioned schema of schema.sql (documented in docs/facts.md). In memory
 * during a scan; saved to a file it is a snapshot that can be analysed on
 * another machine. Readable text facts (stanza format, "Format:
 * cadoctor-facts 1") load the same way, for tests and hand-made cases. */
#ifndef CD_FACTS_H
#define CD_FACTS_H

#include <stdint.h>

#include "buf.h"
#include "error.h"

#define CD_FACTS_SCHEMA_VERSION 1

typedef struct sqlite3 sqlite3;
struct cd_facts;

/* A new, empty in-memory facts database with the schema and meta rows. */
cd_err cd_facts_open(struct cd_facts **out);
void cd_facts_free(struct cd_facts *f);
sqlite3 *cd_facts_db(struct cd_facts *f);

/* Saves the facts (not the attached rules) to path as an SQLite file. The
 * file is written beside path and renamed into place, so a failed save never
 * leaves half a snapshot under the final name. */
cd_err cd_facts_save(struct cd_facts *f, const char *path, struct cd_diag *d);
/* Writes the facts as readable text (stanza format) into b. */
cd_err cd_facts_dump_text(struct cd_facts *f, struct cd_buf *b);

/* Loads a snapshot (SQLite) or a text facts file. Untrusted input: the file
 * is opened read-only and only known tables and columns are copied out of it,
 * so nothing it defines (views, triggers) runs. A damaged, truncated or
 * foreign file gives CD_ERR_PARSE, a newer schema CD_ERR_VERSION, with d
 * naming the file and the reason. */
cd_err cd_facts_load(const char *path, struct cd_facts **out, struct cd_diag *d);

/* Meta values. */
cd_err cd_facts_set_meta(struct cd_facts *f, const char *key, const char *value);
/* Copy of a meta value (free()), or NULL. */
char *cd_facts_get_meta(struct cd_facts *f, const char *key);

/* Number of rows in a table, -1 if there is no such table. */
int64_t cd_facts_count(struct cd_facts *f, const char *table);
/* Names of the fact tables in schema order; NULL-terminated, static. */
const char *const *cd_facts_tables(void);

/* Building one row for insertion. Values are bound when inserted, so text
 * pointers must stay valid until cd_row_insert. Text that is not valid UTF-8
 * is stored with the bad bytes replaced (U+FFFD): facts are always UTF-8. */
#define CD_ROW_MAX_COLS 40
struct cd_row {
	const char *table;
	int ncols;
	int overflow;
	struct {
		const char *col;
		int type; /* 0 null, 1 int, 2 real, 3 text */
		int64_t i;
		double r;
		const char *s;
	} v[CD_ROW_MAX_COLS];
};

void cd_row_init(struct cd_row *r, const char *table);
void cd_row_text(struct cd_row *r, const char *col, const char *s); /* NULL s stores NULL */
void cd_row_int(struct cd_row *r, const char *col, int64_t v);
void cd_row_real(struct cd_row *r, const char *col, double v);
void cd_row_null(struct cd_row *r, const char *col);
/* Boolean convenience: v<0 stores NULL (unknown). */
void cd_row_bool(struct cd_row *r, const char *col, int v);
cd_err cd_row_insert(struct cd_facts *f, struct cd_row *r);

/* Attaches a rules database (compiled rules and catalogs) as schema "rules",
 * read-only, so probes and rules can read catalog tables. The bytes must
 * outlive the facts. */
cd_err cd_facts_attach_rules(struct cd_facts *f, const unsigned char *db, size_t len);

#endif
