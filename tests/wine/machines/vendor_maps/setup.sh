#!/usr/bin/env bash
# Writes BJCA's Driver\driver.ini as the vendor does (ANSI/GBK, CRLF) with
# garbage lines among the good ones, a ShuttleCsp11_3003.dll beside it, and
# builds a 32-bit NetcaSKF.dll with a version resource into SysWOW64.
set -eu
c="$WINEPREFIX/drive_c"
drv="$c/Program Files (x86)/BJCA/Driver"
mkdir -p "$drv"
printf 'placeholder: only its presence is checked\r\n' >"$drv/ShuttleCsp11_3003.dll"
cp "$drv/ShuttleCsp11_3003.dll" "$drv/mtoken_gm3000.dll"

{
  # Lines 1-19: GBK text and the entries (converted from the UTF-8 here).
  iconv -f UTF-8 -t GBK <<'INI' | sed 's/$/\r/'
; 北京数字认证 设备驱动对照表
[Common]
Version=3.0.1

[飞天 ePass3003 (VID_096E&PID_0309)]
Dll=ShuttleCsp11_3003.dll
SkfDll=FeiTianSM2Key.dll

[龙脉 GM3000]
vid=055C
pid=0xDB08
DllPath="C:\Program Files (x86)\BJCA\Driver\mtoken_gm3000.dll"

[Devices]
VID_6588&PID_1514=lgu3073_p1514_gm.dll
22fb:1014=USK218_GM.dll
device3=VID_163C&PID_0417,WDPKCS.dll
# 网址 fe80:0000:0000 is no device
Note=see fe80:0000:0001, not a device
INI
  # Lines 20-23: garbage: binary, over-long, undecodable, not INI.
  printf 'garbage\x00\x01\x02binary\r\n'
  head -c 5000 /dev/zero | tr '\0' 'x'
  printf '\r\n'
  printf '\xff\xfe\xfd\xfc\x80\x81 no equals sign\r\n'
  printf 'just some words\r\n'
  # The last line has no line end.
  printf '[Tail]\r\nVID_1EA8&PID_C001=ESKeyProv.dll'
} >"$drv/driver.ini"

# A real PE with a VERSIONINFO resource, so the file version is read.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/v.rc" <<'RC'
1 VERSIONINFO
FILEVERSION 3,2,1,45
PRODUCTVERSION 3,2,1,45
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404b0"
    BEGIN
      VALUE "CompanyName", "NETCA"
      VALUE "FileVersion", "3.2.1.45"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x804, 1200
  END
END
RC
echo 'int dummy(void) { return 0; }' >"$tmp/d.c"
i686-w64-mingw32-windres "$tmp/v.rc" -O coff -o "$tmp/v.o"
i686-w64-mingw32-gcc -shared -s -o "$c/windows/syswow64/NetcaSKF.dll" "$tmp/d.c" "$tmp/v.o"
