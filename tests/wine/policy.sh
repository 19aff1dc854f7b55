#!/usr/bin/env bash
# Enterprise settings under Wine: the keys of HKLM\SOFTWARE\Policies\cadoctor
# (installer/cadoctor.admx) change what the command line and the window do
# on a test machine (xtx_dll_missing):
#   DefaultPlatform       scan shows that platform; the window has it chosen
#   ReportFolder          every scan (CLI and window) saves JSON + HTML there
#   AllowedRepairActions  kinds not listed show as forbidden in the repair plan
#   RedactionLevel=strict --no-redact is refused (scan and collect)
#   EventLog=1            scan writes its summary to the Application log
# and `scan --quiet --json-out` (the Intune detection script) prints nothing,
# writes the JSON and exits with the documented code.
# usage: policy.sh SOURCE_DIR (exes from build/win-x64/src)
set -uo pipefail
SRC=$(readlink -f "${1:?usage: policy.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
source "$SRC/tests/wine/machine.bash"
TEST_NAME=wine_policy
BIN=$SRC/build/win-x64/src
CD=$BIN/cadoctor.exe
PY=/usr/bin/python3
export WINEPREFIX=$WORK/prefix
trap 'wineserver -k >/dev/null 2>&1; stop_display; rm -rf "$WORK"' EXIT
for f in "$CD" "$BIN/cadoctor-gui.exe" "$BIN/cadoctor-gui-driver.exe"; do
  [ -f "$f" ] || { bad "$f is not built (scripts/run.sh test builds it)"; finish; exit; }
done
# The Group Policy template names the values the code reads, in both languages.
check "ADMX and its zh-CN and en-US ADML files agree" $PY - "$SRC/installer" <<'PY'
import re, sys, xml.etree.ElementTree as ET
ns = '{http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions}'
admx = open(sys.argv[1] + '/cadoctor.admx', encoding='utf-8').read()
ET.fromstring(admx.encode())
strings = set(re.findall(r'\$\(string\.(\w+)\)', admx))
pres = set(re.findall(r'\$\(presentation\.(\w+)\)', admx))
values = set(re.findall(r'valueName="(\w+)"', admx))
assert values == {'DefaultPlatform', 'ReportFolder', 'AllowedRepairActions', 'RedactionLevel', 'EventLog'}, values
for lang in ('zh-CN', 'en-US'):
    t = ET.parse('%s/%s/cadoctor.adml' % (sys.argv[1], lang))
    missing = strings - {e.get('id') for e in t.iter(ns + 'string')}
    missing |= pres - {e.get('id') for e in t.iter(ns + 'presentation')}
    assert not missing, (lang, missing)
PY
start_display || { bad "Xvfb did not start"; finish; exit; }
wine_prefix "$WINEPREFIX"
check "the test machine is built" wine_machine "$WINEPREFIX" xtx_dll_missing
export CADOCTOR_LANG=zh
PLATFORM_ZH=辽宁省网联招标投标综合服务平台

# Without a policy.
check_rc "no policy: scan finds the error" 2 wine "$CD" scan --offline
check "no policy: no platform shown" bash -c "! grep -q '$PLATFORM_ZH' '$WORK/last.out'"
check_rc "Intune detection: scan --quiet --json-out exits 2" 2 wine "$CD" scan --offline --quiet --json-out 'C:\detect.json'
check "Intune detection: nothing on the console" bash -c "[ ! -s '$WORK/last.out' ]"
check "Intune detection: the JSON names the finding" grep -q 'com.xtx_server_missing' "$WINEPREFIX/drive_c/detect.json"
WINEDEBUG=-all,+eventlog wine "$CD" scan --offline >/dev/null 2>"$WORK/ev0.err"
check "no policy: scan writes no event log entry" bash -c "! grep -q 'ReportEventW' '$WORK/ev0.err'"
check_rc "no policy: collect --no-redact" 0 wine "$CD" collect --offline --no-redact -o 'C:\snap0.txt'
check "no policy: collect --no-redact writes an unredacted snapshot" bash -c "! tr -d '\r' <'$WINEPREFIX/drive_c/snap0.txt' | grep -qx 'redacted: 1'"

# The policy: REG_MULTI_SZ list of allowed kinds, DWORD EventLog.
cat >"$WORK/policy.reg" <<'REG'
REGEDIT4

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\cadoctor]
"DefaultPlatform"="lnwlzb"
"ReportFolder"="C:\\policy-reports"
"AllowedRepairActions"=hex(7):73,00,65,00,72,00,76,00,69,00,63,00,65,00,5f,00,73,00,74,00,61,00,72,00,74,00,00,00,72,00,65,00,67,00,69,00,73,00,74,00,72,00,79,00,5f,00,73,00,65,00,74,00,00,00,00,00
"RedactionLevel"="strict"
"EventLog"=dword:00000001
REG
wine regedit /S "$(winepath -w "$WORK/policy.reg")" >/dev/null 2>&1
wineserver -w

check_rc "policy: scan still exits 2" 2 wine "$CD" scan --offline
check "policy: DefaultPlatform is shown" contains "$WORK/last.out" "$PLATFORM_ZH"
check "policy: ReportFolder holds the JSON report" bash -c "ls '$WINEPREFIX/drive_c/policy-reports/'cadoctor-*.json >/dev/null"
check "policy: ReportFolder holds the HTML report" bash -c "ls '$WINEPREFIX/drive_c/policy-reports/'cadoctor-*.html >/dev/null"
check "policy: the saved JSON is a report" $PY -c "
import glob, json, sys
d = json.load(open(sorted(glob.glob(sys.argv[1] + '/cadoctor-*.json'))[-1]))
sys.exit(0 if d['format'] == 'cadoctor-report' and d['findings'] else 1)" "$WINEPREFIX/drive_c/policy-reports"
check_rc "policy: --no-redact is refused but the scan runs" 2 wine "$CD" scan --offline --no-redact
check "policy: RedactionLevel=strict is explained" contains "$WORK/last.err" "--no-redact"
# EventLog=1: Wine keeps no log but traces each entry (WINEDEBUG=+eventlog).
WINEDEBUG=-all,+eventlog wine "$CD" scan --offline >/dev/null 2>"$WORK/ev1.err"
check "policy: EventLog=1: scan writes its summary to the event log" grep -qP 'ReportEventW L"cadoctor [0-9.]+: 1 errors.*com.xtx_server_missing \(error\)' "$WORK/ev1.err"
check_rc "policy: collect --no-redact still writes a snapshot" 0 wine "$CD" collect --offline --no-redact -o 'C:\snap1.txt'
check "policy: RedactionLevel=strict refuses collect --no-redact" contains "$WORK/last.err" "--no-redact"
check "policy: the snapshot is redacted" bash -c "tr -d '\r' <'$WINEPREFIX/drive_c/snap1.txt' | grep -qx 'redacted: 1'"
check_rc "policy: --platform on the line wins" 2 wine "$CD" scan --offline --platform ebnew
check "policy: the platform asked for is shown" contains "$WORK/last.out" "必联"
rm -rf "$WINEPREFIX/drive_c/policy-reports"

# The window: the platform chosen, the report saved, run_vendor_installer forbidden.
wine "$BIN/cadoctor-gui.exe" --offline >"$WORK/gui.log" 2>&1 &
wine "$BIN/cadoctor-gui-driver.exe" wait 60 text 1002 scan 240 text 1007 plan 60 >"$WORK/gui.txt" 2>"$WORK/driver.err"
check "window: the driver ran ($(head -c 200 "$WORK/driver.err"))" test ! -s "$WORK/driver.err"
check "window: DefaultPlatform is chosen" bash -c "head -1 '$WORK/gui.txt' | grep -q '$PLATFORM_ZH'"
check "window: the scan saved its report to ReportFolder" bash -c "ls '$WINEPREFIX/drive_c/policy-reports/'cadoctor-*.html >/dev/null"
check "window: the status line says where" grep -q 'policy-reports' "$WORK/gui.txt"
check "window: the plan marks the kind the policy does not allow as forbidden" grep -q '设置禁止了这类操作' "$WORK/gui.txt"
wine "$BIN/cadoctor-gui-driver.exe" wait 10 close >/dev/null 2>&1
finish
