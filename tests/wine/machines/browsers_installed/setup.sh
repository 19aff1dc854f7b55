#!/usr/bin/env bash
# Real 64-bit PE files where the App Paths of chrome.exe and firefox.exe
# point: the probe reads their version resource, so the copy must have one
# (Wine's notepad.exe has none; its iexplore.exe and kernel32.dll do).
# 360se.exe stays missing.
set -eu
sys="$WINEPREFIX/drive_c/windows/system32"
src=
for f in "$sys/iexplore.exe" "$sys/kernel32.dll"; do
  if [ -f "$f" ] && python3 - "$f" <<'PY'
import sys
sys.exit(0 if "VS_VERSION_INFO".encode("utf-16-le") in open(sys.argv[1], "rb").read() else 1)
PY
  then
    src=$f
    break
  fi
done
if [ -z "$src" ]; then
  echo "no 64-bit PE file with a version resource in $sys" >&2
  exit 1
fi
echo "browser executables are copies of $src"
for dest in "Program Files/Google/Chrome/Application/chrome.exe" \
    "Program Files/Mozilla Firefox/firefox.exe"; do
  mkdir -p "$WINEPREFIX/drive_c/$(dirname "$dest")"
  cp "$src" "$WINEPREFIX/drive_c/$dest"
done
