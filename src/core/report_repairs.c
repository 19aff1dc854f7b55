/* The repair history for reports (report.h).
 *
 * PLACEHOLDER until the repair journal is wired in: `cadoctor repair` records
 * every step with its before-state in a journal (src/core/journal.h, one run
 * id per repair, which `cadoctor undo RUN_ID` takes). This function is the
 * one place reports read the history from; the JSON "repairs" array and the
 * HTML "Repair history" section are already fed from it and show an empty
 * history for now. To wire it: open the journal read-only (cd_journal_open,
 * writer 0), and turn cd_journal_runs/cd_journal_steps into records. */
#include "facts.h"
#include "report.h"

size_t cd_report_repairs(struct cd_facts *f, const struct cd_repair_record **out)
{
	(void)f;
	*out = NULL;
	return 0;
}
