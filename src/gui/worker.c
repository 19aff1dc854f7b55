/* Work off the window's thread: a scan (the same steps as `cadoctor scan`:
 * collect with the rules attached, then cd_scan_analyse), and a repair or
 * an undo followed by a scan. Progress and the end reach the window as
 * posted messages, so it never waits. */
#include "../actions/history.h"
#include "gui.h"

#include <objbase.h>
#include <process.h>
#include <shellapi.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/report.h"
#include "../core/rules.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"

static void progress(void *ud, const char *probe, int index, int total)
{
	HWND w = (HWND)ud;
	char *p = cd_strdup(probe ? probe : "");
	if (!w || !PostMessageW(w, WM_GUI_PROGRESS, MAKEWPARAM(index & 0xffff, total & 0xffff), (LPARAM)p))
		free(p);
}

cd_err gui_scan_run(const struct gui_scan_params *p, HWND notify, struct gui_scan_out *out)
{
	struct cd_scan_opts so;
	struct cd_scan_analysis an;
	const char *targets[1];
	const unsigned char *bytes;
	size_t len;
	cd_err e;

	memset(out, 0, sizeof(*out));
	memset(&so, 0, sizeof(so));
	if ((e = cd_facts_open(&out->facts)) != CD_OK)
		return out->err = e;
	cd_rules_embedded(&bytes, &len);
	if ((e = cd_facts_attach_rules(out->facts, bytes, len)) != CD_OK) {
		cd_facts_free(out->facts);
		out->facts = NULL;
		return out->err = e;
	}
	so.offline = p->offline;
	if (p->net_target && !p->offline) {
		/* A chosen platform: only its address is checked (as scan --platform). */
		targets[0] = p->net_target;
		so.net_targets = targets;
		so.n_net_targets = 1;
	}
	so.progress = progress;
	so.progress_ud = notify;
	cd_collect(out->facts, &so);
	cd_actions_record_history(out->facts, NULL);
	if (notify)
		PostMessageW(notify, WM_GUI_PROGRESS, MAKEWPARAM(0xffff, 0), 0);
	memset(&an, 0, sizeof(an));
	an.redact = p->redact;
	an.symptom = p->symptom;
	e = cd_scan_analyse(out->facts, &an, &out->sr);
	out->generated_at = cd_now();
	if (e) {
		cd_facts_free(out->facts);
		out->facts = NULL;
		return out->err = e;
	}
	return CD_OK;
}

void gui_scan_out_release(struct gui_scan_out *o)
{
	if (o->facts) {
		if (!o->err)
			cd_scan_result_release(&o->sr);
		cd_facts_free(o->facts);
	}
	free(o->saved);
	memset(o, 0, sizeof(*o));
}

/* The repair or undo part of a job. Administrator: here, in this process.
 * Otherwise: this exe again, elevated (the UAC prompt), which does the same
 * and tells the outcome by its exit code. */
/* A new file name in the user's temporary folder for the elevated copy's
 * results (the journal is for administrators only), or NULL. */
static char *result_file_name(void)
{
	wchar_t dir[MAX_PATH + 1], name[MAX_PATH + 1];
	DWORD n = GetTempPathW(MAX_PATH + 1, dir);
	if (!n || n > MAX_PATH || !GetTempFileNameW(dir, L"cdr", 0, name))
		return NULL;
	return cd_utf8_from_w(name);
}

/* Whether the elevated copy may write its results to PATH: only a file
 * result_file_name() made (in this user's temporary folder, cdr*.tmp,
 * already there, a plain file), so that whoever starts the copy cannot
 * make an administrator's process overwrite a file of their choosing. */
int gui_result_file_ok(const char *path)
{
	wchar_t dir[MAX_PATH + 1], *wp;
	DWORD n = GetTempPathW(MAX_PATH + 1, dir), attr;
	size_t dl;
	int ok;
	if (!path || !n || n > MAX_PATH || !(wp = cd_w_from_utf8(path)))
		return 0;
	dl = wcslen(dir);
	ok = wcslen(wp) > dl + 7 && !_wcsnicmp(wp, dir, dl) && !wcspbrk(wp + dl, L"\\/:") &&
	     !_wcsnicmp(wp + dl, L"cdr", 3) && !_wcsicmp(wp + wcslen(wp) - 4, L".tmp");
	attr = ok ? GetFileAttributesW(wp) : INVALID_FILE_ATTRIBUTES;
	free(wp);
	return attr != INVALID_FILE_ATTRIBUTES && !(attr & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT));
}

static void run_elevated(struct gui_job *job, const char *mode)
{
	SHELLEXECUTEINFOW sei;
	char *exe = gui_self_exe(), *args, *rfile = NULL;
	wchar_t *wexe, *wargs;
	DWORD code = CD_EXIT_INTERNAL;
	const struct gui_scan_params *p = &job->params;

	if (job->kind == GUI_JOB_REPAIR)
		rfile = result_file_name();
	args = cd_aprintf("%s --lang %s%s%s%s%s%s%s%s%s", mode, cd_lang_tag(cd_get_lang()),
			  p->offline ? " --offline" : "", p->platform ? " --platform " : "", p->platform ? p->platform : "",
			  p->symptom ? " --symptom " : "", p->symptom ? p->symptom : "",
			  rfile ? " --result-file \"" : "", rfile ? rfile : "", rfile ? "\"" : "");
	if (!exe || !args) {
		if (rfile)
			cd_remove_file(rfile);
		free(rfile);
		free(exe);
		free(args);
		job->code = CD_EXIT_INTERNAL;
		return;
	}
	wexe = gui_w(exe);
	wargs = gui_w(args);
	memset(&sei, 0, sizeof(sei));
	sei.cbSize = sizeof(sei);
	sei.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC;
	sei.hwnd = g.wnd;
	sei.lpVerb = L"runas";
	sei.lpFile = wexe;
	sei.lpParameters = wargs;
	sei.nShow = SW_HIDE;
	if (!ShellExecuteExW(&sei)) {
		job->denied = GetLastError() == ERROR_CANCELLED;
		job->code = job->denied ? CD_EXIT_REPAIR_NOPERM : CD_EXIT_INTERNAL;
	} else {
		if (sei.hProcess) {
			WaitForSingleObject(sei.hProcess, INFINITE);
			GetExitCodeProcess(sei.hProcess, &code);
			CloseHandle(sei.hProcess);
		}
		job->code = (int)code;
	}
	if (rfile) {
		if (job->plan)
			job->results_known = gui_results_read(rfile, job->plan);
		cd_remove_file(rfile);
		free(rfile);
	}
	free(wexe);
	free(wargs);
	free(exe);
	free(args);
}

static unsigned __stdcall job_thread(void *arg)
{
	struct gui_job *job = arg;
	/* ShellExecuteEx needs COM on its thread. */
	HRESULT hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
	if (job->kind == GUI_JOB_REPAIR) {
		if (job->elevate) {
			run_elevated(job, "--apply-repair");
		} else {
			job->code = gui_apply_here(job->plan);
			job->results_known = 1;
		}
	} else if (job->kind == GUI_JOB_UNDO) {
		if (job->elevate)
			run_elevated(job, "--undo-last");
		else
			job->code = gui_undo_here();
	}
	gui_scan_run(&job->params, g.wnd, &job->out);
	if (!job->out.err)
		gui_policy_outputs(&job->out);
	if (SUCCEEDED(hr))
		CoUninitialize();
	PostMessageW(g.wnd, WM_GUI_JOB_DONE, 0, (LPARAM)job);
	return 0;
}

int gui_job_start(struct gui_job *job)
{
	uintptr_t h = _beginthreadex(NULL, 0, job_thread, job, 0, NULL);
	if (!h)
		return -1;
	CloseHandle((HANDLE)h);
	return 0;
}

void gui_job_free(struct gui_job *job)
{
	if (!job)
		return;
	gui_params_release(&job->params);
	gui_scan_out_release(&job->out);
	if (job->plan) {
		cd_plan_release(job->plan);
		free(job->plan);
	}
	free(job);
}
