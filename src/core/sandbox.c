#include "sandbox.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "util.h"

/* ---- SQL functions available to rules ---- */

static void fn_version_cmp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int(ctx, cd_version_cmp((const char *)sqlite3_value_text(argv[0]),
					       (const char *)sqlite3_value_text(argv[1])));
}

static void fn_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char *s;
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	s = cd_fold_for_match((const char *)sqlite3_value_text(argv[0]));
	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, s, -1, free);
}

/* list_has('a, b ,c', 'b') = 1: membership in a comma-separated list. */
static void fn_list_has(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *list = (const char *)sqlite3_value_text(argv[0]);
	const char *item = (const char *)sqlite3_value_text(argv[1]);
	size_t n;
	(void)argc;
	if (!list || !item) {
		sqlite3_result_null(ctx);
		return;
	}
	n = strlen(item);
	while (*list) {
		const char *c = strchr(list, ',');
		const char *e = c ? c : list + strlen(list);
		while (list < e && (*list == ' ' || *list == '\t'))
			list++;
		while (e > list && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - list) == n && !strncmp(list, item, n)) {
			sqlite3_result_int(ctx, 1);
			return;
		}
		if (!c)
			break;
		list = c + 1;
	}
	sqlite3_result_int(ctx, 0);
}

/* basename('C:\x\y.dll') = 'y.dll', for either separator. */
static void fn_basename(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	const char *b;
	(void)argc;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	b = s;
	for (; *s; s++)
		if (*s == '/' || *s == '\\')
			b = s + 1;
	sqlite3_result_text(ctx, b, -1, SQLITE_TRANSIENT);
}

cd_err cd_sql_register_functions(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function(db, "version_cmp", 2, flags, NULL, fn_version_cmp, NULL, NULL) ||
	    sqlite3_create_function(db, "fold", 1, flags, NULL, fn_fold, NULL, NULL) ||
	    sqlite3_create_function(db, "list_has", 2, flags, NULL, fn_list_has, NULL, NULL) ||
	    sqlite3_create_function(db, "basename", 1, flags, NULL, fn_basename, NULL, NULL))
		return CD_ERR_SQL;
	return CD_OK;
}

/* ---- authorizer ---- */

struct auth_state {
	char reason[256];
};

/* Real tables of ours that are not facts or catalogs. */
static const char *const private_tables[] = {
	"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema",
	"sqlite_sequence", "sqlite_stat1", "sqlite_stat4", "rules", "rule_symptoms", "rule_actions",
	NULL,
};

static int readable_table(const char *db, const char *table)
{
	const char *const *t;
	if (!table)
		return 0;
	if (!db) {
		/* SQLite names no database for reads of a CTE or subquery, and for
		 * some reads that use no column (count(*)). Those are safe unless
		 * the name is one of our private tables. */
		for (t = private_tables; *t; t++)
			if (!sqlite3_stricmp(*t, table))
				return 0;
		return 1;
	}
	if (!strcmp(db, "rules"))
		return !strncmp(table, "cat_", 4);
	if (strcmp(db, "main") != 0)
		return 0;
	for (t = cd_facts_tables(); *t; t++)
		if (!strcmp(*t, table))
			return 1;
	return 0;
}

/* Functions a rule must not call: they read or write outside the database,
 * or would make findings differ between a live scan and its snapshot. */
static const char *const denied_functions[] = {
	"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit",
	"random", "randomblob", "changes", "total_changes", "last_insert_rowid",
	"sqlite_compileoption_get", "sqlite_compileoption_used", "sqlite_source_id",
	NULL,
};

static int authorize(void *ud, int action, const char *a1, const char *a2, const char *dbname,
		     const char *trigger)
{
	struct auth_state *st = ud;
	size_t i;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_READ:
		if (readable_table(dbname, a1))
			return SQLITE_OK;
		snprintf(st->reason, sizeof(st->reason),
			 "reads %s.%s, which is neither a fact table nor a catalog table",
			 dbname ? dbname : "?", a1 ? a1 : "?");
		return SQLITE_DENY;
	case SQLITE_FUNCTION:
		for (i = 0; denied_functions[i]; i++) {
			if (a2 && !sqlite3_stricmp(a2, denied_functions[i])) {
				snprintf(st->reason, sizeof(st->reason), "calls %s(), which rules may not use",
					 a2);
				return SQLITE_DENY;
			}
		}
		return SQLITE_OK;
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
	case SQLITE_DELETE:
		snprintf(st->reason, sizeof(st->reason), "writes to table %s", a1 ? a1 : "?");
		return SQLITE_DENY;
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		snprintf(st->reason, sizeof(st->reason), "attaches or detaches a database");
		return SQLITE_DENY;
	case SQLITE_PRAGMA:
		snprintf(st->reason, sizeof(st->reason), "uses PRAGMA %s", a1 ? a1 : "");
		return SQLITE_DENY;
	default:
		snprintf(st->reason, sizeof(st->reason),
			 "does something other than read (SQLite action %d)", action);
		return SQLITE_DENY;
	}
}

cd_err cd_sandbox_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out, struct cd_diag *d)
{
	struct auth_state st;
	sqlite3_stmt *stmt = NULL;
	const char *tail = NULL;
	int rc;

	memset(&st, 0, sizeof(st));
	sqlite3_set_authorizer(db, authorize, &st);
	rc = sqlite3_prepare_v3(db, sql, -1, 0, &stmt, &tail);
	sqlite3_set_authorizer(db, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (st.reason[0])
			return cd_diag_set(d, CD_ERR_DENIED, NULL, 0, "query refused: it %s", st.reason);
		return cd_diag_set(d, CD_ERR_SQL, NULL, 0, "SQL error: %s", sqlite3_errmsg(db));
	}
	if (!stmt)
		return cd_diag_set(d, CD_ERR_SQL, NULL, 0, "the query is empty");
	while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail && *tail) {
		sqlite3_finalize(stmt);
		return cd_diag_set(d, CD_ERR_DENIED, NULL, 0,
				   "query refused: it holds more than one statement");
	}
	if (!sqlite3_stmt_readonly(stmt)) {
		sqlite3_finalize(stmt);
		return cd_diag_set(d, CD_ERR_DENIED, NULL, 0, "query refused: it is not read-only");
	}
	*out = stmt;
	return CD_OK;
}

static int progress(void *ud)
{
	long long *left = ud;
	*left -= 1000;
	return *left <= 0;
}

int cd_sandbox_step(sqlite3 *db, sqlite3_stmt *st, long long *steps_left)
{
	int rc;
	sqlite3_progress_handler(db, 1000, progress, steps_left);
	rc = sqlite3_step(st);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	return rc;
}
