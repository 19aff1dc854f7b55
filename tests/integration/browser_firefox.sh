#!/usr/bin/env bash
# linux.browsers and rules/common/browser_state.rules against a real Firefox
# ESR. Firefox makes the profile itself (-CreateProfile under a fake home in a
# temporary --root), and everything after that is done by Firefox's own code
# through Marionette (browser_tool.py marionette, privileged scripts): the
# test add-on (tests/browser_ext_firefox, unsigned: ESR honours
# xpinstall.signatures.required=false) is installed the way "Install Add-on
# From File" does it, allowed in private windows the way the about:addons
# radio button does it (ExtensionPermissions), and disabled the way the
# toggle does it (AddonManager disable). cadoctor then reads extensions.json,
# extension-preferences.json, profiles.ini, compatibility.ini and the
# profile's pkcs11.txt as Firefox wrote them. States checked:
#   enabled / not allowed in private windows / allowed / host program missing
#   / host not allowing the add-on id / a second profile without the add-on /
#   a policy blocking add-ons, then allowing this one / disabled by the user
#   / unsigned once signatures are required again /
#   PKCS#11 module not in the profile's pkcs11.txt, then loaded with modutil /
#   a profile in the XDG directory (~/.config/mozilla/firefox) new installs use.
# Usage: browser_firefox.sh CADOCTOR SOURCE_DIR
set -u
. "$(dirname "$0")/../cli/lib.bash"

TOOL=(python3 "$SRC/tests/integration/browser_tool.py")
FIREFOX=${FIREFOX:-firefox-esr}
export FIREFOX
ADDON=cadoctor-test@cadoctor.invalid
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
for need in "$FIREFOX" python3 modutil; do
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
X=/home/xdg
mkdir -p "$R/etc" "$R$H/.mozilla/firefox" "$R$X" "$R/usr/share/p11-kit/modules" "$R/usr/lib/softhsm" "$R/opt/cadoctor-test"
printf 'root:x:0:0:root:/root:/bin/bash\nbidder:x:1000:1000:Bidder:%s:/bin/bash\nxdg:x:1001:1001::%s:/bin/bash\n' "$H" "$X" >"$R/etc/passwd"
ln -s "$SOFTHSM" "$R/usr/lib/softhsm/libsofthsm2.so"
printf 'module: /usr/lib/softhsm/libsofthsm2.so\n' >"$R/usr/share/p11-kit/modules/softhsm2.module"
RULES=$WORK/rules
cp -r "$SRC/rules" "$RULES"
sed -i '/^pattern: libsofthsm2.so$/,/^$/{/^kind: software$/d}' "$RULES/catalog/pkcs11_libs.cat"
cat >>"$RULES/catalog/extensions.cat" <<EOF

id: cadoctor_test_firefox
name_en: cadoctor test add-on
browsers: firefox
ext_id: $ADDON
host_pattern: org.cadoctor.test*
platforms: lnwlzb
needs_private_window: 1
verified: 1
EOF

HOSTEXE=$R/opt/cadoctor-test/host
printf '#!/bin/sh\nexit 0\n' >"$HOSTEXE"
chmod 755 "$HOSTEXE"
MANIFEST=$R$H/.mozilla/native-messaging-hosts/org.cadoctor.test.json
write_manifest() { # ADDON_ID
	mkdir -p "$(dirname "$MANIFEST")"
	printf '{"name": "org.cadoctor.test", "description": "cadoctor test host", "path": "/opt/cadoctor-test/host", "type": "stdio", "allowed_extensions": ["%s"]}\n' "$1" >"$MANIFEST"
}
write_manifest "$ADDON"

# ---- Firefox makes the profiles ----
# ~/.mozilla/firefox exists, so Firefox keeps its classic place there.
create_profile() { # HOME NAME
	HOME=$1 timeout 120 "$FIREFOX" --headless -CreateProfile "$2" >"$WORK/create.log" 2>&1
}
check "Firefox creates a profile" create_profile "$R$H" bidder
P=$(ls -d "$R$H"/.mozilla/firefox/*.bidder 2>/dev/null | head -1)
check "profile folder made" test -d "$P"
PROFILE=${P#"$R"}
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
cat >"$WORK/private.js" <<'EOF'
const [id, resolve] = arguments;
const { ExtensionPermissions } = ChromeUtils.importESModule("resource://gre/modules/ExtensionPermissions.sys.mjs");
ExtensionPermissions.add(id, { permissions: ["internal:privateBrowsingAllowed"], origins: [] })
  .then(() => resolve("private allowed"), e => resolve("ERROR " + e));
EOF
cat >"$WORK/disable.js" <<'EOF'
const [id, resolve] = arguments;
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
(async () => {
  const addon = await AddonManager.getAddonByID(id);
  await addon.disable();
  resolve(addon.userDisabled ? "user disabled" : "still enabled");
})().catch(e => resolve("ERROR " + e));
EOF
cat >"$WORK/noop.js" <<'EOF'
const [resolve] = arguments;
resolve("started");
EOF
firefox_run() { # SCRIPT EXPECTED_OUTPUT [ARG...]
	local script=$1 want=$2 out
	shift 2
	out=$(HOME=$R$H timeout 180 "${TOOL[@]}" marionette "$P" "$WORK/$script" "$@" 2>"$WORK/marionette.err")
	if [ "$out" = "$want" ]; then ok; else
		bad "Firefox $script: got [$out], expected [$want]"
		sed 's/^/  | /' "$WORK/marionette.err" | tail -5 >&2
	fi
}

# The facts are compared by user name and path: keep them as collected
# (collect and scan redact them for support copies when they know how).
NO_REDACT=
SCAN_NO_REDACT=
if "$CD" collect --help 2>&1 | grep -q -- --no-redact; then NO_REDACT=--no-redact; fi
if "$CD" scan --help 2>&1 | grep -q -- --no-redact; then SCAN_NO_REDACT=--no-redact; fi
N=0
scan() {
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
expect_rows() { # DESCRIPTION WANT RULE [COL=VALUE...]
	local what=$1 want=$2 got
	shift 2
	got=$("${TOOL[@]}" evidence "$WORK/scan$N.json" "$@")
	if [ "$got" = "$want" ]; then ok; else bad "$what: $got evidence row(s) of $1 with [${*:2}], expected $want"; fi
}
fact_rows() { # TABLE "col: value"...
	local table=$1 rows
	shift
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

VERSION=$(sed -n 's/^Version=//p' "$(dirname "$(readlink -f "$(command -v "$FIREFOX")")")/application.ini" 2>/dev/null | head -1)

# ---- 1: installed, enabled, not allowed in private windows ----
firefox_run install.js "$ADDON active" "$XPI"
scan
expect_facts "profile from profiles.ini" 1 browser_profiles "browser: firefox" "user: bidder" \
	"profile_dir: $PROFILE" "source: profiles.ini" "readable: 1" "is_default: 1" "nss_dir: $PROFILE"
check "profile records the Firefox version" test "$(fact_rows browser_profiles "profile_dir: $PROFILE" "browser_version: $VERSION")" = 1
expect_facts "add-on enabled, unsigned, in the profile" 1 browser_extensions "browser: firefox" "ext_id: $ADDON" \
	"name: cadoctor test extension" "version: 1.2.3" "enabled: 1" "state: active" "location: app-profile" \
	"incognito_allowed: 0" "user_disabled: 0" "app_disabled: 0" "soft_disabled: 0" "signed_state: 0" \
	"source_file: $PROFILE/extensions.json"
expect_facts "user-level host" 1 native_hosts "browser: firefox" "name: org.cadoctor.test" "scope: user" \
	"user: bidder" "manifest_ok: 1" "host_exists: 1" "allowed_origins: [\"$ADDON\"]"
expect_facts "Firefox's own pkcs11.txt read" 0 pkcs11_modules "source_file: $PROFILE/pkcs11.txt" "name: softhsm"
expect_rows "enabled: not reported disabled" 0 browser.extension_disabled
expect_rows "not allowed in private windows" 1 browser.extension_private_window browser=firefox ext_id=$ADDON \
	"profile_dir=$PROFILE" platforms=lnwlzb
expect_rows "host allows the add-on" 0 browser.native_host_not_allowed
expect_rows "host registered" 0 browser.native_host_missing
expect_rows "module not in the profile's pkcs11.txt" 1 browser.pkcs11_not_loaded "nss_dir=$PROFILE" \
	library=libsofthsm2.so browsers=firefox

# ---- 2: allowed in private windows ----
firefox_run private.js "private allowed" "$ADDON"
scan
expect_facts "private windows allowed" 1 browser_extensions "ext_id: $ADDON" "enabled: 1" "incognito_allowed: 1"
expect_rows "allowed in private windows" 0 browser.extension_private_window

# ---- host problems ----
write_manifest "someone-else@example.org"
scan
expect_rows "host not allowing the add-on" 1 browser.native_host_not_allowed ext_id=$ADDON hosts=org.cadoctor.test \
	'allowed=["someone-else@example.org"]'
write_manifest "$ADDON"
rm "$HOSTEXE"
scan
expect_rows "host program missing" 1 native_host.exe_missing browser=firefox name=org.cadoctor.test problem=missing
printf '#!/bin/sh\nexit 0\n' >"$HOSTEXE"
chmod 755 "$HOSTEXE"

# ---- a second profile without the add-on ----
check "Firefox creates a second profile" create_profile "$R$H" second
scan
P2=$(ls -d "$R$H"/.mozilla/firefox/*.second 2>/dev/null | head -1)
expect_rows "add-on missing in the second profile" 1 browser.extension_missing browser=firefox \
	"profile_dir=${P2#"$R"}" hosts=org.cadoctor.test
expect_rows "not missing where installed" 0 browser.extension_missing "profile_dir=$PROFILE"

# ---- a company policy (Firefox's system policies.json) ----
# ExtensionSettings blocks every add-on: the second profile cannot get it.
mkdir -p "$R/etc/firefox/policies"
printf '{"policies": {"ExtensionSettings": {"*": {"installation_mode": "blocked"}}}}\n' >"$R/etc/firefox/policies/policies.json"
scan
expect_facts "policy from policies.json" 1 browser_policies "browser: firefox" "policy: ExtensionSettings" \
	'value: {"*":{"installation_mode":"blocked"}}' "source: /etc/firefox/policies/policies.json"
expect_rows "install blocked in the profile without it" 1 browser.extension_install_blocked browser=firefox \
	"profile_dir=${P2#"$R"}" policy=ExtensionSettings
printf '{"policies": {"ExtensionSettings": {"*": {"installation_mode": "blocked"}, "%s": {"installation_mode": "allowed"}}}}\n' \
	"$ADDON" >"$R/etc/firefox/policies/policies.json"
scan
expect_rows "the catalog's add-on id allowed" 0 browser.extension_install_blocked
rm -r "$R/etc/firefox"

# ---- the module loaded into the profile's database ----
modutil -add softhsm -libfile "$SOFTHSM" -dbdir "sql:$P" -force </dev/null >"$WORK/modutil.log" 2>&1 ||
	bad "modutil -add failed: $(cat "$WORK/modutil.log")"
scan
expect_rows "module now loaded in that profile" 0 browser.pkcs11_not_loaded "nss_dir=$PROFILE"

# ---- disabled by the user ----
firefox_run disable.js "user disabled" "$ADDON"
scan
expect_facts "disabled by the user" 1 browser_extensions "ext_id: $ADDON" "enabled: 0" "state: inactive" \
	"user_disabled: 1" "disable_reasons: user"
expect_rows "disabled by the user" 1 browser.extension_disabled browser=firefox ext_id=$ADDON reasons=user \
	"why_en=disabled by the user" "profile_dir=$PROFILE"

# ---- signatures required again: Firefox disables the unsigned add-on ----
cat >"$WORK/enable.js" <<'EOF'
const [id, resolve] = arguments;
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
AddonManager.getAddonByID(id).then(a => a.enable()).then(() => resolve("enabled"), e => resolve("ERROR " + e));
EOF
firefox_run enable.js "enabled" "$ADDON"
cat >"$WORK/require.js" <<'EOF'
const [id, resolve] = arguments;
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
Services.prefs.setBoolPref("xpinstall.signatures.required", true);
(async () => {
  // Changing the pref makes Firefox re-check every add-on's signature.
  for (let i = 0; i < 100; i++) {
    const a = await AddonManager.getAddonByID(id);
    if (a.appDisabled) { resolve("app disabled"); return; }
    await new Promise(r => setTimeout(r, 100));
  }
  resolve("still enabled");
})().catch(e => resolve("ERROR " + e));
EOF
# marionette.py appends signatures.required=false to user.js on every run:
# the privileged script sets it back to true, as a profile without the
# override would have it.
firefox_run require.js "app disabled" "$ADDON"
scan
expect_facts "unsigned add-on app-disabled" 1 browser_extensions "ext_id: $ADDON" "enabled: 0" "app_disabled: 1" \
	"disable_reasons: unsigned" "signed_state: 0"
expect_rows "disabled: not signed" 1 browser.extension_disabled ext_id=$ADDON reasons=unsigned "why_en=not signed"

# ---- a profile in the XDG directory ----
check "Firefox creates an XDG profile" create_profile "$R$X" xdgprofile
scan
XP=$(ls -d "$R$X"/.config/mozilla/firefox/*.xdgprofile 2>/dev/null | head -1)
check "Firefox used ~/.config/mozilla/firefox" test -n "$XP"
expect_facts "XDG profile found" 1 browser_profiles "browser: firefox" "user: xdg" "profile_dir: ${XP#"$R"}" \
	"source: profiles.ini"

# ---- a damaged extensions.json: probe error, profile unreadable ----
head -c 2000 "$P/extensions.json" >"$WORK/ext.json"
cp "$WORK/ext.json" "$P/extensions.json"
scan
expect_facts "truncated extensions.json" 1 probe_errors "probe: linux.browsers" "target: $PROFILE/extensions.json" "code: parse"
expect_facts "profile unreadable" 1 browser_profiles "profile_dir: $PROFILE" "readable: 0"

finish
