/* cadoctor-gui.exe: the window most people use (docs/gui.md). Plain Win32,
 * one file per area:
 *   main.c     entry point, language, message loop, elevated helper modes
 *   window.c   the main window: texts, choices, layout, buttons, state
 *   worker.c   scans, repairs and undos on a worker thread
 *   results.c  the findings list (grouped by severity) and the details pane
 *   export.c   the HTML report: save dialog, policy report folder
 *   repairs.c  repair plan and result dialogs, elevation, undo
 * The scan is the one the command line runs (core/scan.h); every text comes
 * from resources/strings.txt through cd_tr(). */
#ifndef CD_GUI_H
#define CD_GUI_H

#include <windows.h>

#include <commctrl.h>
#include <stdint.h>

#include "../core/exitcodes.h"
#include "../core/facts.h"
#include "../core/policy.h"
#include "../core/repair.h"
#include "../core/scan.h"
#include "gui_ids.h"

enum gui_state { GUI_IDLE = 0, GUI_BUSY = 1, GUI_DONE = 2, GUI_FAILED = 3 };

/* Worker -> window. WM_GUI_PROGRESS: wParam = index | total << 16 (index
 * 0xffff: analysing), lParam = probe name (malloc'd, the window frees it).
 * WM_GUI_JOB_DONE: lParam = the struct gui_job that finished. */
#define WM_GUI_PROGRESS (WM_APP + 1)
#define WM_GUI_JOB_DONE (WM_APP + 2)

/* What a scan looks at: the window's choices. */
struct gui_scan_params {
	char *platform;   /* catalog id, NULL: any */
	char *net_target; /* "id=url" of the platform, NULL: every address */
	char *symptom;    /* catalog id, NULL: full check */
	int offline;
	int redact;
};

struct gui_scan_out {
	struct cd_facts *facts;
	struct cd_scan_result sr;
	int64_t generated_at;
	cd_err err;
	char *saved; /* the report saved to the policy's folder, or NULL */
};

enum gui_job_kind { GUI_JOB_SCAN, GUI_JOB_REPAIR, GUI_JOB_UNDO };

struct gui_job {
	enum gui_job_kind kind;
	struct gui_scan_params params;
	/* repair: the plan shown (applied here when we are administrator),
	 * else an elevated helper builds the same plan and applies it */
	struct cd_plan *plan;
	int elevate;
	/* 1 when each ready item's result is known: applied here, or told by
	 * the elevated copy through its result file (gui_results_read) */
	int results_known;
	int code;   /* exit code of the repair or undo (cd_exit values) */
	int denied; /* the user refused elevation */
	/* the scan (after a repair or an undo: the scan again) */
	struct gui_scan_out out;
};

struct gui {
	HINSTANCE inst;
	HWND wnd;
	HICON icon_big, icon_small;
	struct cd_policy pol;
	struct cd_choice *platforms, *symptoms;
	size_t nplatforms, nsymptoms;
	int offline;
	int is_admin;
	enum gui_state state;
	struct gui_scan_out last; /* the last scan shown */
	int have_last;
};
extern struct gui g;

/* main.c */
wchar_t *gui_w(const char *utf8); /* new UTF-16 copy ("" for NULL), never NULL */
void gui_set_text(HWND w, const char *utf8);
void gui_set_item_text(HWND dlg, int id, const char *utf8);
int gui_message(UINT type, const char *text); /* MessageBoxW over the window */
char *gui_self_exe(void);

/* window.c */
HWND gui_create(int show);
void gui_set_status(const char *utf8);
void gui_set_busy(int busy);
void gui_params_from_window(struct gui_scan_params *p);
void gui_params_copy(struct gui_scan_params *dst, const struct gui_scan_params *src);
void gui_params_release(struct gui_scan_params *p);
void gui_show_scan(struct gui_scan_out *o); /* takes o over */
INT_PTR CALLBACK gui_main_proc(HWND w, UINT msg, WPARAM wp, LPARAM lp);

/* worker.c */
cd_err gui_scan_run(const struct gui_scan_params *p, HWND notify, struct gui_scan_out *out);
void gui_scan_out_release(struct gui_scan_out *o);
int gui_job_start(struct gui_job *job); /* 0 when the thread started */
void gui_job_free(struct gui_job *job);
int gui_result_file_ok(const char *path); /* the elevated copy's result file */

/* results.c */
void gui_results_init(HWND list);
/* Fills the list with the findings; with a symptom chosen (sv not NULL) also
 * its causes that were checked and ruled out, and those that could not be
 * checked, in groups of their own after the findings (rows with no finding
 * behind them: lParam -1). */
void gui_results_show(HWND list, const struct cd_results *res, const struct cd_symptom_view *sv);
void gui_details_show(HWND edit, const struct cd_results *res, int index);
const char *gui_severity_text(int sev);

/* export.c */
cd_err gui_export_to(const char *path, struct cd_diag *d);
void gui_export_dialog(void);
void gui_policy_outputs(struct gui_scan_out *o); /* worker: report folder, event log */

/* repairs.c */
cd_err gui_plan_build(const struct cd_results *res, struct cd_plan *plan);
int gui_apply_here(struct cd_plan *plan);
int gui_undo_here(void);
void gui_repair_clicked(void);
void gui_undo_clicked(void);
void gui_repair_job_done(struct gui_job *job, const struct cd_results *before);
int gui_helper_main(int argc, char **argv);
/* The elevated copy's results for the window: one line per ready item,
 * "result TAB kind TAB arguments (JSON)"; the window marks its own plan's
 * items from them. 1 when the file was read. */
void gui_results_write(const char *path, const struct cd_plan *plan);
int gui_results_read(const char *path, struct cd_plan *plan);

#endif
