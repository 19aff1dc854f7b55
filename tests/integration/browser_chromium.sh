#!/usr/bin/env bash
# linux.browsers and rules/common/browser_state.rules against a real Chromium.
# A fake home inside a temporary --root gets a Chromium profile made by the
# browser itself (headless, fresh --user-data-dir); the unpacked test
# extension (tests/browser_ext: MV3, fixed id from its "key", __MSG_ name) is
# loaded with --load-extension; the states a user reaches by clicking in
# chrome://extensions are reached by calling that page's own API over the
# DevTools pipe (browser_tool.py cdp): "Allow in Incognito" after turning
# developer mode on, then the on/off toggle (disable reason: user action).
# A native messaging host manifest sits in the profile's NativeMessagingHosts
# and the test rules dir adds a catalog row for the test extension, so every
# rule state is checked on the browser's own files:
#   enabled / not allowed in private windows / allowed / host program missing
#   / not executable / host not allowing the id / host not registered /
#   extension missing in a second profile / company policies blocking
#   extensions or the user-level host / disabled by the user / PKCS#11
#   module not in Chromium's NSS database, then added with modutil. Chromium
#   makes ~/.pki/nssdb on first certificate use, which a headless run without
#   network never reaches, so modutil -create makes that (empty) database.
# Damaged copies of the real files (truncated, not JSON, nested 5000 deep)
# must give probe errors, not a crash.
# Usage: browser_chromium.sh CADOCTOR SOURCE_DIR
set -u
. "$(dirname "$0")/../cli/lib.bash"

TOOL=(python3 "$SRC/tests/integration/browser_tool.py")
EXT_ID=ijiejecchkoidojnmjfajkajlgolkppj
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
for need in chromium python3 modutil; do
	if ! command -v "$need" >/dev/null; then
		bad "$need is missing (scripts/setup-debian.sh test installs it)"
		finish
		exit
	fi
done
if [ ! -e "$SOFTHSM" ]; then
	bad "$SOFTHSM is missing (install softhsm2)"
	finish
	exit
fi

R=$WORK/root
H=/home/bidder
UD=$R$H/.config/chromium
EXT=$R$H/cadoctor-test-ext
mkdir -p "$R/etc" "$R$H/.config" "$R/usr/share/p11-kit/modules" "$R/usr/lib/softhsm" "$R/opt/cadoctor-test"
printf 'root:x:0:0:root:/root:/bin/bash\nbidder:x:1000:1000:Bidder:%s:/bin/bash\nmallory:x:1001:1001::/home/mallory:/bin/bash\n' "$H" >"$R/etc/passwd"
cp -r "$SRC/tests/browser_ext" "$EXT"
# The browser records absolute paths of this machine (the unpacked extension's
# folder): a link makes them resolve inside the root, as on a mounted disk.
mkdir -p "$R$(dirname "$R")"
ln -s "$R" "$R$R"

# A USB-key module the system knows (p11-kit), and rules that treat SoftHSM
# as one (the shipped catalog calls it software) plus a catalog row for the
# test extension and its host.
ln -s "$SOFTHSM" "$R/usr/lib/softhsm/libsofthsm2.so"
printf 'module: /usr/lib/softhsm/libsofthsm2.so\n' >"$R/usr/share/p11-kit/modules/softhsm2.module"
RULES=$WORK/rules
cp -r "$SRC/rules" "$RULES"
sed -i '/^pattern: libsofthsm2.so$/,/^$/{/^kind: software$/d}' "$RULES/catalog/pkcs11_libs.cat"
cat >>"$RULES/catalog/extensions.cat" <<EOF

id: cadoctor_test_chromium
name_en: cadoctor test extension
name_zh: cadoctor 测试扩展
browsers: chromium
ext_id: $EXT_ID
host_pattern: org.cadoctor.test*
needs_private_window: 1
verified: 1
EOF

# The host program and its manifest, per user for Chromium.
HOSTEXE=$R/opt/cadoctor-test/host
printf '#!/bin/sh\nexit 0\n' >"$HOSTEXE"
chmod 755 "$HOSTEXE"
MANIFEST=$UD/NativeMessagingHosts/org.cadoctor.test.json
write_manifest() { # ORIGIN
	mkdir -p "$(dirname "$MANIFEST")"
	printf '{"name": "org.cadoctor.test", "description": "cadoctor test host", "path": "/opt/cadoctor-test/host", "type": "stdio", "allowed_origins": ["%s"]}\n' "$1" >"$MANIFEST"
}
write_manifest "chrome-extension://$EXT_ID/"

CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
	--disable-sync --no-first-run --no-default-browser-check --password-store=basic --user-data-dir="$UD"
	--disable-features=DisableLoadExtensionCommandLineSwitch)
browser() { # ACTION [extra chromium args]: one run of Chromium as the user
	local action=$1
	shift
	HOME=$R$H timeout 120 "${TOOL[@]}" cdp "$action" "$EXT_ID" -- "${CHROME[@]}" "$@" >"$WORK/cdp.out" 2>"$WORK/cdp.err"
}

# The facts are compared by user name and path: keep them as collected
# (collect and scan redact them for support copies when they know how).
NO_REDACT=
SCAN_NO_REDACT=
if "$CD" collect --help 2>&1 | grep -q -- --no-redact; then NO_REDACT=--no-redact; fi
if "$CD" scan --help 2>&1 | grep -q -- --no-redact; then SCAN_NO_REDACT=--no-redact; fi
N=0
scan() { # scan the root with the test rules into $WORK/scan<N>.json (facts in .txt)
	N=$((N + 1))
	"$CD" scan --root "$R" --rules "$RULES" --offline --quiet --probes linux.host,linux.p11kit,linux.nss,linux.browsers \
		${SCAN_NO_REDACT:+"$SCAN_NO_REDACT"} --json-out "$WORK/scan$N.json" >/dev/null 2>"$WORK/scan$N.err"
	local rc=$?
	if [ "$rc" -gt 2 ]; then
		bad "scan $N exited $rc"
		sed 's/^/  | /' "$WORK/scan$N.err" >&2
	fi
	"$CD" collect --root "$R" --offline --probes linux.host,linux.p11kit,linux.nss,linux.browsers \
		${NO_REDACT:+"$NO_REDACT"} -o "$WORK/facts$N.txt" 2>/dev/null || bad "collect $N failed"
}
rows() { "${TOOL[@]}" evidence "$WORK/scan$N.json" "$@"; }
expect_rows() { # DESCRIPTION WANT RULE [COL=VALUE...]
	local what=$1 want=$2 got
	shift 2
	got=$(rows "$@")
	if [ "$got" = "$want" ]; then ok; else bad "$what: $got evidence row(s) of $1 with [${*:2}], expected $want"; fi
}
# Rows of a fact table in the last collect whose stanza has every "col: value".
fact_rows() { # TABLE "col: value"...
	local table=$1
	shift
	local rows
	rows=$(awk -v t="Table: $table" 'BEGIN { RS = ""; FS = "\n" } $1 == t { s = "|"; for (i = 1; i <= NF; i++) s = s $i "|"; print s }' "$WORK/facts$N.txt")
	for p in "$@"; do rows=$(printf '%s\n' "$rows" | grep -F -- "|$p|" || true); done
	if [ -z "$rows" ]; then echo 0; else printf '%s\n' "$rows" | wc -l; fi
}
expect_facts() { # DESCRIPTION WANT TABLE "col: value"...
	local what=$1 want=$2 got
	shift 2
	got=$(fact_rows "$@")
	if [ "$got" = "$want" ]; then ok; else bad "$what: $got $1 row(s) with [${*:2}], expected $want"; fi
}

PROFILE=$H/.config/chromium/Default
VERSION=$(chromium --version 2>/dev/null | awk '{print $2}')

# ---- 1: installed and enabled, not allowed in incognito ----
# Chromium's NSS database: Chromium makes ~/.pki/nssdb on first certificate
# use, which a headless run without network never reaches; modutil makes the
# same empty database (NSS internal module only).
mkdir -p "$R$H/.pki/nssdb"
modutil -create -dbdir "sql:$R$H/.pki/nssdb" -force </dev/null >"$WORK/modutil.log" 2>&1 ||
	bad "modutil -create failed: $(cat "$WORK/modutil.log")"
D=--profile-directory=Default
check "Chromium loads the test extension" browser list "$D" --load-extension="$EXT"
check "the extension is listed as enabled" grep -q "\"$EXT_ID\",\"cadoctor test extension\",true" "$WORK/cdp.out"
scan
expect_facts "profile from Local State" 1 browser_profiles "browser: chromium" "user: bidder" \
	"profile_dir: $PROFILE" "source: local_state" "readable: 1" "is_default: 1" "nss_dir: $H/.pki/nssdb" \
	"browser_version: $VERSION"
expect_facts "extension enabled, __MSG_ name resolved" 1 browser_extensions "browser: chromium" \
	"ext_id: $EXT_ID" "name: cadoctor test extension" "version: 1.2.3" "enabled: 1" \
	"location: command_line" "incognito_allowed: 0" "from_webstore: 0"
expect_facts "user-level host" 1 native_hosts "browser: chromium" "name: org.cadoctor.test" "scope: user" \
	"user: bidder" "manifest_ok: 1" "host_path: /opt/cadoctor-test/host" "host_exists: 1"
expect_rows "enabled: not reported disabled" 0 browser.extension_disabled
expect_rows "enabled but not in incognito" 1 browser.extension_private_window browser=chromium ext_id=$EXT_ID \
	"profile_dir=$PROFILE"
expect_rows "host registered and allowing" 0 browser.native_host_missing
expect_rows "host allows the id" 0 browser.native_host_not_allowed
expect_rows "host program present" 0 native_host.exe_missing
expect_rows "nssdb lacks the key module" 1 browser.pkcs11_not_loaded "nss_dir=$H/.pki/nssdb" \
	library=libsofthsm2.so browsers=chromium

# ---- 2: allowed in incognito ----
check "Chromium allows it in incognito" browser incognito "$D" --load-extension="$EXT"
scan
expect_facts "incognito allowed" 1 browser_extensions "ext_id: $EXT_ID" "enabled: 1" "incognito_allowed: 1"
expect_rows "allowed in incognito" 0 browser.extension_private_window

# ---- host problems (files only; the browser is not needed) ----
write_manifest "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"
scan
expect_rows "host not allowing the extension" 1 browser.native_host_not_allowed ext_id=$EXT_ID hosts=org.cadoctor.test
write_manifest "chrome-extension://$EXT_ID/"
mv "$HOSTEXE" "$HOSTEXE.away"
scan
expect_rows "host program missing" 1 native_host.exe_missing name=org.cadoctor.test problem=missing \
	host_path=/opt/cadoctor-test/host
mv "$HOSTEXE.away" "$HOSTEXE"
chmod 644 "$HOSTEXE"
scan
expect_rows "host program not executable" 1 native_host.exe_missing problem="not executable"
chmod 755 "$HOSTEXE"
mv "$MANIFEST" "$WORK/manifest.away"
scan
expect_rows "host not registered" 1 browser.native_host_missing ext_id=$EXT_ID browser=chromium
mv "$WORK/manifest.away" "$MANIFEST"

# ---- a second profile without the extension ----
check "Chromium makes a second profile" browser list --profile-directory="Profile 2"
scan
expect_facts "second profile listed" 1 browser_profiles "profile_dir: $H/.config/chromium/Profile 2" \
	"source: local_state"
expect_rows "extension missing in the second profile" 1 browser.extension_missing browser=chromium \
	"profile_dir=$H/.config/chromium/Profile 2" hosts=org.cadoctor.test
expect_rows "not missing where installed" 0 browser.extension_missing "profile_dir=$PROFILE"

# ---- company policies (Chromium's managed policy file) ----
# Every extension blocked but another id, and per-user native hosts off: the
# second profile cannot get the extension, and the user-level host is ignored.
POL=$R/etc/chromium/policies/managed
mkdir -p "$POL"
printf '{"ExtensionInstallBlocklist": ["*"], "ExtensionInstallAllowlist": ["aaaabbbbccccddddeeeeffffgggghhhh"], "NativeMessagingUserLevelHosts": false}\n' >"$POL/company.json"
scan
expect_facts "policy from the managed file" 1 browser_policies "browser: chromium" "scope: machine" \
	"policy: NativeMessagingUserLevelHosts" "value: false" "source: /etc/chromium/policies/managed/company.json"
expect_rows "install blocked in the profile without it" 1 browser.extension_install_blocked browser=chromium \
	"profile_dir=$H/.config/chromium/Profile 2" policy=ExtensionInstallBlocklist
expect_rows "user-level host ignored" 1 browser.native_messaging_blocked browser=chromium host=org.cadoctor.test \
	scope=user policy=NativeMessagingUserLevelHosts
printf '{"NativeMessagingUserLevelHosts": true, "NativeMessagingBlocklist": ["*"], "NativeMessagingAllowlist": ["org.cadoctor.test"]}\n' >"$POL/company.json"
scan
expect_rows "host allowed by name" 0 browser.native_messaging_blocked
expect_rows "extensions no longer blocked" 0 browser.extension_install_blocked
rm -r "$R/etc/chromium"

# ---- disabled by the user ----
check "Chromium disables it (toggle)" browser disable "$D" --load-extension="$EXT"
scan
expect_facts "disabled, reason user" 1 browser_extensions "ext_id: $EXT_ID" "enabled: 0" "disable_reasons: user"
expect_rows "disabled by the user" 1 browser.extension_disabled ext_id=$EXT_ID reasons=user \
	"why_en=disabled by the user" "profile_dir=$PROFILE"
expect_rows "a disabled extension is not asked about incognito" 0 browser.extension_private_window

# ---- the module added to Chromium's NSS database ----
modutil -add softhsm -libfile "$SOFTHSM" -dbdir "sql:$R$H/.pki/nssdb" -force </dev/null >"$WORK/modutil.log" 2>&1 ||
	bad "modutil -add failed: $(cat "$WORK/modutil.log")"
scan
expect_rows "module now loaded" 0 browser.pkcs11_not_loaded "nss_dir=$H/.pki/nssdb"

# ---- damaged files of another user: probe errors, no crash ----
M=$R/home/mallory/.config/chromium
mkdir -p "$M/Default" "$M/Profile 1" "$M/Profile 3"
head -c 3000 "$UD/Default/Preferences" >"$M/Default/Preferences"
printf 'not json at all' >"$M/Default/Secure Preferences"
python3 -c "print('['*5000 + ']'*5000)" >"$M/Local State"
python3 -c "print('{\"extensions\":{\"settings\":{\"x\":' + '{\"a\":'*3000 + '1' + '}'*3000 + '}}}')" >"$M/Profile 1/Preferences"
cp "$UD/Default/Preferences" "$M/Profile 3/Preferences"
scan
E="probe: linux.browsers"
expect_facts "truncated Preferences" 1 probe_errors "$E" "target: /home/mallory/.config/chromium/Default/Preferences" "code: parse"
expect_facts "Secure Preferences not JSON" 1 probe_errors "$E" "code: parse" \
	"target: /home/mallory/.config/chromium/Default/Secure Preferences"
expect_facts "deeply nested Local State" 1 probe_errors "$E" "target: /home/mallory/.config/chromium/Local State" "code: parse"
expect_facts "deeply nested Preferences" 1 probe_errors "$E" "code: parse" \
	"target: /home/mallory/.config/chromium/Profile 1/Preferences"
expect_facts "damaged profile still listed, unreadable" 1 browser_profiles "user: mallory" \
	"profile_dir: /home/mallory/.config/chromium/Default" "source: disk" "readable: 0"
expect_facts "good copy found on disk" 1 browser_extensions "user: mallory" \
	"profile_dir: /home/mallory/.config/chromium/Profile 3" "ext_id: $EXT_ID"
expect_facts "probe partial" 1 probe_runs "$E" "status: partial"
expect_rows "unreadable profile not reported as missing the extension" 0 browser.extension_missing \
	"profile_dir=/home/mallory/.config/chromium/Default"

finish
