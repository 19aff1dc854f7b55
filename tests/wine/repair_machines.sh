#!/usr/bin/env bash
# cadoctor.exe repair and undo under Wine, per test machine (README.md).
# usage: repair_machines.sh CADOCTOR_EXE SOURCE_DIR [MACHINE...]
# Default machines: every repair_* machine and the fixtures with planned
# repairs. For each one, in a fresh prefix built as run_machines.sh builds
# it, with the whole registry exported by `regedit /E`:
#   - a dry run (repair) leaves the export byte-identical;
#   - repair --yes clears what the machine's repair.txt names (Cleared:),
#     and a re-scan (scan --json) no longer has those findings;
#   - undo --last brings the export back byte-identical;
#   - with "Fault: N" in repair.txt, a run stopped hard after N actions
#     (CADOCTOR_TEST_FAIL_AFTER) is reported interrupted and undo brings the
#     export back byte-identical.
#   - with "Irreversible: KEY" lines (actions that cannot be undone, such as
#     program_uninstall), undo must say so and exit 1, and the comparison
#     after undo leaves out exactly those keys and the keys below them; they
#     must differ from before (the action did change them), everything else
#     must be byte-identical.
#   - with "File: C:\PATH" lines (files a file_quarantine moves): the dry run
#     leaves each file as it was; after repair --yes it is gone and the
#     journal's before-state records its sha256, which the quarantined copy
#     has; with Fault: N, the run stopped after N actions has moved them too
#     (N counts the quarantine in); after every undo each is back with the
#     same name, bytes and attributes (attrib); and a
#     further run whose quarantined copy is changed before undo must make
#     undo refuse to restore it (exit 1, "changed"), leaving the place empty.
#   - with "Ran: C:\FILE TEXT" lines (FILE without spaces; a stand-in program an action runs
#     appends its arguments to FILE): the dry run leaves FILE absent, and
#     after repair --yes FILE has a line that is exactly TEXT.
# A machine's catalog/ rows and test-only rules/*.rules are added to a copy
# of rules/ that its scans and repairs use (machine_rules.sh).
# Prints "wine_repair: N passed, N failed" (machines).
set -uo pipefail
EXE=$(readlink -f "${1:?usage: repair_machines.sh CADOCTOR_EXE SOURCE_DIR [MACHINE...]}")
SRC=$(readlink -f "${2:?}")
shift 2
HERE=$SRC/tests/wine
. "$HERE/machine_rules.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
WINE=${WINE:-wine}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" CADOCTOR_LANG=en
unset CADOCTOR_TEST_FAIL_AFTER CADOCTOR_FORBID_ACTIONS CADOCTOR_TEST_JOURNAL_DIR

if [ ! -f "$EXE" ]; then
  echo "wine_repair: $EXE is not built (scripts/run.sh test builds it)" >&2
  exit 1
fi
if ! command -v "$WINE" >/dev/null; then
  echo "wine_repair: wine is not installed" >&2
  exit 1
fi
machines=("$@")
if [ ${#machines[@]} -eq 0 ]; then
  for d in "$HERE"/machines/*/; do
    m=$(basename "$d")
    # Machines with a repair.txt, and the fixtures whose findings plan repairs.
    case $m in
      repair_*|smartcard_stopped|liaoning_and_other_province|xtx_dll_missing) machines+=("$m") ;;
    esac
  done
fi

WORK=$(mktemp -d)
cleanup() {
  WINEPREFIX="$WORK/base" wineserver -k >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

WINEPREFIX="$WORK/base" "$WINE" wineboot -i >/dev/null 2>&1
WINEPREFIX="$WORK/base" wineserver -w

# The whole registry as regedit exports it. The wineserver of the machine is
# kept running from the first scan on (wineserver -p): a new one would
# rewrite Wine's own boot-time keys (display driver dates, device links).
export_reg() { # OUT
  rm -f "$1"
  "$WINE" regedit /E "$(winepath -w "$1")" >/dev/null 2>&1
  [ -s "$1" ]
}

# same_after_undo A B: byte-identical, except for one key: the service
# manager's count of service processes started
# (HKLM\System\CurrentControlSet\Control\ServiceCurrent, volatile on
# Windows), which starting a service always increments and nothing resets;
# and the keys named by the machine's "Irreversible:" lines ($IRREV, one a
# line) with the keys below them, which must differ between A and B (the
# action that cannot be undone did change them).
same_after_undo() {
  [ -z "$IRREV" ] && cmp -s "$1" "$2" && return 0
  IRREV=$IRREV "$PY" - "$1" "$2" <<'PY'
import os, sys
irrev = [k.lower() for k in os.environ["IRREV"].split("\n") if k]
def under(name, k):
    return name == k or name.startswith(k + "\\")
def strip(path):
    text = open(path, "rb").read().decode("utf-16")
    out, skip, kept = [], False, {k: [] for k in irrev}
    for line in text.split("\r\n"):
        if line.startswith("["):
            name = line[1:-1].lower()
            hit = [k for k in irrev if under(name, k)]
            skip = bool(hit) or name == "hkey_local_machine\\system\\currentcontrolset\\control\\servicecurrent"
        if skip:
            for k in hit:
                kept[k].append(line)
            continue
        out.append(line)
    return out, kept
a, ka = strip(sys.argv[1])
b, kb = strip(sys.argv[2])
same = [k for k in irrev if ka[k] == kb[k]]
if same:
    print("keys named Irreversible that did not change:", same)
sys.exit(a != b or bool(same))
PY
}

# quarantined JOURNAL_DB WINDOWS_PATH SHA256: the last run's file_quarantine
# step for that path recorded that hash; prints the quarantined copy's
# Windows path.
quarantined() {
  "$PY" - "$@" <<'PY'
import json, sqlite3, sys
db, path, sha = sys.argv[1:4]
c = sqlite3.connect(db)
run = c.execute("SELECT max(id) FROM runs").fetchone()[0]
rows = [json.loads(b) for (b,) in c.execute(
    "SELECT before FROM steps WHERE run = ? AND kind = 'file_quarantine' AND before IS NOT NULL", (run,))]
hit = [b for b in rows if b.get("path", "").lower() == path.lower()]
if not hit:
    sys.exit("no file_quarantine step of run %s recorded %s" % (run, path))
if hit[0].get("sha256") != sha:
    sys.exit("recorded sha256 %s, the file had %s" % (hit[0].get("sha256"), sha))
print(hit[0]["quarantine"])
PY
}

passed=0
failed=0
for m in "${machines[@]}"; do
  dir=$HERE/machines/$m
  pfx=$WORK/$m
  out=${CADOCTOR_ARTIFACTS:-$WORK}/wine-repair-$m
  mkdir -p "$out"
  rm -rf "$out"/*
  cp -a "$WORK/base" "$pfx"
  export WINEPREFIX=$pfx
  errs=()
  fail() { errs+=("$*"); }
  # The machine, as run_machines.sh builds it.
  if [ -f "$dir/machine.reg" ]; then
    "$WINE" regedit /S "$(winepath -w "$dir/machine.reg")" >/dev/null 2>&1 || fail "machine.reg import failed"
    wineserver -w
  fi
  [ -d "$dir/files" ] && cp -a "$dir/files/." "$pfx/drive_c/"
  if [ -f "$dir/setup.sh" ]; then
    (cd "$dir" && bash ./setup.sh) >"$out/setup.log" 2>&1 || fail "setup.sh failed (see $out/setup.log)"
  fi
  cleared=$(sed -n 's/^Cleared: *//p' "$dir/repair.txt" 2>/dev/null)
  fault=$(sed -n 's/^Fault: *//p' "$dir/repair.txt" 2>/dev/null)
  IRREV=$(sed -n 's/^Irreversible: *//p' "$dir/repair.txt" 2>/dev/null)
  files=$(sed -n 's/^File: *//p' "$dir/repair.txt" 2>/dev/null)
  ran=$(sed -n 's/^Ran: *//p' "$dir/repair.txt" 2>/dev/null)
  # check_ran WHEN absent|present: each Ran: file not there, or with its line.
  check_ran() {
    local f t u
    while read -r f t; do
      [ -n "$f" ] || continue
      u=$(winepath -u "$f")
      if [ "$2" = absent ]; then
        [ ! -e "$u" ] || fail "$1: $f exists (the program ran)"
      else
        tr -d '\r' <"$u" 2>/dev/null | grep -qxF -- "$t" || fail "$1: $f has no line \"$t\" (the program did not run so)"
      fi
    done <<<"$ran"
  }
  machine_rules "$dir" "$SRC" "$out" || fail "cannot build the machine's rules"
  rules=("${RULES_OPT[@]}")
  journal=$(winepath -u 'C:\ProgramData')/cadoctor/journal.db
  # check_files WHEN present|absent: each File: there with its first bytes,
  # or gone.
  declare -A fhash=() fattr=()
  attrs() { LANG=C.UTF-8 "$WINE" attrib "$1" 2>/dev/null | sed 's/ *[A-Za-z]:\\.*//'; }
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    u=$(winepath -u "$f")
    [ -f "$u" ] && fhash[$f]=$(sha256sum <"$u" | cut -d' ' -f1) && fattr[$f]=$(attrs "$f") ||
      fail "File: $f is not there before the repair"
  done <<<"$files"
  check_files() {
    local f u
    while IFS= read -r f; do
      [ -n "$f" ] || continue
      u=$(winepath -u "$f")
      if [ "$2" = absent ]; then
        [ ! -e "$u" ] || fail "$1: $f is still there"
      elif [ ! -f "$u" ]; then
        fail "$1: $f is not there"
      elif [ "$(sha256sum <"$u" | cut -d' ' -f1)" != "${fhash[$f]:-}" ]; then
        fail "$1: $f has other bytes"
      elif [ "$(attrs "$f")" != "${fattr[$f]:-}" ]; then
        fail "$1: $f has other attributes ($(attrs "$f"), not ${fattr[$f]:-})"
      fi
    done <<<"$files"
  }

  # A first scan: whatever Wine itself writes on first use is in place before
  # the reference export.
  wineserver -p
  "$WINE" "$EXE" scan --offline "${rules[@]}" >"$out/scan0.txt" 2>&1
  export_reg "$out/before.reg" || fail "regedit /E failed"

  # 1. Dry run: the plan, no change.
  "$WINE" "$EXE" repair --offline "${rules[@]}" >"$out/dry.txt" 2>"$out/dry.err"
  rc=$?
  [ "$rc" -lt 64 ] || fail "dry run exited $rc"
  for r in $cleared; do grep -q "for $r" "$out/dry.txt" || fail "dry run does not plan for $r"; done
  export_reg "$out/dry.reg" && cmp -s "$out/before.reg" "$out/dry.reg" || fail "dry run changed the registry (diff $out/before.reg $out/dry.reg)"
  check_files "dry run" present
  check_ran "dry run" absent

  # 2. Apply, re-scan.
  "$WINE" "$EXE" repair --offline --yes "${rules[@]}" >"$out/apply.txt" 2>"$out/apply.err"
  rc=$?
  [ "$rc" -lt 64 ] || fail "repair --yes exited $rc"
  for r in $cleared; do
    grep -q "Cleared: $r" "$out/apply.txt" || fail "repair --yes did not clear $r"
  done
  "$WINE" "$EXE" scan --offline --json "${rules[@]}" >"$out/rescan.json" 2>/dev/null
  for r in $cleared; do
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(any(f["rule"] == sys.argv[2] for f in d["findings"]))' \
      "$out/rescan.json" "$r" || fail "re-scan still finds $r"
  done
  export_reg "$out/applied.reg"
  check_files "repair --yes" absent
  check_ran "repair --yes" present
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    q=$(quarantined "$journal" "$f" "${fhash[$f]}" 2>>"$out/files.err") || { fail "repair --yes: $(tail -1 "$out/files.err")"; continue; }
    qu=$(winepath -u "$q")
    [ -f "$qu" ] && [ "$(sha256sum <"$qu" | cut -d' ' -f1)" = "${fhash[$f]}" ] ||
      fail "repair --yes: the quarantined copy $q is not the file"
  done <<<"$files"
  if [ -n "$cleared" ] && cmp -s "$out/before.reg" "$out/applied.reg"; then
    fail "repair --yes changed nothing in the registry"
  fi

  # 3. Undo: the registry as it was.
  if grep -q '^Repair run ' "$out/apply.txt"; then
    "$WINE" "$EXE" undo --last >"$out/undo.txt" 2>&1
    rc=$?
    if [ -n "$IRREV" ]; then
      [ "$rc" = 1 ] && grep -q "cannot be undone" "$out/undo.txt" ||
        fail "undo --last exited $rc without saying what cannot be undone"
    else
      [ "$rc" = 0 ] || fail "undo --last failed"
    fi
    export_reg "$out/undone.reg" && same_after_undo "$out/before.reg" "$out/undone.reg" ||
      fail "undo did not restore the registry (diff $out/before.reg $out/undone.reg)"
    check_files "undo" present
  fi

  # 4. A run killed between two actions, then undone.
  if [ -n "$fault" ]; then
    CADOCTOR_TEST_FAIL_AFTER=$fault "$WINE" "$EXE" repair --offline --yes "${rules[@]}" >"$out/fault.txt" 2>&1
    rc=$?
    [ "$rc" = 99 ] || fail "fault injection: exit $rc, expected 99"
    check_files "the run stopped after $fault actions" absent
    "$WINE" "$EXE" undo --list >"$out/list.txt" 2>"$out/list.err"
    run=$(sed -n 's/^Repair run \([0-9]*\) was interrupted.*/\1/p' "$out/list.err" | head -1)
    [ -n "$run" ] || fail "the interrupted run was not reported"
    if [ -n "$run" ]; then
      "$WINE" "$EXE" undo "$run" >"$out/fault-undo.txt" 2>&1 || fail "undo of the interrupted run failed"
    fi
    export_reg "$out/fault-undone.reg" && same_after_undo "$out/before.reg" "$out/fault-undone.reg" ||
      fail "undo after the fault did not restore the registry"
    check_files "undo after the fault" present
  fi

  # 5. A quarantined copy changed before undo: undo must refuse to put it
  # back (never other bytes under the file's name) and say why.
  if [ -n "$files" ]; then
    "$WINE" "$EXE" repair --offline --yes "${rules[@]}" >"$out/tamper-apply.txt" 2>&1
    while IFS= read -r f; do
      [ -n "$f" ] || continue
      q=$(quarantined "$journal" "$f" "${fhash[$f]}" 2>>"$out/files.err") || { fail "tamper: $(tail -1 "$out/files.err")"; continue; }
      qu=$(winepath -u "$q")
      # (a read-only file has no write bits under Wine: as a user, not root,
      # the append needs one)
      chmod u+w "$qu" && printf 'changed after quarantine' >>"$qu" || fail "tamper: cannot change $q"
    done <<<"$files"
    "$WINE" "$EXE" undo --last >"$out/tamper-undo.txt" 2>&1
    rc=$?
    [ "$rc" = 1 ] && grep -q "quarantined copy was changed" "$out/tamper-undo.txt" ||
      fail "undo of a changed quarantined copy exited $rc without saying it was changed (see $out/tamper-undo.txt)"
    check_files "undo of a changed quarantined copy" absent
    while IFS= read -r f; do
      [ -n "$f" ] || continue
      q=$(quarantined "$journal" "$f" "${fhash[$f]}" 2>/dev/null) && [ -f "$(winepath -u "$q")" ] ||
        fail "undo of a changed quarantined copy: the copy is no longer in the quarantine"
    done <<<"$files"
  fi

  if [ ${#errs[@]} -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS $m"
  else
    failed=$((failed + 1))
    echo "FAIL $m"
    printf '  %s\n' "${errs[@]}"
    sed 's/^/  | /' "$out/apply.txt" "$out/apply.err" 2>/dev/null | head -30
  fi
  wineserver -k >/dev/null 2>&1
  rm -rf "$pfx"
done
echo "wine_repair: $passed passed, $failed failed"
[ "$failed" = 0 ]
