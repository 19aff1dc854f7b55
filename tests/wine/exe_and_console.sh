#!/usr/bin/env bash
# The Windows executables: single static exes needing only system DLLs, with
# version information and the manifest; Chinese on a console whatever the
# code page (936 or 65001); UTF-8 when redirected; the same JSON schema as on
# Linux. usage: exe_and_console.sh SOURCE_DIR (exes from build/win-x64, build/win-x86)
set -uo pipefail
SRC=$(readlink -f "${1:?usage: exe_and_console.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
TEST_NAME=wine_exe
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEPREFIX=$WORK/prefix
X64=$SRC/build/win-x64/src/cadoctor.exe
X86=$SRC/build/win-x86/src/cadoctor.exe
PY=/usr/bin/python3

# Only DLLs every Windows 7 has.
system_dlls='^(ADVAPI32|CRYPT32|KERNEL32|msvcrt|SHELL32|USER32|WS2_32|SETUPAPI|CFGMGR32|VERSION|OLE32|OLEAUT32|PSAPI|GDI32|COMCTL32|COMDLG32|WINTRUST|NTDLL|bcrypt)\.dll$'
for exe in "$X64" "$X86"; do
  arch=$(basename "$(dirname "$(dirname "$exe")")")
  check "$arch: cadoctor.exe is built" test -f "$exe"
  [ -f "$exe" ] || continue
  objdump=x86_64-w64-mingw32-objdump
  dlls=$($objdump -p "$exe" | awk '/DLL Name:/ {print $3}')
  bad=$(printf '%s\n' "$dlls" | grep -viE "$system_dlls" || true)
  check "$arch: imports only system DLLs (${bad:-ok})" test -z "$bad"
  check "$arch: has version information" $PY -c "import sys; d=open(sys.argv[1],'rb').read(); sys.exit(0 if 'FileVersion'.encode('utf-16-le') in d else 1)" "$exe"
  check "$arch: manifest asks asInvoker" grep -qa 'requestedExecutionLevel level="asInvoker"' "$exe"
  check "$arch: manifest lists Windows 7" grep -qa '35138b9a-5d96-4fbd-8e2d-a2440225f93a' "$exe"
done
check "x86: a PE32 (i386) image" bash -c "file '$X86' | grep -q 'PE32 executable.*80386'"

wine wineboot -i >/dev/null 2>&1
# Redirected output is UTF-8 with Chinese in it, whatever the code page.
for cp in 936 65001; do
  wine cmd /c "chcp $cp >nul & $(winepath -w "$X64") help" >"$WORK/help_$cp.txt" 2>/dev/null
  check "redirected output is UTF-8 (chcp $cp)" $PY -c "import sys; t=open(sys.argv[1],'rb').read().decode('utf-8'); sys.exit(0 if '用法' in t else 1)" "$WORK/help_$cp.txt"
done
# A console (a pseudo-terminal for Wine's console): WriteConsoleW shows
# Chinese whatever the code page.
if command -v script >/dev/null; then
  for cp in 936 65001; do
    LANG=C.UTF-8 script -qec "wine cmd /c \"chcp $cp >nul & $(winepath -w "$X64") help\"" /dev/null \
      >"$WORK/console_$cp.txt" 2>&1 </dev/null
    check "console shows Chinese (chcp $cp)" grep -q '用法' "$WORK/console_$cp.txt"
  done
else
  bad "the script command (bsdutils) is missing"
fi
# --json from the Windows build validates against the same schema.
wine "$X64" scan --offline --json >"$WORK/scan.json" 2>/dev/null
check "Windows JSON validates against docs/report-schema.json" $PY -c "
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)" "$SRC/docs/report-schema.json" "$WORK/scan.json"
check "Windows JSON says windows" grep -qE '"os_family":\s*"windows"' "$WORK/scan.json"
# A clean prefix: nothing wrong, exit 0, Chinese report.
check_rc "clean prefix: scan exits 0" 0 wine "$X64" scan --offline
check "clean prefix: Chinese report" contains "$WORK/last.out" "证书环境检测报告"
wineserver -k >/dev/null 2>&1
finish
