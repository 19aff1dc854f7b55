/* One scan after the facts are in, shared by `cadoctor scan` (src/cli) and
 * the GUI (src/gui): redaction, the rules of the OS the facts describe, the
 * optional narrowing to one symptom; and what both do with the result when
 * an administrator set a report folder or the event log (policy.h). The
 * facts come from cd_collect (live, rules attached first) or cd_facts_load. */
#ifndef CD_SCAN_H
#define CD_SCAN_H

#include <stddef.h>

#include "error.h"
#include "findings.h"
#include "i18n.h"
#include "symptom.h"

struct cd_facts;
struct cd_report_in;

struct cd_scan_analysis {
	int redact;            /* rewrite personal data before evaluation */
	const char *only_rule; /* NULL: every rule */
	const char *symptom;   /* NULL: every finding */
};

enum cd_scan_stage { CD_SCAN_OK = 0, CD_SCAN_REDACT, CD_SCAN_EVALUATE, CD_SCAN_SYMPTOM };

struct cd_scan_result {
	struct cd_results res;
	struct cd_symptom_view sv; /* filled when a symptom was asked */
	char *os;                  /* OS of the facts ("windows", "linux"), may be NULL */
	enum cd_scan_stage failed; /* the stage that failed, on error */
};

/* Redacts (if asked), evaluates the rules for the facts' OS, narrows to the
 * symptom. On error out->failed names the stage (CD_ERR_NOT_FOUND at
 * CD_SCAN_SYMPTOM: no such symptom) and nothing needs releasing. */
cd_err cd_scan_analyse(struct cd_facts *f, const struct cd_scan_analysis *a, struct cd_scan_result *out);
void cd_scan_result_release(struct cd_scan_result *r);

/* The OS the facts describe (host.os_family), a new string or NULL. */
char *cd_scan_facts_os(struct cd_facts *f);

/* An entry of the platform or symptom catalog (rules attached). */
struct cd_choice {
	char *id;
	char *name[CD_LANG_COUNT];
	char *url;                  /* platforms only, may be NULL */
	char *notes[CD_LANG_COUNT]; /* platforms only, may be NULL */
};
enum cd_choice_kind { CD_CHOICE_PLATFORMS = 0, CD_CHOICE_SYMPTOMS = 1 };
/* Every entry in catalog order. */
cd_err cd_scan_choices(struct cd_facts *f, enum cd_choice_kind kind, struct cd_choice **v, size_t *n);
/* One entry by id; CD_ERR_NOT_FOUND when the catalog has none. */
cd_err cd_scan_choice(struct cd_facts *f, enum cd_choice_kind kind, const char *id, struct cd_choice *out);
void cd_choice_release(struct cd_choice *c);
void cd_choices_free(struct cd_choice *v, size_t n);

/* Saves the JSON and HTML reports into folder (created if missing; a UNC
 * path works) as cadoctor-<host>-<UTC time>.json and .html. *json_path, if
 * not NULL, receives the JSON file's path (free()). On failure d names the
 * file. */
cd_err cd_scan_save_reports(const char *folder, const char *host, const struct cd_report_in *in,
			    char **json_path, struct cd_diag *d);

/* One line for the event log: counts and the rules that found something
 * (a new string, free()). saved: where the report went, or NULL. */
char *cd_scan_summary(const struct cd_results *res, const char *saved);

#endif
