/* Reports written from facts and findings: console text, JSON (versioned,
 * docs/report-schema.json) and a self-contained HTML page. */
#ifndef CD_REPORT_H
#define CD_REPORT_H

#include "buf.h"
#include "error.h"
#include "findings.h"

#define CD_REPORT_FORMAT_VERSION 1

struct cd_facts;

struct cd_report_in {
	struct cd_facts *facts;
	const struct cd_results *res;
	const char *source; /* "live" or "snapshot" */
	int64_t generated_at;
	/* Optional: the JSON document already built (cd_report_json_string), so
	 * that --json-out and --html do not build it twice. */
	const char *json;
};

/* The JSON document as a new string (cJSON_free / free). */
char *cd_report_json_string(const struct cd_report_in *in, int pretty);

cd_err cd_report_text(const struct cd_report_in *in, struct cd_buf *out);
cd_err cd_report_json(const struct cd_report_in *in, int pretty, struct cd_buf *out);
cd_err cd_report_html(const struct cd_report_in *in, struct cd_buf *out);

/* 0, 1 or 2 from the findings (docs/exit-codes.md). */
int cd_results_exit_code(const struct cd_results *res);

/* One entry of the repair history shown in reports ("repairs" in the JSON):
 * a repair that was applied, failed or undone, with the id that undoes it. */
struct cd_repair_record {
	const char *undo_id;    /* what `cadoctor undo` takes: the journal's run id */
	const char *applied_at; /* UTC, "2025-11-22T01:02:03Z" */
	const char *rule;       /* rule whose finding it repaired */
	const char *kind;       /* action kind (actions.c) */
	const char *status;     /* "applied", "failed", "undone" */
	const char *describe[CD_LANG_COUNT];
};

/* The repair history of the machine the facts describe, newest run first,
 * from the repair_history facts (report_repairs.c). The records stay valid
 * until the next call. */
size_t cd_report_repairs(struct cd_facts *f, const struct cd_repair_record **out);

#endif
