#!/usr/bin/env bash
# The Liaoning edition of CA互联互通 installed, XTXAppCOM's DLL where the
# catalog says the vendor puts it (cat_com_classes server_file, 64-bit
# Program Files) but the class registered nowhere
# (com.xtx_server_not_registered). The DLL is real (built here with
# mingw-w64): its DllRegisterServer writes the class and ProgID keys as an
# ATL server does. Repair runs regsvr32 /s on it (com_register); undo puts
# both keys back as they were (absent).
set -eu
export LANG=C.UTF-8 LC_ALL=C.UTF-8
WINE=${WINE:-wine}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

key='HKLM\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall\CA互联互通(辽宁版)_is1'
"$WINE" reg add "$key" /v DisplayName /d 'CA互联互通(辽宁版)' /f
"$WINE" reg add "$key" /v DisplayVersion /d '3.3' /f
"$WINE" reg add "$key" /v Publisher /d 'Epoint' /f

dir="$WINEPREFIX/drive_c/Program Files/BJCA/XTXAppCOM"
mkdir -p "$dir"
cat >"$tmp/xtx.c" <<'C'
#include <windows.h>
#include <wchar.h>
static HINSTANCE self;
BOOL WINAPI DllMain(HINSTANCE h, DWORD r, void *p)
{
	(void)r; (void)p;
	self = h;
	return TRUE;
}
static HRESULT set(const wchar_t *sub, const wchar_t *name, const wchar_t *val)
{
	HKEY h;
	LONG rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, sub, 0, NULL, 0, KEY_SET_VALUE, NULL, &h, NULL);
	if (rc)
		return HRESULT_FROM_WIN32(rc);
	rc = RegSetValueExW(h, name, 0, REG_SZ, (const BYTE *)val, (DWORD)((wcslen(val) + 1) * sizeof(wchar_t)));
	RegCloseKey(h);
	return HRESULT_FROM_WIN32(rc);
}
#define CLS L"SOFTWARE\\Classes\\CLSID\\{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}"
#define PROG L"SOFTWARE\\Classes\\XTXAppCOM.XTXApp.1"
__declspec(dllexport) HRESULT __stdcall DllRegisterServer(void)
{
	wchar_t me[MAX_PATH];
	HRESULT hr;
	if (!GetModuleFileNameW(self, me, MAX_PATH))
		return E_FAIL;
	if ((hr = set(CLS, NULL, L"XTXApp Class")) || (hr = set(CLS L"\\InprocServer32", NULL, me)) ||
	    (hr = set(CLS L"\\InprocServer32", L"ThreadingModel", L"Apartment")) ||
	    (hr = set(CLS L"\\ProgID", NULL, L"XTXAppCOM.XTXApp.1")) || (hr = set(PROG, NULL, L"XTXApp Class")) ||
	    (hr = set(PROG L"\\CLSID", NULL, L"{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}")))
		return hr;
	return S_OK;
}
__declspec(dllexport) HRESULT __stdcall DllUnregisterServer(void)
{
	RegDeleteTreeW(HKEY_LOCAL_MACHINE, CLS);
	RegDeleteTreeW(HKEY_LOCAL_MACHINE, PROG);
	return S_OK;
}
C
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$dir/XTXAppCOM.dll" "$tmp/xtx.c"
wineserver -w
