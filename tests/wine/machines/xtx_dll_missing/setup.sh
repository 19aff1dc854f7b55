#!/usr/bin/env bash
# The driver package's Uninstall entry (32-bit view). Its name is Chinese:
# `wine reg add` converts its arguments from the Unix locale, so it must be
# a UTF-8 one (a .reg file would be read in the ANSI code page).
set -eu
export LANG=C.UTF-8 LC_ALL=C.UTF-8
key='HKLM\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{5A3C2E10-7B4D-4F6A-9C81-2D0E6B7F4A93}_is1'
wine reg add "$key" /v DisplayName /d 'CA互联互通(辽宁版)' /f
wine reg add "$key" /v DisplayVersion /d '3.3' /f
wine reg add "$key" /v Publisher /d 'Epoint' /f
wine reg add "$key" /v UninstallString /d '"C:\Program Files (x86)\Epoint\CA互联互通(辽宁版)\unins000.exe"' /f
wineserver -w
