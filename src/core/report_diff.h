/* Reading reports back (`cadoctor report load`) and comparing two
 * (`cadoctor report diff`). A report is the JSON document of
 * docs/report-schema.json, on its own or embedded in the HTML page. Reports
 * come from users, so both are untrusted input: every field is checked for
 * its type before it is used. */
#ifndef CD_REPORT_DIFF_H
#define CD_REPORT_DIFF_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

struct cJSON;

#define CD_REPORT_DIFF_FORMAT_VERSION 1

/* Parses a report from JSON text or from an HTML report (the embedded
 * <script id="cadoctor-data">). name is used in diagnostics. CD_ERR_PARSE for
 * a damaged file or one that is not a cadoctor report, CD_ERR_VERSION for a
 * newer format_version. *out: cJSON_Delete. */
cd_err cd_report_parse(const char *name, const char *data, size_t len, struct cJSON **out,
		       struct cd_diag *d);
/* The same from a file (at most 256 MiB). */
cd_err cd_report_load(const char *path, struct cJSON **out, struct cd_diag *d);

/* The differences between two reports as a new "cadoctor-report-diff"
 * document (docs/cli/report.md): findings cleared, new and unchanged (with
 * evidence rows gone and added), changed facts (host fields, fact table row
 * counts, probe status, probe errors), repairs made in between. NULL when out
 * of memory. */
struct cJSON *cd_report_diff(const struct cJSON *before, const struct cJSON *after);

/* The diff as text, in the current language. */
cd_err cd_report_diff_text(const struct cJSON *diff, struct cd_buf *out);

/* 2 when a new error appeared, 1 when new warnings or notes did, else 0. */
int cd_report_diff_exit(const struct cJSON *diff);

#endif
