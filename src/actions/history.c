/* The repair history as facts: what `cadoctor repair` already did on this
 * machine, read from its journal at collection time into repair_history, so
 * reports and snapshots sent to a help desk carry "what was already tried".
 * Reading never creates the journal or waits for its lock. */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "../core/journal.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "actions_os.h"

#define HISTORY_RUNS 20

cd_err cd_actions_record_history(struct cd_facts *f, const char *root)
{
	struct cd_journal *j = NULL;
	struct cd_journal_run *runs = NULL;
	struct cd_diag d;
	char *dir = NULL, *path = NULL;
	size_t nruns = 0, r;
	cd_err e;

	cd_diag_clear(&d);
	if (cd_actions_journal_dir(0, &dir, &d) != CD_OK)
		return CD_OK; /* no journal folder we may trust: nothing was repaired here */
	path = cd_aprintf("%s%c%s", dir, CD_PATH_SEP, CD_JOURNAL_FILE);
	if (!path || !cd_path_exists(path)) {
		free(path);
		free(dir);
		return CD_OK;
	}
	e = cd_journal_open(dir, 0, &j, &d);
	if (!e)
		e = cd_journal_runs(j, &runs, &nruns);
	for (r = 0; !e && r < nruns && r < HISTORY_RUNS; r++) {
		struct cd_journal_step *steps = NULL;
		size_t nsteps = 0, s;
		/* Runs on another system root (a mounted disk) are not this
		 * system's history, and the other way round. */
		const char *rr = runs[r].root && *runs[r].root ? runs[r].root : NULL;
		if (!cd_streq(rr, root && *root && strcmp(root, "/") ? root : NULL))
			continue;
		if (cd_journal_steps(j, runs[r].id, &steps, &nsteps) != CD_OK)
			continue;
		for (s = 0; s < nsteps; s++) {
			struct cd_row row;
			cd_row_init(&row, "repair_history");
			cd_row_int(&row, "run_id", runs[r].id);
			cd_row_int(&row, "started", runs[r].started);
			if (runs[r].finished)
				cd_row_int(&row, "finished", runs[r].finished);
			cd_row_text(&row, "run_status", runs[r].interrupted ? "interrupted" : runs[r].status);
			cd_row_int(&row, "seq", steps[s].seq);
			cd_row_text(&row, "rule", steps[s].rule);
			cd_row_text(&row, "kind", steps[s].kind);
			cd_row_text(&row, "args", steps[s].args);
			cd_row_text(&row, "status", steps[s].status);
			cd_row_text(&row, "error", steps[s].error);
			cd_row_insert(f, &row);
		}
		cd_journal_steps_free(steps, nsteps);
	}
	cd_journal_runs_free(runs, nruns);
	cd_journal_close(j);
	free(path);
	free(dir);
	return e;
}
