#!/usr/bin/env bash
# HardwareID lists of the planted USB keys (REG_MULTI_SZ; see machine.reg).
set -eu
enum='HKLM\System\CurrentControlSet\Enum\USB'
wine reg add "$enum\\VID_096E&PID_0309\\5&2C4A17E3&0&2" /v HardwareID /t REG_MULTI_SZ \
  /d 'USB\VID_096E&PID_0309&REV_0100\0USB\VID_096E&PID_0309' /f
wine reg add "$enum\\VID_055C&PID_E618\\5&2C4A17E3&0&3" /v HardwareID /t REG_MULTI_SZ \
  /d 'USB\VID_055C&PID_E618&REV_0100\0USB\VID_055C&PID_E618' /f
wineserver -w
