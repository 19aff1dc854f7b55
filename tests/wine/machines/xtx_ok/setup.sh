#!/usr/bin/env bash
# The driver package's Uninstall entry (32-bit view; see xtx_dll_missing),
# and a real 32-bit DLL where XTXAppCOM's InprocServer32 points.
set -eu
export LANG=C.UTF-8 LC_ALL=C.UTF-8
key='HKLM\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{5A3C2E10-7B4D-4F6A-9C81-2D0E6B7F4A93}_is1'
wine reg add "$key" /v DisplayName /d 'CA互联互通(辽宁版)' /f
wine reg add "$key" /v DisplayVersion /d '3.3' /f
wine reg add "$key" /v Publisher /d 'Epoint' /f
wineserver -w

# Any i386 PE DLL will do: the probe reads only the PE header. The prefix's
# SysWOW64 has them when wine32 is installed; without it, the mingw-w64
# runtime DLLs on the build machine are i386 PE files too.
is_pe32() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(4096)
ok = d[:2] == b"MZ" and len(d) >= 64
if ok:
    off = struct.unpack_from("<I", d, 0x3c)[0]
    ok = d[off:off + 4] == b"PE\0\0" and struct.unpack_from("<H", d, off + 4)[0] == 0x14c
sys.exit(0 if ok else 1)
PY
}
dest="$WINEPREFIX/drive_c/Program Files (x86)/BJCA/XTXAppCOM"
mkdir -p "$dest"
for f in "$WINEPREFIX"/drive_c/windows/syswow64/*.dll /usr/i686-w64-mingw32/lib/*.dll \
    /usr/lib/gcc/i686-w64-mingw32/*/*.dll; do
  if [ -f "$f" ] && is_pe32 "$f"; then
    cp "$f" "$dest/XTXAppCOM.dll"
    echo "XTXAppCOM.dll is a copy of $f"
    exit 0
  fi
done
echo "no i386 PE DLL found (install wine32 or mingw-w64)" >&2
exit 1
