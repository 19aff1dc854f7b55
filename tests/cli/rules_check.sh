#!/usr/bin/env bash
# `cadoctor rules check` rejects each broken rule with file:line and the reason,
# and accepts the project's own rules.
set -uo pipefail
source "$(dirname "$0")/lib.bash"

check_rc "rules check accepts rules/" 0 "$CD" rules check "$SRC/rules"
for dir in "$SRC"/tests/rules_bad/*/; do
  name=$(basename "$dir")
  check_rc "rules check rejects $name" 65 "$CD" rules check "$dir"
  want=$(cat "$dir/expected.txt")
  check "$name: message '$want'" contains "$WORK/last.out" "$want"
  # Every message has the file:line: form.
  check "$name: file:line form" grep -qE '^[^:]+:[0-9]+: ' "$WORK/last.out"
done
# The knowledge base names only rules that exist (a directory may copy the
# catalogs without all rules, so this is checked here for rules/, not by the compiler).
"$CD" rules list >"$WORK/rules.txt"
for cause in $(grep -h '^causes:' "$SRC"/rules/catalog/*.cat | sed 's/^causes://; s/,/ /g'); do
  check "cause $cause is a rule" grep -q "^$cause " "$WORK/rules.txt"
done
# Every rule fires in at least one scenario case (and the clean cases, which
# allow no finding, show where each must stay silent).
while read -r id _; do
  check "rule $id has a scenario where it fires" grep -qs "^Finding: $id\$" "$SRC"/tests/scenarios/*/expected.txt
done <"$WORK/rules.txt"
# A directory that does not exist is a missing input, not a bad one.
check_rc "rules check of a missing directory" 66 "$CD" rules check "$WORK/nope"
finish
