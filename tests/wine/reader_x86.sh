#!/usr/bin/env bash
# The reader for 32-bit PKCS#11 DLLs: most USB-key vendors ship 32-bit
# middleware (SysWOW64), which the x64 cadoctor cannot load, so the x64 MSI
# installs the x86 build next to it as cadoctor-x86.exe and pkcs11.tokens
# runs the module there (src/probes/pe.h). On the test machine
# pkcs11_middleware (a 32-bit test module in SysWOW64), with cadoctor
# installed in C:\cadoctor:
#   - without cadoctor-x86.exe: the module is not loaded, and why;
#   - with an x64 exe wrongly named cadoctor-x86.exe: refused the same way
#     (the reader's own PE header is checked);
#   - with the real x86 build: the x86 reader is started. With 32-bit Wine
#     (wine32) it reads the token: load_status ok and its tokens row; this
#     machine's Wine has no 32-bit part and ends a 32-bit program at once
#     without output, which the probe reports as the reader ending before
#     finishing -- either way not "not installed".
# usage: reader_x86.sh SOURCE_DIR (exes from build/win-x64/src and build/win-x86/src)
set -uo pipefail
SRC=$(readlink -f "${1:?usage: reader_x86.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
source "$SRC/tests/wine/machine.bash"
TEST_NAME=wine_reader_x86
X64=$SRC/build/win-x64/src/cadoctor.exe
X86=$SRC/build/win-x86/src/cadoctor.exe
PY=/usr/bin/python3
export WINEPREFIX=$WORK/prefix
trap 'wineserver -k >/dev/null 2>&1; rm -rf "$WORK"' EXIT
for f in "$X64" "$X86"; do
  [ -f "$f" ] || { bad "$f is not built (scripts/run.sh test builds it)"; finish; exit; }
done
wine_prefix "$WINEPREFIX"
wine_machine "$WINEPREFIX" pkcs11_middleware || bad "set-up of pkcs11_middleware failed (see $WORK/setup-pkcs11_middleware.log)"
dir=$WINEPREFIX/drive_c/cadoctor
mkdir -p "$dir"
cp "$X64" "$dir/cadoctor.exe"

# module_row FACTS: load_status and load_error of the SysWOW64 module, one line
module_row() {
  "$PY" - "$1" <<'PY'
import sys
rows, cur = [], None
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.rstrip('\n')
    if line.startswith('Table: '):
        cur = {'table': line[7:]}
        rows.append(cur)
    elif cur is not None and ': ' in line:
        k, v = line.split(': ', 1)
        cur[k] = v
m = [r for r in rows if r['table'] == 'pkcs11_modules' and r.get('name') == 'eps2003csp11.dll']
print(len(m), m[0].get('load_status') if m else '-', m[0].get('load_error', '') if m else '')
PY
}
collect() { # OUT
  wine 'C:\cadoctor\cadoctor.exe' collect --offline --no-redact --module-timeout-ms 2000 \
    --probes windows.vendor,pkcs11.tokens -o "$(winepath -w "$1")" >"$1.log" 2>&1
}

collect "$WORK/none.txt"
read -r n status err < <(module_row "$WORK/none.txt")
check "without cadoctor-x86.exe the 32-bit module is one row, not loaded" test "$n $status" = "1 not_loaded"
check "  and the reason names the missing reader" grep -q "its reader cadoctor-x86.exe is not installed" <<<"$err"

cp "$X64" "$dir/cadoctor-x86.exe"
collect "$WORK/wrong.txt"
read -r n status err < <(module_row "$WORK/wrong.txt")
check "an x64 exe named cadoctor-x86.exe is not taken for the reader" test "$n $status" = "1 not_loaded"

cp "$X86" "$dir/cadoctor-x86.exe"
collect "$WORK/x86.txt"
read -r n status err < <(module_row "$WORK/x86.txt")
check "with the x86 build next to it, the module goes to that reader" test "$n" = 1 -a "$status" != not_loaded
if wine 'C:\cadoctor\cadoctor-x86.exe' version 2>/dev/null | grep -q cadoctor; then
  check "  32-bit Wine: the reader read the module" test "$status" = ok
  check "  and its token is listed" grep -q 'module_path: C:\\windows\\syswow64\\eps2003csp11.dll' "$WORK/x86.txt"
else
  echo "note: this Wine runs no 32-bit program (no wine32): the reader is started but ends at once"
  check "  without 32-bit Wine the reader ends before finishing, reported as such" \
    grep -q "exit code 0 before finishing" <<<"$err"
fi
finish
