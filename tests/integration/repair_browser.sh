#!/usr/bin/env bash
# cadoctor repair / undo of the Linux browser and systemd actions against
# real parts, in a sysroot (--root):
#  - native_host_register: a real Chromium profile (made by Chromium, with
#    the unpacked test extension) whose extension's host is registered only
#    for Chrome, machine-wide and for the user; the shipped rule
#    browser.native_host_other_browser copies the manifests into Chromium's
#    folders (the user's owned by the user);
#  - browser_extension_policy: a cadoctor-owned Chromium policy file
#    (ExtensionInstallForcelist) and an entry merged into an existing Firefox
#    policies.json; the real Chromium (chrome://policy over DevTools) and the
#    real Firefox ESR (Services.policies over Marionette) are started in a
#    private mount namespace where /etc is an overlay with the sysroot's
#    policy folders on top, and must report the policies;
#  - service_set_start: systemctl --root enable of the packaged pcscd.socket,
#    and this machine's pcscd.socket with plain systemctl on an overlay /etc.
# Asserts: a dry run changes nothing; --yes clears the findings and the
# re-scan says so; applying again changes nothing; undo restores every file,
# link, mode and owner of the sysroot; unmergeable policy files are refused
# and left alone.
# Usage: repair_browser.sh /path/to/cadoctor SOURCE_DIR
set -uo pipefail
source "$(dirname "$0")/../cli/lib.bash"

TOOL=(python3 "$SRC/tests/integration/browser_tool.py")
EXT_ID=ijiejecchkoidojnmjfajkajlgolkppj
for need in chromium firefox-esr systemctl unshare python3; do
	if ! command -v "$need" >/dev/null; then
		bad "$need is missing (scripts/setup-debian.sh test installs it)"
		finish
		exit
	fi
done
for f in /lib/systemd/system/pcscd.socket /lib/systemd/system/pcscd.service /usr/sbin/pcscd; do
	[ -e "$f" ] || { bad "$f is missing (install pcscd)"; finish; exit; }
done

J=$WORK/journal
mkdir -m 0700 "$J"
export CADOCTOR_TEST_JOURNAL_DIR=$J CADOCTOR_LANG=en
unset CADOCTOR_TEST_FAIL_AFTER CADOCTOR_FORBID_ACTIONS

RULES=$WORK/rules
cp -r "$SRC/rules" "$RULES"
mkdir "$RULES/test"
cp "$SRC/tests/integration/repair_rules/repair_browser.rules" "$RULES/test/"

# ---- the sysroot ----
R=$WORK/root
H=/home/bidder
UD=$R$H/.config/chromium
mkdir -p "$R/etc/systemd/system" "$R/lib/systemd/system" "$R/usr/sbin" "$R$H/.config" "$R/opt/cadoctor-test" \
	"$R/etc/opt/chrome/native-messaging-hosts" "$R$H/.config/google-chrome/NativeMessagingHosts" "$R/etc/firefox/policies"
printf 'root:x:0:0:root:/root:/bin/bash\nbidder:x:1000:1000:Bidder:%s:/bin/bash\n' "$H" >"$R/etc/passwd"
cp /lib/systemd/system/pcscd.socket /lib/systemd/system/pcscd.service "$R/lib/systemd/system/"
ln -s /usr/sbin/pcscd "$R/usr/sbin/pcscd"
mkdir -p "$R$(dirname "$R")"
ln -s "$R" "$R$R"
cp -r "$SRC/tests/browser_ext" "$R$H/cadoctor-test-ext"
# The host program, and its manifests registered for Chrome only.
printf '#!/bin/sh\nexit 0\n' >"$R/opt/cadoctor-test/host"
chmod 755 "$R/opt/cadoctor-test/host"
for n in org.cadoctor.test org.cadoctor.usertest; do
	printf '{"name": "%s", "description": "cadoctor test host", "path": "/opt/cadoctor-test/host", "type": "stdio", "allowed_origins": ["chrome-extension://%s/"]}\n' \
		"$n" "$EXT_ID" >"$WORK/$n.json"
done
cp "$WORK/org.cadoctor.test.json" "$R/etc/opt/chrome/native-messaging-hosts/"
cp "$WORK/org.cadoctor.usertest.json" "$R$H/.config/google-chrome/NativeMessagingHosts/"
# An administrator's Firefox policies, formatted their way, mode 0640.
printf '{\n    "policies": {"DisableTelemetry": true,\n  "ExtensionSettings": {"other@example.org": {"installation_mode": "blocked"}}}\n}\n' \
	>"$R/etc/firefox/policies/policies.json"
chmod 0640 "$R/etc/firefox/policies/policies.json"

# A real Chromium profile with the extension (Chromium writes it).
CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
	--disable-sync --no-first-run --no-default-browser-check --password-store=basic
	--disable-features=DisableLoadExtensionCommandLineSwitch)
HOME=$R$H timeout 120 "${TOOL[@]}" cdp list "$EXT_ID" -- "${CHROME[@]}" --user-data-dir="$UD" \
	--load-extension="$R$H/cadoctor-test-ext" >"$WORK/cdp.out" 2>"$WORK/cdp.err"
check "Chromium loads the test extension" grep -q "\"$EXT_ID\",\"cadoctor test extension\",true" "$WORK/cdp.out"
chown -R 1000:1000 "$R$H"

PROBES=linux.host,linux.browsers,linux.pcscd
repair() { "$CD" repair --offline --rules "$RULES" --root "$R" --probes "$PROBES" "$@"; }
scan_json() { "$CD" scan --offline --rules "$RULES" --root "$R" --probes "$PROBES" --json-out "$1" >/dev/null 2>&1; }

# Every file, link and directory (type, mode, owner, link target) and hash.
# Chromium's own profile files are left out: only cadoctor writes here now,
# and the profile is checked as a whole by the re-scan.
tree_state() {
	(cd "$R" && find . -path "./home/bidder/.config/chromium/*" -prune -o -printf '%p %y %m %U:%G %l\n' | sort &&
		find . -path "./home/bidder/.config/chromium/*" -prune -o -type f -exec sha256sum {} + | sort)
}
tree_state >"$WORK/orig.txt"
same_tree() { tree_state | cmp -s - "$WORK/orig.txt"; }
run_id() { sed -n 's/^Repair run \([0-9]*\)\..*/\1/p' "$1" | head -1; }

# ---- dry run ----
check_rc "dry run exits with the scan's status (errors)" 2 repair
cp "$WORK/last.out" "$WORK/dry.out"
check "dry run changes no file" same_tree
check_rc "dry run --json" 2 repair --json
check "dry run plans the 5 actions" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
plan = sorted((p["kind"], p["state"]) for p in d["plan"])
want = sorted([("native_host_register", "ready")] * 2 + [("browser_extension_policy", "ready")] * 2
              + [("service_set_start", "ready")])
assert plan == want, plan
' "$WORK/last.out"

# ---- apply ----
check_rc "repair --yes" 0 repair --yes
cp "$WORK/last.out" "$WORK/apply.out"
RUN1=$(run_id "$WORK/apply.out")
check "apply names its run" test -n "$RUN1"
for r in browser.native_host_other_browser test.chromium_policy_missing test.firefox_policy_missing \
	test.pcscd_socket_not_enabled; do
	check "re-scan: $r cleared" contains "$WORK/apply.out" "Cleared: $r"
done
check "nothing remains" bash -c "! grep -q Remaining: '$WORK/apply.out'"
check "machine-wide host registered for Chromium (same bytes)" \
	cmp -s "$R/etc/chromium/native-messaging-hosts/org.cadoctor.test.json" "$WORK/org.cadoctor.test.json"
U=$R$H/.config/chromium/NativeMessagingHosts/org.cadoctor.usertest.json
check "user's host registered in the user's Chromium folder" cmp -s "$U" "$WORK/org.cadoctor.usertest.json"
check "user's host owned by the user" test "$(stat -c %u:%g "$U" 2>/dev/null)" = 1000:1000
check "user's hosts folder owned by the user" test "$(stat -c %u:%g "$(dirname "$U")" 2>/dev/null)" = 1000:1000
check "Chromium policy file" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d == {"ExtensionInstallForcelist": ["%s;https://ext.cadoctor.test/update.xml" % sys.argv[2]]}, d
' "$R/etc/chromium/policies/managed/cadoctor-extensions.json" "$EXT_ID"
check "Firefox policies merged, the administrator's kept" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["policies"]
assert p["DisableTelemetry"] is True, p
assert p["ExtensionSettings"]["other@example.org"] == {"installation_mode": "blocked"}, p
assert p["ExtensionSettings"]["cadoctor-test@cadoctor.example"] == {
    "installation_mode": "force_installed", "install_url": "https://ext.cadoctor.test/cadoctor-test.xpi"}, p
' "$R/etc/firefox/policies/policies.json"
check "policies.json keeps its mode" test "$(stat -c %a "$R/etc/firefox/policies/policies.json")" = 640
check "pcscd.socket enabled by systemctl" \
	test "$(readlink "$R/etc/systemd/system/sockets.target.wants/pcscd.socket")" = /lib/systemd/system/pcscd.socket
check "systemctl agrees" test "$(systemctl --root="$R" is-enabled pcscd.socket 2>/dev/null)" = enabled
tree_state >"$WORK/applied.txt"

# ---- the real browsers read what was written ----
# A private mount namespace: /etc is an overlay (writes go to $WORK), with
# the sysroot's Chromium policy folder and Firefox folder mounted on it.
in_ns() { # COMMAND...: run with the sysroot's browser policies in /etc
	mkdir -p "$WORK/ovl/upper" "$WORK/ovl/work"
	unshare --mount bash -c '
		set -e
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/ovl/upper,workdir=$1/ovl/work" /etc
		if [ -d "$2/etc/chromium/policies" ]; then
			mkdir -p /etc/chromium/policies
			mount --bind "$2/etc/chromium/policies" /etc/chromium/policies
		fi
		mkdir -p /etc/firefox
		mount --bind "$2/etc/firefox" /etc/firefox
		shift 2
		exec "$@"' _ "$WORK" "$R" "$@"
}
ls -la --time-style=+ /etc /etc/chromium >"$WORK/etc_before.txt"
mkdir -p "$WORK/chromium2"
in_ns env HOME="$WORK" timeout 120 "${TOOL[@]}" cdp policy - -- "${CHROME[@]}" --user-data-dir="$WORK/chromium2" \
	>"$WORK/policy.out" 2>"$WORK/policy.err"
check "real Chromium loads the forcelist policy (chrome://policy)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d["policyGroups"]["chrome"]["policies"]["ExtensionInstallForcelist"]
assert v["value"] == ["%s;https://ext.cadoctor.test/update.xml" % sys.argv[2]], v
assert (v["scope"], v["level"], v["source"]) == ("machine", "mandatory", "platform"), v
' "$WORK/policy.out" "$EXT_ID"
cat >"$WORK/ffpol.js" <<'EOF'
const cb = arguments[arguments.length - 1];
cb(JSON.stringify({status: Services.policies.status, active: Services.policies.getActivePolicies()}));
EOF
mkdir -p "$WORK/ffprofile"
in_ns env HOME="$WORK" timeout 180 "${TOOL[@]}" marionette "$WORK/ffprofile" "$WORK/ffpol.js" \
	>"$WORK/ffpol.out" 2>"$WORK/ffpol.err"
check "real Firefox ESR loads the merged policies.json" python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert d["status"] == 1, d   # ACTIVE
a = d["active"]
assert a["DisableTelemetry"] is True, a
e = a["ExtensionSettings"]
assert e["cadoctor-test@cadoctor.example"]["installation_mode"] == "force_installed", e
assert e["other@example.org"]["installation_mode"] == "blocked", e
' "$WORK/ffpol.out"
check "the namespace left the real /etc alone" cmp -s "$WORK/etc_before.txt" <(ls -la --time-style=+ /etc /etc/chromium)

# ---- applying again changes nothing ----
check_rc "second repair --yes: nothing to do" 0 repair --yes
check "second run: nothing to repair" contains "$WORK/last.out" "Nothing can be repaired"
check "second run changed no file" bash -c "diff <(cd '$R' && { find . -path './home/bidder/.config/chromium/*' -prune -o -printf '%p %y %m %U:%G %l\n' | sort && find . -path './home/bidder/.config/chromium/*' -prune -o -type f -exec sha256sum {} + | sort; }) '$WORK/applied.txt' >/dev/null"

# ---- undo ----
check_rc "undo $RUN1" 0 "$CD" undo "$RUN1"
check "undo reports 5 steps undone" bash -c "[ \$(grep -c ': undone' '$WORK/last.out') = 5 ]"
check "undo restores every file, link, mode and owner" same_tree
if ! same_tree; then tree_state | diff - "$WORK/orig.txt" | head -20 >&2; fi
check "the Chromium folders cadoctor made are gone" test ! -e "$R/etc/chromium"
check "systemctl: disabled again" test "$(systemctl --root="$R" is-enabled pcscd.socket 2>/dev/null)" = disabled
scan_json "$WORK/after_undo.json"
check "after undo the findings are back" python3 -c '
import json, sys
ids = {f["rule"] for f in json.load(open(sys.argv[1]))["findings"]}
for r in ["browser.native_host_other_browser", "test.chromium_policy_missing", "test.firefox_policy_missing",
          "test.pcscd_socket_not_enabled"]:
    assert r in ids, (r, ids)
' "$WORK/after_undo.json"

# ---- the running system's systemctl (no --root), on an overlay of /etc ----
# This machine's pcscd.socket, disabled inside the namespace first; repair
# enables it with plain systemctl and undo disables it again. The real /etc
# is not touched (the overlay's upper folder takes every change).
if [ "$(systemctl is-enabled pcscd.socket 2>/dev/null)" = "" ]; then
	bad "systemctl does not know pcscd.socket on this machine"
else
	rm -rf "$WORK/ovl"
	in_ns bash -c '
		cd=$1 rules=$2
		systemctl disable pcscd.socket >/dev/null 2>&1
		echo "before: $(systemctl is-enabled pcscd.socket)"
		"$cd" repair --offline --rules "$rules" --probes linux.host,linux.pcscd --only test.pcscd_socket_not_enabled --yes
		echo "applied: $(systemctl is-enabled pcscd.socket)"
		"$cd" undo --last
		echo "undone: $(systemctl is-enabled pcscd.socket)"' _ "$CD" "$RULES" >"$WORK/live.out" 2>&1
	grep -q "undone: disabled" "$WORK/live.out" || sed 's/^/  | /' "$WORK/live.out" | head -40 >&2
	check "live: disabled first" grep -qx "before: disabled" "$WORK/live.out"
	check "live: repair cleared it" grep -q "Cleared: test.pcscd_socket_not_enabled" "$WORK/live.out"
	check "live: systemctl enable took effect" grep -qx "applied: enabled" "$WORK/live.out"
	check "live: undo disabled it again" grep -qx "undone: disabled" "$WORK/live.out"
	check "live: the real /etc kept its pcscd.socket state" cmp -s "$WORK/etc_before.txt" <(ls -la --time-style=+ /etc /etc/chromium)
fi

# ---- arguments the kinds refuse: planned as invalid, never applied ----
BADR=$WORK/rules-bad
cp -r "$SRC/rules" "$BADR"
mkdir "$BADR/test"
M=/etc/opt/chrome/native-messaging-hosts/org.cadoctor.test.json
cat >"$BADR/test/bad.rules" <<EOF
Rule: test.bad_arguments
Severity: warning
Area: browsers
OS: linux
Query:
 SELECT 1 AS one FROM host
Title-zh: 测试:错误的参数
Title-en: test: bad arguments
Message-zh: 错误的参数
Message-en: bad arguments
Repair:
 native_host_register browser=chromium name=org.cadoctor.test manifest_path=relative/org.cadoctor.test.json
 native_host_register browser=chromium name=../evil manifest_path=$M
 native_host_register browser=chromium name=org.cadoctor.test manifest_path=$M scope=user
 native_host_register browser=chromium name=org.cadoctor.test manifest_path=$M scope=user user=nobody-here
 native_host_register browser=opera name=org.cadoctor.test manifest_path=$M
 browser_extension_policy browser=chromium ext_id=not-an-id
 browser_extension_policy browser=chromium ext_id=$EXT_ID update_url=http://plain.example/u
 browser_extension_policy browser=firefox ext_id=cadoctor-test@cadoctor.example mode=force
 browser_extension_policy browser=firefox ext_id=bad/id@x mode=allow
 service_set_start name=pcscd.socket start_type=sometimes
 service_set_start name=-evil start_type=auto
EOF
"$CD" repair --offline --rules "$BADR" --root "$R" --probes linux.host --only test.bad_arguments --yes --json \
	>"$WORK/bad.json" 2>"$WORK/bad.err"
check "bad arguments: every action invalid, none applied" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["plan"]) == 11, d["plan"]
bad = [p for p in d["plan"] if p["state"] != "invalid" or p.get("result") not in (None, "skipped")]
assert not bad, bad
' "$WORK/bad.json"
check "bad arguments: nothing changed" same_tree

# Manifests the browser would refuse are refused when captured: nothing written.
mkdir -p "$R/opt/vendor"
printf '{"name": "org.other", "path": "/opt/cadoctor-test/host", "type": "stdio", "allowed_origins": []}\n' >"$R/opt/vendor/a.json"
printf '{"name": "org.cadoctor.test", "path": "host", "type": "stdio", "allowed_origins": []}\n' >"$R/opt/vendor/b.json"
printf '{"name": "org.cadoctor.test", "path": "/opt/cadoctor-test/host", "type": "stdio"}\n' >"$R/opt/vendor/c.json"
printf 'not json\n' >"$R/opt/vendor/d.json"
tree_state >"$WORK/manifests.txt"
sed -i '/^Repair:/,$d' "$BADR/test/bad.rules"
cp "$BADR/test/bad.rules" "$WORK/bad.head"
# One run each: a failed step skips the rule's other actions.
for f in a:"names another host" b:"not absolute" c:"no allowed_origins" d:"not a JSON object"; do
	{ cat "$WORK/bad.head"; printf 'Repair:\n native_host_register browser=chromium name=org.cadoctor.test manifest_path=/opt/vendor/%s.json\n' "${f%%:*}"; } \
		>"$BADR/test/bad.rules"
	"$CD" repair --offline --rules "$BADR" --root "$R" --probes linux.host --only test.bad_arguments --yes --json \
		>"$WORK/badman.json" 2>/dev/null
	check "unusable manifest ${f%%:*}.json: failed at capture (${f#*:})" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["plan"]
assert [(x["state"], x.get("result")) for x in p] == [("ready", "failed")], p
assert sys.argv[2] in (p[0].get("error") or ""), p
' "$WORK/badman.json" "${f#*:}"
done
check "unusable manifests: nothing written" bash -c "diff <(cd '$R' && { find . -path './home/bidder/.config/chromium/*' -prune -o -printf '%p %y %m %U:%G %l\n' | sort && find . -path './home/bidder/.config/chromium/*' -prune -o -type f -exec sha256sum {} + | sort; }) '$WORK/manifests.txt' >/dev/null"
rm -r "$R/opt/vendor"

# A manifest that names another host is unusable (the probe says so): the
# rule does not register it, only the healthy per-user one.
printf '{"name": "org.other", "path": "/opt/cadoctor-test/host", "type": "stdio", "allowed_origins": []}\n' >"$R$M"
repair --yes --json --only browser.native_host_other_browser >"$WORK/wrongname.json" 2>/dev/null
check "a manifest naming another host: not registered" \
	test ! -e "$R/etc/chromium/native-messaging-hosts/org.cadoctor.test.json"
check "a manifest naming another host: only the other host registered" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
res = sorted((p["args"]["name"], p.get("result")) for p in d["plan"])
assert res == [("org.cadoctor.usertest", "applied")], res
' "$WORK/wrongname.json"
WRUN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$WORK/wrongname.json" 2>/dev/null)
check_rc "undo of that run" 0 "$CD" undo "$WRUN"
cp "$WORK/org.cadoctor.test.json" "$R$M"
check "restored after the wrong-name run" same_tree

# ---- refusals: files cadoctor cannot merge into are left alone ----
cp "$R/etc/firefox/policies/policies.json" "$WORK/ff.keep"
printf '{"policies": {"DisableTelemetry": true,}\n' >"$R/etc/firefox/policies/policies.json"
mkdir -p "$R/etc/chromium/policies/managed"
printf '{"ExtensionInstallForcelist": ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;https://x.example/u"]}\n' >"$R/etc/chromium/policies/managed/corp.json"
tree_state >"$WORK/refuse.txt"
repair --yes --json >"$WORK/refuse.out" 2>"$WORK/refuse.err"
check "unmergeable policy files: both policy steps failed, nothing written" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
res = [(p["kind"], p.get("result")) for p in d["plan"] if p["kind"] == "browser_extension_policy"]
assert res == [("browser_extension_policy", "failed")] * 2, res
errs = " ".join(p.get("error") or "" for p in d["plan"])
assert "corp.json already sets ExtensionInstallForcelist" in errs and "not a JSON object" in errs, errs
' "$WORK/refuse.out"
RUN2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$WORK/refuse.out" 2>/dev/null)
check "refused policy files untouched" cmp -s "$R/etc/chromium/policies/managed/corp.json" \
	<(printf '{"ExtensionInstallForcelist": ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;https://x.example/u"]}\n')
check "broken policies.json untouched" cmp -s "$R/etc/firefox/policies/policies.json" \
	<(printf '{"policies": {"DisableTelemetry": true,}\n')
check_rc "undo of the partly refused run" 0 "$CD" undo "$RUN2"
check "restored after the partly refused run" bash -c "diff <(cd '$R' && { find . -path './home/bidder/.config/chromium/*' -prune -o -printf '%p %y %m %U:%G %l\n' | sort && find . -path './home/bidder/.config/chromium/*' -prune -o -type f -exec sha256sum {} + | sort; }) '$WORK/refuse.txt' >/dev/null"

finish
