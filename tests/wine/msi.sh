#!/usr/bin/env bash
# The installer under Wine (build/win-x64/cadoctor.msi from scripts/build-msi.sh):
# a silent per-machine install with the public properties puts both exes in
# Program Files\cadoctor, the GUI in the Start menu (named in Chinese), cadoctor on the system
# PATH (a new cmd finds it), the properties and the event log source in the
# registry, and the installed exe honours them; a silent uninstall then
# leaves nothing it installed: the test lists every file and registry key
# left that was not there before (msi-leftover.txt among the artifacts).
# Also checks the portable zip. usage: msi.sh SOURCE_DIR
set -uo pipefail
SRC=$(readlink -f "${1:?usage: msi.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
source "$SRC/tests/wine/machine.bash"
TEST_NAME=wine_msi
OUT=$SRC/build/win-x64
MSI=$OUT/cadoctor.msi
ART=${CADOCTOR_ARTIFACTS:-$WORK}
PY=/usr/bin/python3
mkdir -p "$ART"
export WINEDLLOVERRIDES="mscoree,mshtml=,winemenubuilder.exe=d"
export WINEPREFIX=$WORK/prefix
trap 'wineserver -k >/dev/null 2>&1; rm -rf "$WORK"' EXIT
if [ ! -f "$MSI" ]; then bad "$MSI is not built (scripts/build-msi.sh x64)"; finish; exit; fi
version=$(sed -n 's/^project(cadoctor VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")

check "the portable zip holds both exes and the x86 reader" $PY -c "
import sys, zipfile
n = set(zipfile.ZipFile(sys.argv[1]).namelist())
sys.exit(0 if {'cadoctor/cadoctor.exe', 'cadoctor/cadoctor-gui.exe', 'cadoctor/cadoctor-x86.exe'} <= n else 1)" "$OUT/cadoctor-$version-x64-portable.zip"
check "the x86 package is built too" test -f "$SRC/build/win-x86/cadoctor.msi"
check "the MSI is per machine (ALLUSERS=1)" bash -c "msiinfo export '$MSI' Property | grep -qP '^ALLUSERS\t1'"

WINEPREFIX=$WINEPREFIX wine wineboot -i >/dev/null 2>&1
wineserver -w
state() { # files under C:\ and the registry keys the package touches
  (cd "$WINEPREFIX/drive_c" && find . -path ./windows/Installer -prune -o -print | LC_ALL=C sort) >"$1.files"
  for k in 'HKLM\Software\cadoctor' 'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\cadoctor' \
           'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall'; do
    echo "[$k]"; wine reg query "$k" /s 2>/dev/null | tr -d '\r' | grep -v '^$' | LC_ALL=C sort
  done >"$1.reg"
  wine reg query 'HKLM\System\CurrentControlSet\Control\Session Manager\Environment' /v PATH 2>/dev/null |
    tr -d '\r' | awk '/PATH/ {print $3}' | sed 's/;*$//' >"$1.path"
}
state "$WORK/before"

PF="$WINEPREFIX/drive_c/Program Files/cadoctor"
check_rc "msiexec /i /qn installs" 0 wine msiexec /i "$(winepath -w "$MSI")" /qn DEFAULTPLATFORM=lnwlzb \
  'REPORTFOLDER=C:\cadoctor-reports'
wineserver -w
check "cadoctor.exe is in Program Files\\cadoctor" test -f "$PF/cadoctor.exe"
check "cadoctor-gui.exe is in Program Files\\cadoctor" test -f "$PF/cadoctor-gui.exe"
check "the x86 reader of 32-bit PKCS#11 DLLs is beside it, a 32-bit image" $PY -c "
import struct, sys
b = open(sys.argv[1], 'rb').read(4096)
off = struct.unpack_from('<I', b, 0x3c)[0]
sys.exit(0 if b[:2] == b'MZ' and b[off:off + 4] == b'PE\\0\\0' and struct.unpack_from('<H', b, off + 4)[0] == 0x14c else 1)" "$PF/cadoctor-x86.exe"
# The shortcut is named as the window's title, in Chinese (GUI_TITLE).
title_zh=$(awk '/^Id: /{id=$2} id=="GUI_TITLE" && $1=="zh-CN:" {sub(/^[^:]*: /, ""); print; exit}' "$SRC/resources/strings.txt")
check "the MSI's shortcut row has the Chinese name" bash -c "msiinfo export '$MSI' Shortcut | grep -qF '|$title_zh'"
lnk=$(find "$WINEPREFIX/drive_c" -path '*Start Menu/Programs/cadoctor/*.lnk' | head -1)
check "a Start menu shortcut to the GUI (${lnk##*/drive_c/})" bash -c "[ -n '$lnk' ] && grep -qa 'cadoctor-gui.exe' '$lnk'"
check "the shortcut is named in Chinese: $title_zh.lnk" test -f "${lnk%/*}/$title_zh.lnk"
check "the system PATH has Program Files\\cadoctor" bash -c "wine reg query 'HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment' /v PATH | grep -qi 'Program Files\\\\cadoctor'"
check "a new cmd finds cadoctor on the PATH" bash -c "wine cmd /c 'cadoctor version' 2>/dev/null | grep -q 'cadoctor $version'"
check "the properties are stored" bash -c "wine reg query 'HKLM\\Software\\cadoctor' /v DefaultPlatform | grep -q lnwlzb"
check "the event log source is registered" bash -c "wine reg query 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\cadoctor' /v EventMessageFile | grep -qi 'cadoctor-gui.exe'"
# The installed exe uses the properties: default platform, report folder.
wine cmd /c 'cadoctor scan --offline' >"$WORK/scan.txt" 2>&1
check "the installed cadoctor uses DEFAULTPLATFORM" contains "$WORK/scan.txt" "辽宁省网联招标投标综合服务平台"
check "the installed cadoctor saves reports to REPORTFOLDER" bash -c "ls '$WINEPREFIX/drive_c/cadoctor-reports/'cadoctor-*.json '$WINEPREFIX/drive_c/cadoctor-reports/'cadoctor-*.html >/dev/null"
# Reports are what the program wrote, not what the package installed.
rm -rf "$WINEPREFIX/drive_c/cadoctor-reports"
wineserver -w

check_rc "msiexec /x /qn uninstalls" 0 wine msiexec /x "$(winepath -w "$MSI")" /qn
wineserver -w
state "$WORK/after"
{
  echo "# files and registry entries present after uninstall that were not there before"
  LC_ALL=C comm -13 "$WORK/before.files" "$WORK/after.files"
  LC_ALL=C comm -13 <(LC_ALL=C sort "$WORK/before.reg") <(LC_ALL=C sort "$WORK/after.reg")
  # Wine's RemoveEnvironmentStrings leaves the separator: compared without trailing ';'
  diff "$WORK/before.path" "$WORK/after.path" >/dev/null || echo "PATH: $(cat "$WORK/after.path")"
} >"$ART/msi-leftover.txt"
check "uninstall leaves nothing behind (see msi-leftover.txt)" bash -c "[ \$(grep -vc '^#' '$ART/msi-leftover.txt') = 0 ]"
sed 's/^/  | /' "$ART/msi-leftover.txt" | grep -v '^  | #' | head -20 >&2
check "Program Files\\cadoctor is gone" test ! -e "$PF"
check "the Chinese-named shortcut is gone" test ! -e "$lnk"
finish
