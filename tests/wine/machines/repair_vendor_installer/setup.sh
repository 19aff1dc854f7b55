#!/usr/bin/env bash
# The Liaoning edition of CA互联互通 installed, XTXAppCOM not registered
# (com.xtx_not_registered), and the package's "证书应用环境安装程序" where the
# catalog names it (cat_drivers env_installer, under Program Files): a real
# installer (built here with mingw-w64) that registers XTXAppCOM with the
# server DLL it ships, as the vendor's does. Repair runs it
# (run_vendor_installer), which cannot be undone.
set -eu
export LANG=C.UTF-8 LC_ALL=C.UTF-8
WINE=${WINE:-wine}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

key='HKLM\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall\CA互联互通(辽宁版)_is1'
"$WINE" reg add "$key" /v DisplayName /d 'CA互联互通(辽宁版)' /f
"$WINE" reg add "$key" /v DisplayVersion /d '3.3' /f
"$WINE" reg add "$key" /v Publisher /d 'Epoint' /f

dir="$WINEPREFIX/drive_c/Program Files/Epoint/CA互联互通(辽宁版)"
mkdir -p "$dir"
cat >"$tmp/dll.c" <<'C'
#include <windows.h>
BOOL WINAPI DllMain(HINSTANCE h, DWORD r, void *p) { (void)h; (void)r; (void)p; return TRUE; }
C
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$dir/XTXAppCOM.dll" "$tmp/dll.c"
cat >"$tmp/inst.c" <<'C'
/* Registers XTXAppCOM (64-bit view) with the DLL next to this program;
 * exits 0 when done. No arguments: silent, as the catalog runs it. */
#include <windows.h>
#include <wchar.h>
static int set(const wchar_t *sub, const wchar_t *name, const wchar_t *val)
{
	HKEY h;
	LONG rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, sub, 0, NULL, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &h, NULL);
	if (rc)
		return 1;
	rc = RegSetValueExW(h, name, 0, REG_SZ, (const BYTE *)val, (DWORD)((wcslen(val) + 1) * sizeof(wchar_t)));
	RegCloseKey(h);
	return rc != 0;
}
int wmain(int argc, wchar_t **argv)
{
	wchar_t dll[MAX_PATH], *slash;
	const wchar_t *k = L"SOFTWARE\\Classes\\CLSID\\{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}";
	(void)argv;
	if (argc != 1 || !GetModuleFileNameW(NULL, dll, MAX_PATH) || !(slash = wcsrchr(dll, L'\\')))
		return 2;
	wcscpy(slash + 1, L"XTXAppCOM.dll");
	if (GetFileAttributesW(dll) == INVALID_FILE_ATTRIBUTES)
		return 3;
	return set(k, NULL, L"XTXApp Class") ||
	       set(L"SOFTWARE\\Classes\\CLSID\\{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}\\InprocServer32", NULL, dll) ||
	       set(L"SOFTWARE\\Classes\\CLSID\\{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}\\InprocServer32", L"ThreadingModel", L"Apartment") ||
	       set(L"SOFTWARE\\Classes\\CLSID\\{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}\\ProgID", NULL, L"XTXAppCOM.XTXApp.1") ||
	       set(L"SOFTWARE\\Classes\\XTXAppCOM.XTXApp.1", NULL, L"XTXApp Class") ||
	       set(L"SOFTWARE\\Classes\\XTXAppCOM.XTXApp.1\\CLSID", NULL, L"{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}")
		   ? 4 : 0;
}
C
x86_64-w64-mingw32-gcc -municode -O2 -s -o "$dir/证书应用环境安装程序.exe" "$tmp/inst.c"
wineserver -w
