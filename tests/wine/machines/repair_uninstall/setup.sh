#!/usr/bin/env bash
# Three CA互联互通 editions on one PC (drivers.other_province_edition):
#   Liaoning (kept): only its Uninstall entry, as machine.reg of
#     liaoning_and_other_province has it;
#   Jilin: a real MSI package (built here with wixl, installed with msiexec),
#     removed by repair with msiexec /x {ProductCode} /qn;
#   Heilongjiang: an Inno-Setup-like program whose QuietUninstallString runs
#     a real uninstaller (built here with mingw-w64) that removes its file
#     and its Uninstall entry;
#   Jiangsu: an InstallShield package uninstalled through the allow-listed
#     rundll32 Ctor.dll,LaunchSetup form.
set -eu
export LANG=C.UTF-8 LC_ALL=C.UTF-8
WINE=${WINE:-wine}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# XTXAppCOM registered and its DLL in place (any 64-bit DLL), so that only
# the conflicting editions are findings here.
clsid='HKLM\Software\Classes\CLSID\{3F367B74-92D9-4C5E-AB93-234F8A91D5E6}'
"$WINE" reg add "$clsid" /ve /d 'XTXApp Class' /f
"$WINE" reg add "$clsid\InprocServer32" /ve /d 'C:\windows\system32\kernel32.dll' /f
"$WINE" reg add "$clsid\InprocServer32" /v ThreadingModel /d Apartment /f
"$WINE" reg add "$clsid\ProgID" /ve /d 'XTXAppCOM.XTXApp.1' /f

# The Liaoning edition (32-bit view).
key='HKLM\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall\CA互联互通(辽宁版)_is1'
"$WINE" reg add "$key" /v DisplayName /d 'CA互联互通(辽宁版)' /f
"$WINE" reg add "$key" /v DisplayVersion /d '3.3' /f
"$WINE" reg add "$key" /v Publisher /d 'Epoint' /f

# Jilin: an x64 MSI with one file under Program Files.
mkdir -p "$tmp/msi"
echo "Jilin edition data" >"$tmp/msi/jilin.txt"
cat >"$tmp/msi/jilin.wxs" <<'WXS'
<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="{7C1E2D3A-4B5C-4D6E-8F70-819203A4B5C6}" Name="CA Hulian Jilin" Language="2052"
           Codepage="936" Version="2.0.1" Manufacturer="Epoint"
           UpgradeCode="{0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0}">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine" Languages="2052"
             SummaryCodepage="936"/>
    <Media Id="1" Cabinet="jilin.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="EPOINT" Name="Epoint">
          <Directory Id="INSTALLDIR" Name="Jilin">
            <Component Id="Data" Guid="{3A4B5C6D-7E8F-4091-A2B3-C4D5E6F70819}" Win64="yes">
              <File Id="JilinTxt" Source="jilin.txt" KeyPath="yes"/>
            </Component>
          </Directory>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="Data"/></Feature>
  </Product>
</Wix>
WXS
(cd "$tmp/msi" && wixl -a x64 -o jilin.msi jilin.wxs)
cp "$tmp/msi/jilin.msi" "$WINEPREFIX/drive_c/jilin.msi"
"$WINE" msiexec /i 'C:\jilin.msi' /qn
rm -f "$WINEPREFIX/drive_c/jilin.msi"
# wixl and msibuild crash on a non-ASCII product name: the package is named
# in ASCII and its entry gets the real Chinese name here (msiexec /x removes
# the whole entry all the same).
"$WINE" reg add 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\{7C1E2D3A-4B5C-4D6E-8F70-819203A4B5C6}' /v DisplayName /d 'CA互联互通(吉林版)' /f

# Heilongjiang: its program folder, the uninstaller and the entry.
dir="$WINEPREFIX/drive_c/Program Files/Epoint/CA互联互通(黑龙江版)"
mkdir -p "$dir"
echo "Heilongjiang edition data" >"$dir/hlj.dat"
cat >"$tmp/uninst.c" <<'C'
/* A silent uninstaller: needs /S, removes the program's data file and its
 * Uninstall entry, as a real one does. */
#include <windows.h>
#include <wchar.h>
int wmain(int argc, wchar_t **argv)
{
	if (argc != 2 || wcscmp(argv[1], L"/S"))
		return 2;
	if (!DeleteFileW(L"C:\\Program Files\\Epoint\\CA\u4e92\u8054\u4e92\u901a(\u9ed1\u9f99\u6c5f\u7248)\\hlj.dat"))
		return 3;
	if (RegDeleteKeyExW(HKEY_LOCAL_MACHINE,
			    L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\CA\u4e92\u8054\u4e92\u901a(\u9ed1\u9f99\u6c5f\u7248)",
			    KEY_WOW64_64KEY, 0) != ERROR_SUCCESS)
		return 4;
	return 0;
}
C
x86_64-w64-mingw32-gcc -municode -O2 -s -o "$dir/uninst.exe" "$tmp/uninst.c"
key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\CA互联互通(黑龙江版)'
"$WINE" reg add "$key" /v DisplayName /d 'CA互联互通(黑龙江版)' /f
"$WINE" reg add "$key" /v DisplayVersion /d '1.6' /f
"$WINE" reg add "$key" /v Publisher /d 'Epoint' /f
"$WINE" reg add "$key" /v UninstallString /d 'C:\Program Files\Epoint\CA互联互通(黑龙江版)\uninst.exe' /f
"$WINE" reg add "$key" /v QuietUninstallString /d '"C:\Program Files\Epoint\CA互联互通(黑龙江版)\uninst.exe" /S' /f

# Jiangsu: an InstallShield (InstallScript) package, whose UninstallString is
# the rundll32 form on the allow-list: RunDll32 <Common Files>\...\Ctor.dll,
# LaunchSetup <setup.exe> -l0x9 -removeonly, with 8.3 short names as
# InstallShield writes them (Wine's own short names, asked for below). Its
# Ctor.dll runs the setup named on its command line; the setup, given
# -removeonly, removes its data file and its Uninstall entry.
is_rt="$WINEPREFIX/drive_c/Program Files/Common Files/InstallShield/Professional/RunTime/10/50/Intel32"
is_info="$WINEPREFIX/drive_c/Program Files/InstallShield Installation Information/{5B2C9E41-3D7A-4F08-9C6E-1A2B3C4D5E6F}"
mkdir -p "$is_rt" "$is_info"
echo "Jiangsu edition data" >"$is_info/js.dat"
cat >"$tmp/ctor.c" <<'C'
#include <windows.h>
/* rundll32 calls it with the rest of its command line: run that. */
__declspec(dllexport) void CALLBACK LaunchSetup(HWND w, HINSTANCE h, LPSTR cmd, int show)
{
	STARTUPINFOA si = {sizeof(si)};
	PROCESS_INFORMATION pi;
	(void)w; (void)h; (void)show;
	if (CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
		WaitForSingleObject(pi.hProcess, INFINITE);
		CloseHandle(pi.hProcess);
		CloseHandle(pi.hThread);
	}
}
C
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$is_rt/Ctor.dll" "$tmp/ctor.c"
cat >"$tmp/issetup.c" <<'C'
#include <windows.h>
#include <wchar.h>
int wmain(int argc, wchar_t **argv)
{
	if (argc != 3 || wcscmp(argv[1], L"-l0x9") || wcscmp(argv[2], L"-removeonly"))
		return 2;
	if (!DeleteFileW(L"C:\\Program Files\\InstallShield Installation Information\\{5B2C9E41-3D7A-4F08-9C6E-1A2B3C4D5E6F}\\js.dat"))
		return 3;
	return RegDeleteKeyExW(HKEY_LOCAL_MACHINE,
			       L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{5B2C9E41-3D7A-4F08-9C6E-1A2B3C4D5E6F}",
			       KEY_WOW64_64KEY, 0) ? 4 : 0;
}
C
x86_64-w64-mingw32-gcc -municode -O2 -s -o "$is_info/setup.exe" "$tmp/issetup.c"
cat >"$tmp/short.c" <<'C'
#include <windows.h>
#include <stdio.h>
int wmain(int argc, wchar_t **argv)
{
	wchar_t s[MAX_PATH];
	char u[4 * MAX_PATH];
	if (argc != 2 || !GetShortPathNameW(argv[1], s, MAX_PATH))
		return 1;
	WideCharToMultiByte(CP_UTF8, 0, s, -1, u, sizeof(u), NULL, NULL);
	printf("%s", u);
	return 0;
}
C
x86_64-w64-mingw32-gcc -municode -O2 -s -o "$tmp/short.exe" "$tmp/short.c"
short_ctor=$("$WINE" "$tmp/short.exe" 'C:\Program Files\Common Files\InstallShield\Professional\RunTime\10\50\Intel32\Ctor.dll')
short_setup=$("$WINE" "$tmp/short.exe" 'C:\Program Files\InstallShield Installation Information\{5B2C9E41-3D7A-4F08-9C6E-1A2B3C4D5E6F}\setup.exe')
case $short_ctor$short_setup in *' '*|'') echo "no short names: $short_ctor $short_setup" >&2; exit 1 ;; esac
key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\{5B2C9E41-3D7A-4F08-9C6E-1A2B3C4D5E6F}'
"$WINE" reg add "$key" /v DisplayName /d 'CA互联互通(江苏版)' /f
"$WINE" reg add "$key" /v DisplayVersion /d '2.2' /f
"$WINE" reg add "$key" /v Publisher /d 'Epoint' /f
"$WINE" reg add "$key" /v UninstallString /d "RunDll32 $short_ctor,LaunchSetup $short_setup -l0x9 -removeonly" /f
wineserver -w
