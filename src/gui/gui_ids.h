/* Resource and control ids of cadoctor-gui.exe, shared by the resource
 * script (resources/cadoctor-gui.rc), the GUI and the test driver
 * (tests/wine/gui_driver.c). Plain #defines: windres reads this file. */
#ifndef CD_GUI_IDS_H
#define CD_GUI_IDS_H

#define IDI_APP 1

#define IDD_MAIN 100
#define IDD_PLAN 101
#define IDD_RESULT 102

/* main window */
#define IDC_PLATFORM_LABEL 1001
#define IDC_PLATFORM 1002
#define IDC_SYMPTOM_LABEL 1003
#define IDC_SYMPTOM 1004
#define IDC_SCAN 1005
#define IDC_PROGRESS 1006
#define IDC_STATUS 1007
#define IDC_RESULTS 1008
#define IDC_DETAIL 1009
#define IDC_REPAIR 1010
#define IDC_EXPORT 1011
#define IDC_UNDO 1012

/* plan and result dialogs */
#define IDC_PLAN_INTRO 1101
#define IDC_PLAN_LIST 1102
#define IDC_PLAN_NOTE 1103

/* The main window's class (its dialog template names it), for FindWindow. */
#define CD_GUI_CLASS "cadoctor.gui"
#define CD_GUI_CLASS_W L"cadoctor.gui"

/* Messages the main window answers for automation (tests, help desks):
 * WM_CD_STATE returns enum gui_state (0 idle, 1 busy, 2 done, 3 failed);
 * WM_COPYDATA with dwData CD_COPYDATA_EXPORT and a UTF-16 path saves the
 * HTML report there without a dialog (returns 1 when written). */
#define WM_CD_STATE (0x8000 + 0x100)
#define CD_COPYDATA_EXPORT 0x43440001

#endif
