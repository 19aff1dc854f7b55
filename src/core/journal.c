/* The repair journal (journal.h). */
#include "journal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct cd_journal {
	sqlite3 *db;
	char *path;
	int writer;
	int in_tx;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE IF NOT EXISTS runs("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" started INTEGER NOT NULL, finished INTEGER,"
	" status TEXT NOT NULL,"
	" host TEXT, user TEXT, version TEXT,"
	" interrupted INTEGER NOT NULL DEFAULT 0,"
	" root TEXT);"
	"CREATE TABLE IF NOT EXISTS steps("
	" run INTEGER NOT NULL REFERENCES runs(id),"
	" seq INTEGER NOT NULL,"
	" rule TEXT, kind TEXT NOT NULL, args TEXT NOT NULL,"
	" before TEXT,"
	" status TEXT NOT NULL,"
	" error TEXT,"
	" planned_at INTEGER, captured_at INTEGER, done_at INTEGER, undone_at INTEGER,"
	" PRIMARY KEY(run, seq));";

const char *cd_journal_path(const struct cd_journal *j)
{
	return j->path;
}

void cd_journal_close(struct cd_journal *j)
{
	if (!j)
		return;
	if (j->in_tx)
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(j->db);
	free(j->path);
	free(j);
}

static cd_err fail(struct cd_journal *j, struct cd_diag *d, cd_err e, const char *what)
{
	cd_diag_set(d, e, j->path, 0, "%s: %s", what, sqlite3_errmsg(j->db));
	cd_journal_close(j);
	return e;
}

cd_err cd_journal_open(const char *dir, int writer, struct cd_journal **out, struct cd_diag *d)
{
	struct cd_journal *j = calloc(1, sizeof(*j));
	sqlite3_stmt *st;
	int rc, format = 0;

	if (!j)
		return CD_ERR_NOMEM;
	j->writer = writer;
	j->path = cd_aprintf("%s%c%s", dir, strchr(dir, '\\') ? '\\' : '/', CD_JOURNAL_FILE);
	if (!j->path) {
		free(j);
		return CD_ERR_NOMEM;
	}
	rc = sqlite3_open_v2(j->path, &j->db,
			     writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY,
			     NULL);
	if (rc != SQLITE_OK) {
		cd_err e = rc == SQLITE_CANTOPEN ? (writer ? CD_ERR_DENIED : CD_ERR_NOT_FOUND) : CD_ERR_IO;
		return fail(j, d, e, "cannot open the journal");
	}
	sqlite3_busy_timeout(j->db, 3000);
	/* Every commit reaches the disk before the action it records starts. */
	rc = sqlite3_exec(j->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return fail(j, d, CD_ERR_TIMEOUT, "another cadoctor repair or undo is running");
	if (rc != SQLITE_OK)
		return fail(j, d, CD_ERR_SQL, "cannot set synchronous=FULL");
	if (writer) {
		/* The writer keeps its lock until it closes: one repair or undo at a
		 * time, and a reader never sees a run half way through a step. */
		if (sqlite3_exec(j->db, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK)
			return fail(j, d, CD_ERR_SQL, "cannot lock the journal");
		rc = sqlite3_exec(j->db, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			return fail(j, d, CD_ERR_TIMEOUT, "another cadoctor repair or undo is running");
		if (rc != SQLITE_OK)
			return fail(j, d, CD_ERR_IO, "cannot lock the journal");
		if (sqlite3_exec(j->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
			return fail(j, d, CD_ERR_SQL, "cannot create the journal tables");
		}
		sqlite3_exec(j->db, "INSERT OR IGNORE INTO meta(key, value) VALUES ('format', '1')", NULL,
			     NULL, NULL);
		if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
			return fail(j, d, CD_ERR_IO, "cannot write the journal");
		}
	}
	if (sqlite3_prepare_v2(j->db, "SELECT value FROM meta WHERE key = 'format'", -1, &st, NULL) !=
	    SQLITE_OK) {
		cd_err e = sqlite3_errcode(j->db) == SQLITE_BUSY ? CD_ERR_TIMEOUT : CD_ERR_PARSE;
		return fail(j, d, e, e == CD_ERR_TIMEOUT ? "the journal is in use" : "not a cadoctor journal");
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		format = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_BUSY)
		return fail(j, d, CD_ERR_TIMEOUT, "the journal is in use");
	if (format != CD_JOURNAL_FORMAT) {
		cd_diag_set(d, CD_ERR_VERSION, j->path, 0, "journal format %d, this cadoctor reads %d",
			    format, CD_JOURNAL_FORMAT);
		cd_journal_close(j);
		return CD_ERR_VERSION;
	}
	*out = j;
	return CD_OK;
}

static cd_err exec(struct cd_journal *j, const char *sql)
{
	return sqlite3_exec(j->db, sql, NULL, NULL, NULL) == SQLITE_OK ? CD_OK : CD_ERR_SQL;
}

static cd_err begin(struct cd_journal *j)
{
	if (!j->writer)
		return CD_ERR_DENIED;
	if (j->in_tx)
		return CD_OK;
	if (exec(j, "BEGIN IMMEDIATE"))
		return CD_ERR_SQL;
	j->in_tx = 1;
	return CD_OK;
}

cd_err cd_journal_commit(struct cd_journal *j)
{
	if (!j->in_tx)
		return CD_OK;
	j->in_tx = 0;
	if (exec(j, "COMMIT")) {
		exec(j, "ROLLBACK");
		return CD_ERR_IO;
	}
	return CD_OK;
}

static cd_err ids_query(struct cd_journal *j, const char *sql, int64_t **ids, size_t *n)
{
	sqlite3_stmt *st;
	int64_t *v = NULL;
	size_t k = 0;
	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t *nv = realloc(v, (k + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			sqlite3_finalize(st);
			return CD_ERR_NOMEM;
		}
		v = nv;
		v[k++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	*ids = v;
	*n = k;
	return CD_OK;
}

cd_err cd_journal_mark_interrupted(struct cd_journal *j, int64_t **ids, size_t *n)
{
	cd_err e;
	if (!j->writer)
		return CD_ERR_DENIED;
	e = ids_query(j, "SELECT id FROM runs WHERE status = 'running' ORDER BY id DESC", ids, n);
	if (e || !*n)
		return e;
	if (begin(j) || exec(j, "UPDATE runs SET status = 'interrupted', interrupted = 1"
				" WHERE status = 'running'") ||
	    cd_journal_commit(j)) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return CD_ERR_IO;
	}
	return CD_OK;
}

cd_err cd_journal_pending_interrupted(struct cd_journal *j, int64_t **ids, size_t *n)
{
	return ids_query(j, "SELECT id FROM runs WHERE status = 'interrupted' ORDER BY id DESC", ids, n);
}

cd_err cd_journal_run_begin(struct cd_journal *j, const char *host, const char *user,
			    const char *version, const char *root, int64_t *run_id)
{
	sqlite3_stmt *st;
	int rc;
	if (begin(j))
		return CD_ERR_IO;
	if (sqlite3_prepare_v2(j->db, "INSERT INTO runs(started, status, host, user, version, root)"
				      " VALUES (?, 'running', ?, ?, ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_int64(st, 1, cd_now());
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, root, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return CD_ERR_SQL;
	*run_id = sqlite3_last_insert_rowid(j->db);
	return CD_OK;
}

cd_err cd_journal_step_plan(struct cd_journal *j, int64_t run, int seq, const char *rule,
			    const char *kind, const char *args_json)
{
	sqlite3_stmt *st;
	int rc;
	if (begin(j))
		return CD_ERR_IO;
	if (sqlite3_prepare_v2(j->db, "INSERT INTO steps(run, seq, rule, kind, args, status, planned_at)"
				      " VALUES (?, ?, ?, ?, ?, 'planned', ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int(st, 2, seq);
	sqlite3_bind_text(st, 3, rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, args_json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, cd_now());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? CD_OK : CD_ERR_SQL;
}

cd_err cd_journal_step_set(struct cd_journal *j, int64_t run, int seq, const char *status,
			   const char *before_json, const char *error)
{
	sqlite3_stmt *st;
	int rc;
	const char *col = !strcmp(status, "captured")                           ? "captured_at"
			  : !strcmp(status, "undone") || !strcmp(status, "undo_failed") ? "undone_at"
											: "done_at";
	char *sql = cd_aprintf("UPDATE steps SET status = ?1, before = coalesce(?2, before),"
			       " error = ?3, %s = ?4 WHERE run = ?5 AND seq = ?6",
			       col);
	if (!sql)
		return CD_ERR_NOMEM;
	if (begin(j)) {
		free(sql);
		return CD_ERR_IO;
	}
	rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, before_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, cd_now());
	sqlite3_bind_int64(st, 5, run);
	sqlite3_bind_int(st, 6, seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || sqlite3_changes(j->db) != 1)
		return CD_ERR_SQL;
	return cd_journal_commit(j);
}

cd_err cd_journal_run_end(struct cd_journal *j, int64_t run, const char *status)
{
	sqlite3_stmt *st;
	int rc;
	if (begin(j))
		return CD_ERR_IO;
	if (sqlite3_prepare_v2(j->db, "UPDATE runs SET status = ?, finished = ? WHERE id = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cd_now());
	sqlite3_bind_int64(st, 3, run);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return CD_ERR_SQL;
	return cd_journal_commit(j);
}

static char *col_text(sqlite3_stmt *st, int c)
{
	const unsigned char *t = sqlite3_column_text(st, c);
	return t ? cd_strdup((const char *)t) : NULL;
}

#define RUN_COLUMNS                                                                            \
	"SELECT id, started, coalesce(finished, 0), status, host, user, version, interrupted, root," \
	" (SELECT count(*) FROM steps s WHERE s.run = r.id),"                                      \
	" (SELECT count(*) FROM steps s WHERE s.run = r.id AND s.status IN ('applied', 'captured', 'failed', 'undone', 'undo_failed', 'irreversible')),"                               \
	" (SELECT count(*) FROM steps s WHERE s.run = r.id AND s.status = 'undone')"             \
	" FROM runs r"

static void read_run(sqlite3_stmt *st, struct cd_journal_run *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->started = sqlite3_column_int64(st, 1);
	r->finished = sqlite3_column_int64(st, 2);
	r->status = col_text(st, 3);
	r->host = col_text(st, 4);
	r->user = col_text(st, 5);
	r->version = col_text(st, 6);
	r->interrupted = sqlite3_column_int(st, 7);
	r->root = col_text(st, 8);
	r->nsteps = sqlite3_column_int(st, 9);
	r->napplied = sqlite3_column_int(st, 10);
	r->nundone = sqlite3_column_int(st, 11);
}

void cd_journal_run_release(struct cd_journal_run *r)
{
	free(r->status);
	free(r->host);
	free(r->user);
	free(r->version);
	free(r->root);
	memset(r, 0, sizeof(*r));
}

void cd_journal_runs_free(struct cd_journal_run *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		cd_journal_run_release(&v[i]);
	free(v);
}

cd_err cd_journal_runs(struct cd_journal *j, struct cd_journal_run **out, size_t *n)
{
	sqlite3_stmt *st;
	struct cd_journal_run *v = NULL;
	size_t k = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(j->db, RUN_COLUMNS " ORDER BY id DESC", -1, &st, NULL) != SQLITE_OK)
		return sqlite3_errcode(j->db) == SQLITE_BUSY ? CD_ERR_TIMEOUT : CD_ERR_SQL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cd_journal_run *nv = realloc(v, (k + 1) * sizeof(*v));
		if (!nv) {
			cd_journal_runs_free(v, k);
			sqlite3_finalize(st);
			return CD_ERR_NOMEM;
		}
		v = nv;
		read_run(st, &v[k++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cd_journal_runs_free(v, k);
		return rc == SQLITE_BUSY ? CD_ERR_TIMEOUT : CD_ERR_SQL;
	}
	*out = v;
	*n = k;
	return CD_OK;
}

cd_err cd_journal_run_get(struct cd_journal *j, int64_t run, struct cd_journal_run *out)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(j->db, RUN_COLUMNS " WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_int64(st, 1, run);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_run(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? CD_OK : rc == SQLITE_DONE ? CD_ERR_NOT_FOUND : CD_ERR_SQL;
}

void cd_journal_steps_free(struct cd_journal_step *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(v[i].rule);
		free(v[i].kind);
		free(v[i].args);
		free(v[i].before);
		free(v[i].status);
		free(v[i].error);
	}
	free(v);
}

cd_err cd_journal_steps(struct cd_journal *j, int64_t run, struct cd_journal_step **out, size_t *n)
{
	sqlite3_stmt *st;
	struct cd_journal_step *v = NULL;
	size_t k = 0;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(j->db, "SELECT seq, rule, kind, args, before, status, error FROM steps"
				      " WHERE run = ? ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct cd_journal_step *nv = realloc(v, (k + 1) * sizeof(*v));
		if (!nv) {
			cd_journal_steps_free(v, k);
			sqlite3_finalize(st);
			return CD_ERR_NOMEM;
		}
		v = nv;
		v[k].seq = sqlite3_column_int(st, 0);
		v[k].rule = col_text(st, 1);
		v[k].kind = col_text(st, 2);
		v[k].args = col_text(st, 3);
		v[k].before = col_text(st, 4);
		v[k].status = col_text(st, 5);
		v[k].error = col_text(st, 6);
		k++;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = k;
	return CD_OK;
}
