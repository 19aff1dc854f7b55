#!/usr/bin/env bash
# Builds the stand-in Smart Card service: a real Windows service program that
# reports RUNNING until it is told to stop (64-bit, into system32).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/svc.c" <<'C'
#include <windows.h>
static SERVICE_STATUS_HANDLE h;
static SERVICE_STATUS st;
static HANDLE stop_ev;
static DWORD WINAPI handler(DWORD c, DWORD t, void *e, void *x)
{
	(void)t; (void)e; (void)x;
	if (c == SERVICE_CONTROL_STOP) {
		st.dwCurrentState = SERVICE_STOP_PENDING;
		SetServiceStatus(h, &st);
		SetEvent(stop_ev);
	}
	return NO_ERROR;
}
static void WINAPI svc_main(DWORD argc, wchar_t **argv)
{
	(void)argc; (void)argv;
	stop_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	h = RegisterServiceCtrlHandlerExW(L"SCardSvr", handler, NULL);
	st.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
	st.dwControlsAccepted = SERVICE_ACCEPT_STOP;
	st.dwCurrentState = SERVICE_RUNNING;
	SetServiceStatus(h, &st);
	WaitForSingleObject(stop_ev, INFINITE);
	st.dwCurrentState = SERVICE_STOPPED;
	SetServiceStatus(h, &st);
}
int main(void)
{
	SERVICE_TABLE_ENTRYW t[] = {{L"SCardSvr", svc_main}, {NULL, NULL}};
	return !StartServiceCtrlDispatcherW(t);
}
C
x86_64-w64-mingw32-gcc -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/cdtestscard.exe" "$tmp/svc.c"
