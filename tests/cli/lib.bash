# Helpers for the shell tests: sourced, never run. Each check prints what
# failed; finish prints the "name: N passed, N failed" line and sets the status.
CD=${1:?usage: test.sh CADOCTOR_BINARY SOURCE_DIR}
SRC=${2:?usage: test.sh CADOCTOR_BINARY SOURCE_DIR}
CD=$(readlink -f "$CD")
SRC=$(readlink -f "$SRC")
TEST_NAME=$(basename "$0" .sh)
PASSED=0
FAILED=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ok() { PASSED=$((PASSED + 1)); }
bad() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }
# check "description" command...
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }
# check_rc "description" expected_rc command...
check_rc() {
  local what=$1 want=$2; shift 2
  local got=0
  "$@" >"$WORK/last.out" 2>"$WORK/last.err" || got=$?
  if [ "$got" = "$want" ]; then ok; else
    bad "$what: exit $got, expected $want"; sed 's/^/  | /' "$WORK/last.err" | head -20 >&2; fi
}
contains() { grep -qF -- "$2" "$1"; }
finish() {
  echo "$TEST_NAME: $PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}
