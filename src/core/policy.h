/* Enterprise settings (docs/deploy.md): what an administrator decides for
 * every user of a machine through Group Policy (installer/cadoctor.admx),
 * Intune or /etc/cadoctor/policy.conf. Read by the scan (CLI and GUI), the
 * GUI and the repair code:
 *
 *   DefaultPlatform       platform id (rules/catalog/platforms.cat) used when
 *                         none is chosen
 *   ReportFolder          folder (a UNC path works) where every scan also
 *                         saves its JSON and HTML report
 *   AllowedRepairActions  the only action kinds repairs may apply (comma
 *                         list or REG_MULTI_SZ; "*" all, "" or "none" none);
 *                         not set: every kind
 *   RedactionLevel        none | standard | strict (0, 1, 2): strict refuses
 *                         --no-redact; none reports personal data by default
 *   EventLog              1: write a summary of each scan, repair and undo to the
 *                         Windows Application event log */
#ifndef CD_POLICY_H
#define CD_POLICY_H

#include "error.h"

enum cd_redaction_level {
	CD_REDACTION_UNSET = -1,
	CD_REDACTION_NONE = 0,
	CD_REDACTION_STANDARD = 1,
	CD_REDACTION_STRICT = 2
};

struct cd_policy {
	char *default_platform; /* NULL: not set */
	char *report_folder;    /* NULL: not set */
	char *allowed_actions;  /* normalised comma list; NULL: not set (all allowed) */
	enum cd_redaction_level redaction;
	int event_log;
	char *source; /* where it was read from, NULL when there is no policy */
};

/* Reads this machine's policy. Never fails: values that are missing or not
 * understood are left unset. */
void cd_policy_load(struct cd_policy *p);
void cd_policy_release(struct cd_policy *p);

/* 1 when the policy lets repairs apply this action kind. */
int cd_policy_action_allowed(const struct cd_policy *p, const char *kind);

/* The action kinds repairs must not apply, as the comma list that
 * struct cd_plan_opts.forbidden takes: every known kind the policy does not
 * allow, plus the kinds in extra (e.g. cd_repair_forbidden_kinds()). A new
 * string (free()), NULL only when out of memory. */
char *cd_policy_forbidden_kinds(const struct cd_policy *p, const char *extra);

struct cd_plan;
/* EventLog: one Application event log entry for repair run `run` of this
 * plan (what each ready change did), as a scan writes its summary. Nothing
 * when the policy does not ask for it. */
void cd_policy_log_repair(const struct cd_policy *p, const struct cd_plan *plan, long long run);
/* EventLog: the entry of an undo of repair run `run` (complete: 1 when every
 * change was undone). */
void cd_policy_log_undo(const struct cd_policy *p, long long run, int complete);

/* Whether a scan redacts: the user's wish (1 redact, 0 --no-redact, -1 no
 * wish) under the policy. *refused is set when --no-redact was refused. */
int cd_policy_redact(const struct cd_policy *p, int wish, int *refused);

#endif
