#!/usr/bin/env bash
# Imports machine.utf8.reg (a provider name in Chinese): regedit reads a
# Unicode .reg file only as UTF-16LE with a byte-order mark.
set -eu
reg="$WINEPREFIX/drive_c/machine.reg"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE machine.utf8.reg; } >"$reg"
"${WINE:-wine}" regedit /S 'C:\machine.reg'
rm -f "$reg"
wineserver -w
