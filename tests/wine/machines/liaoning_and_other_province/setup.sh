#!/usr/bin/env bash
# Imports machine.utf8.reg: regedit reads a Unicode .reg file only as
# UTF-16LE with a byte-order mark, so the readable UTF-8 file is converted
# first. (The runner's own machine.reg import would read it as ANSI.)
#
# HKU\S-1-5-21-...-1001 stands for a logged-on user's hive. Wine saves only
# its own hives, so that key lives only as long as the wineserver: keep one
# running until the runner kills it after the scan.
set -eu
reg="$WINEPREFIX/drive_c/machine.reg"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE machine.utf8.reg; } >"$reg"
wineserver -w  # none may run yet: the persistent one is started here
wineserver -p
"${WINE:-wine}" regedit /S 'C:\machine.reg'
rm -f "$reg"
