#!/usr/bin/env bash
# Captures the Wine machines' browser fixture files from the real browsers the
# Linux tests drive (tests/integration/browser_chromium.sh, browser_firefox.sh):
# Chromium and Firefox ESR make fresh profiles headless, the test extensions
# (tests/browser_ext, tests/browser_ext_firefox) are installed and put in each
# state by the browsers' own code (browser_tool.py), and only the small files
# cadoctor reads are copied out:
#   chromium/<state>/Local State, Default/Preferences, Default/Secure Preferences
#   firefox/<state>/profiles.ini, <profile>/{extensions.json,
#       extension-preferences.json, compatibility.ini, prefs.js, pkcs11.txt}
# Needs chromium, firefox-esr, python3, modutil and SoftHSM2 (the Linux
# browser tests' packages).
# states: Chromium enabled (not allowed in incognito), incognito (allowed),
# disabled (by the user's toggle); Firefox enabled (not allowed in private
# windows) and module (the same profile with a PKCS#11 module loaded). The
# machines place them in Wine users' profile folders.
# The one edit: this machine's absolute paths (temporary folders) become
# Windows paths under C:\users\@USER@, which a machine's setup.sh replaces by
# the Wine user; nothing else is touched (Chromium's MACs are left as they are,
# as on a profile copied from another PC).
# Usage: capture_profiles.sh SOURCE_DIR OUT_DIR (the committed copy: tests/wine/fixtures/browser)
set -euo pipefail
SRC=$(readlink -f "${1:?usage: capture_profiles.sh SOURCE_DIR OUT_DIR}")
OUT=$(readlink -m "${2:?}")
TOOL=(python3 "$SRC/tests/integration/browser_tool.py")
EXT_ID=ijiejecchkoidojnmjfajkajlgolkppj
FIREFOX=${FIREFOX:-firefox-esr}
export FIREFOX
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# Linux paths of this run -> Windows paths: FROM is a prefix of this run, TO
# the Windows folder it stands for.
winpaths() { # DIR FROM TO
	python3 - "$@" <<'PY'
import json, os, re, sys
root, frm, to = sys.argv[1:4]
def fix(s):
    if s.startswith(frm):
        return to + s[len(frm):].replace("/", "\\")
    if s.startswith("jar:file://" + frm) or s.startswith("file://" + frm):
        return s.replace(frm, "/" + to.replace("\\", "/"), 1)
    return s
def walk(v):
    if isinstance(v, dict):
        return {k: walk(x) for k, x in v.items()}
    if isinstance(v, list):
        return [walk(x) for x in v]
    return fix(v) if isinstance(v, str) else v
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        if f in ("Preferences", "Secure Preferences", "Local State", "extensions.json",
                 "extension-preferences.json"):
            doc = json.load(open(p, encoding="utf-8"))
            json.dump(walk(doc), open(p, "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))
        elif f in ("prefs.js", "compatibility.ini", "pkcs11.txt"):
            t = open(p, encoding="utf-8").read()
            sep = "\\\\" if f == "prefs.js" else "\\"  # prefs.js strings are JS-escaped
            t = re.sub(re.escape(frm) + r"([^\s'\"]*)",
                       lambda m: to.replace("\\", sep) + m.group(1).replace("/", sep), t)
            open(p, "w", encoding="utf-8").write(t)
PY
}

# ---- Chromium ----
UD=$WORK/home/.config/chromium
EXT=$WORK/home/cadoctor-test-ext
mkdir -p "$WORK/home/.config"
cp -r "$SRC/tests/browser_ext" "$EXT"
CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
	--disable-sync --no-first-run --no-default-browser-check --password-store=basic --user-data-dir="$UD"
	--disable-features=DisableLoadExtensionCommandLineSwitch --profile-directory=Default --load-extension="$EXT")
chrome_state() { # ACTION STATE
	HOME=$WORK/home timeout 120 "${TOOL[@]}" cdp "$1" "$EXT_ID" -- "${CHROME[@]}" >"$WORK/cdp.out" 2>"$WORK/cdp.err" ||
		{ tail -5 "$WORK/cdp.err" >&2; exit 1; }
	local d=$OUT/chromium/$2
	rm -rf "$d"
	mkdir -p "$d/Default"
	cp "$UD/Local State" "$d/"
	cp "$UD/Default/Preferences" "$UD/Default/Secure Preferences" "$d/Default/"
	winpaths "$d" "$WORK/home" 'C:\users\@USER@'
	echo "chromium $2: $(cat "$WORK/cdp.out")"
}
chrome_state list enabled
chrome_state incognito incognito
chrome_state disable disabled

# ---- Firefox ESR ----
FH=$WORK/fhome
mkdir -p "$FH/.mozilla/firefox"
HOME=$FH timeout 120 "$FIREFOX" --headless -CreateProfile bidder >"$WORK/create.log" 2>&1
P=$(ls -d "$FH"/.mozilla/firefox/*.bidder | head -1)
XPI=$WORK/cadoctor-test.xpi
"${TOOL[@]}" xpi "$SRC/tests/browser_ext_firefox" "$XPI"
cat >"$WORK/install.js" <<'EOF'
const [xpi, resolve] = arguments;
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
(async () => {
  const install = await AddonManager.getInstallForFile(new FileUtils.File(xpi));
  const addon = await install.install();
  resolve(addon.id + (addon.isActive ? " active" : " inactive"));
})().catch(e => resolve("ERROR " + e));
EOF
firefox_state() { # SCRIPT ARG STATE
	HOME=$FH timeout 180 "${TOOL[@]}" marionette "$P" "$WORK/$1" "$2" >"$WORK/ff.out"
	local d=$OUT/firefox/$3 name
	name=$(basename "$P")
	rm -rf "$d"
	mkdir -p "$d/$name"
	cp "$FH/.mozilla/firefox/profiles.ini" "$d/"
	for f in extensions.json extension-preferences.json compatibility.ini prefs.js pkcs11.txt; do
		[ -f "$P/$f" ] && cp "$P/$f" "$d/$name/"
	done
	winpaths "$d" "$FH/.mozilla/firefox" 'C:\users\@USER@\AppData\Roaming\Mozilla\Firefox'
	winpaths "$d" "$WORK" 'C:\users\@USER@\Downloads'
	echo "firefox $3: $(cat "$WORK/ff.out")"
}
firefox_state install.js "$XPI" enabled

# A profile with a security device loaded, as Settings > Security Devices >
# Load does it (modutil writes the same pkcs11.txt through NSS). The module is
# SoftHSM2 under a Windows-style name in the capture's home, so the path
# becomes C:\users\@USER@\p11\cadoctor-test-p11.dll.
mkdir -p "$FH/p11"
cp /usr/lib/softhsm/libsofthsm2.so "$FH/p11/cadoctor-test-p11.dll"
modutil -add "cadoctor test module" -libfile "$FH/p11/cadoctor-test-p11.dll" -dbdir "sql:$P" -force \
	</dev/null >"$WORK/modutil.log" 2>&1 || { cat "$WORK/modutil.log" >&2; exit 1; }
d=$OUT/firefox/module
rm -rf "$d"
mkdir -p "$d/$(basename "$P")"
cp "$FH/.mozilla/firefox/profiles.ini" "$d/"
for f in extensions.json extension-preferences.json compatibility.ini prefs.js pkcs11.txt; do
	cp "$P/$f" "$d/$(basename "$P")/"
done
winpaths "$d" "$FH/.mozilla/firefox" 'C:\users\@USER@\AppData\Roaming\Mozilla\Firefox'
winpaths "$d" "$FH" 'C:\users\@USER@'
winpaths "$d" "$WORK" 'C:\users\@USER@\Downloads'
echo "firefox module: $(grep -c '^library=.' "$d/$(basename "$P")/pkcs11.txt") module(s) in pkcs11.txt"
