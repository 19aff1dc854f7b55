#!/usr/bin/env bash
# collect -o s.db, then scan --snapshot s.db, gives the findings of the live
# scan; the same through readable text facts. Uses a system root with real
# p11-kit registrations so that there are findings to compare.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3

root=$WORK/root
mkdir -p "$root/usr/share/p11-kit/modules" "$root/etc/pkcs11/modules" "$root/etc" "$root/var/lib/dpkg"
printf 'module: /usr/lib/softhsm/libsofthsm2.so\n' >"$root/usr/share/p11-kit/modules/softhsm2.module"
printf 'module: /opt/vendor/libgone-pkcs11.so\n' >"$root/etc/pkcs11/modules/gone.module"
printf 'PRETTY_NAME="Test Linux"\nID=debian\nVERSION_ID="12"\n' >"$root/etc/os-release"
printf 'Package: pcscd\nStatus: install ok installed\nVersion: 1.9.9\n\n' >"$root/var/lib/dpkg/status"

findings() { # json file -> sorted "rule rows" lines
  $PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
for f in sorted(d["findings"], key=lambda f: f["rule"]):
    print(f["rule"], f["severity"], f["evidence"]["total_rows"], json.dumps(f["evidence"]["rows"], ensure_ascii=False), json.dumps(f["repair"], ensure_ascii=False))' "$1"
}

"$CD" scan --offline --root "$root" --json >"$WORK/live.json"
"$CD" collect --offline --root "$root" -o "$WORK/s.db"
"$CD" scan --snapshot "$WORK/s.db" --json >"$WORK/snap.json"
"$CD" collect --offline --root "$root" -o "$WORK/s.txt"
"$CD" scan --snapshot "$WORK/s.txt" --json >"$WORK/text.json"

findings "$WORK/live.json" >"$WORK/live.f"
findings "$WORK/snap.json" >"$WORK/snap.f"
findings "$WORK/text.json" >"$WORK/text.f"
check "live scan has findings" test -s "$WORK/live.f"
check "the stale module is found live" contains "$WORK/live.f" "pkcs11.module_file_missing"
check "snapshot findings equal live" cmp -s "$WORK/live.f" "$WORK/snap.f"
check "text facts findings equal live" cmp -s "$WORK/live.f" "$WORK/text.f"
check "snapshot marked as such" grep -qE '"source":\s*"snapshot"' "$WORK/snap.json"
# Same facts too, table by table.
$PY -c 'import json,sys
a=json.load(open(sys.argv[1]))["summary"]["facts"]; b=json.load(open(sys.argv[2]))["summary"]["facts"]
a.pop("probe_runs", None); b.pop("probe_runs", None)
sys.exit(0 if a==b else 1)' "$WORK/live.json" "$WORK/snap.json"
check "fact counts equal" test $? = 0
# The machine itself, without a root, round-trips too.
"$CD" collect --offline -o "$WORK/me.db"
"$CD" scan --snapshot "$WORK/me.db" --json >"$WORK/me_snap.json"
"$CD" scan --offline --json >"$WORK/me_live.json"
findings "$WORK/me_snap.json" >"$WORK/me_snap.f"
findings "$WORK/me_live.json" >"$WORK/me_live.f"
check "this machine: snapshot findings equal live" cmp -s "$WORK/me_snap.f" "$WORK/me_live.f"
if ! cmp -s "$WORK/live.f" "$WORK/snap.f"; then diff "$WORK/live.f" "$WORK/snap.f" >&2; fi
finish
