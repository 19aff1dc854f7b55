#!/usr/bin/env bash
# linux.pcscd: live, with a real pcscd started and stopped by this test
# (running, stopped, stale socket after a crash); and on sysroots for what
# can be read offline (installed, start type from the systemd units, state
# "unknown" because this machine's processes say nothing about a root).
# Usage: probe_pcscd.sh /path/to/cadoctor
set -euo pipefail

CADOCTOR=${1:?usage: $0 /path/to/cadoctor}
NAME=probe_pcscd
PCSCD=/usr/sbin/pcscd
SOCK=/run/pcscd/pcscd.comm
pass=0
fail=0
skipped=0
PID=

TMP=$(mktemp -d)
SOCK_EXISTED=0
[ -e "$SOCK" ] && SOCK_EXISTED=1

pcscd_running() {
	local c
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = pcscd ] && return 0
	done
	return 1
}

cleanup() {
	# Only the pcscd this test started, by its pid.
	if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
		kill "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	# A pcscd killed with SIGKILL leaves its files; remove them only if
	# they were not there before and no pcscd runs now.
	if [ "$SOCK_EXISTED" = 0 ] && ! pcscd_running; then
		rm -f "$SOCK" /run/pcscd/pcscd.pid
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ ! -x "$PCSCD" ]; then
	echo "$NAME: $PCSCD is missing (install pcscd)" >&2
	exit 1
fi

# Text facts -> one line per row: "|Table: t|col: v|col: v|".
flatten() {
	awk 'BEGIN { RS = ""; FS = "\n" } { s = "|"; for (i = 1; i <= NF; i++) s = s $i "|"; print s }' "$1"
}

# The services row of FILE.
service_row() {
	flatten "$1" | grep -F '|Table: services|' | grep -F '|name: pcscd|' || true
}

# expect_row DESCRIPTION FILE "col: value"... : the pcscd row has each one.
expect_row() {
	local desc=$1 file=$2 row p missing=
	shift 2
	row=$(service_row "$file")
	for p in "$@"; do
		[[ $row == *"|$p|"* ]] || missing="$missing [$p]"
	done
	if [ -n "$row" ] && [ -z "$missing" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $desc: missing$missing" >&2
		echo "  row: ${row:-(none)}" >&2
	fi
}

# expect_detail DESCRIPTION FILE TEXT : the detail column contains TEXT.
expect_detail() {
	local desc=$1 file=$2 text=$3 row
	row=$(service_row "$file")
	if [[ $row == *"|detail: "*"$text"* ]]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $desc: detail lacks \"$text\"" >&2
		echo "  row: ${row:-(none)}" >&2
	fi
}

# expect_no DESCRIPTION FILE COLUMN : the pcscd row has no such column (NULL).
expect_no() {
	local desc=$1 file=$2 col=$3 row
	row=$(service_row "$file")
	if [ -n "$row" ] && [[ $row != *"|$col: "* ]]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $desc: expected no $col" >&2
		echo "  row: ${row:-(none)}" >&2
	fi
}

ok() {
	local desc=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $desc" >&2
	fi
}

collect() { # OUT [collect options...]
	local out=$1
	shift
	if ! "$CADOCTOR" collect "$@" --probes linux.pcscd -o "$out" 2>"$out.err"; then
		sed 's/^/  stderr: /' "$out.err" >&2
		return 1
	fi
}

# Waits up to 5 s for COND (a command) to hold.
wait_for() {
	local _
	for _ in $(seq 1 50); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

start_pcscd() {
	"$PCSCD" --foreground >"$TMP/pcscd.log" 2>&1 &
	PID=$!
	if ! wait_for test -S "$SOCK"; then
		echo "  pcscd did not create $SOCK:" >&2
		sed 's/^/    /' "$TMP/pcscd.log" >&2
		return 1
	fi
}

# ---- live ----
if pcscd_running; then
	# Another pcscd (the system's) would make "stopped" untestable, and
	# this test must not stop what it did not start.
	echo "$NAME: SKIP live checks: a pcscd not started by this test is running"
	skipped=1
else
	OUT=$TMP/live-running.txt
	ok "pcscd starts" start_pcscd
	ok "collect (pcscd running) exits 0" collect "$OUT"
	expect_row "running daemon" "$OUT" "name: pcscd" "installed: 1" "state: running" \
		"binary_path: $PCSCD"
	expect_detail "detail names the process" "$OUT" "pid $PID"
	expect_detail "socket accepts a connection" "$OUT" "accepts connections"

	kill "$PID"
	wait "$PID" 2>/dev/null || true
	PID=
	OUT=$TMP/live-stopped.txt
	ok "collect (pcscd stopped) exits 0" collect "$OUT"
	expect_row "stopped daemon" "$OUT" "installed: 1" "state: stopped"
	expect_detail "detail says no process" "$OUT" "no pcscd process"
	expect_detail "clean stop removes the socket" "$OUT" "$SOCK absent"

	# A crashed daemon leaves its socket behind: nobody answers on it.
	OUT=$TMP/live-crashed.txt
	ok "pcscd starts again" start_pcscd
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null || true
	PID=
	ok "collect (pcscd crashed) exits 0" collect "$OUT"
	expect_row "crashed daemon" "$OUT" "state: stopped"
	expect_detail "stale socket refuses connections" "$OUT" "exists but refuses connections"
	if [ "$SOCK_EXISTED" = 0 ]; then
		rm -f "$SOCK" /run/pcscd/pcscd.pid
	fi
	ok "live: no probe_errors" bash -c "! grep -q '^Table: probe_errors' '$OUT'"
fi

# ---- sysroots ----
# Units as Debian ships them: copied from this machine when present.
units() { # ROOT
	mkdir -p "$1/lib/systemd/system" "$1/etc/systemd/system"
	if [ -f /lib/systemd/system/pcscd.service ] && [ -f /lib/systemd/system/pcscd.socket ]; then
		cp /lib/systemd/system/pcscd.service /lib/systemd/system/pcscd.socket "$1/lib/systemd/system/"
	else
		printf '[Unit]\nDescription=PC/SC Smart Card Daemon\n\n[Service]\nExecStart=/usr/sbin/pcscd --foreground --auto-exit\n' \
			>"$1/lib/systemd/system/pcscd.service"
		printf '[Unit]\nDescription=PC/SC Smart Card Daemon Activation Socket\n\n[Socket]\nListenStream=/run/pcscd/pcscd.comm\n' \
			>"$1/lib/systemd/system/pcscd.socket"
	fi
}

# A: binary present, socket unit enabled (links as systemctl makes them).
A=$TMP/a
mkdir -p "$A/usr/sbin" "$A/etc/systemd/system/sockets.target.wants"
ln -s "$PCSCD" "$A/usr/sbin/pcscd"
units "$A"
ln -s /lib/systemd/system/pcscd.socket "$A/etc/systemd/system/sockets.target.wants/pcscd.socket"
desc=$(sed -n 's/^Description=//p' "$A/lib/systemd/system/pcscd.service")
OUT=$TMP/root-a.txt
ok "collect --root (socket enabled) exits 0" collect "$OUT" --root "$A"
expect_row "root: installed, socket activated, state unknown" "$OUT" "installed: 1" \
	"state: unknown" "start_type: socket" "binary_path: /usr/sbin/pcscd" "display_name: $desc"
expect_detail "root: detail says why the state is unknown" "$OUT" "--root"
expect_detail "root: detail names the enabled unit" "$OUT" "pcscd.socket enabled"

# B: no binary, but dpkg says installed; units present, nothing enabled.
B=$TMP/b
mkdir -p "$B/var/lib/dpkg"
units "$B"
cat >"$B/var/lib/dpkg/status" <<'EOF'
Package: libpcsclite1
Status: install ok installed
Version: 1.9.9-2

Package: pcscd
Status: install ok installed
Priority: optional
Architecture: amd64
Version: 1.9.9-2
Description: Middleware to access a smart card using PC/SC (daemon side)

EOF
OUT=$TMP/root-b.txt
ok "collect --root (dpkg only) exits 0" collect "$OUT" --root "$B"
expect_row "root: installed per dpkg, units not enabled" "$OUT" "installed: 1" \
	"state: unknown" "start_type: manual"
expect_no "root: no binary path without the binary" "$OUT" binary_path

# C: both units masked.
C=$TMP/c
units "$C"
ln -s /dev/null "$C/etc/systemd/system/pcscd.socket"
ln -s /dev/null "$C/etc/systemd/system/pcscd.service"
OUT=$TMP/root-c.txt
ok "collect --root (masked) exits 0" collect "$OUT" --root "$C"
expect_row "root: masked units are disabled" "$OUT" "start_type: disabled" "installed: 0"

# D: the service enabled at boot instead of the socket.
D=$TMP/d
units "$D"
mkdir -p "$D/etc/systemd/system/multi-user.target.wants"
ln -s /lib/systemd/system/pcscd.service "$D/etc/systemd/system/multi-user.target.wants/pcscd.service"
OUT=$TMP/root-d.txt
ok "collect --root (service enabled) exits 0" collect "$OUT" --root "$D"
expect_row "root: service enabled at boot" "$OUT" "start_type: auto"

# E: nothing at all.
E=$TMP/e
mkdir -p "$E"
OUT=$TMP/root-e.txt
ok "collect --root (empty) exits 0" collect "$OUT" --root "$E"
expect_row "root: not installed" "$OUT" "installed: 0" "state: unknown"
expect_no "root: no start type without units" "$OUT" start_type
ok "root: no probe_errors" bash -c "! grep -q '^Table: probe_errors' '$OUT'"

if [ "$skipped" = 1 ]; then
	echo "$NAME: $pass passed, $fail failed (live checks skipped)"
else
	echo "$NAME: $pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
