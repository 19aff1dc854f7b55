#!/usr/bin/env bash
# docs/facts.md is generated from src/core/schema.sql; it must not fall behind.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
GEN=${CADOCTOR_GEN:?CADOCTOR_GEN names the cadoctor-gen tool}
check "schema-doc runs" "$GEN" schema-doc "$SRC/src/core/schema.sql" "$WORK/facts.md"
if cmp -s "$WORK/facts.md" "$SRC/docs/facts.md"; then ok; else
  bad "docs/facts.md is out of date: run cadoctor-gen schema-doc src/core/schema.sql docs/facts.md"
  diff "$SRC/docs/facts.md" "$WORK/facts.md" | head -20 >&2
fi
# Every fact table the code knows is documented.
for t in $(grep -oE '^CREATE TABLE [a-z_0-9]+' "$SRC/src/core/schema.sql" | awk '{print $3}'); do
  check "table $t documented" grep -q "^## \`$t\`" "$SRC/docs/facts.md"
done
# Every command has its page.
for c in scan collect rules explain; do
  check "docs/cli/$c.md exists" test -s "$SRC/docs/cli/$c.md"
done
finish
