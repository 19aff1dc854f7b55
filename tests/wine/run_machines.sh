#!/usr/bin/env bash
# Runs cadoctor.exe under Wine on each test machine (see README.md).
# usage: run_machines.sh CADOCTOR_EXE SOURCE_DIR [MACHINE...]
# Prints "wine_machines: N passed, N failed" (machines) and exits non-zero on failure.
set -uo pipefail
EXE=$(readlink -f "${1:?usage: run_machines.sh CADOCTOR_EXE SOURCE_DIR [MACHINE...]}")
SRC=$(readlink -f "${2:?}")
shift 2
HERE=$SRC/tests/wine
. "$HERE/machine_rules.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
WINE=${WINE:-wine}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

if [ ! -f "$EXE" ]; then
  echo "wine_machines: $EXE is not built (scripts/run.sh test builds it)" >&2
  exit 1
fi
if ! command -v "$WINE" >/dev/null; then
  echo "wine_machines: wine is not installed (scripts/setup-debian.sh test installs it)" >&2
  exit 1
fi
machines=("$@")
if [ ${#machines[@]} -eq 0 ]; then
  for d in "$HERE"/machines/*/; do machines+=("$(basename "$d")"); done
fi

WORK=$(mktemp -d)
cleanup() {
  WINEPREFIX="$WORK/base" wineserver -k >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# One prefix made per run; each machine gets a copy, so none sees another's state.
WINEPREFIX="$WORK/base" "$WINE" wineboot -i >/dev/null 2>&1
WINEPREFIX="$WORK/base" wineserver -w
passed=0
failed=0
for m in "${machines[@]}"; do
  dir=$HERE/machines/$m
  pfx=$WORK/$m
  out=${CADOCTOR_ARTIFACTS:-$WORK}/wine-$m
  mkdir -p "$out"
  cp -a "$WORK/base" "$pfx"
  export WINEPREFIX=$pfx
  ok=1
  if [ -f "$dir/machine.reg" ]; then
    "$WINE" regedit /S "$(winepath -w "$dir/machine.reg")" >/dev/null 2>&1 || ok=0
    wineserver -w
  fi
  if [ -d "$dir/files" ]; then
    cp -a "$dir/files/." "$pfx/drive_c/"
  fi
  if [ -f "$dir/setup.sh" ]; then
    (cd "$dir" && bash ./setup.sh) >"$out/setup.log" 2>&1 || ok=0
  fi
  [ "$ok" = 1 ] || echo "$m: set-up failed (see $out/setup.log)" >&2
  # A machine whose fixtures hold test extensions or modules (captured from
  # real browsers) adds catalog rows for them, and a repair machine may bring
  # test-only rules: both go into a copy of rules/ the scan uses
  # (machine_rules.sh).
  machine_rules "$dir" "$SRC" "$out" || { ok=0; echo "$m: cannot build its rules" >&2; }
  rules=("${RULES_OPT[@]}")
  # options: more options for collect and scan, on one line (e.g. a short
  # --module-timeout-ms for a machine with a hanging module)
  opts=()
  [ -f "$dir/options" ] && read -r -a opts <"$dir/options"
  # expected.txt names users and paths as set up: compare unredacted facts
  "$WINE" "$EXE" collect --offline --no-redact "${rules[@]}" "${opts[@]}" -o "$(winepath -w "$out/facts.txt")" >"$out/collect.log" 2>&1
  "$WINE" "$EXE" scan --offline --no-redact "${rules[@]}" "${opts[@]}" --json >"$out/scan.json" 2>"$out/scan.err"
  status=$?
  if [ "$ok" = 1 ] && "$PY" "$HERE/check_machine.py" "$dir/expected.txt" "$out/facts.txt" \
      "$out/scan.json" "$status" >"$out/check.log" 2>&1; then
    passed=$((passed + 1))
    echo "PASS $m ($(tail -1 "$out/check.log"))"
  else
    failed=$((failed + 1))
    echo "FAIL $m"
    sed 's/^/  /' "$out/check.log" "$out/scan.err" | head -40
  fi
  wineserver -k >/dev/null 2>&1
  rm -rf "$pfx"
done
echo "wine_machines: $passed passed, $failed failed"
[ "$failed" = 0 ]
