#!/usr/bin/env bash
# cadoctor repair / undo on Linux against real things: a p11-kit module file
# quarantined and restored, a p11-kit module registered and removed, an NSS
# database (made with certutil) given a module with modutil and back, and a
# real pcscd started and stopped again. The file actions run inside a
# sysroot (--root); the journal lives in a temporary directory named by the
# test-only CADOCTOR_TEST_JOURNAL_DIR. Asserts: a dry run changes no file;
# --yes clears the findings and the re-scan says so; applying again changes
# nothing; undo restores every file byte for byte; a run killed between two
# actions (CADOCTOR_TEST_FAIL_AFTER) is reported as interrupted and undo
# restores it; unsafe journal directories and snapshots are refused.
# Usage: repair_linux.sh /path/to/cadoctor SOURCE_DIR
set -uo pipefail
source "$(dirname "$0")/../cli/lib.bash"

SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
PCSCD=/usr/sbin/pcscd
for tool in certutil modutil; do
	command -v $tool >/dev/null || { echo "$TEST_NAME: $tool is missing (install libnss3-tools)" >&2; exit 1; }
done
[ -e "$SOFTHSM" ] || { echo "$TEST_NAME: $SOFTHSM is missing (install softhsm2)" >&2; exit 1; }

# The journal: ours, closed to others (the variable is refused otherwise).
J=$WORK/journal
mkdir -m 0700 "$J"
export CADOCTOR_TEST_JOURNAL_DIR=$J CADOCTOR_LANG=en
unset CADOCTOR_TEST_FAIL_AFTER CADOCTOR_FORBID_ACTIONS

# Rules: the shipped ones plus the test rules that plan the Linux actions.
RULES=$WORK/rules
cp -r "$SRC/rules" "$RULES"
mkdir "$RULES/test"
cp "$SRC/tests/integration/repair_rules/repair_test.rules" "$RULES/test/"

# The sysroot: Alice's Chromium NSS database, a p11-kit registration of a
# library that is gone (pkcs11.stale_p11kit_registration quarantines it), and
# the test module's library.
R=$WORK/root
mkdir -p "$R/home/alice/.pki/nssdb" "$R/etc/pkcs11/modules" "$R/usr/lib/softhsm"
certutil -N -d "sql:$R/home/alice/.pki/nssdb" --empty-password
ln -s "$SOFTHSM" "$R/usr/lib/softhsm/libsofthsm2.so"
printf '# left behind by an uninstalled driver\nmodule: /opt/gone/libgone_p11.so\n' >"$R/etc/pkcs11/modules/stale.module"
chmod 0640 "$R/etc/pkcs11/modules/stale.module"

PROBES=linux.host,linux.p11kit,linux.nss
repair() { "$CD" repair --offline --rules "$RULES" --root "$R" --probes "$PROBES" "$@"; }

# Every file, link and directory of the root with its type, mode and hash.
tree_state() {
	(cd "$R" && find . -printf '%p %y %m %l\n' | sort && find . -type f -exec sha256sum {} + | sort)
}
tree_state >"$WORK/orig.txt"
same_tree() { tree_state | cmp -s - "$WORK/orig.txt"; }

run_id() { sed -n 's/^Repair run \([0-9]*\)\..*/\1/p' "$1" | head -1; }

# ---- dry run: a plan, nothing changed, nothing journaled ----
check_rc "dry run exits with the scan's status (warnings)" 1 repair
cp "$WORK/last.out" "$WORK/dry.out"
check "dry run lists the quarantine" contains "$WORK/dry.out" "move /etc/pkcs11/modules/stale.module to quarantine"
check "dry run lists the NSS module" contains "$WORK/dry.out" "into NSS database sql:/home/alice/.pki/nssdb"
check "dry run lists the p11-kit module" contains "$WORK/dry.out" "register PKCS#11 module cadoctor-test"
check "dry run says nothing was changed" contains "$WORK/dry.out" "nothing was changed"
check "dry run changes no file" same_tree
check_rc "no run journaled by a dry run" 0 "$CD" undo --list
check "undo --list: none" contains "$WORK/last.out" "No repair runs"
check_rc "dry run --json" 1 repair --json
check "dry run JSON plans 3 ready actions" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert not d["applied"] and len(d["plan"]) == 3, d
assert all(p["state"] == "ready" and "result" not in p for p in d["plan"]), d
assert [p["kind"] for p in d["plan"]] == ["file_quarantine", "nss_module_register", "p11kit_module_register"], d
' "$WORK/last.out"

# ---- apply ----
check_rc "repair --yes exits 0 when everything cleared" 0 repair --yes
cp "$WORK/last.out" "$WORK/apply.out"
RUN1=$(run_id "$WORK/apply.out")
check "apply names its run" test -n "$RUN1"
for r in pkcs11.stale_p11kit_registration test.nss_module_missing test.p11kit_module_missing; do
	check "re-scan: $r cleared" contains "$WORK/apply.out" "Cleared: $r"
done
check "nothing remains" bash -c "! grep -q Remaining: '$WORK/apply.out'"
check "stale.module moved away" test ! -e "$R/etc/pkcs11/modules/stale.module"
q=$(ls "$J/quarantine/" 2>/dev/null | grep -- '-stale.module$' | head -1)
check "quarantined copy named by run, step and hash" test -n "$q"
[ -n "$q" ] && check "quarantine keeps the bytes" cmp -s "$J/quarantine/$q" <(printf '# left behind by an uninstalled driver\nmodule: /opt/gone/libgone_p11.so\n')
check "p11-kit module file written" cmp -s "$R/etc/pkcs11/modules/cadoctor-test.module" <(printf 'module: /usr/lib/softhsm/libsofthsm2.so\n')
check "NSS database lists the module" grep -qx 'name=cadoctor-test' "$R/home/alice/.pki/nssdb/pkcs11.txt"
check "quarantine folder closed to others" test "$(stat -c %a "$J/quarantine")" = 700
tree_state >"$WORK/applied.txt"
# The report shows the repair history, with the id that undoes it.
"$CD" scan --offline --rules "$RULES" --root "$R" --probes "$PROBES" --json >"$WORK/history.json" 2>/dev/null
check "report lists the run in its repair history" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = [x for x in d["repairs"] if x["undo_id"] == sys.argv[2]]
sys.exit(0 if r and any(x["kind"] == "file_quarantine" and x["status"] == "applied" for x in r) else 1)' "$WORK/history.json" "$RUN1"
"$CD" scan --offline --rules "$RULES" --probes linux.host --json >"$WORK/history_live.json" 2>/dev/null
check "runs on another root are not this machine's history" python3 -c '
import json, sys
sys.exit(0 if not [x for x in json.load(open(sys.argv[1]))["repairs"] if x["undo_id"] == sys.argv[2]] else 1)' "$WORK/history_live.json" "$RUN1"

# ---- applying again changes nothing ----
check_rc "second repair --yes: nothing to do" 0 repair --yes
check "second run: nothing to repair" contains "$WORK/last.out" "Nothing can be repaired"
# A rule that plans the same actions whatever the facts: both are no-ops now.
AGAIN=$WORK/rules-again
cp -r "$SRC/rules" "$AGAIN"
mkdir "$AGAIN/test"
cp "$SRC/tests/integration/repair_rules/repair_again.rules" "$AGAIN/test/"
check_rc "forced second apply exits" 1 "$CD" repair --offline --rules "$AGAIN" --root "$R" --probes linux.host --yes --json
check "forced second apply: every action a no-op" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["applied"] and d["plan"], d
assert all(p["result"] == "noop" for p in d["plan"]), d
' "$WORK/last.out"
RUN_NOOP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$WORK/last.out" 2>/dev/null)
check "applying twice changed no file" bash -c "cd '$R' && { find . -printf '%p %y %m %l\n' | sort && find . -type f -exec sha256sum {} + | sort; } | cmp -s - '$WORK/applied.txt'"

# ---- undo ----
check_rc "undo of the no-op run" 0 "$CD" undo "$RUN_NOOP"
check_rc "undo $RUN1" 0 "$CD" undo "$RUN1"
check "undo reports every step undone" bash -c "[ \$(grep -c ': undone' '$WORK/last.out') = 3 ]"
check "undo restores every file byte for byte" same_tree
check "the quarantined copy went back" test ! -e "$J/quarantine/$q"
check "mode restored" test "$(stat -c %a "$R/etc/pkcs11/modules/stale.module")" = 640
check_rc "undo twice: already undone" 0 "$CD" undo "$RUN1"
check "says already undone" contains "$WORK/last.out" "already undone"
check_rc "undo --list" 0 "$CD" undo --list --json
check "run listed as undone" python3 -c '
import json, sys
runs = {r["id"]: r for r in json.load(open(sys.argv[1]))}
assert runs[int(sys.argv[2])]["status"] == "undone", runs
' "$WORK/last.out" "$RUN1"
check_rc "unknown run id" 64 "$CD" undo 9999
check_rc "undo needs an id" 64 "$CD" undo

# ---- a run killed between two actions ----
for n in 1 2; do
	got=0
	CADOCTOR_TEST_FAIL_AFTER=$n repair --yes >"$WORK/kill$n.out" 2>&1 || got=$?
	check "fault after $n action(s) stops the run hard" test "$got" = 99
	check "fault after $n: something changed" bash -c "! { cd '$R' && { find . -printf '%p %y %m %l\n' | sort && find . -type f -exec sha256sum {} + | sort; } | cmp -s - '$WORK/orig.txt'; }"
	check_rc "next start finds the interrupted run" 0 "$CD" undo --list
	cp "$WORK/last.err" "$WORK/kill$n.err"
	check "interrupted run offered for undo" contains "$WORK/kill$n.err" "was interrupted part way"
	KRUN=$(sed -n 's/^Repair run \([0-9]*\) was interrupted.*/\1/p' "$WORK/kill$n.err" | head -1)
	check "interrupted run listed as such" grep -q "^  $KRUN .* interrupted" "$WORK/last.out"
	check_rc "undo of the interrupted run" 0 "$CD" undo "$KRUN"
	check "undo after fault $n restores every file" same_tree
done

# ---- refusals ----
check_rc "repair --snapshot is refused" 64 "$CD" repair --snapshot "$WORK/x.db"
mkdir -m 0777 "$WORK/open"
CADOCTOR_TEST_JOURNAL_DIR=$WORK/open repair --yes >"$WORK/open.out" 2>&1
check "journal directory others can write: refused" test $? = 73
check "refused journal: nothing changed" same_tree
ln -s "$J" "$WORK/link"
CADOCTOR_TEST_JOURNAL_DIR=$WORK/link repair --yes >"$WORK/link.out" 2>&1
check "journal directory through a link: refused" test $? = 73
CADOCTOR_FORBID_ACTIONS=nss_module_register,file_quarantine repair --yes --json >"$WORK/forbid.out" 2>&1
check "forbidden kinds are skipped" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
res = {p["kind"]: (p["state"], p.get("result")) for p in d["plan"]}
assert res["nss_module_register"] == ("forbidden", "skipped"), res
assert res["file_quarantine"] == ("forbidden", "skipped"), res
assert res["p11kit_module_register"] == ("ready", "applied"), res
assert "test.nss_module_missing" in d["remaining"] and "test.p11kit_module_missing" in d["cleared"], d
' "$WORK/forbid.out"
FRUN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' "$WORK/forbid.out" 2>/dev/null)
check_rc "undo the partly forbidden run" 0 "$CD" undo "$FRUN"
check "restored after the partly forbidden run" same_tree

# One writer at a time: a held journal makes repair wait, then give up (75).
python3 - "$J/journal.db" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[1] + ".held", "w").close()
time.sleep(8)
PY
HOLDER=$!
for _ in $(seq 50); do [ -e "$J/journal.db.held" ] && break; sleep 0.1; done
check_rc "journal held by another process: repair --yes gives up" 75 repair --yes
check "held journal: nothing changed" same_tree
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
rm -f "$J/journal.db.held"

# ---- a real pcscd (live system, no --root) ----
pcscd_pids() {
	local c
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = pcscd ] && { c=${c#/proc/}; echo "${c%/comm}"; }
	done
}
if [ ! -x "$PCSCD" ]; then
	bad "pcscd is missing (install pcscd)"
elif [ -n "$(pcscd_pids)" ]; then
	echo "$TEST_NAME: SKIP pcscd checks: a pcscd not started by this test is running"
elif [ -d /run/systemd/system ]; then
	echo "$TEST_NAME: SKIP pcscd checks: systemd runs here and this test must not change its units"
else
	live() { "$CD" repair --offline --rules "$RULES" --probes linux.host,linux.pcscd --only test.pcscd_stopped "$@"; }
	check_rc "pcscd dry run" 2 live
	check "dry run plans the start" contains "$WORK/last.out" "start service pcscd"
	check "dry run starts nothing" test -z "$(pcscd_pids)"
	check_rc "repair --yes starts pcscd" 0 live --yes
	PRUN=$(run_id "$WORK/last.out")
	check "pcscd cleared" contains "$WORK/last.out" "Cleared: test.pcscd_stopped"
	check "pcscd runs" test -n "$(pcscd_pids)"
	check_rc "undo stops pcscd" 0 "$CD" undo "$PRUN"
	for _ in $(seq 50); do [ -z "$(pcscd_pids)" ] && break; sleep 0.1; done
	check "pcscd stopped again" test -z "$(pcscd_pids)"
	# Whatever pcscd this test made and undo did not stop: by pid.
	for p in $(pcscd_pids); do kill "$p"; done
fi

finish
