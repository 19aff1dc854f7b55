/* cadoctor repair: the plan from a live scan (dry run, the default), and with
 * --yes its application through the journal, then a re-scan that tells
 * which findings cleared (docs/cli/repair.md, docs/repairs.md). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../actions/actions_os.h"
#include "../core/facts.h"
#include "../core/findings.h"
#include "../core/i18n.h"
#include "../core/journal.h"
#include "../core/policy.h"
#include "../core/repair.h"
#include "../core/report.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "scanopts.h"

enum { OPT_YES = OPT_SCAN__LAST + 1, OPT_ONLY, OPT_JSON, OPT_SNAPSHOT };

struct repair_out {
	int json;
	cJSON *doc;
};

static const char *state_name(enum cd_plan_state s)
{
	return s == CD_PLAN_FORBIDDEN ? "forbidden" : s == CD_PLAN_UNSUPPORTED ? "unsupported"
					      : s == CD_PLAN_INVALID	   ? "invalid"
									   : "ready";
}

static void print_plan(const struct cd_plan *p)
{
	enum cd_lang l = cd_get_lang();
	size_t i;
	if (!p->n) {
		out_printf("%s\n", cd_tr(S_REPAIR_NOTHING));
		return;
	}
	out_printf(cd_tr(S_REPAIR_PLAN_HEAD), (int)p->n);
	out_printf("\n");
	for (i = 0; i < p->n; i++) {
		const struct cd_plan_item *it = &p->v[i];
		const char *st = cd_plan_state_text(it->state);
		out_printf("  %2zu. %s\n      %s %s", i + 1, it->describe[l], cd_tr(S_REPAIR_FOR), it->rules);
		if (it->needs_admin)
			out_printf("; %s", cd_tr(S_REPAIR_NEEDS_ADMIN));
		if (it->ops && !it->ops->reversible && it->ops->journaled)
			out_printf("; %s", cd_tr(S_REPAIR_IRREVERSIBLE));
		out_printf("\n");
		if (st)
			out_printf("      [%s%s%s]\n", st, it->why ? ": " : "", it->why ? it->why : "");
	}
}

static cJSON *plan_json(const struct cd_plan *p)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i, k;
	for (i = 0; arr && i < p->n; i++) {
		const struct cd_plan_item *it = &p->v[i];
		cJSON *o = cJSON_CreateObject(), *args = cJSON_CreateObject(), *desc = cJSON_CreateObject();
		if (!o || !args || !desc) {
			cJSON_Delete(o);
			cJSON_Delete(args);
			cJSON_Delete(desc);
			continue;
		}
		cJSON_AddNumberToObject(o, "seq", (double)(i + 1));
		cJSON_AddStringToObject(o, "kind", it->act.kind);
		for (k = 0; k < it->act.nargs; k++)
			cJSON_AddStringToObject(args, it->act.keys[k], it->act.values[k]);
		cJSON_AddItemToObject(o, "args", args);
		cJSON_AddStringToObject(o, "rules", it->rules);
		cJSON_AddStringToObject(desc, "zh-CN", it->describe[CD_LANG_ZH]);
		cJSON_AddStringToObject(desc, "en", it->describe[CD_LANG_EN]);
		cJSON_AddItemToObject(o, "describe", desc);
		cJSON_AddBoolToObject(o, "needs_admin", it->needs_admin);
		cJSON_AddBoolToObject(o, "reversible", it->ops ? it->ops->reversible || !it->ops->journaled : 0);
		cJSON_AddStringToObject(o, "state", state_name(it->state));
		if (it->why)
			cJSON_AddStringToObject(o, "why", it->why);
		if (it->result)
			cJSON_AddStringToObject(o, "result", it->result);
		if (it->error)
			cJSON_AddStringToObject(o, "error", it->error);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void progress(void *ud, const struct cd_plan_item *it)
{
	struct repair_out *o = ud;
	if (o->json || cli_quiet)
		return;
	out_printf("  - %s: %s", it->describe[cd_get_lang()], cd_repair_result_text(it->result));
	if (cd_streq(it->result, "shown"))
		out_printf(" %s", cd_action_arg(&it->act, "url") ? cd_action_arg(&it->act, "url") : "");
	if (it->error)
		out_printf(" (%s)", it->error);
	out_printf("\n");
}

/* Runs left interrupted: a reader that can read at all holds no writer
 * lock, so "running" there is also a run that was cut short. */
static void report_interrupted(const int64_t *ids, size_t n, struct repair_out *o)
{
	size_t i;
	cJSON *arr = o->doc ? cJSON_AddArrayToObject(o->doc, "interrupted_runs") : NULL;
	for (i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "%lld", (long long)ids[i]);
		if (arr)
			cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)ids[i]));
		if (!o->json)
			err_printf(cd_tr(S_REPAIR_INTERRUPTED), id, id);
		if (!o->json)
			err_printf("\n");
	}
}

static void dry_run_interrupted(struct repair_out *o)
{
	struct cd_diag d;
	struct cd_journal *j = NULL;
	struct cd_journal_run *runs = NULL;
	size_t n = 0, i, k = 0;
	int64_t ids[16];
	char *dir = NULL;
	cd_diag_clear(&d);
	if (cd_actions_journal_dir(0, &dir, &d) != CD_OK || !cd_path_exists(dir) ||
	    cd_journal_open(dir, 0, &j, &d) != CD_OK) {
		free(dir);
		return;
	}
	if (cd_journal_runs(j, &runs, &n) == CD_OK)
		for (i = 0; i < n && k < 16; i++)
			if (cd_streq(runs[i].status, "running") || cd_streq(runs[i].status, "interrupted"))
				ids[k++] = runs[i].id;
	report_interrupted(ids, k, o);
	cd_journal_runs_free(runs, n);
	cd_journal_close(j);
	free(dir);
}

static int has_rule(const struct cd_results *r, const char *id)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].rule_id, id))
			return 1;
	return 0;
}

/* Re-scans and says which of the rules whose actions ran are gone. */
static int verify(struct scan_cli *s, const struct cd_plan *p, struct cd_eval_opts *eo, struct repair_out *o)
{
	struct cd_facts *f = NULL;
	struct cd_results res;
	cJSON *cleared = NULL, *remaining = NULL;
	struct cd_buf seen;
	size_t i;
	int rc = scan_cli_collect(s, &f), pass;
	if (rc)
		return rc;
	if (cd_evaluate(f, eo, &res) != CD_OK) {
		cd_facts_free(f);
		return CD_EXIT_INTERNAL;
	}
	if (o->doc) {
		cleared = cJSON_AddArrayToObject(o->doc, "cleared");
		remaining = cJSON_AddArrayToObject(o->doc, "remaining");
	}
	if (!o->json)
		out_printf("\n%s:\n", cd_tr(S_REPAIR_VERIFY_HEAD));
	for (pass = 0; pass < 2; pass++) {
		cd_buf_init(&seen, 1 << 20);
		cd_buf_addc(&seen, ',');
		for (i = 0; i < p->n; i++) {
			char rule[256];
			const char *q = p->v[i].rules;
			while (cd_split_next(&q, ',', rule, sizeof(rule))) {
				char *tag = cd_aprintf(",%s,", rule);
				int gone = !has_rule(&res, rule);
				if (!tag || strstr(cd_buf_str(&seen), tag) || gone != !pass) {
					free(tag);
					continue;
				}
				cd_buf_addf(&seen, "%s,", rule);
				free(tag);
				if (o->json)
					cJSON_AddItemToArray(gone ? cleared : remaining, cJSON_CreateString(rule));
				else
					out_printf("  %s: %s\n", cd_tr(gone ? S_REPAIR_CLEARED : S_REPAIR_REMAINING), rule);
			}
		}
		cd_buf_release(&seen);
	}
	rc = cd_results_exit_code(&res);
	cd_results_release(&res);
	cd_facts_free(f);
	return rc;
}

/* What a run without administrator rights tells: which actions need them. */
static int need_admin(const struct cd_plan *p)
{
	size_t i;
	err_printf("cadoctor: %s\n%s\n", cd_tr(S_REPAIR_NEED_ADMIN_RUN), cd_tr(S_REPAIR_ADMIN_LIST));
	for (i = 0; i < p->n; i++)
		if (p->v[i].needs_admin && p->v[i].state == CD_PLAN_READY)
			err_printf("  - %s\n", p->v[i].describe[cd_get_lang()]);
	return CD_EXIT_REPAIR_NOPERM;
}

/* Without administrator rights and with the system's journal, `repair
 * --yes` and `undo` run themselves again elevated (UAC on Windows) and
 * return what that run returns (its output relayed). -1: not relaunched,
 * go on here (no elevation on this OS, or it failed: the journal then says
 * no); -2 when the user declined (say what needs the rights, exit 77). */
int cli_elevate(int argc, char **argv)
{
	struct cd_diag d;
	int code = 0, i;
	const char *tj = cd_getenv(CD_TEST_JOURNAL_ENV);
	char **v, lang[32];
	cd_err e;
	if (cd_actions_is_admin() || cd_actions_is_elevated_child() || (tj && *tj))
		return -1;
	/* The elevated process does not inherit our environment on Windows:
	 * the language goes with the arguments (the last --lang wins). */
	if (!(v = calloc((size_t)argc + 1, sizeof(char *))))
		return -1;
	for (i = 0; i < argc; i++)
		v[i] = argv[i];
	snprintf(lang, sizeof(lang), "--lang=%s", cd_lang_tag(cd_get_lang()));
	v[argc] = lang;
	cd_diag_clear(&d);
	e = cd_actions_relaunch_elevated(argc + 1, v, &code, &d);
	free(v);
	if (e == CD_OK)
		return code;
	if (e == CD_ERR_DENIED)
		return -2;
	if (e != CD_ERR_UNSUPPORTED)
		err_printf("cadoctor: %s\n", d.msg[0] ? d.msg : cd_err_message(e));
	return -1;
}

static int apply_plan(struct scan_cli *s, struct cd_plan *p, struct repair_out *o, int64_t *run_out)
{
	struct cd_apply_opts ao;
	struct cd_journal *j = NULL;
	struct cd_diag d;
	char *dir = NULL, host[256], user[256];
	int64_t *ids = NULL, run = 0;
	size_t nids = 0, i;
	const char *fa = cd_getenv("CADOCTOR_TEST_FAIL_AFTER");
	int admin = cd_actions_is_admin(), rc = CD_EXIT_OK, any_failed = 0;
	cd_err e;

	cd_diag_clear(&d);
	e = cd_actions_journal_dir(1, &dir, &d);
	if (e) {
		if (!admin)
			return need_admin(p);
		err_printf("cadoctor: ");
		err_printf(cd_tr(S_REPAIR_JOURNAL_FAILED), d.file[0] ? d.file : "?");
		err_printf(" (%s)\n", d.msg);
		return CD_EXIT_CANT_WRITE;
	}
	e = cd_journal_open(dir, 1, &j, &d);
	if (e) {
		if (e == CD_ERR_TIMEOUT) {
			err_printf("cadoctor: %s\n", cd_tr(S_REPAIR_LOCKED));
			free(dir);
			return CD_EXIT_REPAIR_LOCKED;
		}
		err_printf("cadoctor: ");
		err_printf(cd_tr(S_REPAIR_JOURNAL_FAILED), d.file);
		err_printf(" (%s)\n", d.msg);
		free(dir);
		return CD_EXIT_CANT_WRITE;
	}
	if (cd_journal_mark_interrupted(j, &ids, &nids) == CD_OK) {
		report_interrupted(ids, nids, o);
		free(ids);
	}
	cd_actions_identity(host, sizeof(host), user, sizeof(user));
	memset(&ao, 0, sizeof(ao));
	ao.journal = j;
	ao.env.root = s->opts.root;
	ao.env.journal_dir = dir;
	ao.host = host;
	ao.user = user;
	ao.version = CADOCTOR_VERSION;
	ao.is_admin = admin;
	ao.fail_after = fa ? atoi(fa) : 0;
	ao.progress = progress;
	ao.ud = o;
	e = cd_repair_apply(p, &ao, &run);
	cd_journal_close(j);
	if (run) {
		struct cd_policy pol;
		cd_policy_load(&pol);
		cd_policy_log_repair(&pol, p, run);
		cd_policy_release(&pol);
	}
	for (i = 0; i < p->n; i++)
		any_failed |= cd_streq(p->v[i].result, "failed");
	if (e) {
		err_printf("cadoctor: ");
		err_printf(cd_tr(S_REPAIR_JOURNAL_FAILED), dir);
		err_printf(" (%s)\n", cd_err_message(e));
		rc = CD_EXIT_CANT_WRITE;
	}
	free(dir);
	*run_out = run;
	if (!rc && any_failed)
		rc = CD_EXIT_WARNINGS;
	return rc;
}

/* Kinds repairs must not apply: those the enterprise policy does not allow
 * (HKLM\\SOFTWARE\\Policies\\cadoctor AllowedRepairActions) plus the local
 * setting. Computed once per process. */
static char *forbidden_kinds;

static void free_forbidden_kinds(void)
{
	free(forbidden_kinds);
}

static const char *policy_forbidden_kinds(void)
{
	struct cd_policy pol;
	if (!forbidden_kinds) {
		cd_policy_load(&pol);
		forbidden_kinds = cd_policy_forbidden_kinds(&pol, cd_repair_forbidden_kinds());
		cd_policy_release(&pol);
		if (forbidden_kinds)
			atexit(free_forbidden_kinds);
	}
	return forbidden_kinds ? forbidden_kinds : cd_repair_forbidden_kinds();
}

int cmd_repair(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		SCAN_COMMON_OPTS,
		CLI_COMMON_OPTS,
		{"yes", 0, 0, OPT_YES},
		{"only", 0, 1, OPT_ONLY},
		{"json", 0, 0, OPT_JSON},
		{"snapshot", 0, 1, OPT_SNAPSHOT},
		{NULL, 0, 0, 0},
	};
	struct scan_cli s;
	struct cli_args a;
	struct cd_facts *f = NULL;
	struct cd_results res;
	struct cd_eval_opts eo;
	struct cd_plan plan;
	struct cd_plan_opts po;
	struct cd_action_env env;
	struct repair_out o = {0, NULL};
	int yes = 0, id, rc, i_ready = 0;
	int64_t run = 0;
	size_t i;

	scan_cli_init(&s);
	memset(&eo, 0, sizeof(eo));
	memset(&po, 0, sizeof(po));
	cli_args_init(&a, argc, argv);
	while ((id = cli_next(&a, opts)) != CLI_END) {
		int h;
		switch (id) {
		case OPT_YES:
			yes = 1;
			continue;
		case OPT_ONLY:
			po.only_rule = a.arg;
			continue;
		case OPT_JSON:
			o.json = 1;
			continue;
		case OPT_SNAPSHOT:
			return usage_error("repair", "%s", cd_tr(S_ERR_REPAIR_SNAPSHOT));
		case OPT_HELP:
			out_printf("%s\n", cd_tr(S_HELP_REPAIR));
			return CD_EXIT_OK;
		}
		if (cli_common(id, a.arg, "repair"))
			continue;
		h = scan_cli_option(&s, id, a.arg, "repair");
		if (h < 0)
			return CD_EXIT_USAGE;
		if (h)
			continue;
		if (id == CLI_POSITIONAL)
			return usage_error("repair", cd_tr(S_ERR_UNEXPECTED_ARG), a.arg);
		return usage_error("repair", cd_tr(S_ERR_BAD_OPTION), a.bad ? a.bad : "?");
	}
	if (o.json && !(o.doc = cJSON_CreateObject()))
		return CD_EXIT_INTERNAL;

	rc = scan_cli_collect(&s, &f);
	if (rc) {
		cJSON_Delete(o.doc);
		return rc;
	}
	eo.os = CD_OS_NAME;
	if (cd_evaluate(f, &eo, &res) != CD_OK) {
		cd_facts_free(f);
		cJSON_Delete(o.doc);
		err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_INTERNAL));
		return CD_EXIT_INTERNAL;
	}
	cd_facts_free(f);
	memset(&env, 0, sizeof(env));
	env.root = s.opts.root;
	po.forbidden = policy_forbidden_kinds();
	po.ops = cd_os_actions();
	po.env = &env;
	if (cd_plan_build(&res, &po, &plan) != CD_OK) {
		cd_results_release(&res);
		cJSON_Delete(o.doc);
		return CD_EXIT_INTERNAL;
	}
	rc = cd_results_exit_code(&res);
	cd_results_release(&res);
	for (i = 0; i < plan.n; i++)
		i_ready += plan.v[i].state == CD_PLAN_READY;

	if (!yes) {
		dry_run_interrupted(&o);
		if (!o.json && !cli_quiet) {
			print_plan(&plan);
			if (i_ready)
				out_printf("\n%s\n", cd_tr(S_REPAIR_DRY_RUN_TAIL));
		}
	} else if (!i_ready) {
		if (!o.json && !cli_quiet)
			print_plan(&plan);
	} else {
		int arc = cli_elevate(argc, argv);
		if (arc >= 0) {
			/* The elevated run printed everything (relayed). */
			cd_plan_release(&plan);
			cJSON_Delete(o.doc);
			return arc;
		}
		if (!o.json && !cli_quiet) {
			print_plan(&plan);
			out_printf("\n");
		}
		if (arc == -2)
			arc = need_admin(&plan);
		else
			arc = apply_plan(&s, &plan, &o, &run);
		if (run && !o.json && !cli_quiet) {
			char rid[32];
			snprintf(rid, sizeof(rid), "%lld", (long long)run);
			out_printf("\n");
			out_printf(cd_tr(S_REPAIR_RUN_DONE), rid, rid);
			out_printf("\n");
		}
		if (arc == CD_EXIT_REPAIR_NOPERM || arc == CD_EXIT_REPAIR_LOCKED || !run) {
			rc = arc;
		} else {
			int vrc = verify(&s, &plan, &eo, &o);
			rc = arc > CD_EXIT_ERRORS ? arc : vrc > arc ? vrc : arc;
		}
	}
	if (o.json) {
		char *text;
		cJSON_AddItemToObject(o.doc, "plan", plan_json(&plan));
		cJSON_AddBoolToObject(o.doc, "applied", yes && run);
		if (run)
			cJSON_AddNumberToObject(o.doc, "run_id", (double)run);
		text = cJSON_Print(o.doc);
		if (text) {
			out_printf("%s\n", text);
			free(text);
		}
		cJSON_Delete(o.doc);
	}
	cd_plan_release(&plan);
	return rc;
}
