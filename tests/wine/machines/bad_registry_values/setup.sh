#!/usr/bin/env bash
# What machine.reg cannot express, written by regtool.c (built here with
# mingw-w64): Wine's regedit adds a terminator to hex(1): data and drops an
# odd last byte, so the unterminated REG_SZ is written raw; the huge values
# are made rather than committed; and key security cannot be set from a .reg
# file at all. Wine keeps a key's security only in the running wineserver
# (its registry files do not store it), so one is kept alive until the
# runner kills it after the scan.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
x86_64-w64-mingw32-gcc -municode -O -o "$tmp/regtool.exe" regtool.c -ladvapi32
wineserver -w  # none may run yet: the persistent one is started here
wineserver -p
rt() { "${WINE:-wine}" "$tmp/regtool.exe" "$@"; }
u='Software\Microsoft\Windows\CurrentVersion\Uninstall'
# "Unterminated App" in UTF-16 without a terminator, plus one stray byte.
rt raw "$u\\Unterminated" DisplayName 1 \
  "55006e007400650072006d0069006e0061007400650064002000410070007000"41
rt fill "$u\\Huge" DisplayVersion 100000   # 200 KB: read in full
rt fill "$u\\Huge" Publisher 600000        # 1.2 MB: over the 1 MiB cap, refused
rt deny "$u\\Locked"
rt deny 'Software\Microsoft\Cryptography\Defaults\Provider\Locked CSP'
