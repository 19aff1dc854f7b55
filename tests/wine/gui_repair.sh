#!/usr/bin/env bash
# 一键修复 and 撤销上次修复 in cadoctor-gui.exe under Wine and Xvfb, on the
# test machine repair_service_disabled (the Smart Card service disabled).
# cadoctor-gui-driver.exe presses the buttons and reads the dialogs:
#   - the window's check lists the finding; 一键修复 shows the plan, 开始修复
#     applies it, the result dialog says the finding cleared, the list no
#     longer has it, and the service really changed (sc qc / sc query);
#   - 撤销上次修复 asks, undoes, says so, the finding is back, and the whole
#     registry (regedit /E) is byte-identical to before the repair, as
#     repair_machines.sh compares it.
# Twice: once as Wine runs programs (an administrator: the window repairs in
# its own process) and once with CADOCTOR_TEST_GUI_NOT_ADMIN=1, where the
# window behaves as a standard user's and goes through the elevated copy of
# itself (ShellExecuteEx "runas" -> cadoctor-gui.exe --apply-repair /
# --undo-last), the path a UAC prompt guards on Windows.
# Then the same with the keyboard only (xdotool). With the EventLog policy set, the check and the repair (window and command
# line) each write an Application event log entry.
# Screenshots: $CADOCTOR_ARTIFACTS/gui-repair-*.png.
# usage: gui_repair.sh SOURCE_DIR (exes from build/win-x64/src)
set -uo pipefail
SRC=$(readlink -f "${1:?usage: gui_repair.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
source "$SRC/tests/wine/machine.bash"
TEST_NAME=wine_gui_repair
BIN=$SRC/build/win-x64/src
GUI=$BIN/cadoctor-gui.exe
DRV=$BIN/cadoctor-gui-driver.exe
ART=${CADOCTOR_ARTIFACTS:-$WORK}
PY=/usr/bin/python3
mkdir -p "$ART"
for f in "$GUI" "$DRV" "$BIN/cadoctor.exe"; do
  [ -f "$f" ] || { bad "$f is not built (scripts/run.sh test builds it)"; finish; exit; }
done
export WINEPREFIX=$WORK/prefix CADOCTOR_LANG=zh
trap 'wineserver -k >/dev/null 2>&1; stop_display; rm -rf "$WORK"' EXIT
RULE=services.smartcard_disabled

start_display || { bad "Xvfb did not start"; finish; exit; }
wine_prefix "$WINEPREFIX"
check "the test machine is built" wine_machine "$WINEPREFIX" repair_service_disabled
# One wineserver for the whole test (as repair_machines.sh): a new one
# rewrites Wine's own boot-time keys, which would spoil the comparison.
wineserver -p
# The EventLog policy: scans and repairs write to the Application log; Wine
# keeps no log but traces each entry (WINEDEBUG=+eventlog), which the test reads.
wine reg add 'HKLM\SOFTWARE\Policies\cadoctor' /v EventLog /t REG_DWORD /d 1 /f >/dev/null 2>&1
wine "$BIN/cadoctor.exe" scan --offline --json >"$WORK/cli.json" 2>/dev/null
TITLE=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next(f["title"]["zh-CN"] for f in d["findings"] if f["rule"]==sys.argv[2]))' "$WORK/cli.json" "$RULE")
check "the command line finds $RULE on the machine" test -n "$TITLE"

export_reg() { # OUT
  rm -f "$1"
  wine regedit /E "$(winepath -w "$1")" >/dev/null 2>&1
  [ -s "$1" ]
}
# Byte-identical but for keys Wine itself rewrites: the service manager's
# count of service processes started (ServiceCurrent, volatile on Windows),
# as in repair_machines.sh, and, because this test has an X display, the
# display adapter and monitor that Wine's X11 driver registers again with a
# new date whenever a windowed process starts (Control\Class\{4d36e968-...}
# the display class, Control\Video, and the display adapter, GPU and monitor
# interface links under DeviceClasses). Nothing cadoctor touches is there.
same_reg() {
  cmp -s "$1" "$2" && return 0
  "$PY" - "$1" "$2" <<'PY'
import sys
WINE_OWN = ("hkey_local_machine\\system\\currentcontrolset\\control\\servicecurrent]",
            "hkey_local_machine\\system\\currentcontrolset\\control\\class\\{4d36e968-e325-11ce-bfc1-08002be10318}",
            "hkey_local_machine\\system\\currentcontrolset\\control\\video\\",
            "hkey_local_machine\\system\\currentcontrolset\\control\\deviceclasses\\{1ca05180-a699-450a-9a0c-de4fbe3ddd89}",
            "hkey_local_machine\\system\\currentcontrolset\\control\\deviceclasses\\{5b45201d-f2f2-4f3b-85bb-30ff1f953599}",
            "hkey_local_machine\\system\\currentcontrolset\\control\\deviceclasses\\{e6f07b5f-ee97-4a90-b076-33f57bf4eaa7}")
def strip(path):
    out, skip = [], False
    for line in open(path, "rb").read().decode("utf-16").split("\r\n"):
        if line.startswith("["):
            skip = line[1:].lower().startswith(WINE_OWN)
        elif skip:
            continue
        out.append(line)
    return out
a, b = strip(sys.argv[1]), strip(sys.argv[2])
if a != b:
    import difflib
    sys.stderr.write("\n".join(list(difflib.unified_diff(a, b, lineterm="", n=1))[:40]) + "\n")
sys.exit(a != b)
PY
}
reg_differs() { ! same_reg "$@" 2>/dev/null; }
sc_state() { # the service's start type (Start: 3 manual, 4 disabled) and state
  wine reg query 'HKLM\System\CurrentControlSet\Services\SCardSvr' /v Start 2>/dev/null | tr -d '\r' |
    awk '$1 == "Start" {print "START", $3}'
  wine sc query SCardSvr 2>/dev/null | tr -d '\r' | awk '/STATE/ {print $1, $NF}'
}
# has_finding FILE TITLE: a row of the findings list (driver output) has TITLE
has_finding() { awk -F'\t' -v t="$2" '$2 == t {f=1} END {exit !f}' "$1"; }

round() { # NAME: one repair and undo from the window
  local n=$1 o=$WORK/$1
  mkdir -p "$o"
  WINEDEBUG=-all,+eventlog wine "$GUI" --offline >"$o/gui.log" 2>&1 &
  local gui_pid=$!
  wine "$DRV" wait 60 scan 240 list >"$o/list0.txt" 2>"$o/driver.err"
  check "$n: the window's check lists the finding ($TITLE)" has_finding "$o/list0.txt" "$TITLE"
  export_reg "$o/before.reg" || bad "$n: regedit /E failed"
  sc_state >"$o/sc0.txt"
  check "$n: before, the service is disabled" grep -qx 'START 0x4' "$o/sc0.txt"

  # 一键修复 -> plan -> 开始修复 -> result.
  wine "$DRV" wait 10 repair 300 >"$o/repair.txt" 2>>"$o/driver.err"
  import -window root "$ART/gui-repair-$n-result.png" 2>/dev/null
  check "$n: screenshot of the result dialog" test -s "$ART/gui-repair-$n-result.png"
  cp "$o/repair.txt" "$ART/gui-repair-$n-result.txt"
  check "$n: the plan has a change that will run" bash -c "sed -n '/^PLAN/,/^RESULT/p' '$o/repair.txt' | grep -q '将执行'"
  if [ "$n" = relaunch ]; then
    check "$n: the plan says Windows will ask for administrator rights" grep -qF 'Windows 会请您确认' "$o/repair.txt"
  else
    check "$n: the plan says nothing about administrator rights" bash -c "! grep -qF 'Windows 会请您确认' '$o/repair.txt'"
  fi
  check "$n: the result dialog says the repair finished" bash -c "sed -n '/^RESULT/{n;p}' '$o/repair.txt' | grep -qF '修复完成,已重新检测。'"
  # What each change did, in both ways (the elevated copy tells it through
  # its result file: a standard user cannot read the journal).
  check "$n: the result dialog says the start type change was made" grep -qP '^将服务 SCardSvr 的启动类型设为 .*\t已完成$' "$o/repair.txt"
  check "$n: the result dialog says the service was started" grep -qxP '启动服务 SCardSvr\t已完成' "$o/repair.txt"
  check "$n: the result dialog says the finding cleared" grep -qxF "$TITLE	已解决" "$o/repair.txt"
  wine "$DRV" dismiss wait 10 list >"$o/list1.txt" 2>>"$o/driver.err"
  check "$n: the window's list no longer has the finding" bash -c "! awk -F'\t' -v t='$TITLE' '\$2 == t {f=1} END {exit !f}' '$o/list1.txt'"
  sc_state >"$o/sc1.txt"
  check "$n: the service is now manual" grep -qx 'START 0x3' "$o/sc1.txt"
  check "$n: the service is now running" grep -qx 'STATE RUNNING' "$o/sc1.txt"
  export_reg "$o/applied.reg"
  check "$n: the repair changed the registry" reg_differs "$o/before.reg" "$o/applied.reg"

  check "$n: the window's check wrote its event log entry" grep -qF 'ReportEventW L"cadoctor' "$o/gui.log"
  check "$n: the repair wrote its event log entry" grep -qP 'ReportEventW L"cadoctor [0-9.]+: repair run [0-9]+, 2 changes, 0 failed: service_set_start \(applied\), service_start \(applied\)"' "$o/gui.log"

  # 撤销上次修复 -> yes -> outcome.
  wine "$DRV" wait 10 undo 300 >"$o/undo.txt" 2>>"$o/driver.err"
  import -window root "$ART/gui-repair-$n-undo.png" 2>/dev/null
  check "$n: screenshot of the undo outcome" test -s "$ART/gui-repair-$n-undo.png"
  cp "$o/undo.txt" "$ART/gui-repair-$n-undo.txt"
  check "$n: undo asks first" grep -qF '要撤销上一次修复所做的全部修改吗' "$o/undo.txt"
  check "$n: undo says it is done" bash -c "sed -n '/^OUTCOME/,\$p' '$o/undo.txt' | grep -qF '已撤销上一次修复'"
  wine "$DRV" dismiss wait 10 list >"$o/list2.txt" 2>>"$o/driver.err"
  check "$n: after undo the window lists the finding again" has_finding "$o/list2.txt" "$TITLE"
  check "$n: the undo wrote its event log entry" grep -qP 'ReportEventW L"cadoctor [0-9.]+: repair run [0-9]+ undone"' "$o/gui.log"
  sc_state >"$o/sc2.txt"
  check "$n: the service is disabled and stopped again" cmp -s "$o/sc0.txt" "$o/sc2.txt"
  export_reg "$o/undone.reg"
  check "$n: undo restored the registry (regedit /E)" same_reg "$o/before.reg" "$o/undone.reg"
  check "$n: the driver saw every dialog ($(head -c 300 "$o/driver.err"))" test ! -s "$o/driver.err"

  wine "$DRV" wait 10 close >/dev/null 2>&1
  for _ in $(seq 1 50); do kill -0 "$gui_pid" 2>/dev/null || break; sleep 0.2; done
  check "$n: the window closes" bash -c "! kill -0 $gui_pid 2>/dev/null"
}

round admin
CADOCTOR_TEST_GUI_NOT_ADMIN=1 round relaunch
# The keyboard alone: Alt+R (一键修复), Enter (开始修复, the plan's default
# button), Enter (关闭), Alt+U (撤销上次修复), Enter (是), Enter (确定).
key() { sleep 1; xdotool key --clearmodifiers "$1" 2>/dev/null; }
if command -v xdotool >/dev/null; then
  o=$WORK/keys
  mkdir -p "$o"
  wine "$GUI" --offline >"$o/gui.log" 2>&1 &
  wine "$DRV" wait 60 scan 240 >/dev/null 2>"$o/driver.err"
  key alt+r
  wine "$DRV" dialog 30 >"$o/plan.txt" 2>>"$o/driver.err"
  key Return
  wine "$DRV" gone 10 dialog 300 >"$o/result.txt" 2>>"$o/driver.err"
  key Return
  wine "$DRV" gone 10 wait 10 >/dev/null 2>>"$o/driver.err"
  sc_state >"$o/sc1.txt"
  key alt+u
  wine "$DRV" dialog 30 >"$o/question.txt" 2>>"$o/driver.err"
  key Return
  wine "$DRV" gone 10 dialog 300 >"$o/outcome.txt" 2>>"$o/driver.err"
  key Return
  wine "$DRV" gone 10 wait 10 list >"$o/list.txt" 2>>"$o/driver.err"
  check "keyboard: Alt+R shows the plan" grep -q '将执行' "$o/plan.txt"
  check "keyboard: Enter starts the repair and the result says the finding cleared" grep -qxF "$TITLE	已解决" "$o/result.txt"
  check "keyboard: the service was repaired" grep -qx 'START 0x3' "$o/sc1.txt"
  check "keyboard: Alt+U asks to undo" grep -qF '要撤销上一次修复所做的全部修改吗' "$o/question.txt"
  check "keyboard: Enter (是) undoes it" grep -qF '已撤销上一次修复' "$o/outcome.txt"
  check "keyboard: Enter closes the message and the finding is back" has_finding "$o/list.txt" "$TITLE"
  check "keyboard: the driver saw every dialog ($(head -c 300 "$o/driver.err"))" test ! -s "$o/driver.err"
  wine "$DRV" wait 10 close >/dev/null 2>&1
else
  bad "xdotool is missing (scripts/setup-debian.sh test installs it)"
fi

# The command line's repair writes its entry too.
WINEDEBUG=-all,+eventlog wine "$BIN/cadoctor.exe" repair --offline --yes >/dev/null 2>"$WORK/cli-repair.err"
check "cadoctor repair --yes wrote its event log entry" grep -qP 'ReportEventW L"cadoctor [0-9.]+: repair run [0-9]+, 2 changes, 0 failed: ' "$WORK/cli-repair.err"
WINEDEBUG=-all,+eventlog wine "$BIN/cadoctor.exe" undo --last >/dev/null 2>"$WORK/cli-undo.err"
check "cadoctor undo wrote its event log entry" grep -qP 'ReportEventW L"cadoctor [0-9.]+: repair run [0-9]+ undone"' "$WORK/cli-undo.err"
# The elevated copy writes its results only to a result file the window
# made (cdr*.tmp in the user's temporary folder), not to any path it is given.
wine "$GUI" --apply-repair --offline --result-file 'C:\cdr-elsewhere.tmp' >/dev/null 2>&1
check "the elevated copy repaired (it was asked to)" bash -c "wine reg query 'HKLM\System\CurrentControlSet\Services\SCardSvr' /v Start 2>/dev/null | grep -q 0x3"
check "but wrote no results outside the user's temporary folder" test ! -e "$WINEPREFIX/drive_c/cdr-elsewhere.tmp"
wine "$BIN/cadoctor.exe" undo --last >/dev/null 2>&1
check "the elevated copy's result file is removed" bash -c "[ -z \"\$(find '$WINEPREFIX/drive_c/users' -name 'cdr*.tmp')\" ]"
finish
