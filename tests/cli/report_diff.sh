#!/usr/bin/env bash
# `report load` gives back the JSON embedded in an HTML report (exit 65 on a
# damaged or foreign file); `report diff BEFORE AFTER` (JSON or HTML) lists
# findings cleared, new and unchanged (with evidence rows gone and added),
# and changed facts; its exit status is 2 for a new error, 1 for new
# warnings or notes, 0 when nothing new appeared.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
CASE=$SRC/tests/cli/data/helpdesk_certs.txt

# After the help desk's call: the driver updated (cleared), the expired
# certificate renewed (cleared), a second certificate entering its renewal
# window (unchanged finding, one more row), a hosts redirect (new error).
sed -e 's/^version: 2.8.5$/version: 3.3/' -e 's/^not_after: 1740787200$/not_after: 1798761600/' "$CASE" >"$WORK/after.txt"
cat >>"$WORK/after.txt" <<'FACTS'

Table: certificates
source: store
location: CurrentUser\MY
subject: CN=赵六,O=辽宁某某建设工程有限公司,C=CN
subject_cn: 赵六
subject_o: 辽宁某某建设工程有限公司
issuer: CN=LNCA SM2 CA,O=辽宁省数字证书认证管理有限公司,C=CN
issuer_cn: LNCA SM2 CA
issuer_o: 辽宁省数字证书认证管理有限公司
serial: 5A1B2C3D4E5F6099
not_before: 1734652800
not_after: 1766188800
has_private_key: 1
is_ca: 0

Table: hosts_entries
hostname: www.lnwlzb.com
address: 127.0.0.1
source: C:\Windows\System32\drivers\etc\hosts
FACTS
"$CD" scan --snapshot "$CASE" --html "$WORK/before.html" --json-out "$WORK/before.json" --quiet
"$CD" scan --snapshot "$WORK/after.txt" --html "$WORK/after.html" --json-out "$WORK/after.json" --quiet

# ---- report load ----
check_rc "report load of an HTML report" 0 "$CD" report load "$WORK/before.html"
check "... gives the embedded JSON, equal to --json-out" $PY - "$WORK/last.out" "$WORK/before.json" <<'PYEOF'
import json, sys
sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)
PYEOF
check_rc "report load of a JSON report" 0 "$CD" report load "$WORK/before.json"
head -c 2000 "$WORK/before.html" >"$WORK/cut.html"
check_rc "a truncated HTML report: 65" 65 "$CD" report load "$WORK/cut.html"
$PY - "$WORK/before.html" "$WORK/broken.html" <<'PYEOF'
import sys
h = open(sys.argv[1], encoding="utf-8").read()
i = h.index('id="cadoctor-data">') + 40
open(sys.argv[2], "w", encoding="utf-8").write(h[:i] + "}{" + h[i:])
PYEOF
check_rc "damaged JSON inside the HTML: 65" 65 "$CD" report load "$WORK/broken.html"
echo '{"format": "something-else", "findings": []}' >"$WORK/foreign.json"
check_rc "a foreign JSON document: 65" 65 "$CD" report load "$WORK/foreign.json"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); d["format_version"]=99; json.dump(d,open(sys.argv[2],"w"))' \
  "$WORK/before.json" "$WORK/newer.json"
check_rc "a newer format version: 65" 65 "$CD" report load "$WORK/newer.json"
check_rc "a missing file: 66" 66 "$CD" report load "$WORK/nope.html"
check_rc "report without a subcommand: 64" 64 "$CD" report
check_rc "report diff with one file: 64" 64 "$CD" report diff "$WORK/before.json"

# ---- report diff ----
check_rc "diff: a new error gives 2" 2 "$CD" report diff "$WORK/before.html" "$WORK/after.html"
cp "$WORK/last.out" "$WORK/diff.txt"
cat "$WORK/diff.txt"
check_rc "diff --json" 2 "$CD" report diff "$WORK/before.json" "$WORK/after.html" --json
cp "$WORK/last.out" "$WORK/diff.json"
check "the diff says what was cleared, new and unchanged" $PY - "$WORK/diff.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
rules = lambda k: sorted(f["rule"] for f in d[k])
ok = (d["format"] == "cadoctor-report-diff"
      and rules("cleared") == ["certificates.expired", "drivers.liaoning_below_minimum"]
      and rules("new") == ["network.hosts_redirect"]
      and rules("unchanged") == ["certificates.expiring", "certificates.not_yet_valid"]
      and d["same_rules"] is True)
exp = [f for f in d["unchanged"] if f["rule"] == "certificates.expiring"][0]
ok = ok and exp["rows_before"] == 1 and exp["rows"] == 2 and len(exp["rows_added"]) == 1 and not exp["rows_gone"]
tables = {c["field"]: (c["before"], c["after"]) for c in d["facts"]["tables"]}
ok = ok and tables.get("certificates") == (5, 6) and tables.get("hosts_entries") == (0, 1)
if not ok:
    print(json.dumps(d, ensure_ascii=False, indent=1), file=sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
check "text: cleared" grep -q '已解决 (2)' "$WORK/diff.txt"
check "text: new" grep -q '新出现 (1)' "$WORK/diff.txt"
check "text: unchanged" grep -q '仍然存在 (2)' "$WORK/diff.txt"
check "text: the rows that appeared" grep -q '+ 新增: .*name-' "$WORK/diff.txt"
check "text: changed facts" grep -q 'hosts_entries: 0 → 1' "$WORK/diff.txt"
check_rc "diff in English" 2 "$CD" --lang en report diff "$WORK/before.json" "$WORK/after.json"
check "... English" grep -q '^Cleared (2):' "$WORK/last.out"
# the other way round, the cleared errors come back: 2; the same report: 0
check_rc "reverse diff: 2" 2 "$CD" report diff "$WORK/after.json" "$WORK/before.json"
check_rc "identical reports: 0" 0 "$CD" report diff "$WORK/before.json" "$WORK/before.html"
check "... nothing changed" grep -q '问题没有变化' "$WORK/last.out"
# new warnings only: 1
cp "$SRC/tests/scenarios/win_clean/facts.txt" "$WORK/warn.txt"
cat >>"$WORK/warn.txt" <<'FACTS'

Table: certificates
source: store
location: CurrentUser\MY
subject: CN=王五,O=辽宁某某建设工程有限公司,C=CN
subject_cn: 王五
subject_o: 辽宁某某建设工程有限公司
issuer_o: Unknown Trust Ltd
not_before: 1767225600
not_after: 1798761600
is_ca: 0
FACTS
"$CD" scan --snapshot "$SRC/tests/scenarios/win_clean/facts.txt" --json-out "$WORK/clean.json" --quiet
"$CD" scan --snapshot "$WORK/warn.txt" --json-out "$WORK/warn.json" --quiet
check_rc "only new warnings: 1" 1 "$CD" report diff "$WORK/clean.json" "$WORK/warn.json"
check "... the new warning" grep -q 'certificates.not_yet_valid' "$WORK/last.out"
check_rc "a damaged AFTER: 65" 65 "$CD" report diff "$WORK/before.json" "$WORK/cut.html"
finish
