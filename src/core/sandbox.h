/* Running rule SQL safely. Rule queries come from rule files, and later from
 * rule packs, so they are treated as untrusted: read-only, only fact and
 * catalog tables, only plain functions, and a step budget so a bad query
 * cannot hang a scan. */
#ifndef CD_SANDBOX_H
#define CD_SANDBOX_H

#include "error.h"

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

/* Default budget: SQLite VM steps per query (about a second of work). */
#define CD_SANDBOX_STEP_LIMIT 50000000LL

/* Registers cadoctor's SQL functions (version_cmp, fold, ...) on db. */
cd_err cd_sql_register_functions(sqlite3 *db);

/* Prepares sql under the sandbox. On refusal returns CD_ERR_DENIED with the
 * reason in d->msg (e.g. "writes to table programs"); on SQL errors
 * CD_ERR_SQL with SQLite's message. Exactly one statement is allowed. */
cd_err cd_sandbox_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, struct cd_diag *d);

/* Steps a sandboxed statement with the step budget. Returns SQLITE_ROW,
 * SQLITE_DONE, or an SQLite error code (SQLITE_INTERRUPT when the budget ran out). */
int cd_sandbox_step(sqlite3 *db, sqlite3_stmt *st, long long *steps_left);

#endif
