/* Repairs: the plan made from findings, the apply loop (capture -> journal ->
 * apply -> result), interrupted runs, and undo (docs/repairs.md).
 *
 * The action kinds are the closed list of actions.h. What each one does on
 * this OS is a struct cd_action_ops in src/actions/<os>_<area>.c, listed per
 * OS (cd_os_actions, src/actions/<os>_actions.c) as the probes are. The core
 * never names an OS: the caller passes the table in. */
#ifndef CD_REPAIR_H
#define CD_REPAIR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "findings.h"
#include "i18n.h"

struct cJSON;
struct cd_journal;

/* Exit codes of repair and undo beyond docs/exit-codes.md (BSD sysexits). */
#include "exitcodes.h"

#define CD_EXIT_REPAIR_LOCKED CD_EXIT_LOCKED /* EX_TEMPFAIL (exitcodes.h) */
#define CD_EXIT_REPAIR_NOPERM CD_EXIT_NOPERM /* EX_NOPERM (exitcodes.h) */

/* One action with its arguments (rendered from the evidence). */
struct cd_action {
	const char *kind;
	size_t nargs;
	char **keys;
	char **values;
};

/* The argument named key, or NULL. */
const char *cd_action_arg(const struct cd_action *a, const char *key);

/* Where an action runs. */
struct cd_action_env {
	const char *root;        /* Linux: files under this directory (tests, --root); NULL: / */
	const char *journal_dir; /* the quarantine is its quarantine/ folder */
	int64_t run_id;
	int seq;
};

/* One action kind on this OS. Every function fills d on failure.
 * capture records everything apply will change, so that undo can put it
 * back; an action whose state cannot be captured is never applied. undo
 * restores the captured state whether or not apply ran or finished (a run
 * cut short is undone from what was captured), and must do nothing when the
 * machine is already in that state. */
struct cd_action_ops {
	const char *kind;
	int reversible; /* 0: undo cannot restore (an uninstall); it only reports */
	int journaled;  /* 0: nothing to capture or undo (open_url) */
	/* Checks the arguments before anything runs (NULL: none to check). */
	cd_err (*check)(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d);
	/* 1 when the machine is already as apply would leave it. */
	int (*is_noop)(const struct cd_action *a, const struct cd_action_env *env);
	cd_err (*capture)(const struct cd_action *a, const struct cd_action_env *env,
			  struct cJSON **before, struct cd_diag *d);
	cd_err (*apply)(const struct cd_action *a, const struct cd_action_env *env,
			const struct cJSON *before, struct cd_diag *d);
	cd_err (*undo)(const struct cd_action *a, const struct cd_action_env *env,
		       const struct cJSON *before, struct cd_diag *d);
};

/* Implemented per OS in src/actions/: NULL-terminated. */
const struct cd_action_ops *const *cd_os_actions(void);
const struct cd_action_ops *cd_action_ops_find(const struct cd_action_ops *const *ops, const char *kind);

enum cd_plan_state {
	CD_PLAN_READY = 0,
	CD_PLAN_FORBIDDEN,   /* a setting forbids the kind */
	CD_PLAN_UNSUPPORTED, /* no backend for the kind on this OS */
	CD_PLAN_INVALID      /* the arguments are refused (check) */
};

struct cd_plan_item {
	char *rules; /* comma list of the rules that planned it, first the first */
	struct cd_action act;
	const struct cd_action_ops *ops; /* NULL when unsupported */
	int needs_admin;
	enum cd_plan_state state;
	char *why; /* for CD_PLAN_INVALID */
	char *describe[CD_LANG_COUNT];
	/* Filled by cd_repair_apply. */
	const char *result; /* "applied", "noop", "failed", "skipped", "shown" or NULL */
	char *error;
};

struct cd_plan {
	struct cd_plan_item *v;
	size_t n;
};

struct cd_plan_opts {
	const char *only_rule;                 /* --only */
	const char *forbidden;                 /* comma list of kinds (cd_repair_forbidden_kinds) */
	const struct cd_action_ops *const *ops; /* cd_os_actions() */
	const struct cd_action_env *env;       /* for check */
};

/* The settings' forbidden action kinds as a comma list (never NULL). Now the
 * environment variable CADOCTOR_FORBID_ACTIONS; later also policy. */
const char *cd_repair_forbidden_kinds(void);
/* 1 if kind is in the comma list (blanks ignored; "*" forbids all). */
int cd_repair_kind_in_list(const char *list, const char *kind);

/* The plan: every finding's planned actions (findings in report order),
 * limited to one rule, the same action planned once, ordered by phase:
 * removals, then configuration, then starting services and clocks, then
 * addresses to open. */
cd_err cd_plan_build(const struct cd_results *res, const struct cd_plan_opts *opt, struct cd_plan *out);
void cd_plan_release(struct cd_plan *p);
/* Arguments as a JSON object text (for the journal). */
char *cd_action_args_json(const struct cd_action *a);

struct cd_apply_opts {
	struct cd_journal *journal;
	struct cd_action_env env; /* run_id and seq are set by the loop */
	const char *host, *user, *version;
	int is_admin;   /* 0: actions needing administrator rights are skipped */
	int fail_after; /* test only (CADOCTOR_TEST_FAIL_AFTER): _Exit after this many applied */
	/* Called after each item gets its result. */
	void (*progress)(void *ud, const struct cd_plan_item *it);
	void *ud;
};

/* Applies the plan's ready items. A run is opened in the journal with every
 * step planned; for each item: is_noop -> "noop"; capture (refused ->
 * "failed", nothing applied); the before-state committed durably; apply;
 * the result committed. When an action fails, the other actions of the
 * same rule are skipped. Returns CD_OK when the run was recorded (item
 * results say what happened), an error when the journal could not be
 * written (nothing was applied after that). */
cd_err cd_repair_apply(struct cd_plan *p, const struct cd_apply_opts *opt, int64_t *run_id);

/* One step's outcome during undo. */
struct cd_undo_step {
	int seq;
	const char *rule, *kind;
	const char *result; /* "undone", "undo_failed", "irreversible", "nothing" */
	const char *error;
};

struct cd_undo_opts {
	const struct cd_action_ops *const *ops;
	const char *journal_dir;
	void (*progress)(void *ud, const struct cd_undo_step *s);
	void *ud;
};

/* Undoes a run's steps in reverse order from their before-states. *complete
 * is 1 when every step that changed something was restored. CD_ERR_NOT_FOUND
 * for an unknown run; CD_ERR_INVALID for one already undone. */
cd_err cd_repair_undo(struct cd_journal *j, int64_t run, const struct cd_undo_opts *opt, int *complete);

/* The action kind's phase in the plan order (0 first). */
int cd_repair_phase(const char *kind);

/* The user's words for an action result ("applied", "noop", "failed",
 * "shown", anything else: skipped), in the current language. */
const char *cd_repair_result_text(const char *result);

/* The user's words for why a planned action will not run (forbidden,
 * unsupported here, invalid arguments), in the current language; NULL for
 * an action that is ready. */
const char *cd_plan_state_text(enum cd_plan_state state);

#endif
