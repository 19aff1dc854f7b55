/* A stand-in Windows service for Wine test machines whose real service Wine
 * lacks (Smart Card, Windows Time): a real service program that reports
 * RUNNING until it is told to stop, so the service control manager starts
 * and stops it as it would the real one. Built in a machine's setup.sh with
 *   x86_64-w64-mingw32-gcc -DSERVICE_NAME=L\"SCardSvr\" standin_service.c */
#include <windows.h>

#ifndef SERVICE_NAME
#error "build with -DSERVICE_NAME=L\"Name\""
#endif

static SERVICE_STATUS_HANDLE h;
static SERVICE_STATUS st;
static HANDLE stop_ev;

static DWORD WINAPI handler(DWORD c, DWORD t, void *e, void *x)
{
	(void)t;
	(void)e;
	(void)x;
	if (c == SERVICE_CONTROL_STOP) {
		st.dwCurrentState = SERVICE_STOP_PENDING;
		SetServiceStatus(h, &st);
		SetEvent(stop_ev);
	}
	return NO_ERROR;
}

static void WINAPI svc_main(DWORD argc, wchar_t **argv)
{
	(void)argc;
	(void)argv;
	stop_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
	h = RegisterServiceCtrlHandlerExW(SERVICE_NAME, handler, NULL);
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
	SERVICE_TABLE_ENTRYW t[] = {{(wchar_t *)SERVICE_NAME, svc_main}, {NULL, NULL}};
	return !StartServiceCtrlDispatcherW(t);
}
