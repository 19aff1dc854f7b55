#!/usr/bin/env bash
# Builds the stand-in Smart Card service: a real Windows service program that
# reports RUNNING until it is told to stop (64-bit, into system32).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
x86_64-w64-mingw32-gcc -O2 -s -DSERVICE_NAME='L"SCardSvr"' -o "$WINEPREFIX/drive_c/windows/system32/cdtestscard.exe" ../../standin_service.c
