#!/usr/bin/env bash
# Wine has neither the Windows Time service nor w32tm.exe. Builds stand-ins:
# a minimal real service program registered as W32Time (sc create, disabled,
# with Parameters\Type=NoSync: synchronisation off), which Wine's service
# control manager can start and stop; and C:\windows\system32\w32tm.exe,
# which appends its arguments to C:\w32tm-args.txt (repair.txt's Ran: line
# checks that clock_sync ran it with /resync, and that the dry run did not).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/w32tm.c" <<'C'
#include <stdio.h>
int main(int argc, char **argv)
{
	FILE *f = fopen("C:\\w32tm-args.txt", "a");
	int i;
	if (!f)
		return 2;
	for (i = 1; i < argc; i++)
		fprintf(f, "%s%s", i > 1 ? " " : "", argv[i]);
	fputs("\n", f);
	return fclose(f) != 0;
}
C
sys="$WINEPREFIX/drive_c/windows/system32"
x86_64-w64-mingw32-gcc -O2 -s -DSERVICE_NAME='L"W32Time"' -o "$sys/cdtestw32time.exe" ../../standin_service.c
x86_64-w64-mingw32-gcc -O2 -s -o "$sys/w32tm.exe" "$tmp/w32tm.c"
"${WINE:-wine}" sc create W32Time binPath= 'C:\windows\system32\cdtestw32time.exe' start= disabled DisplayName= 'Windows Time'
"${WINE:-wine}" reg add 'HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters' /v Type /t REG_SZ /d NoSync /f
wineserver -w
rm -f "$WINEPREFIX/drive_c/w32tm-args.txt"
