#!/usr/bin/env bash
# browser_extension_policy for Firefox on Windows, under Wine with its real
# registry: HKLM\SOFTWARE\Policies\Mozilla\Firefox\ExtensionSettings\<id>
# with installation_mode and install_url (the form Firefox's
# WindowsGPOParser reads as ExtensionSettings.<id>), next to an
# administrator's own Firefox policies and another extension's entry.
# A test rule plans it while windows.browser_policies (which reads the
# policy keys as Firefox does) does not show the entry (no shipped rule
# plans it: the catalog's extensions are not verified). Checked:
#   - a dry run leaves the whole export byte-identical;
#   - the probe reads the administrator's policies as Firefox would;
#   - repair --yes writes exactly the entry, keeps the administrator's, and
#     the re-scan clears the finding;
#   - applying again is a no-op;
#   - undo brings the export back byte-identical;
#   - ExtensionSettings set as one JSON value (REG_MULTI_SZ) is not touched:
#     the step fails and nothing changes.
# usage: repair_policy.sh SOURCE_DIR (exe from build/win-x64/src)
set -uo pipefail
SRC=$(readlink -f "${1:?usage: repair_policy.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
TEST_NAME=wine_repair_policy
CD=$SRC/build/win-x64/src/cadoctor.exe
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
WINE=${WINE:-wine}
export WINEPREFIX=$WORK/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" CADOCTOR_LANG=en
unset CADOCTOR_TEST_FAIL_AFTER CADOCTOR_FORBID_ACTIONS CADOCTOR_TEST_JOURNAL_DIR
trap 'wineserver -k >/dev/null 2>&1; rm -rf "$WORK"' EXIT
[ -f "$CD" ] || { bad "$CD is not built (scripts/run.sh test builds it)"; finish; exit; }
command -v "$WINE" >/dev/null || { bad "wine is not installed"; finish; exit; }


RULES=$WORK/rules
cp -r "$SRC/rules" "$RULES"
mkdir "$RULES/test"
cat >"$RULES/test/policy.rules" <<'EOF'
Rule: test.firefox_policy_windows
Severity: warning
Area: browsers
OS: windows
Query:
 SELECT 'cadoctor-test@cadoctor.example' AS ext_id FROM host
 WHERE NOT EXISTS (SELECT 1 FROM browser_policies WHERE browser = 'firefox' AND scope = 'machine'
                   AND policy = 'ExtensionSettings'
                   AND instr(value, '"cadoctor-test@cadoctor.example":{"install_url":"https://ext.cadoctor.test/cadoctor-test.xpi","installation_mode":"force_installed"}') > 0)
Title-zh: 测试:火狐扩展策略
Title-en: test: Firefox extension policy
Message-zh: {ext_id}
Message-en: {ext_id}
Repair:
 browser_extension_policy browser=firefox ext_id={ext_id} update_url=https://ext.cadoctor.test/cadoctor-test.xpi mode=force
EOF

# The administrator's Firefox policies.
cat >"$WORK/admin.reg" <<'EOF'
Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox]
"DisableTelemetry"=dword:00000001

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox\ExtensionSettings\other@example.org]
"installation_mode"="blocked"
EOF
# A fresh prefix with them; from the first scan on one wineserver is kept
# running (-p): a new one would rewrite Wine's own boot-time keys.
"$WINE" wineboot -i >/dev/null 2>&1
wineserver -w
"$WINE" regedit /S "$(winepath -w "$WORK/admin.reg")" >/dev/null 2>&1
wineserver -w
wineserver -p
"$WINE" "$CD" scan --offline >/dev/null 2>&1

export_reg() { # OUT
	rm -f "$1"
	"$WINE" regedit /E "$(winepath -w "$1")" >/dev/null 2>&1
	[ -s "$1" ]
}
# key_values EXPORT KEY: the key's lines in the export ("" when absent).
key_values() {
	"$PY" - "$1" "$2" <<'PY'
import sys
text = open(sys.argv[1], "rb").read().decode("utf-16")
want = "[" + sys.argv[2].lower() + "]"
out, on = [], False
for line in text.split("\r\n"):
    if line.startswith("["):
        on = line.lower() == want
        continue
    if on and line:
        out.append(line)
print("|".join(sorted(out)))
PY
}
repair() { "$WINE" "$CD" repair --offline --rules "$(winepath -w "$RULES")" --only test.firefox_policy_windows "$@"; }
KEY='HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox\ExtensionSettings\cadoctor-test@cadoctor.example'

"$WINE" "$CD" collect --offline --no-redact -o "$(winepath -w "$WORK/facts0.txt")" >/dev/null 2>&1
check "the probe reads the administrator's Firefox policies" "$PY" - "$WORK/facts0.txt" <<'PY'
import sys
stanzas = [dict(l.split(": ", 1) for l in s.strip().split("\n") if ": " in l)
           for s in open(sys.argv[1], encoding="utf-8").read().split("\n\n")]
rows = {r["policy"]: r for r in stanzas if r.get("Table") == "browser_policies" and r.get("browser") == "firefox"}
assert rows["DisableTelemetry"]["value"] == "1" and rows["DisableTelemetry"]["scope"] == "machine", rows
assert rows["ExtensionSettings"]["value"] == '{"other@example.org":{"installation_mode":"blocked"}}', rows
PY
check "export before" export_reg "$WORK/before.reg"
repair >"$WORK/dry.out" 2>&1
check "dry run plans the policy" grep -q "install or allow extension cadoctor-test@cadoctor.example in firefox" "$WORK/dry.out"
export_reg "$WORK/dry.reg"
check "dry run leaves the registry byte-identical" cmp -s "$WORK/before.reg" "$WORK/dry.reg"

repair --yes --json >"$WORK/apply.json" 2>"$WORK/apply.err"
check "repair --yes applied the policy" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [(p["kind"], p.get("result")) for p in d["plan"]] == [("browser_extension_policy", "applied")], d["plan"]
' "$WORK/apply.json"
check "the re-scan clears the finding" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "test.firefox_policy_windows" in d["cleared"], d.get("cleared")
' "$WORK/apply.json"
export_reg "$WORK/applied.reg"
check "the entry: installation_mode and install_url" test \
	"$(key_values "$WORK/applied.reg" "$KEY")" = '"install_url"="https://ext.cadoctor.test/cadoctor-test.xpi"|"installation_mode"="force_installed"'
check "the administrator's entry kept" test \
	"$(key_values "$WORK/applied.reg" 'HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox\ExtensionSettings\other@example.org')" = '"installation_mode"="blocked"'
check "the administrator's policy kept" test \
	"$(key_values "$WORK/applied.reg" 'HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox')" = '"DisableTelemetry"=dword:00000001'

repair --yes --json >"$WORK/again.json" 2>/dev/null
check "applying again: nothing to do" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["plan"], d["plan"]
' "$WORK/again.json"
export_reg "$WORK/again.reg"
check "applying again changed nothing" cmp -s "$WORK/applied.reg" "$WORK/again.reg"

RUN=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$WORK/apply.json" 2>/dev/null)
"$WINE" "$CD" undo "$RUN" >"$WORK/undo.out" 2>&1
check "undo succeeds" grep -q "undone" "$WORK/undo.out"
export_reg "$WORK/undone.reg"
check "undo brings the registry back byte-identical" cmp -s "$WORK/before.reg" "$WORK/undone.reg"

# ExtensionSettings as one JSON value: Firefox would let a subkey replace it.
cat >"$WORK/json.reg" <<'EOF'
Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox]
"ExtensionSettings"=hex(7):7b,00,7d,00,00,00,00,00
EOF
"$WINE" regedit /S "$(winepath -w "$WORK/json.reg")" >/dev/null 2>&1
export_reg "$WORK/json_before.reg"
repair --yes --json >"$WORK/json.json" 2>/dev/null
check "JSON-valued ExtensionSettings: the step fails" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = d["plan"][0]
assert p.get("result") == "failed" and "one JSON value" in (p.get("error") or ""), p
' "$WORK/json.json"
export_reg "$WORK/json_after.reg"
check "JSON-valued ExtensionSettings: nothing changed" cmp -s "$WORK/json_before.reg" "$WORK/json_after.reg"
finish
