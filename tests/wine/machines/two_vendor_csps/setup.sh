#!/usr/bin/env bash
# Imports machine.utf8.reg: regedit reads a Unicode .reg file only as
# UTF-16LE with a byte-order mark, so the readable UTF-8 file is converted
# first. (The runner's own machine.reg import would read it as ANSI.)
# Then puts Epass3003Prov.dll in System32 and SysWOW64: made here because
# .gitignore keeps *.dll out of the repository, and the probes only check
# that it exists (63 bytes of text, the size expected.txt checks).
set -eu
reg="$WINEPREFIX/drive_c/machine.reg"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE machine.utf8.reg; } >"$reg"
"${WINE:-wine}" regedit /S 'C:\machine.reg'
wineserver -w
rm -f "$reg"
for d in system32 syswow64; do
  printf 'not a real DLL: the CSP probe only checks that the file exists\n' \
    >"$WINEPREFIX/drive_c/windows/$d/Epass3003Prov.dll"
done
