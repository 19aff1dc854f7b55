#!/usr/bin/env bash
# Imports machine.utf8.reg (hex(7) data; regedit reads a Unicode .reg file
# only as UTF-16LE with a byte-order mark) and writes the file the test rule
# quarantines: binary bytes (NULs, 0xff) under a Chinese name under Program
# Files, where the test catalog row (catalog/com_classes.cat) says the test
# component's server lives. It is read-only and hidden: the quarantine and
# undo must keep its attributes too.
set -eu
reg="$WINEPREFIX/drive_c/machine.reg"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE machine.utf8.reg; } >"$reg"
"${WINE:-wine}" regedit /S 'C:\machine.reg'
rm -f "$reg"
wineserver -w
dir="$WINEPREFIX/drive_c/Program Files/测试厂商/旧版组件"
mkdir -p "$dir"
{ printf 'MZ\x90\x00\x03\x00\x00\x00\xff\xfe'; seq 1 20000; printf '\x00\x00\xff'; } >"$dir/旧组件.dll"
# (one flag per call: Wine's attrib applies only one of several)
LANG=C.UTF-8 "${WINE:-wine}" attrib +r 'C:\Program Files\测试厂商\旧版组件\旧组件.dll'
LANG=C.UTF-8 "${WINE:-wine}" attrib +h 'C:\Program Files\测试厂商\旧版组件\旧组件.dll'
LANG=C.UTF-8 "${WINE:-wine}" attrib 'C:\Program Files\测试厂商\旧版组件\旧组件.dll' | grep -q '^A *HR '
