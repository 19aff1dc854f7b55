#!/usr/bin/env bash
# linux.dpkg against copies of this machine's real /var/lib/dpkg/status: the
# clean file (every installed package reported with dpkg-query's version),
# a copy damaged with garbage lines (every good package still reported and
# exactly one probe_errors row), a big file (no quadratic work), and systems
# without dpkg or without a status file.
# Usage: probe_dpkg.sh /path/to/cadoctor
set -euo pipefail

CADOCTOR=${1:?usage: $0 /path/to/cadoctor}
NAME=probe_dpkg
STATUS=/var/lib/dpkg/status
pass=0
fail=0

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [ ! -s "$STATUS" ]; then
	echo "$NAME: $STATUS is missing: this test needs a Debian system" >&2
	exit 1
fi

# flatten, rows_with, count_rows, expect, ok, collect
PROBES=linux.dpkg
source "$(dirname "$0")/facts.bash"

new_root() {
	mkdir -p "$TMP/$1/var/lib/dpkg"
	echo "$TMP/$1"
}

# Packages dpkg itself counts as present (any state but not-installed).
expected_packages() {
	dpkg-query --admindir="$1" -W -f='${db:Status-Status}\n' | grep -vc '^not-installed$' || true
}

# ---- the real status file, plus one package in each unusual state ----
R1=$(new_root clean)
cp "$STATUS" "$R1/var/lib/dpkg/status"
cat >>"$R1/var/lib/dpkg/status" <<'EOF'

Package: cadoctor-test-removed
Status: deinstall ok config-files
Priority: optional
Section: misc
Maintainer: Test <test@example.org>
Architecture: all
Version: 1.0-1
Description: cadoctor test package, removed
Conffiles:
 /etc/cadoctor-test.conf 0123456789abcdef0123456789abcdef

Package: cadoctor-test-purged
Status: purge ok not-installed
Priority: optional
Section: misc
Architecture: all
EOF
OUT=$TMP/clean.txt
ok "collect (clean status) exits 0" collect "$OUT" --root "$R1"
n_want=$(expected_packages "$R1/var/lib/dpkg")
expect "one row per package dpkg-query lists ($n_want)" "$n_want" "$OUT" "Table: programs" "source: dpkg"
dpkg_ver=$(dpkg-query --admindir="$R1/var/lib/dpkg" -W -f='${Version}' dpkg)
dpkg_arch=$(dpkg-query --admindir="$R1/var/lib/dpkg" -W -f='${Architecture}' dpkg)
dpkg_maint=$(dpkg-query --admindir="$R1/var/lib/dpkg" -W -f='${Maintainer}' dpkg)
expect "dpkg itself with its version, maintainer and architecture" 1 "$OUT" "Table: programs" \
	"source: dpkg" "key: dpkg" "name: dpkg" "version: $dpkg_ver" "publisher: $dpkg_maint" \
	"status: installed" "arch: $dpkg_arch"
expect "config-files package kept" 1 "$OUT" "Table: programs" "key: cadoctor-test-removed" \
	"status: config-files" "version: 1.0-1" "arch: all"
expect "not-installed package dropped" 0 "$OUT" "Table: programs" "key: cadoctor-test-purged"
expect "no errors on a clean file" 0 "$OUT" "Table: probe_errors"
expect "probe run ok" 1 "$OUT" "Table: probe_runs" "probe: linux.dpkg" "status: ok"

# ---- the same file damaged: 5 garbage lines of different kinds ----
# line 2: text with no colon, inside the first stanza
# a field name starting with '-' inside another stanza
# binary bytes with a NUL after a blank line
# an indented line after a blank line (continuation of nothing)
# a last line "no newline at end" without a colon
R2=$(new_root damaged)
awk -v pkg="$(awk '/^Package: /{n++} n==20{print $2; exit}' "$R1/var/lib/dpkg/status")" '
	NR == 2 { print "this line is garbage" }
	$0 == "Package: " pkg { print; print "-Broken-Field: yes"; next }
	{ print }
	' "$R1/var/lib/dpkg/status" >"$R2/var/lib/dpkg/status"
printf '\n\x01\x02\x00\xff\xfe binary\n\n   indented orphan\n' >>"$R2/var/lib/dpkg/status"
cat >>"$R2/var/lib/dpkg/status" <<'EOF'

Package: cadoctor-test-last
Status: install ok installed
Version: 2.0
EOF
printf 'no newline at end' >>"$R2/var/lib/dpkg/status"
OUT2=$TMP/damaged.txt
ok "collect (damaged status) exits 0" collect "$OUT2" --root "$R2"
expect "every good package still reported" $((n_want + 1)) "$OUT2" "Table: programs" "source: dpkg"
expect "dpkg still reported" 1 "$OUT2" "Table: programs" "key: dpkg" "version: $dpkg_ver"
first_pkg=$(awk '/^Package: /{print $2; exit}' "$R1/var/lib/dpkg/status")
expect "package of the stanza with garbage at line 2 kept" 1 "$OUT2" "Table: programs" "key: $first_pkg"
expect "package after the last garbage kept" 1 "$OUT2" "Table: programs" "key: cadoctor-test-last" \
	"version: 2.0" "status: installed"
expect "exactly one probe_errors row" 1 "$OUT2" "Table: probe_errors"
expect "it names the file, the count and the first line" 1 "$OUT2" "Table: probe_errors" \
	"probe: linux.dpkg" "target: /var/lib/dpkg/status" "code: parse"
msg=$(flatten "$OUT2" | grep -F '|Table: probe_errors|' || true)
ok "message says 5 lines, first at line 2 (got: $msg)" \
	bash -c '[[ $1 == *"5 line(s)"* && $1 == *"line 2)"* ]]' _ "$msg"
expect "probe run partial" 1 "$OUT2" "Table: probe_runs" "probe: linux.dpkg" "status: partial"

# ---- a big file: 6 copies under other names; must stay fast ----
R3=$(new_root big)
for i in $(seq 1 6); do
	sed "s/^Package: /Package: copy$i-/" "$STATUS"
	echo
done >"$R3/var/lib/dpkg/status"
n_big=$(expected_packages "$R3/var/lib/dpkg")
OUT3=$TMP/big.txt
t0=$(date +%s%N)
ok "collect (big status) exits 0" collect "$OUT3" --root "$R3"
ms=$((($(date +%s%N) - t0) / 1000000))
expect "big file: every package ($n_big)" "$n_big" "$OUT3" "Table: programs" "source: dpkg"
ok "big file read in under 20 s (took ${ms} ms)" test "$ms" -lt 20000

# ---- no dpkg at all (an RPM system): skipped, not an error ----
mkdir -p "$TMP/nodpkg"
OUT4=$TMP/nodpkg.txt
ok "collect (no dpkg) exits 0" collect "$OUT4" --root "$TMP/nodpkg"
expect "no dpkg: skipped" 1 "$OUT4" "Table: probe_runs" "probe: linux.dpkg" "status: skipped"
expect "no dpkg: no error" 0 "$OUT4" "Table: probe_errors"

# ---- dpkg directory without its status file: an error ----
R5=$(new_root nostatus)
OUT5=$TMP/nostatus.txt
ok "collect (no status file) exits 0" collect "$OUT5" --root "$R5"
expect "no status file: one error naming it" 1 "$OUT5" "Table: probe_errors" \
	"probe: linux.dpkg" "target: /var/lib/dpkg/status" "code: not_found"

echo "$NAME: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
