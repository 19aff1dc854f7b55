/* Findings: what rule evaluation produces and everything downstream reads
 * (console, JSON, HTML, GUI list, exit code, repair plan). */
#ifndef CD_FINDINGS_H
#define CD_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "i18n.h"

struct cd_facts;

enum cd_severity { CD_SEV_INFO = 0, CD_SEV_WARNING = 1, CD_SEV_ERROR = 2 };

/* One evidence value, typed as SQLite returned it. text is set for every
 * non-NULL value (numbers too, as text) so templates and reports can print it. */
struct cd_value {
	int type; /* 0 null, 1 integer, 2 real, 3 text */
	int64_t i;
	double r;
	char *text;
};

struct cd_action_plan {
	char *kind;
	size_t nargs;
	char **keys;
	char **values; /* rendered from the evidence row */
	size_t row;    /* evidence row it was rendered from */
	int needs_admin;
	char *describe[CD_LANG_COUNT];
};

struct cd_finding {
	char *rule_id;
	enum cd_severity severity;
	char *area;
	char *os;
	char **symptoms;
	size_t nsymptoms;
	int likelihood;
	char *file;
	int line;
	char *title[CD_LANG_COUNT];
	char *fix[CD_LANG_COUNT];
	/* Evidence: ncols column names, nrows rows kept (at most CD_EVIDENCE_MAX),
	 * total_rows matched. messages[lang][row] is the message for each row. */
	size_t ncols, nrows, total_rows;
	char **cols;
	struct cd_value *cells; /* nrows * ncols */
	char **messages[CD_LANG_COUNT];
	struct cd_action_plan *actions;
	size_t nactions;
};

#define CD_EVIDENCE_MAX 200

struct cd_results {
	struct cd_finding *v;
	size_t n;
	size_t counts[3]; /* by severity */
	size_t rules_evaluated;
	char *rules_version;
	/* Rules that could not run (budget exhausted, SQL error): never silent. */
	struct cd_diag_list rule_errors;
};

struct cd_eval_opts {
	long long step_limit;    /* 0: CD_SANDBOX_STEP_LIMIT */
	const char *only_rule;   /* evaluate only this rule id, if set */
	const char *os;          /* "windows"/"linux": skip rules for the other OS; NULL: all */
};

/* Runs every rule over the facts (the rules database must be attached with
 * cd_facts_attach_rules). Results are ordered errors first, then warnings,
 * then infos, each by likelihood and rule order. */
cd_err cd_evaluate(struct cd_facts *f, const struct cd_eval_opts *opt, struct cd_results *out);
void cd_results_release(struct cd_results *r);
/* Frees what one finding holds (used when a view drops findings). */
void cd_finding_release(struct cd_finding *fd);

const char *cd_severity_name(enum cd_severity s);
/* Value of a column in an evidence row, or NULL. */
const struct cd_value *cd_finding_cell(const struct cd_finding *fd, size_t row, const char *col);

#endif
