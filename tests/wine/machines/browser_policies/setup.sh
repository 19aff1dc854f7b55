#!/usr/bin/env bash
# Chrome and Edge profiles of the Wine user, captured from real Chromium
# (tests/wine/fixtures/browser; their test extension is not in the shipped
# catalog, so the profiles lack the CFCA extension), and Firefox policies
# Wine's regedit cannot import from an ASCII .reg file: REG_MULTI_SZ values,
# which Firefox parses as JSON text (one good, one not JSON).
set -eu
SRC=$(cd ../../../.. && pwd)
FIX=$SRC/tests/wine/fixtures/browser
me=${USER:-$(whoami)}
[ -d "$WINEPREFIX/drive_c/users/$me" ] || me=$(whoami)
u=$WINEPREFIX/drive_c/users/$me
[ -d "$u" ] || { echo "no Wine user folder $u" >&2; exit 1; }
for d in "Google/Chrome" "Microsoft/Edge"; do
	mkdir -p "$u/AppData/Local/$d/User Data"
	cp -a "$FIX/chromium/enabled/." "$u/AppData/Local/$d/User Data/"
	find "$u/AppData/Local/$d/User Data" -type f -exec sed -i "s/@USER@/$me/g" {} +
done
# Stand-in executables (the repository ignores *.exe): only their presence
# is checked.
mkdir -p "$WINEPREFIX/drive_c/Program Files/Mozilla Firefox" "$WINEPREFIX/drive_c/cadoctor-test"
printf 'MZ stand-in for firefox.exe: only its presence is checked\n' \
	>"$WINEPREFIX/drive_c/Program Files/Mozilla Firefox/firefox.exe"
printf 'MZ test host: only its presence is checked\n' >"$WINEPREFIX/drive_c/cadoctor-test/host.exe"
K='HKCU\Software\Policies\Mozilla\Firefox'
wine reg add "$K" /v Certificates /t REG_MULTI_SZ /d '{"ImportEnterpriseRoots":\0true}' /f
wine reg add "$K" /v Homepage /t REG_MULTI_SZ /d 'not\0json' /f
wineserver -w
echo "profiles placed for $me; Firefox REG_MULTI_SZ policies added"
