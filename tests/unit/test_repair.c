/* The repair core (src/core/repair.c, journal.c) with a made-up action
 * backend: plan building (dedupe, --only, forbidden kinds, phase order), the
 * apply loop (noop, capture refused, failure skipping the rule's other
 * actions), the journal's records, undo in reverse order, and interrupted
 * runs. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/core/journal.h"
#include "../../src/core/repair.h"
#include "../../src/core/util.h"
#include "check.h"

/* The "machine": named integer slots. */
static int slots[8];
static char order[64]; /* the order of applies and undos, one letter each */

static int slot_of(const struct cd_action *a)
{
	const char *s = cd_action_arg(a, "name");
	return s ? atoi(s) : 0;
}

static int want_of(const struct cd_action *a)
{
	const char *s = cd_action_arg(a, "start_type");
	return s ? atoi(s) : 1;
}

static int f_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	(void)env;
	return slots[slot_of(a)] == want_of(a);
}

static cd_err f_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			struct cd_diag *d)
{
	(void)env;
	(void)d;
	*before = cJSON_CreateObject();
	cJSON_AddNumberToObject(*before, "was", slots[slot_of(a)]);
	return CD_OK;
}

static cd_err f_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
		      struct cd_diag *d)
{
	(void)env;
	(void)b;
	if (want_of(a) == 99)
		return cd_diag_set(d, CD_ERR_IO, NULL, 0, "refused by the fake machine");
	slots[slot_of(a)] = want_of(a);
	strcat(order, "a");
	return CD_OK;
}

static cd_err f_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		     struct cd_diag *d)
{
	(void)env;
	(void)d;
	slots[slot_of(a)] = cJSON_GetObjectItem(before, "was")->valueint;
	strcat(order, "u");
	return CD_OK;
}

static cd_err f_refuse(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
		       struct cd_diag *d)
{
	(void)a;
	(void)env;
	(void)before;
	return cd_diag_set(d, CD_ERR_IO, NULL, 0, "cannot read the state");
}

static const struct cd_action_ops op_set = {"service_set_start", 1, 1, NULL, f_noop, f_capture, f_apply, f_undo};
static const struct cd_action_ops op_start = {"service_start", 1, 1, NULL, f_noop, f_capture, f_apply, f_undo};
static const struct cd_action_ops op_uninstall = {"program_uninstall", 0, 1, NULL, f_noop, f_capture, f_apply, f_undo};
static const struct cd_action_ops op_quarantine = {"file_quarantine", 1, 1, NULL, NULL, f_refuse, f_apply, f_undo};
static const struct cd_action_ops *const ops[] = {&op_set, &op_start, &op_uninstall, &op_quarantine, NULL};

/* A finding planning the given actions: "kind name start_type" triples. */
static void finding(struct cd_finding *fd, const char *rule, const char *const *acts, size_t n)
{
	size_t i;
	memset(fd, 0, sizeof(*fd));
	fd->rule_id = cd_strdup(rule);
	fd->actions = calloc(n, sizeof(*fd->actions));
	fd->nactions = n;
	for (i = 0; i < n; i++) {
		struct cd_action_plan *ap = &fd->actions[i];
		ap->kind = cd_strdup(acts[i * 3]);
		ap->nargs = 2;
		ap->keys = calloc(2, sizeof(char *));
		ap->values = calloc(2, sizeof(char *));
		ap->keys[0] = cd_strdup("name");
		ap->values[0] = cd_strdup(acts[i * 3 + 1]);
		ap->keys[1] = cd_strdup("start_type");
		ap->values[1] = cd_strdup(acts[i * 3 + 2]);
		ap->describe[0] = cd_strdup(ap->kind);
		ap->describe[1] = cd_strdup(ap->kind);
	}
}

static void test_plan_apply_undo(const char *dir)
{
	static const char *const a1[] = {"service_start", "1", "1", "service_set_start", "2", "3"};
	static const char *const a2[] = {"service_start", "1", "1", "program_uninstall", "3", "1"};
	static const char *const a3[] = {"file_quarantine", "4", "1", "service_start", "5", "1"};
	static const char *const a4[] = {"service_set_start", "6", "99", "service_start", "7", "1"};
	struct cd_results res;
	struct cd_plan p;
	struct cd_plan_opts po;
	struct cd_apply_opts ao;
	struct cd_journal *j;
	struct cd_journal_step *steps;
	struct cd_journal_run r;
	struct cd_undo_opts uo;
	size_t n;
	int64_t run = 0;
	int complete = -1;

	memset(&res, 0, sizeof(res));
	res.v = calloc(4, sizeof(*res.v));
	res.n = 4;
	finding(&res.v[0], "r.one", a1, 2);
	finding(&res.v[1], "r.two", a2, 2);
	finding(&res.v[2], "r.three", a3, 2);
	finding(&res.v[3], "r.four", a4, 2);

	memset(&po, 0, sizeof(po));
	po.ops = ops;
	po.forbidden = "";
	CHECK(cd_plan_build(&res, &po, &p) == CD_OK);
	/* service_start 1 is planned once, for both rules; removals first,
	 * then configuration, then starts. */
	CHECK(p.n == 7);
	CHECK_STR(p.v[0].act.kind, "program_uninstall");
	CHECK_STR(p.v[1].act.kind, "file_quarantine");
	CHECK_STR(p.v[2].act.kind, "service_set_start");
	CHECK_STR(p.v[4].act.kind, "service_start");
	CHECK_STR(p.v[4].rules, "r.one,r.two");
	cd_plan_release(&p);

	po.only_rule = "r.two";
	CHECK(cd_plan_build(&res, &po, &p) == CD_OK);
	CHECK(p.n == 2);
	cd_plan_release(&p);
	po.only_rule = NULL;
	po.forbidden = "program_uninstall, registry_set";
	CHECK(cd_plan_build(&res, &po, &p) == CD_OK);
	CHECK(p.v[0].state == CD_PLAN_FORBIDDEN);
	CHECK(cd_repair_kind_in_list("a, b ,c", "b") && !cd_repair_kind_in_list("ab", "a"));
	cd_plan_release(&p);
	po.forbidden = "";

	CHECK(cd_journal_open(dir, 1, &j, NULL) == CD_OK);
	CHECK(cd_plan_build(&res, &po, &p) == CD_OK);
	memset(&ao, 0, sizeof(ao));
	ao.journal = j;
	ao.env.journal_dir = dir;
	ao.host = "h";
	ao.user = "u";
	ao.version = "t";
	ao.is_admin = 1;
	slots[5] = 1; /* service 5 already running: a no-op */
	CHECK(cd_repair_apply(&p, &ao, &run) == CD_OK);
	CHECK(run == 1);
	CHECK_STR(p.v[0].result, "applied");   /* uninstall 3 */
	CHECK_STR(p.v[1].result, "failed");    /* quarantine 4: capture refused */
	CHECK(p.v[1].error && strstr(p.v[1].error, "cannot record the state before"));
	CHECK_STR(p.v[2].result, "applied");   /* set 2 = 3 */
	CHECK_STR(p.v[3].result, "failed");    /* set 6 = 99: apply refused */
	CHECK_STR(p.v[4].result, "applied");   /* start 1 */
	CHECK_STR(p.v[5].result, "skipped");   /* start 5: r.three failed before */
	CHECK_STR(p.v[6].result, "skipped");   /* start 7: r.four failed before */
	CHECK(slots[1] == 1 && slots[2] == 3 && slots[3] == 1 && slots[4] == 0 && slots[6] == 0);
	CHECK(cd_journal_steps(j, run, &steps, &n) == CD_OK);
	CHECK(n == 7);
	CHECK_STR(steps[0].status, "applied");
	CHECK(steps[0].before && strstr(steps[0].before, "\"was\":0"));
	CHECK_STR(steps[1].status, "failed");
	CHECK(steps[1].before == NULL);
	CHECK_STR(steps[3].status, "failed");
	CHECK(steps[3].before != NULL); /* captured before the failed apply: undone too */
	CHECK_STR(steps[5].status, "skipped");
	CHECK_STR(steps[4].args, "{\"name\":\"1\",\"start_type\":\"1\"}");
	cd_journal_steps_free(steps, n);
	CHECK(cd_journal_run_get(j, run, &r) == CD_OK);
	CHECK_STR(r.status, "failed");
	cd_journal_run_release(&r);
	cd_plan_release(&p);

	/* Undo: reverse order; the uninstall is irreversible. */
	memset(&uo, 0, sizeof(uo));
	uo.ops = ops;
	uo.journal_dir = dir;
	order[0] = '\0';
	slots[6] = 42; /* undo of the failed set puts back what was captured (0) */
	CHECK(cd_repair_undo(j, run, &uo, &complete) == CD_OK);
	CHECK(complete == 0);
	CHECK(slots[1] == 0 && slots[2] == 0 && slots[6] == 0);
	CHECK(slots[3] == 1); /* irreversible */
	CHECK_STR(order, "uuu");
	CHECK(cd_journal_run_get(j, run, &r) == CD_OK);
	CHECK_STR(r.status, "undo_partial");
	cd_journal_run_release(&r);
	cd_journal_close(j);

	/* A run left "running" by a dead process is marked interrupted by the
	 * next writer and can be undone. */
	CHECK(cd_journal_open(dir, 1, &j, NULL) == CD_OK);
	{
		int64_t r2 = 0, *ids = NULL;
		size_t nids = 0;
		CHECK(cd_journal_run_begin(j, "h", "u", "t", NULL, &r2) == CD_OK);
		CHECK(cd_journal_step_plan(j, r2, 1, "r.x", "service_start", "{\"name\":\"7\",\"start_type\":\"5\"}") ==
		      CD_OK);
		CHECK(cd_journal_commit(j) == CD_OK);
		CHECK(cd_journal_step_set(j, r2, 1, "captured", "{\"was\":0}", NULL) == CD_OK);
		slots[7] = 5; /* applied, then the "power cut" */
		cd_journal_close(j);
		CHECK(cd_journal_open(dir, 1, &j, NULL) == CD_OK);
		CHECK(cd_journal_mark_interrupted(j, &ids, &nids) == CD_OK);
		CHECK(nids == 1 && ids[0] == r2);
		free(ids);
		CHECK(cd_repair_undo(j, r2, &uo, &complete) == CD_OK);
		CHECK(complete == 1 && slots[7] == 0);
		CHECK(cd_repair_undo(j, r2, &uo, &complete) == CD_ERR_INVALID); /* already undone */
		CHECK(cd_repair_undo(j, 999, &uo, &complete) == CD_ERR_NOT_FOUND);
	}
	/* One writer at a time. */
	{
		struct cd_journal *j2 = NULL;
		struct cd_diag d;
		CHECK(cd_journal_open(dir, 1, &j2, &d) == CD_ERR_TIMEOUT);
	}
	cd_journal_close(j);
	cd_results_release(&res);
}

int main(void)
{
	char dir[] = "/tmp/cd_test_repair_XXXXXX";
	char *path;
	if (!mkdtemp(dir))
		return 1;
	test_plan_apply_undo(dir);
	path = cd_aprintf("%s/journal.db", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	return check_summary("test_repair");
}
