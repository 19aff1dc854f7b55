/* Repair plan, apply loop and undo (repair.h). */
#include "repair.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "journal.h"
#include "util.h"
#include "../platform/platform.h"

const char *cd_action_arg(const struct cd_action *a, const char *key)
{
	size_t i;
	for (i = 0; i < a->nargs; i++)
		if (!strcmp(a->keys[i], key))
			return a->values[i];
	return NULL;
}

const struct cd_action_ops *cd_action_ops_find(const struct cd_action_ops *const *ops, const char *kind)
{
	for (; ops && *ops; ops++)
		if (!strcmp((*ops)->kind, kind))
			return *ops;
	return NULL;
}

const char *cd_repair_forbidden_kinds(void)
{
	const char *env = cd_getenv("CADOCTOR_FORBID_ACTIONS");
	return env ? env : "";
}

int cd_repair_kind_in_list(const char *list, const char *kind)
{
	char item[128];
	const char *p = list;
	if (!list || !kind)
		return 0;
	while (cd_split_next(&p, ',', item, sizeof(item)))
		if (!strcmp(item, "*") || !strcmp(item, kind))
			return 1;
	return 0;
}

int cd_repair_phase(const char *kind)
{
	static const char *const removals[] = {"program_uninstall", "file_quarantine",
					       "registry_delete_value", "registry_delete_key", NULL};
	static const char *const starts[] = {"service_stop", "service_start", "clock_sync", NULL};
	size_t i;
	for (i = 0; removals[i]; i++)
		if (!strcmp(kind, removals[i]))
			return 0;
	for (i = 0; starts[i]; i++)
		if (!strcmp(kind, starts[i]))
			return 2;
	if (!strcmp(kind, "open_url"))
		return 3;
	return 1; /* configuration: registry_set, modules, policies, hosts, COM, installers, start types */
}

static void item_release(struct cd_plan_item *it)
{
	size_t k;
	int l;
	free(it->rules);
	free((char *)it->act.kind);
	for (k = 0; k < it->act.nargs; k++) {
		free(it->act.keys[k]);
		free(it->act.values[k]);
	}
	free(it->act.keys);
	free(it->act.values);
	free(it->why);
	free(it->error);
	for (l = 0; l < CD_LANG_COUNT; l++)
		free(it->describe[l]);
	memset(it, 0, sizeof(*it));
}

void cd_plan_release(struct cd_plan *p)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		item_release(&p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* Same kind and the same arguments (in any order). */
static int same_action(const struct cd_action *a, const struct cd_action_plan *b)
{
	size_t i;
	if (strcmp(a->kind, b->kind) || a->nargs != b->nargs)
		return 0;
	for (i = 0; i < b->nargs; i++) {
		const char *v = cd_action_arg(a, b->keys[i]);
		if (!v || strcmp(v, b->values[i]))
			return 0;
	}
	return 1;
}

static cd_err add_item(struct cd_plan *p, size_t *cap, const char *rule, const struct cd_action_plan *ap,
		       const struct cd_plan_opts *opt)
{
	struct cd_plan_item *it;
	const struct cd_action_kind *k = cd_action_kind_find(ap->kind);
	size_t i;
	int l;
	if (p->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct cd_plan_item *nv = realloc(p->v, ncap * sizeof(*nv));
		if (!nv)
			return CD_ERR_NOMEM;
		p->v = nv;
		*cap = ncap;
	}
	it = &p->v[p->n];
	memset(it, 0, sizeof(*it));
	it->rules = cd_strdup(rule);
	it->act.kind = cd_strdup(ap->kind);
	it->act.keys = calloc(ap->nargs + 1, sizeof(char *));
	it->act.values = calloc(ap->nargs + 1, sizeof(char *));
	if (!it->rules || !it->act.kind || !it->act.keys || !it->act.values) {
		item_release(it);
		return CD_ERR_NOMEM;
	}
	for (i = 0; i < ap->nargs; i++) {
		it->act.keys[i] = cd_strdup(ap->keys[i]);
		it->act.values[i] = cd_strdup(ap->values[i] ? ap->values[i] : "");
		it->act.nargs = i + 1;
		if (!it->act.keys[i] || !it->act.values[i]) {
			item_release(it);
			return CD_ERR_NOMEM;
		}
	}
	for (l = 0; l < CD_LANG_COUNT; l++)
		it->describe[l] = cd_strdup(ap->describe[l] ? ap->describe[l] : ap->kind);
	it->needs_admin = k ? k->needs_admin : 1;
	it->ops = cd_action_ops_find(opt->ops, ap->kind);
	if (cd_repair_kind_in_list(opt->forbidden, ap->kind)) {
		it->state = CD_PLAN_FORBIDDEN;
	} else if (!it->ops || !k) {
		it->state = CD_PLAN_UNSUPPORTED;
	} else if (it->ops->check) {
		struct cd_diag d;
		cd_diag_clear(&d);
		if (it->ops->check(&it->act, opt->env, &d) != CD_OK) {
			it->state = CD_PLAN_INVALID;
			it->why = cd_strdup(d.msg);
		}
	}
	p->n++;
	return CD_OK;
}

cd_err cd_plan_build(const struct cd_results *res, const struct cd_plan_opts *opt, struct cd_plan *out)
{
	struct cd_plan p = {NULL, 0};
	size_t cap = 0, f, a, i, j;
	for (f = 0; f < res->n; f++) {
		const struct cd_finding *fd = &res->v[f];
		if (opt->only_rule && strcmp(opt->only_rule, fd->rule_id))
			continue;
		for (a = 0; a < fd->nactions; a++) {
			const struct cd_action_plan *ap = &fd->actions[a];
			for (i = 0; i < p.n; i++)
				if (same_action(&p.v[i].act, ap))
					break;
			if (i < p.n) {
				/* Planned already: name this rule too. */
				if (!cd_repair_kind_in_list(p.v[i].rules, fd->rule_id)) {
					char *r = cd_aprintf("%s,%s", p.v[i].rules, fd->rule_id);
					if (!r) {
						cd_plan_release(&p);
						return CD_ERR_NOMEM;
					}
					free(p.v[i].rules);
					p.v[i].rules = r;
				}
				continue;
			}
			if (add_item(&p, &cap, fd->rule_id, ap, opt)) {
				cd_plan_release(&p);
				return CD_ERR_NOMEM;
			}
		}
	}
	/* Stable order by phase. */
	for (i = 1; i < p.n; i++) {
		struct cd_plan_item t = p.v[i];
		int ph = cd_repair_phase(t.act.kind);
		for (j = i; j > 0 && cd_repair_phase(p.v[j - 1].act.kind) > ph; j--)
			p.v[j] = p.v[j - 1];
		p.v[j] = t;
	}
	*out = p;
	return CD_OK;
}

char *cd_action_args_json(const struct cd_action *a)
{
	cJSON *o = cJSON_CreateObject();
	char *s;
	size_t i;
	if (!o)
		return NULL;
	for (i = 0; i < a->nargs; i++)
		if (!cJSON_AddStringToObject(o, a->keys[i], a->values[i])) {
			cJSON_Delete(o);
			return NULL;
		}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int rule_failed(const char *failed, const char *rules)
{
	char item[256];
	const char *p = rules;
	while (cd_split_next(&p, ',', item, sizeof(item)))
		if (cd_repair_kind_in_list(failed, item))
			return 1;
	return 0;
}

static void set_result(struct cd_plan_item *it, const char *result, const char *error,
		       const struct cd_apply_opts *opt)
{
	it->result = result;
	free(it->error);
	it->error = error && *error ? cd_strdup(error) : NULL;
	if (opt->progress)
		opt->progress(opt->ud, it);
}

cd_err cd_repair_apply(struct cd_plan *p, const struct cd_apply_opts *opt, int64_t *run_id)
{
	struct cd_journal *j = opt->journal;
	struct cd_action_env env = opt->env;
	struct cd_buf failed;
	int64_t run;
	size_t i;
	int napplied = 0, any_failed = 0;
	cd_err e;

	e = cd_journal_run_begin(j, opt->host, opt->user, opt->version, env.root, &run);
	for (i = 0; !e && i < p->n; i++) {
		char *args = cd_action_args_json(&p->v[i].act);
		e = args ? cd_journal_step_plan(j, run, (int)i + 1, p->v[i].rules, p->v[i].act.kind, args)
			 : CD_ERR_NOMEM;
		free(args);
	}
	if (!e)
		e = cd_journal_commit(j);
	if (e)
		return e;
	*run_id = run;
	env.run_id = run;
	cd_buf_init(&failed, 1 << 20);

	for (i = 0; i < p->n; i++) {
		struct cd_plan_item *it = &p->v[i];
		const struct cd_action_ops *ops = it->ops;
		struct cd_diag d;
		cJSON *before = NULL;
		char *before_s;
		const char *skip = NULL;
		int seq = (int)i + 1;

		env.seq = seq;
		cd_diag_clear(&d);
		if (it->state == CD_PLAN_FORBIDDEN)
			skip = "forbidden by settings (CADOCTOR_FORBID_ACTIONS)";
		else if (it->state == CD_PLAN_UNSUPPORTED)
			skip = "not available on this system";
		else if (it->state == CD_PLAN_INVALID)
			skip = it->why ? it->why : "arguments refused";
		else if (it->needs_admin && !opt->is_admin)
			skip = "needs administrator rights";
		else if (rule_failed(cd_buf_str(&failed), it->rules))
			skip = "an earlier action of the same rule failed";
		if (skip) {
			set_result(it, "skipped", skip, opt);
			if ((e = cd_journal_step_set(j, run, seq, "skipped", NULL, skip)))
				goto out;
			continue;
		}
		if (!ops->journaled) {
			e = ops->apply(&it->act, &env, NULL, &d);
			set_result(it, e ? "failed" : "shown", e ? d.msg : NULL, opt);
			if ((e = cd_journal_step_set(j, run, seq, e ? "failed" : "applied", NULL, e ? d.msg : NULL)))
				goto out;
			continue;
		}
		if (ops->is_noop && ops->is_noop(&it->act, &env)) {
			set_result(it, "noop", NULL, opt);
			if ((e = cd_journal_step_set(j, run, seq, "noop", NULL, NULL)))
				goto out;
			continue;
		}
		/* No before-state, no change. */
		if (ops->capture(&it->act, &env, &before, &d) != CD_OK || !before) {
			char *msg = cd_aprintf("cannot record the state before the change: %s", d.msg);
			cJSON_Delete(before);
			set_result(it, "failed", msg ? msg : d.msg, opt);
			any_failed = 1;
			cd_buf_addf(&failed, "%s,", it->rules);
			e = cd_journal_step_set(j, run, seq, "failed", NULL, msg ? msg : d.msg);
			free(msg);
			if (e)
				goto out;
			continue;
		}
		before_s = cJSON_PrintUnformatted(before);
		/* Durable before the action starts: a kill from here on leaves a
		 * journal that undo can act on. */
		e = before_s ? cd_journal_step_set(j, run, seq, "captured", before_s, NULL) : CD_ERR_NOMEM;
		free(before_s);
		if (e) {
			cJSON_Delete(before);
			set_result(it, "failed", "the journal could not be written: nothing changed", opt);
			goto out;
		}
		cd_diag_clear(&d);
		if (ops->apply(&it->act, &env, before, &d) == CD_OK) {
			set_result(it, "applied", NULL, opt);
			e = cd_journal_step_set(j, run, seq, "applied", NULL, NULL);
			napplied++;
		} else {
			set_result(it, "failed", d.msg, opt);
			any_failed = 1;
			cd_buf_addf(&failed, "%s,", it->rules);
			e = cd_journal_step_set(j, run, seq, "failed", NULL, d.msg);
		}
		cJSON_Delete(before);
		if (e)
			goto out;
		/* Test only: stop hard between two actions, as a power cut would. */
		if (opt->fail_after > 0 && napplied == opt->fail_after) {
			fflush(NULL);
			_Exit(99);
		}
	}
	e = cd_journal_run_end(j, run, any_failed ? "failed" : "done");
out:
	cd_buf_release(&failed);
	return e;
}

/* An action rebuilt from the journal's JSON arguments. */
static cd_err action_from_json(const char *kind, const char *args, struct cd_action *a)
{
	cJSON *o = cJSON_Parse(args ? args : "{}"), *it;
	size_t n, i = 0;
	memset(a, 0, sizeof(*a));
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return CD_ERR_PARSE;
	}
	n = (size_t)cJSON_GetArraySize(o);
	a->kind = kind;
	a->keys = calloc(n + 1, sizeof(char *));
	a->values = calloc(n + 1, sizeof(char *));
	if (!a->keys || !a->values) {
		free(a->keys);
		free(a->values);
		cJSON_Delete(o);
		return CD_ERR_NOMEM;
	}
	cJSON_ArrayForEach(it, o)
	{
		if (!cJSON_IsString(it) || !it->string)
			continue;
		a->keys[i] = cd_strdup(it->string);
		a->values[i] = cd_strdup(it->valuestring);
		if (a->keys[i] && a->values[i])
			i++;
		else {
			free(a->keys[i]);
			free(a->values[i]);
		}
	}
	a->nargs = i;
	cJSON_Delete(o);
	return CD_OK;
}

static void action_release(struct cd_action *a)
{
	size_t i;
	for (i = 0; i < a->nargs; i++) {
		free(a->keys[i]);
		free(a->values[i]);
	}
	free(a->keys);
	free(a->values);
}

cd_err cd_repair_undo(struct cd_journal *j, int64_t run, const struct cd_undo_opts *opt, int *complete)
{
	struct cd_journal_run r;
	struct cd_journal_step *steps = NULL;
	struct cd_action_env env;
	size_t n = 0, i;
	int all = 1;
	cd_err e;

	*complete = 0;
	e = cd_journal_run_get(j, run, &r);
	if (e)
		return e;
	if (cd_streq(r.status, "undone")) {
		cd_journal_run_release(&r);
		return CD_ERR_INVALID;
	}
	memset(&env, 0, sizeof(env));
	env.root = r.root;
	env.journal_dir = opt->journal_dir;
	env.run_id = run;
	e = cd_journal_steps(j, run, &steps, &n);
	for (i = n; !e && i-- > 0;) {
		struct cd_journal_step *s = &steps[i];
		const struct cd_action_ops *ops = cd_action_ops_find(opt->ops, s->kind);
		struct cd_undo_step us = {s->seq, s->rule, s->kind, "nothing", NULL};
		struct cd_action a;
		struct cd_diag d;
		cJSON *before;
		int touched = s->before && (cd_streq(s->status, "captured") || cd_streq(s->status, "applied") ||
					    cd_streq(s->status, "failed") || cd_streq(s->status, "undo_failed"));
		if (!touched) {
			if (opt->progress && !cd_streq(s->status, "undone") && !cd_streq(s->status, "irreversible"))
				opt->progress(opt->ud, &us);
			if (cd_streq(s->status, "irreversible"))
				all = 0;
			continue;
		}
		cd_diag_clear(&d);
		env.seq = s->seq;
		if (!ops) {
			us.result = "undo_failed";
			us.error = "this action kind cannot be undone on this system";
		} else if (!ops->reversible) {
			us.result = "irreversible";
			us.error = "this change cannot be undone by cadoctor";
		} else if (!(before = cJSON_Parse(s->before))) {
			us.result = "undo_failed";
			us.error = "the recorded state is damaged";
		} else if (action_from_json(s->kind, s->args, &a) != CD_OK) {
			cJSON_Delete(before);
			us.result = "undo_failed";
			us.error = "the recorded arguments are damaged";
		} else {
			if (ops->undo(&a, &env, before, &d) == CD_OK) {
				us.result = "undone";
			} else {
				us.result = "undo_failed";
				us.error = d.msg;
			}
			action_release(&a);
			cJSON_Delete(before);
		}
		if (strcmp(us.result, "undone"))
			all = 0;
		e = cd_journal_step_set(j, run, s->seq, us.result, NULL, us.error);
		if (opt->progress)
			opt->progress(opt->ud, &us);
	}
	if (!e)
		e = cd_journal_run_end(j, run, all ? "undone" : "undo_partial");
	cd_journal_steps_free(steps, n);
	cd_journal_run_release(&r);
	*complete = !e && all;
	return e;
}

const char *cd_repair_result_text(const char *r)
{
	if (cd_streq(r, "applied"))
		return cd_tr(S_REPAIR_RESULT_APPLIED);
	if (cd_streq(r, "noop"))
		return cd_tr(S_REPAIR_RESULT_NOOP);
	if (cd_streq(r, "failed"))
		return cd_tr(S_REPAIR_RESULT_FAILED);
	if (cd_streq(r, "shown"))
		return cd_tr(S_REPAIR_RESULT_SHOWN);
	return cd_tr(S_REPAIR_RESULT_SKIPPED);
}

const char *cd_plan_state_text(enum cd_plan_state state)
{
	switch (state) {
	case CD_PLAN_FORBIDDEN:
		return cd_tr(S_REPAIR_STATE_FORBIDDEN);
	case CD_PLAN_UNSUPPORTED:
		return cd_tr(S_REPAIR_STATE_UNSUPPORTED);
	case CD_PLAN_INVALID:
		return cd_tr(S_REPAIR_STATE_INVALID);
	default:
		return NULL;
	}
}
