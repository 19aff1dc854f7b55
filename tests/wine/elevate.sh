#!/usr/bin/env bash
# Self-elevation under Wine (docs/repairs.md, "Applying"). Every Wine
# process is an administrator and Wine starts "runas" children without a
# prompt, so the test switch CADOCTOR_TEST_NOT_ELEVATED makes the parent
# believe it is not elevated. On the repair_csp_stale machine:
#   =1         repair --yes relaunches itself elevated: the child applies,
#              its output (plan, results, re-scan) is relayed and its exit
#              code returned; the registry changed. undo --last likewise
#              restores it byte-identical. The private output directory is
#              gone afterwards.
#   =all       the elevated child believes it too: it must not relaunch
#              again (no loop); it runs once and skips what needs the
#              rights; nothing changed.
#   =declined  the relaunch fails as when the user says No to UAC: the
#              parent lists the actions that need the rights, exit 77.
#   a forged marker naming a directory that does not exist is refused.
# usage: elevate.sh SOURCE_DIR (exe from build/win-x64/src)
set -uo pipefail
SRC=$(readlink -f "${1:?usage: elevate.sh SOURCE_DIR}")
source "$SRC/tests/cli/lib.bash" /bin/true "$SRC"
source "$SRC/tests/wine/machine.bash"
TEST_NAME=wine_elevate
CD=$SRC/build/win-x64/src/cadoctor.exe
export WINEPREFIX=$WORK/prefix CADOCTOR_LANG=en
unset CADOCTOR_TEST_JOURNAL_DIR CADOCTOR_TEST_FAIL_AFTER CADOCTOR_FORBID_ACTIONS CADOCTOR_TEST_NOT_ELEVATED
trap 'wineserver -k >/dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
[ -f "$CD" ] || { bad "$CD is not built (scripts/run.sh test builds it)"; finish; exit; }

WINEPREFIX=$WINEPREFIX wine wineboot -i >/dev/null 2>&1
wineserver -w
wine_machine "$WINEPREFIX" repair_csp_stale || bad "machine setup failed"
wineserver -p
wine "$CD" scan --offline >/dev/null 2>&1
export_reg() {
  rm -f "$1"
  wine regedit /E "$(winepath -w "$1")" >/dev/null 2>&1
  [ -s "$1" ]
}
tmp_elevate_dirs() { find "$WINEPREFIX/drive_c/users" -maxdepth 5 -name 'cadoctor-elevate-*' 2>/dev/null | wc -l; }
export_reg "$WORK/before.reg"

# Declined: nothing runs, the listing, 77.
CADOCTOR_TEST_NOT_ELEVATED=declined wine "$CD" repair --offline --yes >"$WORK/declined.out" 2>"$WORK/declined.err"
rc=$?; check "declined elevation exits 77 (got $rc)" test "$rc" = 77
check "declined: the actions needing the rights are listed" contains "$WORK/declined.err" "These actions need administrator rights"
check "declined: the plan is shown" contains "$WORK/declined.out" "delete registry key"
export_reg "$WORK/declined.reg"
check "declined: nothing changed" cmp -s "$WORK/before.reg" "$WORK/declined.reg"

# No loop: the elevated child also believes it is not elevated. It must not
# relaunch again (a loop would never end): it runs once, and under Wine,
# where the journal is writable all the same, skips every action that needs
# the rights; its output is relayed once.
CADOCTOR_TEST_NOT_ELEVATED=all timeout 300 wine "$CD" repair --offline --yes >"$WORK/all.out" 2>"$WORK/all.err"
rc=$?
check "the elevated child ends and its code is relayed (got $rc)" test "$rc" = 1
check "the child ran once" test "$(grep -c '^Repair plan' "$WORK/all.out")" = 1
check "the child skipped what needs the rights" contains "$WORK/all.out" "skipped (needs administrator rights)"
export_reg "$WORK/all.reg"
check "no loop: nothing changed" cmp -s "$WORK/before.reg" "$WORK/all.reg"

# Relaunched elevated: applied, output relayed, exit code returned.
CADOCTOR_TEST_NOT_ELEVATED=1 wine "$CD" repair --offline --yes >"$WORK/apply.out" 2>"$WORK/apply.err"
rc=$?
check "elevated repair --yes: the child's code (0: the re-scan is clean) (got $rc)" test "$rc" = 0
check "the child's plan and results are relayed" contains "$WORK/apply.out" "Cleared: csp.image_missing"
check "the run id is relayed" contains "$WORK/apply.out" "Repair run 2. To undo it"
export_reg "$WORK/applied.reg"
check "elevated repair --yes changed the registry" bash -c "! cmp -s '$WORK/before.reg' '$WORK/applied.reg'"
check "the private output directory is removed" test "$(tmp_elevate_dirs)" = 0

CADOCTOR_TEST_NOT_ELEVATED=1 wine "$CD" undo --last >"$WORK/undo.out" 2>"$WORK/undo.err"
rc=$?; check "elevated undo --last exits 0 (got $rc)" test "$rc" = 0
check "the undo's output is relayed" contains "$WORK/undo.out" "undone"
export_reg "$WORK/undone.reg"
check "elevated undo restores the registry byte-identical" cmp -s "$WORK/before.reg" "$WORK/undone.reg"
check "the private output directory is removed after undo" test "$(tmp_elevate_dirs)" = 0

# undo --list needs no rights: never relaunched (it would leave a directory
# behind only while running; its output comes straight from this process).
CADOCTOR_TEST_NOT_ELEVATED=declined wine "$CD" undo --list >"$WORK/list.out" 2>&1
rc=$?; check "undo --list without rights works (got $rc)" test "$rc" = 0

# A forged marker naming a directory that does not exist: refused.
wine "$CD" '--elevated-output=C:\no\such\dir' version >"$WORK/forged.out" 2>&1
rc=$?; check "a marker naming no directory is a usage error (got $rc)" test "$rc" = 64
finish
