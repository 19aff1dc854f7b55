# Sourced by run_machines.sh and repair_machines.sh: the rules a machine's
# scans and repairs use.
#
# machine_rules MACHINE_DIR SOURCE_DIR OUT sets the array RULES_OPT: empty
# (the project's rules/, built in) unless the machine brings its own rows
# or rules, else (--rules WINDOWS_PATH) of a copy of rules/ made in OUT/rules:
#   - catalog/NAME.cat: rows appended to rules/catalog/NAME.cat (test
#     extensions and modules the captured browser fixtures hold, a test
#     component);
#   - rules/*.rules: test-only rules added as rules/test/*.rules, for action
#     kinds no shipped rule plans. They never go into rules/ (not shipped).
# Needs WINEPREFIX (winepath). Returns non-zero when the copy fails.
machine_rules() {
  local dir=$1 src=$2 out=$3 f
  RULES_OPT=()
  [ -d "$dir/catalog" ] || [ -d "$dir/rules" ] || return 0
  rm -rf "$out/rules"
  cp -r "$src/rules" "$out/rules" || return 1
  for f in "$dir"/catalog/*.cat; do
    [ -f "$f" ] || continue
    if [ ! -f "$out/rules/catalog/$(basename "$f")" ]; then
      echo "machine_rules: $f extends no catalog of rules/catalog" >&2
      return 1
    fi
    { echo; cat "$f"; } >>"$out/rules/catalog/$(basename "$f")" || return 1
  done
  for f in "$dir"/rules/*.rules; do
    [ -f "$f" ] || continue
    mkdir -p "$out/rules/test" && cp "$f" "$out/rules/test/" || return 1
  done
  RULES_OPT=(--rules "$(winepath -w "$out/rules")")
}
