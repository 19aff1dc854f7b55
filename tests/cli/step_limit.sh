#!/usr/bin/env bash
# A rule whose query never ends is stopped by the step budget: the scan
# finishes quickly, reports the rule error, still reports the other rules,
# and does not claim all is clear (exit 1).
set -uo pipefail
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3

mkdir -p "$WORK/rules"
cp -r "$SRC/rules/catalog" "$WORK/rules/"
cat >"$WORK/rules/slow.rules" <<'RULES'
Rule: test.endless
Severity: error
Area: system
Query:
 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) AS m FROM n
Title-zh: 永不结束
Title-en: never ends
Message-zh: {m}
Message-en: {m}

Rule: test.fires
Severity: warning
Area: system
Query:
 SELECT os_family FROM host
Title-zh: 总会出现
Title-en: always fires
Message-zh: {os_family}
Message-en: {os_family}
RULES
check_rc "endless rule compiles" 0 "$CD" rules check "$WORK/rules"
start=$(date +%s%N)
check_rc "scan with an endless rule" 1 "$CD" scan --rules "$WORK/rules" --snapshot "$SRC/tests/scenarios/linux_clean/facts.txt" --json
end=$(date +%s%N)
cp "$WORK/last.out" "$WORK/out.json"
ms=$(( (end - start) / 1000000 ))
echo "scan with an endless rule took ${ms} ms"
check "stopped within 20 s" test "$ms" -lt 20000
check "rule error reported" $PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
e=[x for x in d["rule_errors"] if "test.endless" in x["message"] and "step budget" in x["message"]]
sys.exit(0 if e and e[0]["code"]=="timeout" else 1)' "$WORK/out.json"
check "other rules still ran" grep -qE '"rule":\s*"test.fires"' "$WORK/out.json"
finish
