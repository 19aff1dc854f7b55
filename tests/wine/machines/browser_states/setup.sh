#!/usr/bin/env bash
# Profiles captured from real Chromium and Firefox ESR (tests/wine/fixtures/
# browser, made by tests/wine/capture_profiles.sh) placed in two Wine users'
# folders: the Wine user (whose folder is named after the Unix user running
# Wine) and "clerk", a second user the ProfileList key in machine.reg names,
# found only because Wine runs cadoctor as an elevated administrator. @USER@
# in the captured files is each user's name; the unpacked test extension goes
# where the Chromium fixtures say it is, so its __MSG_ name resolves.
set -eu
SRC=$(cd ../../../.. && pwd)
FIX=$SRC/tests/wine/fixtures/browser
me=${USER:-$(whoami)}
[ -d "$WINEPREFIX/drive_c/users/$me" ] || me=$(whoami)
place() { # FIXTURE DEST USER
	mkdir -p "$2"
	cp -a "$1/." "$2/"
	find "$2" -type f -exec sed -i "s/@USER@/$3/g" {} +
}
u=$WINEPREFIX/drive_c/users/$me
[ -d "$u" ] || { echo "no Wine user folder $u" >&2; exit 1; }
place "$FIX/chromium/incognito" "$u/AppData/Local/Google/Chrome/User Data" "$me"
place "$FIX/chromium/enabled" "$u/AppData/Local/Microsoft/Edge/User Data" "$me"
place "$FIX/firefox/enabled" "$u/AppData/Roaming/Mozilla/Firefox" "$me"
# The same Chromium captures where the 360 browsers keep their profiles (the
# places public tools agree on; not confirmed on a real 360 installation):
# this checks that cadoctor looks there, not 360's own files.
place "$FIX/chromium/enabled" "$u/AppData/Roaming/360se6/User Data" "$me"
place "$FIX/chromium/incognito" "$u/AppData/Local/360ChromeX/Chrome/User Data" "$me"
cp -r "$SRC/tests/browser_ext" "$u/cadoctor-test-ext"
c=$WINEPREFIX/drive_c/users/clerk
place "$FIX/chromium/disabled" "$c/AppData/Local/Google/Chrome/User Data" clerk
cp -r "$SRC/tests/browser_ext" "$c/cadoctor-test-ext"
# clerk's Firefox loads a security device (the capture's pkcs11.txt names
# C:\users\clerk\p11\cadoctor-test-p11.dll); a stand-in file: only its
# presence is checked.
place "$FIX/firefox/module" "$c/AppData/Roaming/Mozilla/Firefox" clerk
mkdir -p "$c/p11"
printf 'MZ stand-in for a USB key PKCS#11 module\n' >"$c/p11/cadoctor-test-p11.dll"
# The native host's executable (a stand-in; the repository ignores *.exe).
mkdir -p "$WINEPREFIX/drive_c/cadoctor-test"
printf 'MZ test host: only its presence is checked\n' >"$WINEPREFIX/drive_c/cadoctor-test/host.exe"
echo "profiles placed for $me and clerk"
