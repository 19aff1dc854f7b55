#!/usr/bin/env bash
# cadoctor-gui.exe under Wine and Xvfb on a test machine (xtx_dll_missing):
# the window starts, 开始检测 (pressed by cadoctor-gui-driver.exe with
# window messages) runs the check off the window's thread, the findings list
# then holds exactly the findings of `cadoctor scan` on the same machine, in
# Chinese and grouped by severity, the details pane explains the first one,
# 导出报告 writes the HTML report, 一键修复 shows the plan, Alt+S (the
# keyboard) starts a check again, and the window closes cleanly; started
# with a symptom, the window lists only that symptom's causes. The
# screenshot is kept as $CADOCTOR_ARTIFACTS/gui.png.
# usage: gui.sh SOURCE_DIR (exes from build/win-x64/src)
set -uo pipefail
SRC=$(readlink -f "${1:?usage: gui.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
source "$SRC/tests/wine/machine.bash"
TEST_NAME=wine_gui
BIN=$SRC/build/win-x64/src
GUI=$BIN/cadoctor-gui.exe
DRV=$BIN/cadoctor-gui-driver.exe
ART=${CADOCTOR_ARTIFACTS:-$WORK}
PY=/usr/bin/python3
mkdir -p "$ART"
for f in "$GUI" "$DRV" "$BIN/cadoctor.exe"; do
  [ -f "$f" ] || { bad "$f is not built (scripts/run.sh test builds it)"; finish; exit; }
done
export WINEPREFIX=$WORK/prefix
trap 'wineserver -k >/dev/null 2>&1; stop_display; rm -rf "$WORK"' EXIT

check "the GUI imports only system DLLs" bash -c "! x86_64-w64-mingw32-objdump -p '$GUI' | awk '/DLL Name:/ {print \$3}' | grep -viqE '^(ADVAPI32|CRYPT32|KERNEL32|msvcrt|SHELL32|USER32|WS2_32|SETUPAPI|CFGMGR32|VERSION|OLE32|OLEAUT32|PSAPI|GDI32|COMCTL32|COMDLG32|WINTRUST|NTDLL|bcrypt)\.dll$'"
check "the GUI manifest asks for common controls v6" grep -qa 'Microsoft.Windows.Common-Controls' "$GUI"
check "the GUI manifest is DPI aware" grep -qa 'PerMonitorV2' "$GUI"
check "the GUI manifest is system DPI aware before Windows 10 (dpiAware true/pm)" grep -qa '>true/pm</dpiAware>' "$GUI"
for exe in "$GUI" "$BIN/cadoctor.exe"; do
  check "${exe##*/} declares Windows 7 (supportedOS)" grep -qa '{35138b9a-5d96-4fbd-8e2d-a2440225f93a}' "$exe"
  check "${exe##*/} runs as the invoking user (asInvoker)" grep -qa 'level="asInvoker"' "$exe"
done
check "the GUI is a Windows-subsystem exe" bash -c "x86_64-w64-mingw32-objdump -p '$GUI' | grep -q 'Subsystem.*0*2.*(Windows GUI)'"
check "the GUI has an icon" bash -c "x86_64-w64-mingw32-objdump -p '$GUI' | grep -qi 'resource'"

start_display || { bad "Xvfb did not start"; finish; exit; }
wine_prefix "$WINEPREFIX"
check "the test machine is built" wine_machine "$WINEPREFIX" xtx_dll_missing
# What the command line finds on the same machine.
CADOCTOR_LANG=zh wine "$BIN/cadoctor.exe" scan --offline --json >"$WORK/cli.json" 2>/dev/null

CADOCTOR_LANG=zh wine "$GUI" --offline >"$WORK/gui.log" 2>&1 &
GUI_PID=$!
check "开始检测 runs a check that completes (driver)" wine "$DRV" wait 60 scan 240 list >"$WORK/list.txt" 2>"$WORK/driver.err"
if [ -s "$WORK/driver.err" ]; then bad "driver: $(cat "$WORK/driver.err")"; fi
wine "$DRV" wait 10 text 1007 >"$WORK/status.txt" 2>>"$WORK/driver.err"
wine "$DRV" wait 10 text 1009 >"$WORK/detail.txt" 2>>"$WORK/driver.err"
sleep 1
import -window root "$ART/gui.png" 2>>"$WORK/driver.err"
check "screenshot $ART/gui.png was taken" test -s "$ART/gui.png"
check "the screenshot is not blank" bash -c "[ \$(identify -format '%k' '$ART/gui.png') -gt 16 ]"
cp "$WORK/list.txt" "$ART/gui-list.txt" 2>/dev/null

check "the list holds the findings of cadoctor scan, titles in Chinese, errors first" $PY - "$WORK/cli.json" "$WORK/list.txt" <<'PY'
import json, sys
cli = json.load(open(sys.argv[1]))
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[2], encoding='utf-8') if l.strip()]
want = [(f['severity'], f['title']['zh-CN']) for f in cli['findings']]
sev = {'error': '错误', 'warning': '警告', 'info': '提示'}
got = [(r[0], r[1]) for r in rows]
exp = [(sev[s], t) for s, t in want]
if not exp or got != exp:
    print('expected', exp, '\ngot', got); sys.exit(1)
PY
check "the list shows the XTXAppCOM finding" grep -q '证书应用环境' "$WORK/list.txt"
check "the status line says the check is complete" contains "$WORK/status.txt" "检测完成"
check "the details pane explains the finding" contains "$WORK/detail.txt" "怎么办"

# 导出报告 (without the dialog), 一键修复 (the plan, then cancel).
wine "$DRV" wait 10 export 'C:\cadoctor-report.html' plan 60 >"$WORK/more.txt" 2>>"$WORK/driver.err"
check "导出报告 writes the HTML report" grep -q '<html' "$WINEPREFIX/drive_c/cadoctor-report.html"
check "一键修复 shows the plan" grep -q '将执行' "$WORK/more.txt"

# The keyboard: Alt+S is 开始检测.
if command -v xdotool >/dev/null; then
  wine "$DRV" wait 10 started 30 >/dev/null 2>"$WORK/key.err" &
  drv=$!
  sleep 1
  xdotool key --clearmodifiers alt+s 2>/dev/null
  check "Alt+S (keyboard) starts a check and it completes" wait "$drv"
else
  bad "xdotool is missing (scripts/setup-debian.sh test installs it)"
fi

wine "$DRV" wait 10 close >/dev/null 2>&1
for _ in $(seq 1 50); do kill -0 "$GUI_PID" 2>/dev/null || break; sleep 0.2; done
check "the window closes and the program ends" bash -c "! kill -0 $GUI_PID 2>/dev/null"

# A symptom chosen (现象): the window lists only that symptom's causes, as
# `cadoctor scan --symptom` does. The XTX finding is no cause of a locked
# PIN: with that symptom it must not be listed.
CADOCTOR_LANG=zh wine "$BIN/cadoctor.exe" scan --offline --symptom pin_locked --json >"$WORK/cli-sym.json" 2>/dev/null
CADOCTOR_LANG=zh wine "$BIN/cadoctor.exe" scan --offline --symptom pin_locked >"$WORK/cli-sym.txt" 2>/dev/null
CADOCTOR_LANG=zh wine "$GUI" --offline --symptom pin_locked >"$WORK/gui2.log" 2>&1 &
GUI_PID=$!
wine "$DRV" wait 60 text 1004 scan 240 list >"$WORK/sym.txt" 2>"$WORK/driver-sym.err"
check "the symptom's check ran ($(head -c 200 "$WORK/driver-sym.err"))" test ! -s "$WORK/driver-sym.err"
check "the symptom is chosen in the window" bash -c "head -1 '$WORK/sym.txt' | grep -qF '密码输错次数太多'"
check "the list holds the symptom's causes as scan --symptom finds them (none here)" $PY - "$WORK/cli-sym.json" "$WORK/sym.txt" <<'PY'
import json, sys
cli = json.load(open(sys.argv[1]))
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[2], encoding='utf-8').readlines()[1:] if l.strip()]
want = [f['title']['zh-CN'] for f in cli['findings']]
got = [r[1] for r in rows if r[0] not in ('已排除', '未检查') and (r[0] != '提示' or r[1] != '没有发现问题')]
if want or got != want:
    print('expected', want, '\ngot', got); sys.exit(1)
PY
# ... and, in a group of their own, the causes checked and ruled out, as the
# console report of scan --symptom lists them (same titles, same order).
check "the list shows the causes ruled out, as scan --symptom prints them" $PY - "$WORK/cli-sym.txt" "$WORK/sym.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8', errors='replace').read().replace('\r', '')
part = text.split('已检查并排除的原因:', 1)
want = re.findall(r'^  - (.*?)  \([\w.]+\)$', part[1].split('\n\n')[0].split('未能检查的原因')[0], re.M) if len(part) > 1 else []
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[2], encoding='utf-8').readlines()[1:] if l.strip()]
got = [r[1] for r in rows if r[0] == '已排除']
if not want or got != want:
    print('expected', want, '\ngot', got); sys.exit(1)
PY
check "the XTX finding is not listed for that symptom" bash -c "! grep -q '证书应用环境' '$WORK/sym.txt'"
wine "$DRV" wait 10 close >/dev/null 2>&1
for _ in $(seq 1 50); do kill -0 "$GUI_PID" 2>/dev/null || break; sleep 0.2; done
finish
