#!/usr/bin/env bash
# Support codes end to end: scan prints one at the end of the console report,
# the HTML shows it at the top and the JSON carries it; `explain --code`
# gives back exactly the findings; a code read out loosely (lower case,
# blanks) still works; every single mistyped character is refused (exit 65);
# a code made with other rules says so. Round trips over random finding sets
# and all single errors are in tests/unit/test_supportcode.c.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
CASE=$SRC/tests/cli/data/helpdesk_certs.txt
ALPHABET=0123456789ABCDEFGHJKMNPQRSTVWXYZ

"$CD" scan --snapshot "$CASE" >"$WORK/console.txt"
"$CD" scan --snapshot "$CASE" --json-out "$WORK/r.json" --html "$WORK/r.html" --quiet
code=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["support_code"])' "$WORK/r.json")
echo "support code: $code"
check "a code in the JSON" test -n "$code"
check "only the alphabet, in groups of four" bash -c "[[ '$code' =~ ^[$ALPHABET]{1,4}(-[$ALPHABET]{1,4})*$ ]]"
check "short enough to read out (4 findings)" test "${#code}" -le 14
check "the console report ends with it" bash -c "tail -1 '$WORK/console.txt' | grep -qF -- '$code'"
check "the HTML shows it" grep -qF "<b>$code</b>" "$WORK/r.html"
check "... above the summary" $PY - "$WORK/r.html" <<'PYEOF'
import sys
h = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if 0 < h.find('id="support-code"') < h.find('id="summary"') else 1)
PYEOF

# explain --code gives back the findings, no more, no less
rules_of_code() { sed -n 's/.*(\([a-z0-9_.-]*\))$/\1/p' "$1" | sort; }
check_rc "explain --code" 0 "$CD" explain --code "$code"
cp "$WORK/last.out" "$WORK/explain.txt"
$PY -c 'import json,sys; [print(f["rule"]) for f in json.load(open(sys.argv[1]))["findings"]]' "$WORK/r.json" | sort >"$WORK/want"
rules_of_code "$WORK/explain.txt" >"$WORK/got"
check "explain --code lists the findings" cmp -s "$WORK/want" "$WORK/got"
check "... with the same rules version" grep -q "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["rules_version"])' "$WORK/r.json")" "$WORK/explain.txt"
check "... errors first" bash -c "sed -n '/^  1\\./p' '$WORK/explain.txt' | grep -q '错误'"
spoken=$(echo "$code" | tr 'A-Z' 'a-z' | tr '-' ' ' | sed 's/1/l/g; s/0/o/g')
check_rc "read out loosely (lower case, blanks, l for 1, o for 0)" 0 "$CD" explain --code "$spoken"
rules_of_code "$WORK/last.out" >"$WORK/got2"
check "... same findings" cmp -s "$WORK/want" "$WORK/got2"
check_rc "in English" 0 "$CD" --lang en explain --code "$code"
check "... English text" grep -q 'Support code' "$WORK/last.out"

# every single mistyped character is refused
refused=0 tried=0
for ((i = 0; i < ${#code}; i++)); do
  c=${code:i:1}
  [ "$c" = - ] && continue
  for ((k = 0; k < ${#ALPHABET}; k += 7)); do
    r=${ALPHABET:k:1}
    [ "$r" = "$c" ] && r=${ALPHABET:k+1:1}
    bad="${code:0:i}$r${code:i+1}"
    tried=$((tried + 1))
    rc=0
    "$CD" explain --code "$bad" >/dev/null 2>"$WORK/bad.err" || rc=$?
    [ "$rc" = 65 ] && grep -q "$bad" "$WORK/bad.err" && refused=$((refused + 1))
  done
done
echo "mistyped codes refused: $refused of $tried"
check "every mistyped code is refused with exit 65" test "$refused" = "$tried"
check_rc "a character outside the alphabet" 65 "$CD" explain --code "${code}U"
check_rc "too short" 65 "$CD" explain --code 4A

# nothing found: the code says so too
"$CD" scan --snapshot "$SRC/tests/scenarios/win_clean/facts.txt" --json-out "$WORK/clean.json" --quiet
clean=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["support_code"])' "$WORK/clean.json")
check_rc "explain a code without findings" 0 "$CD" explain --code "$clean"
check "... all clear" grep -q '没有发现问题' "$WORK/last.out"

# a code made with other rules: the help desk is warned
cp -r "$SRC/rules" "$WORK/rules2"
printf '\n# changed\n' >>"$WORK/rules2/common/network.rules"
"$CD" scan --snapshot "$CASE" --rules "$WORK/rules2" --json-out "$WORK/r2.json" --quiet
code2=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["support_code"])' "$WORK/r2.json")
check_rc "a code of other rules decodes" 0 "$CD" explain --code "$code2"
check "... with a warning" grep -q '规则版本与本机不同' "$WORK/last.out"
check_rc "... and matches with --rules" 0 "$CD" explain --code "$code2" --rules "$WORK/rules2"
check "... then without a warning" grep -q '规则版本与本机相同' "$WORK/last.out"
finish
