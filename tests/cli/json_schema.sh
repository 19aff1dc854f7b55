#!/usr/bin/env bash
# `scan --json` output validates against docs/report-schema.json, for a live
# scan and for every scenario (which between them produce every rule).
set -uo pipefail
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3

validate() {
  $PY - "$SRC/docs/report-schema.json" "$1" <<'PYEOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
PYEOF
}

check "the schema itself is valid" $PY -c "import json,jsonschema; jsonschema.Draft202012Validator.check_schema(json.load(open('$SRC/docs/report-schema.json')))"
"$CD" scan --offline --json >"$WORK/live.json"
check "live scan validates" validate "$WORK/live.json"
"$CD" scan --offline --lang en --json-out "$WORK/live_en.json" --quiet
check "--json-out validates" validate "$WORK/live_en.json"
check "--json-out language" grep -qE '"lang":\s*"en"' "$WORK/live_en.json"
for dir in "$SRC"/tests/scenarios/*/; do
  name=$(basename "$dir")
  "$CD" scan --snapshot "$dir/facts.txt" --json >"$WORK/$name.json"
  check "scenario $name validates" validate "$WORK/$name.json"
done
# A wrong document must fail validation (the check can fail).
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); d["summary"]["exit_code"]=7; json.dump(d,open(sys.argv[2],"w"))' "$WORK/live.json" "$WORK/broken.json"
if validate "$WORK/broken.json" 2>/dev/null; then bad "a broken document was accepted"; else ok; fi
finish
