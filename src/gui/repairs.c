/* 一键修复 and 撤销上次修复. A repair shows the plan (core/repair.h, with
 * the action kinds the policy does not allow marked forbidden), asks, and
 * only then runs: here when we already are administrator, else through
 * this exe started elevated (--apply-repair: it scans with the same
 * choices, builds the same plan and applies it through the journal). The
 * PC is then checked again and the result dialog says which findings
 * cleared. Undo runs the same way (--undo-last). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../actions/actions_os.h"
#include "../core/buf.h"
#include "../core/i18n.h"
#include "../core/journal.h"
#include "../core/rules.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "gui.h"

cd_err gui_plan_build(const struct cd_results *res, struct cd_plan *plan)
{
	static struct cd_action_env env;
	struct cd_plan_opts po;
	char *forbidden = cd_policy_forbidden_kinds(&g.pol, cd_repair_forbidden_kinds());
	cd_err e;
	if (!forbidden)
		return CD_ERR_NOMEM;
	memset(&env, 0, sizeof(env));
	memset(&po, 0, sizeof(po));
	po.forbidden = forbidden;
	po.ops = cd_os_actions();
	po.env = &env;
	e = cd_plan_build(res, &po, plan);
	free(forbidden);
	return e;
}

static int ready_count(const struct cd_plan *p, int *admin)
{
	size_t i;
	int n = 0;
	*admin = 0;
	for (i = 0; i < p->n; i++)
		if (p->v[i].state == CD_PLAN_READY) {
			n++;
			*admin |= p->v[i].needs_admin;
		}
	return n;
}

static const char *state_text(const struct cd_plan_item *it)
{
	const char *t = cd_plan_state_text(it->state);
	return t ? t : cd_tr(it->needs_admin ? S_GUI_PLAN_NEEDS_ADMIN : S_GUI_PLAN_READY);
}

/* ---- the two dialogs: a list of (text, state) rows ---- */

struct rows {
	const char *title, *intro, *note, *ok;
	int ok_enabled;
	size_t n;
	char **text, **state;
};

static void list_setup(HWND list, HWND dlg)
{
	LVCOLUMNW c;
	RECT r = {0, 0, 250, 0};
	wchar_t *t;
	MapDialogRect(dlg, &r);
	SendMessageW(list, LVM_SETEXTENDEDLISTVIEWSTYLE, 0, LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP);
	memset(&c, 0, sizeof(c));
	c.mask = LVCF_TEXT | LVCF_WIDTH;
	t = gui_w(cd_tr(S_GUI_PLAN_COL_CHANGE));
	c.pszText = t;
	c.cx = r.right;
	SendMessageW(list, LVM_INSERTCOLUMNW, 0, (LPARAM)&c);
	free(t);
	r.right = 85;
	MapDialogRect(dlg, &r);
	t = gui_w(cd_tr(S_GUI_PLAN_COL_STATE));
	c.pszText = t;
	c.cx = r.right;
	SendMessageW(list, LVM_INSERTCOLUMNW, 1, (LPARAM)&c);
	free(t);
}

static INT_PTR CALLBACK rows_proc(HWND w, UINT msg, WPARAM wp, LPARAM lp)
{
	if (msg == WM_INITDIALOG) {
		const struct rows *r = (const struct rows *)lp;
		HWND list = GetDlgItem(w, IDC_PLAN_LIST);
		size_t i;
		gui_set_text(w, r->title);
		gui_set_item_text(w, IDC_PLAN_INTRO, r->intro);
		if (GetDlgItem(w, IDC_PLAN_NOTE))
			gui_set_item_text(w, IDC_PLAN_NOTE, r->note);
		gui_set_item_text(w, IDOK, r->ok);
		if (GetDlgItem(w, IDCANCEL))
			gui_set_item_text(w, IDCANCEL, cd_tr(S_GUI_CANCEL));
		EnableWindow(GetDlgItem(w, IDOK), r->ok_enabled);
		list_setup(list, w);
		for (i = 0; i < r->n; i++) {
			LVITEMW it;
			wchar_t *t0 = gui_w(r->text[i]), *t1 = gui_w(r->state[i]);
			int k;
			memset(&it, 0, sizeof(it));
			it.mask = LVIF_TEXT;
			it.iItem = (int)i;
			it.pszText = t0;
			k = (int)SendMessageW(list, LVM_INSERTITEMW, 0, (LPARAM)&it);
			it.iSubItem = 1;
			it.pszText = t1;
			if (k >= 0)
				SendMessageW(list, LVM_SETITEMTEXTW, (WPARAM)k, (LPARAM)&it);
			free(t0);
			free(t1);
		}
		SetFocus(GetDlgItem(w, r->ok_enabled ? IDOK : IDCANCEL) ? GetDlgItem(w, r->ok_enabled ? IDOK : IDCANCEL)
									 : GetDlgItem(w, IDOK));
		return FALSE;
	}
	if (msg == WM_COMMAND && (LOWORD(wp) == IDOK || LOWORD(wp) == IDCANCEL)) {
		EndDialog(w, LOWORD(wp));
		return TRUE;
	}
	return FALSE;
}

static void rows_release(struct rows *r)
{
	size_t i;
	for (i = 0; i < r->n; i++) {
		free(r->text[i]);
		free(r->state[i]);
	}
	free(r->text);
	free(r->state);
}

static int rows_add(struct rows *r, const char *text, const char *state)
{
	char **t = realloc(r->text, (r->n + 1) * sizeof(char *)), **s;
	if (!t)
		return -1;
	r->text = t;
	s = realloc(r->state, (r->n + 1) * sizeof(char *));
	if (!s)
		return -1;
	r->state = s;
	r->text[r->n] = cd_strdup(text ? text : "");
	r->state[r->n] = cd_strdup(state ? state : "");
	r->n++;
	return 0;
}

/* ---- 一键修复 ---- */

void gui_repair_clicked(void)
{
	struct cd_plan *plan;
	struct rows r;
	struct gui_job *job;
	size_t i;
	int admin = 0, ready, choice;

	if (!g.have_last || g.last.err)
		return;
	plan = calloc(1, sizeof(*plan));
	if (!plan || gui_plan_build(&g.last.sr.res, plan) != CD_OK) {
		free(plan);
		return;
	}
	if (!plan->n) {
		cd_plan_release(plan);
		free(plan);
		gui_message(MB_OK | MB_ICONINFORMATION, cd_tr(S_GUI_PLAN_NOTHING));
		return;
	}
	ready = ready_count(plan, &admin);
	memset(&r, 0, sizeof(r));
	r.title = cd_tr(S_GUI_PLAN_TITLE);
	r.intro = cd_tr(ready ? S_GUI_PLAN_INTRO : S_GUI_PLAN_NOTHING);
	r.note = ready ? cd_tr(admin && !g.is_admin ? S_GUI_PLAN_ADMIN : S_GUI_PLAN_NO_ADMIN) : "";
	r.ok = cd_tr(S_GUI_PLAN_START);
	r.ok_enabled = ready > 0;
	for (i = 0; i < plan->n; i++)
		rows_add(&r, plan->v[i].describe[cd_get_lang()], state_text(&plan->v[i]));
	choice = (int)DialogBoxParamW(g.inst, MAKEINTRESOURCEW(IDD_PLAN), g.wnd, rows_proc, (LPARAM)&r);
	rows_release(&r);
	if (choice != IDOK || !ready) {
		cd_plan_release(plan);
		free(plan);
		return;
	}
	job = calloc(1, sizeof(*job));
	if (!job) {
		cd_plan_release(plan);
		free(plan);
		return;
	}
	job->kind = GUI_JOB_REPAIR;
	job->plan = plan;
	/* Elevation is asked for only now, and only when a change needs it. */
	job->elevate = admin && !g.is_admin;
	gui_params_from_window(&job->params);
	gui_set_busy(1);
	gui_set_status(cd_tr(S_GUI_REPAIRING));
	if (gui_job_start(job) != 0) {
		gui_job_free(job);
		gui_set_busy(0);
	}
}

/* Applies the plan through the journal (as `cadoctor repair --yes`).
 * Returns 0 when every ready action applied or had nothing to do, 1 when
 * some failed, or the exit code of what stopped it (73, 75, 77). */
int gui_apply_here(struct cd_plan *plan)
{
	struct cd_apply_opts ao;
	struct cd_journal *j = NULL;
	struct cd_diag d;
	char *dir = NULL, host[256], user[256];
	int64_t *ids = NULL, run = 0;
	size_t nids = 0, i;
	int any_failed = 0;
	cd_err e;

	cd_diag_clear(&d);
	if (cd_actions_journal_dir(1, &dir, &d) != CD_OK)
		return cd_actions_is_admin() ? CD_EXIT_CANT_WRITE : CD_EXIT_REPAIR_NOPERM;
	e = cd_journal_open(dir, 1, &j, &d);
	if (e) {
		free(dir);
		return e == CD_ERR_TIMEOUT ? CD_EXIT_REPAIR_LOCKED : CD_EXIT_CANT_WRITE;
	}
	if (cd_journal_mark_interrupted(j, &ids, &nids) == CD_OK)
		free(ids);
	cd_actions_identity(host, sizeof(host), user, sizeof(user));
	memset(&ao, 0, sizeof(ao));
	ao.journal = j;
	ao.env.journal_dir = dir;
	ao.host = host;
	ao.user = user;
	ao.version = CADOCTOR_VERSION;
	ao.is_admin = cd_actions_is_admin();
	e = cd_repair_apply(plan, &ao, &run);
	cd_journal_close(j);
	cd_policy_log_repair(&g.pol, plan, run);
	free(dir);
	if (e)
		return CD_EXIT_CANT_WRITE;
	for (i = 0; i < plan->n; i++)
		any_failed |= cd_streq(plan->v[i].result, "failed");
	return any_failed ? CD_EXIT_WARNINGS : CD_EXIT_OK;
}

static int has_rule(const struct cd_results *r, const char *id)
{
	size_t i;
	for (i = 0; r && i < r->n; i++)
		if (cd_streq(r->v[i].rule_id, id))
			return 1;
	return 0;
}

static const char *rule_title(const struct cd_results *r, const char *id)
{
	size_t i;
	for (i = 0; r && i < r->n; i++)
		if (cd_streq(r->v[i].rule_id, id))
			return r->v[i].title[cd_get_lang()];
	return id;
}

/* After a repair or an undo and the scan that follows it. */
void gui_repair_job_done(struct gui_job *job, const struct cd_results *before)
{
	const struct cd_results *after = g.have_last && !g.last.err ? &g.last.sr.res : NULL;
	struct rows r;
	char *intro = NULL;
	size_t i;

	if (job->kind == GUI_JOB_UNDO) {
		enum cd_str s = job->code == CD_EXIT_OK ? S_GUI_UNDO_DONE
				: job->code == CD_EXIT_WARNINGS ? S_GUI_UNDO_PARTIAL
				: job->code == CD_EXIT_NO_INPUT ? S_GUI_UNDO_NONE
				: job->denied			  ? S_GUI_RESULT_DENIED
								  : S_GUI_UNDO_FAILED;
		intro = cd_aprintf(cd_tr(s), job->code);
		gui_message(MB_OK | (job->code <= CD_EXIT_WARNINGS || job->code == CD_EXIT_NO_INPUT ? MB_ICONINFORMATION
											    : MB_ICONWARNING),
			    intro ? intro : "");
		free(intro);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.title = cd_tr(S_GUI_RESULT_TITLE);
	if (job->denied)
		intro = cd_strdup(cd_tr(S_GUI_RESULT_DENIED));
	else if (job->code > CD_EXIT_WARNINGS)
		intro = cd_aprintf(cd_tr(S_GUI_RESULT_FAILED), job->code);
	else
		intro = cd_strdup(cd_tr(S_GUI_RESULT_INTRO));
	r.intro = intro ? intro : "";
	r.note = "";
	r.ok = cd_tr(S_GUI_CLOSE);
	r.ok_enabled = 1;
	/* What each change did: known when it ran in this process or the
	 * elevated copy told it (a standard user cannot read the journal). */
	for (i = 0; job->results_known && job->plan && i < job->plan->n; i++) {
		const struct cd_plan_item *it = &job->plan->v[i];
		if (it->state == CD_PLAN_READY)
			rows_add(&r, it->describe[cd_get_lang()], cd_repair_result_text(it->result));
	}
	/* Which findings cleared: the rules the plan was for, checked again. */
	if (!job->denied && after && job->plan) {
		char seen[8192] = ",";
		for (i = 0; i < job->plan->n; i++) {
			char rule[256], tag[260];
			const char *q = job->plan->v[i].rules;
			if (job->plan->v[i].state != CD_PLAN_READY)
				continue;
			while (cd_split_next(&q, ',', rule, sizeof(rule))) {
				snprintf(tag, sizeof(tag), ",%s,", rule);
				if (strstr(seen, tag) || strlen(seen) + strlen(rule) + 2 >= sizeof(seen))
					continue;
				strcat(seen, rule);
				strcat(seen, ",");
				rows_add(&r, rule_title(before, rule),
					 cd_tr(has_rule(after, rule) ? S_GUI_RESULT_REMAINING : S_GUI_RESULT_CLEARED));
			}
		}
	}
	DialogBoxParamW(g.inst, MAKEINTRESOURCEW(IDD_RESULT), g.wnd, rows_proc, (LPARAM)&r);
	rows_release(&r);
	free(intro);
}

/* ---- what the elevated copy did, for the window ---- */

void gui_results_write(const char *path, const struct cd_plan *plan)
{
	struct cd_buf b;
	size_t i;
	cd_buf_init(&b, 0);
	for (i = 0; i < plan->n; i++) {
		char *args;
		if (plan->v[i].state != CD_PLAN_READY || !plan->v[i].result)
			continue;
		args = cd_action_args_json(&plan->v[i].act);
		cd_buf_addf(&b, "%s\t%s\t%s\n", plan->v[i].result, plan->v[i].act.kind, args ? args : "");
		free(args);
	}
	if (b.len && !b.failed)
		cd_write_file(path, b.data, b.len);
	cd_buf_release(&b);
}

/* The known result words (plan items keep static strings). */
static const char *result_word(const char *s, size_t n)
{
	static const char *const words[] = {"applied", "noop", "failed", "skipped", "shown"};
	size_t i;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !strncmp(words[i], s, n))
			return words[i];
	return NULL;
}

int gui_results_read(const char *path, struct cd_plan *plan)
{
	char *text = NULL, *line, *next;
	size_t len = 0, i;
	int any = 0;
	if (cd_read_file(path, 1 << 20, &text, &len) != CD_OK)
		return 0;
	for (line = text; line && *line; line = next) {
		char *t1, *t2;
		const char *word;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2 || !(word = result_word(line, (size_t)(t1 - line))))
			continue;
		*t2++ = 0;
		for (i = 0; i < plan->n; i++) {
			struct cd_plan_item *it = &plan->v[i];
			char *args;
			if (it->state != CD_PLAN_READY || it->result || !cd_streq(it->act.kind, t1 + 1))
				continue;
			args = cd_action_args_json(&it->act);
			if (args && !strcmp(args, t2)) {
				it->result = word;
				any = 1;
				free(args);
				break;
			}
			free(args);
		}
	}
	free(text);
	/* Items the copy did not run (its own check found nothing for them). */
	for (i = 0; any && i < plan->n; i++)
		if (plan->v[i].state == CD_PLAN_READY && !plan->v[i].result)
			plan->v[i].result = "skipped";
	return any;
}

/* ---- 撤销上次修复 ---- */

/* Undoes the newest run (as `cadoctor undo --last`): 0 all undone, 1 some
 * not, 66 no run, or what stopped it (73, 75, 77). */
int gui_undo_here(void)
{
	struct cd_journal *j = NULL;
	struct cd_journal_run *runs = NULL;
	struct cd_undo_opts uo;
	struct cd_diag d;
	char *dir = NULL;
	int64_t run = 0, *ids = NULL;
	size_t n = 0, nids = 0;
	int complete = 0;
	cd_err e;

	cd_diag_clear(&d);
	e = cd_actions_journal_dir(0, &dir, &d);
	if (e == CD_OK && !cd_path_exists(dir)) {
		free(dir);
		return CD_EXIT_NO_INPUT;
	}
	if (e == CD_OK)
		e = cd_journal_open(dir, 1, &j, &d);
	if (e) {
		free(dir);
		return e == CD_ERR_TIMEOUT ? CD_EXIT_REPAIR_LOCKED
		       : !cd_actions_is_admin() ? CD_EXIT_REPAIR_NOPERM
						: CD_EXIT_CANT_WRITE;
	}
	if (cd_journal_mark_interrupted(j, &ids, &nids) == CD_OK)
		free(ids);
	if (cd_journal_runs(j, &runs, &n) == CD_OK && n)
		run = runs[0].id;
	cd_journal_runs_free(runs, n);
	if (!run) {
		cd_journal_close(j);
		free(dir);
		return CD_EXIT_NO_INPUT;
	}
	memset(&uo, 0, sizeof(uo));
	uo.ops = cd_os_actions();
	uo.journal_dir = dir;
	e = cd_repair_undo(j, run, &uo, &complete);
	cd_journal_close(j);
	if (e == CD_OK)
		cd_policy_log_undo(&g.pol, (long long)run, complete);
	free(dir);
	if (e == CD_ERR_INVALID) /* already undone */
		return CD_EXIT_NO_INPUT;
	if (e)
		return CD_EXIT_CANT_WRITE;
	return complete ? CD_EXIT_OK : CD_EXIT_WARNINGS;
}

void gui_undo_clicked(void)
{
	struct gui_job *job;
	if (gui_message(MB_YESNO | MB_ICONQUESTION, cd_tr(S_GUI_UNDO_CONFIRM)) != IDYES)
		return;
	job = calloc(1, sizeof(*job));
	if (!job)
		return;
	job->kind = GUI_JOB_UNDO;
	job->elevate = !g.is_admin;
	gui_params_from_window(&job->params);
	gui_set_busy(1);
	gui_set_status(cd_tr(S_GUI_UNDOING));
	if (gui_job_start(job) != 0) {
		gui_job_free(job);
		gui_set_busy(0);
	}
}

/* ---- the elevated copy ---- */

/* cadoctor-gui.exe --apply-repair|--undo-last [--offline] [--platform ID]
 * [--symptom ID] [--result-file PATH]: no window; the exit code is the
 * outcome, and the result file (repair) says what each change did. */
int gui_helper_main(int argc, char **argv)
{
	struct gui_scan_params p;
	struct gui_scan_out out;
	struct cd_plan plan;
	int i, undo = 0, rc;
	size_t k;
	const char *result_file = NULL;

	memset(&g, 0, sizeof(g));
	memset(&p, 0, sizeof(p));
	cd_policy_load(&g.pol);
	g.is_admin = cd_actions_is_admin();
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--undo-last"))
			undo = 1;
		else if (!strcmp(argv[i], "--offline"))
			p.offline = 1;
		else if (!strcmp(argv[i], "--symptom") && i + 1 < argc)
			p.symptom = cd_strdup(argv[++i]);
		else if (!strcmp(argv[i], "--platform") && i + 1 < argc)
			p.platform = cd_strdup(argv[++i]);
		else if (!strcmp(argv[i], "--result-file") && i + 1 < argc)
			result_file = argv[++i];
	}
	if (!g.is_admin) {
		gui_params_release(&p);
		cd_policy_release(&g.pol);
		return CD_EXIT_REPAIR_NOPERM;
	}
	if (undo) {
		rc = gui_undo_here();
		gui_params_release(&p);
		cd_policy_release(&g.pol);
		return rc;
	}
	if (p.platform) {
		struct cd_facts *f;
		struct cd_choice c;
		const unsigned char *bytes;
		size_t len;
		if (cd_facts_open(&f) == CD_OK) {
			cd_rules_embedded(&bytes, &len);
			if (cd_facts_attach_rules(f, bytes, len) == CD_OK &&
			    cd_scan_choice(f, CD_CHOICE_PLATFORMS, p.platform, &c) == CD_OK) {
				if (c.url)
					p.net_target = cd_aprintf("%s=%s", c.id, c.url);
				cd_choice_release(&c);
			}
			cd_facts_free(f);
		}
	}
	p.redact = cd_policy_redact(&g.pol, -1, NULL);
	rc = CD_EXIT_INTERNAL;
	if (gui_scan_run(&p, NULL, &out) == CD_OK) {
		if (gui_plan_build(&out.sr.res, &plan) == CD_OK) {
			int ready = 0;
			for (k = 0; k < plan.n; k++)
				ready += plan.v[k].state == CD_PLAN_READY;
			rc = ready ? gui_apply_here(&plan) : CD_EXIT_OK;
			if (ready && gui_result_file_ok(result_file))
				gui_results_write(result_file, &plan);
			cd_plan_release(&plan);
		}
	}
	gui_scan_out_release(&out);
	gui_params_release(&p);
	cd_policy_release(&g.pol);
	return rc;
}
