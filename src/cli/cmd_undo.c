/* cadoctor undo: reverses a repair run from its journal, last change first;
 * lists the runs (docs/cli/undo.md). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../actions/actions_os.h"
#include "../core/i18n.h"
#include "../core/journal.h"
#include "../core/policy.h"
#include "../core/repair.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "cli.h"

enum { OPT_LIST = 1, OPT_LAST, OPT_JSON };

struct undo_out {
	int json;
	cJSON *steps;
};

static const char *undo_text(const char *r)
{
	if (cd_streq(r, "undone"))
		return cd_tr(S_UNDO_RESULT_UNDONE);
	if (cd_streq(r, "irreversible"))
		return cd_tr(S_REPAIR_IRREVERSIBLE);
	if (cd_streq(r, "nothing"))
		return cd_tr(S_UNDO_RESULT_NOTHING);
	return cd_tr(S_UNDO_RESULT_FAILED);
}

static void progress(void *ud, const struct cd_undo_step *s)
{
	struct undo_out *o = ud;
	if (o->json) {
		cJSON *it = cJSON_CreateObject();
		if (!it)
			return;
		cJSON_AddNumberToObject(it, "seq", s->seq);
		cJSON_AddStringToObject(it, "kind", s->kind);
		cJSON_AddStringToObject(it, "rule", s->rule ? s->rule : "");
		cJSON_AddStringToObject(it, "result", s->result);
		if (s->error)
			cJSON_AddStringToObject(it, "error", s->error);
		cJSON_AddItemToArray(o->steps, it);
		return;
	}
	if (cli_quiet)
		return;
	out_printf("  %2d. %s (%s): %s", s->seq, s->kind, s->rule ? s->rule : "", undo_text(s->result));
	if (s->error)
		out_printf(" (%s)", s->error);
	out_printf("\n");
}

static int list_runs(struct cd_journal *j, int json)
{
	struct cd_journal_run *runs = NULL;
	size_t n = 0, i;
	cd_err e = cd_journal_runs(j, &runs, &n);
	if (e) {
		err_printf("cadoctor: %s\n", e == CD_ERR_TIMEOUT ? cd_tr(S_REPAIR_LOCKED) : cd_err_message(e));
		return e == CD_ERR_TIMEOUT ? CD_EXIT_REPAIR_LOCKED : CD_EXIT_BAD_INPUT;
	}
	if (json) {
		cJSON *arr = cJSON_CreateArray();
		char *text;
		for (i = 0; arr && i < n; i++) {
			cJSON *o = cJSON_CreateObject();
			char t[32];
			if (!o)
				continue;
			cJSON_AddNumberToObject(o, "id", (double)runs[i].id);
			cd_format_utc(runs[i].started, t, sizeof(t));
			cJSON_AddStringToObject(o, "started", t);
			if (runs[i].finished) {
				cd_format_utc(runs[i].finished, t, sizeof(t));
				cJSON_AddStringToObject(o, "finished", t);
			}
			cJSON_AddStringToObject(o, "status", runs[i].status ? runs[i].status : "");
			cJSON_AddBoolToObject(o, "interrupted", runs[i].interrupted);
			cJSON_AddStringToObject(o, "host", runs[i].host ? runs[i].host : "");
			cJSON_AddStringToObject(o, "user", runs[i].user ? runs[i].user : "");
			cJSON_AddStringToObject(o, "version", runs[i].version ? runs[i].version : "");
			cJSON_AddNumberToObject(o, "steps", runs[i].nsteps);
			cJSON_AddNumberToObject(o, "changed", runs[i].napplied);
			cJSON_AddItemToArray(arr, o);
		}
		text = arr ? cJSON_Print(arr) : NULL;
		if (text)
			out_printf("%s\n", text);
		free(text);
		cJSON_Delete(arr);
	} else if (!n) {
		out_printf("%s\n", cd_tr(S_UNDO_NO_RUNS));
	} else {
		out_printf("%s:\n", cd_tr(S_UNDO_LIST_HEAD));
		for (i = 0; i < n; i++) {
			char t[32];
			cd_format_utc(runs[i].started, t, sizeof(t));
			out_printf("  %-5lld %s  %-12s %d/%d  %s@%s\n", (long long)runs[i].id, t,
				   runs[i].status ? runs[i].status : "", runs[i].napplied, runs[i].nsteps,
				   runs[i].user ? runs[i].user : "?", runs[i].host ? runs[i].host : "?");
		}
	}
	cd_journal_runs_free(runs, n);
	return CD_EXIT_OK;
}

int cmd_undo(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		CLI_COMMON_OPTS,
		{"list", 0, 0, OPT_LIST},
		{"last", 0, 0, OPT_LAST},
		{"json", 0, 0, OPT_JSON},
		{NULL, 0, 0, 0},
	};
	struct cli_args a;
	struct cd_journal *j = NULL;
	struct cd_diag d;
	struct undo_out o = {0, NULL};
	const char *run_arg = NULL;
	char *dir = NULL, *end = NULL, rid[32];
	int list = 0, last = 0, id, rc = CD_EXIT_OK, complete = 0;
	int64_t run = 0, *ids = NULL;
	size_t nids = 0;
	cd_err e;

	cli_args_init(&a, argc, argv);
	while ((id = cli_next(&a, opts)) != CLI_END) {
		switch (id) {
		case OPT_LIST:
			list = 1;
			continue;
		case OPT_LAST:
			last = 1;
			continue;
		case OPT_JSON:
			o.json = 1;
			continue;
		case OPT_HELP:
			out_printf("%s\n", cd_tr(S_HELP_UNDO));
			return CD_EXIT_OK;
		case CLI_POSITIONAL:
			if (run_arg)
				return usage_error("undo", cd_tr(S_ERR_UNEXPECTED_ARG), a.arg);
			run_arg = a.arg;
			continue;
		}
		if (cli_common(id, a.arg, "undo"))
			continue;
		return usage_error("undo", cd_tr(S_ERR_BAD_OPTION), a.bad ? a.bad : "?");
	}
	if (list + last + !!run_arg != 1)
		return usage_error("undo", "%s", cd_tr(S_ERR_UNDO_ARGS));
	if (run_arg) {
		long long v = strtoll(run_arg, &end, 10);
		if (!*run_arg || *end || v <= 0)
			return usage_error("undo", cd_tr(S_ERR_UNDO_UNKNOWN_RUN), run_arg);
		run = v;
	}

	/* Undoing changes the machine: without administrator rights, run
	 * elevated (listing does not need it). */
	if (!list) {
		int erc = cli_elevate(argc, argv);
		if (erc >= 0)
			return erc;
		if (erc == -2) {
			err_printf("cadoctor: %s\n", cd_tr(S_REPAIR_NEED_ADMIN_RUN));
			return CD_EXIT_REPAIR_NOPERM;
		}
	}
	cd_diag_clear(&d);
	e = cd_actions_journal_dir(0, &dir, &d);
	if (e == CD_OK && !cd_path_exists(dir))
		e = CD_ERR_NOT_FOUND;
	if (e == CD_OK)
		e = cd_journal_open(dir, !list || cd_actions_is_admin(), &j, &d);
	if (e == CD_ERR_NOT_FOUND && list) {
		free(dir);
		if (o.json)
			out_printf("[]\n");
		else
			out_printf("%s\n", cd_tr(S_UNDO_NO_RUNS));
		return CD_EXIT_OK;
	}
	if (e) {
		free(dir);
		if (e == CD_ERR_TIMEOUT) {
			err_printf("cadoctor: %s\n", cd_tr(S_REPAIR_LOCKED));
			return CD_EXIT_REPAIR_LOCKED;
		}
		if (e == CD_ERR_NOT_FOUND && run_arg)
			return usage_error("undo", cd_tr(S_ERR_UNDO_UNKNOWN_RUN), run_arg);
		if (!cd_actions_is_admin()) {
			err_printf("cadoctor: %s\n", cd_tr(S_REPAIR_NEED_ADMIN_RUN));
			return CD_EXIT_REPAIR_NOPERM;
		}
		err_diag(&d);
		return e == CD_ERR_NOT_FOUND ? CD_EXIT_NO_INPUT : CD_EXIT_BAD_INPUT;
	}
	/* Runs a dead process left "running" are interrupted: say so. */
	if (!list || cd_actions_is_admin()) {
		if (cd_journal_mark_interrupted(j, &ids, &nids) == CD_OK && !o.json) {
			size_t i;
			for (i = 0; i < nids; i++) {
				snprintf(rid, sizeof(rid), "%lld", (long long)ids[i]);
				err_printf(cd_tr(S_REPAIR_INTERRUPTED), rid, rid);
				err_printf("\n");
			}
		}
		free(ids);
	}
	if (list) {
		rc = list_runs(j, o.json);
		cd_journal_close(j);
		free(dir);
		return rc;
	}
	if (last) {
		struct cd_journal_run *runs = NULL;
		size_t n = 0;
		if (cd_journal_runs(j, &runs, &n) == CD_OK && n)
			run = runs[0].id;
		cd_journal_runs_free(runs, n);
		if (!run) {
			out_printf("%s\n", cd_tr(S_UNDO_NO_RUNS));
			cd_journal_close(j);
			free(dir);
			return CD_EXIT_NO_INPUT;
		}
	}
	snprintf(rid, sizeof(rid), "%lld", (long long)run);
	{
		struct cd_undo_opts uo;
		memset(&uo, 0, sizeof(uo));
		uo.ops = cd_os_actions();
		uo.journal_dir = dir;
		uo.progress = progress;
		uo.ud = &o;
		if (o.json)
			o.steps = cJSON_CreateArray();
		e = cd_repair_undo(j, run, &uo, &complete);
	}
	cd_journal_close(j);
	free(dir);
	if (e == CD_ERR_NOT_FOUND) {
		cJSON_Delete(o.steps);
		return usage_error("undo", cd_tr(S_ERR_UNDO_UNKNOWN_RUN), rid);
	}
	if (e == CD_ERR_INVALID) {
		cJSON_Delete(o.steps);
		out_printf(cd_tr(S_UNDO_ALREADY), rid);
		out_printf("\n");
		return CD_EXIT_OK;
	}
	if (e) {
		cJSON_Delete(o.steps);
		err_printf("cadoctor: %s\n", cd_err_message(e));
		return CD_EXIT_CANT_WRITE;
	}
	{
		struct cd_policy pol;
		cd_policy_load(&pol);
		cd_policy_log_undo(&pol, (long long)run, complete);
		cd_policy_release(&pol);
	}
	if (o.json) {
		cJSON *doc = cJSON_CreateObject();
		char *text;
		cJSON_AddNumberToObject(doc, "run_id", (double)run);
		cJSON_AddBoolToObject(doc, "complete", complete);
		cJSON_AddItemToObject(doc, "steps", o.steps);
		text = cJSON_Print(doc);
		if (text)
			out_printf("%s\n", text);
		free(text);
		cJSON_Delete(doc);
	} else if (!cli_quiet) {
		out_printf(cd_tr(complete ? S_UNDO_DONE : S_UNDO_PARTIAL), rid);
		out_printf("\n");
	}
	return complete ? CD_EXIT_OK : CD_EXIT_WARNINGS;
}
