/* The repair journal: an SQLite file (journal.db) in a directory only
 * administrators (root) can write, recording every repair run and, for each
 * action, the state before it changed anything. The before-state of an action
 * is committed with synchronous=FULL before the action starts, so a run cut
 * short by power loss or a kill can still be undone (docs/repairs.md).
 *
 *   runs(id, started, finished, status, host, user, version, interrupted, root)
 *   steps(run, seq, rule, kind, args, before, status, error,
 *         planned_at, captured_at, done_at, undone_at)
 *
 * Run status: running, done, failed, interrupted, undone, undo_partial.
 * Step status: planned, noop, skipped, captured, applied, failed, undone,
 * undo_failed, irreversible. Times are seconds since the epoch (UTC). */
#ifndef CD_JOURNAL_H
#define CD_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define CD_JOURNAL_FILE "journal.db"
#define CD_JOURNAL_FORMAT 1

struct cd_journal;

struct cd_journal_run {
	int64_t id, started, finished; /* finished 0 while running */
	char *status, *host, *user, *version, *root;
	int interrupted;
	int nsteps, napplied, nundone;
};

struct cd_journal_step {
	int seq;
	char *rule, *kind, *args, *before, *status, *error;
};

/* Opens (creating) dir/journal.db. writer: take the journal for a repair or
 * an undo: only one process at a time holds it, until cd_journal_close (the
 * operating system drops the lock when a process dies). Another holder gives
 * CD_ERR_TIMEOUT after a short wait. d names the file on failure. */
cd_err cd_journal_open(const char *dir, int writer, struct cd_journal **out, struct cd_diag *d);
void cd_journal_close(struct cd_journal *j);
/* Path of the database file (for messages). */
const char *cd_journal_path(const struct cd_journal *j);

/* Writer only: runs still "running" belong to a process that is gone (the
 * writer lock says no other runs): marks them interrupted and returns their
 * ids, newest first (free()). */
cd_err cd_journal_mark_interrupted(struct cd_journal *j, int64_t **ids, size_t *n);
/* Runs marked interrupted and not undone since (free()). */
cd_err cd_journal_pending_interrupted(struct cd_journal *j, int64_t **ids, size_t *n);

/* Starts a run; its planned steps are added with cd_journal_step_plan in the
 * same transaction, committed by cd_journal_commit. */
cd_err cd_journal_run_begin(struct cd_journal *j, const char *host, const char *user,
			    const char *version, const char *root, int64_t *run_id);
cd_err cd_journal_step_plan(struct cd_journal *j, int64_t run, int seq, const char *rule,
			    const char *kind, const char *args_json);
cd_err cd_journal_commit(struct cd_journal *j);
/* Sets a step's status (and, when not NULL, its before-state or error) and
 * commits it durably before returning. */
cd_err cd_journal_step_set(struct cd_journal *j, int64_t run, int seq, const char *status,
			   const char *before_json, const char *error);
cd_err cd_journal_run_end(struct cd_journal *j, int64_t run, const char *status);

/* Every run, newest first (cd_journal_runs_free). */
cd_err cd_journal_runs(struct cd_journal *j, struct cd_journal_run **v, size_t *n);
void cd_journal_runs_free(struct cd_journal_run *v, size_t n);
/* One run; CD_ERR_NOT_FOUND when there is none with that id. */
cd_err cd_journal_run_get(struct cd_journal *j, int64_t run, struct cd_journal_run *out);
void cd_journal_run_release(struct cd_journal_run *r);
/* Steps of a run in order (cd_journal_steps_free). */
cd_err cd_journal_steps(struct cd_journal *j, int64_t run, struct cd_journal_step **v, size_t *n);
void cd_journal_steps_free(struct cd_journal_step *v, size_t n);

#endif
