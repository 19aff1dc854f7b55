#!/usr/bin/env bash
# usb.libusb: on this machine (which may have no USB at all), skipped under
# --root, and against emulated devices with umockdev when it is installed:
# umockdev-run serves a sysfs and /dev/bus/usb to the real libusb, so the
# probe's enumeration, port paths and class logic run unchanged.
# Usage: probe_libusb.sh /path/to/cadoctor
set -euo pipefail

CADOCTOR=${1:?usage: $0 /path/to/cadoctor}
NAME=probe_libusb
pass=0
fail=0
note=

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# flatten, rows_with, count_rows, expect, ok, collect
PROBES=usb.libusb
source "$(dirname "$0")/facts.bash"

# no_column FILE "col: value" COLUMN: no row with that value has COLUMN.
no_column() {
	local rows
	rows=$(flatten "$1" | grep -F -- "|$2|" | grep -F -- "|$3: " || true)
	if [ -n "$rows" ]; then
		printf '  unexpected %s in: %s\n' "$3" "$rows" >&2
		return 1
	fi
}

# Every usb_devices row has the documented shape.
rows_well_formed() {
	local bad
	bad=$(flatten "$1" | grep -F '|Table: usb_devices|' |
		grep -vE '\|source: libusb\|vid: [0-9a-f]{4}\|pid: [0-9a-f]{4}\|bus: [0-9]+\|address: [0-9]+\|(port_path: [0-9]+(\.[0-9]+)*\|)?device_class: [0-9a-f]{2}\|.*present: 1\|status: ok\|$' || true)
	if [ -n "$bad" ]; then
		echo "  malformed rows:" >&2
		printf '    %s\n' "$bad" >&2
		return 1
	fi
}

# ---- this machine ----
OUT=$TMP/live.txt
ok "live collect exits 0" collect "$OUT"
ok "live rows are well formed" rows_well_formed "$OUT"
if [ "$(count_rows "$OUT" "Table: probe_runs" "probe: usb.libusb" "status: ok")" = 1 ]; then
	pass=$((pass + 1))
	# libusb enumerates what sysfs lists (no USB here: zero rows).
	n_sys=0
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/idVendor" ] && n_sys=$((n_sys + 1))
	done
	expect "live: one row per USB device in sysfs ($n_sys)" "$n_sys" "$OUT" "Table: usb_devices"
else
	# libusb_init can fail (a container without usbfs): one error, no rows.
	expect "live: libusb failure recorded" 1 "$OUT" "Table: probe_errors" "probe: usb.libusb" \
		"target: libusb"
	expect "live: partial run" 1 "$OUT" "Table: probe_runs" "probe: usb.libusb" "status: partial"
fi

# ---- --root: this machine's devices say nothing about a mounted system ----
mkdir -p "$TMP/root"
OUT=$TMP/root.txt
ok "collect --root exits 0" collect "$OUT" --root "$TMP/root"
expect "root: skipped" 1 "$OUT" "Table: probe_runs" "probe: usb.libusb" "status: skipped"
expect "root: no devices" 0 "$OUT" "Table: usb_devices"

# ---- emulated devices ----
# usb1 (root hub), 1-2 a CCID key whose class is on its interface (0b),
# 1-3 a hub and 1-3.1 behind it, an HID device with its class on the device
# (03) and ids given in upper-case hex by the descriptor bytes (1234:ABCD).
if command -v umockdev-run >/dev/null; then
	cat >"$TMP/devices.umockdev" <<'EOF'
P: /devices/pci0000:00/0000:00:14.0/usb1
N: bus/usb/001/001
E: DEVNAME=/dev/bus/usb/001/001
E: DEVTYPE=usb_device
E: DRIVER=usb
E: BUSNUM=001
E: DEVNUM=001
E: MAJOR=189
E: MINOR=0
E: SUBSYSTEM=usb
A: bDeviceClass=09
A: busnum=1
A: devnum=1
A: idVendor=1d6b
A: idProduct=0002
A: speed=480
H: descriptors=12010002090001406B1D020006050302010109021900010100E0000904000001090000000705810304000C

P: /devices/pci0000:00/0000:00:14.0/usb1/1-2
N: bus/usb/001/002
E: DEVNAME=/dev/bus/usb/001/002
E: DEVTYPE=usb_device
E: DRIVER=usb
E: BUSNUM=001
E: DEVNUM=002
E: MAJOR=189
E: MINOR=1
E: SUBSYSTEM=usb
A: bDeviceClass=00
A: busnum=1
A: devnum=2
A: idVendor=096e
A: idProduct=0807
A: speed=12
H: descriptors=12010002000000406E09070800010102030109021200010100803209040000000B000000

P: /devices/pci0000:00/0000:00:14.0/usb1/1-3
N: bus/usb/001/003
E: DEVNAME=/dev/bus/usb/001/003
E: DEVTYPE=usb_device
E: DRIVER=usb
E: BUSNUM=001
E: DEVNUM=003
E: MAJOR=189
E: MINOR=2
E: SUBSYSTEM=usb
A: bDeviceClass=09
A: busnum=1
A: devnum=3
A: idVendor=05e3
A: idProduct=0608
A: speed=480
H: descriptors=1201000209000140E305080600010001000109021900010100E0000904000001090000000705810301000C

P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3.1
N: bus/usb/001/004
E: DEVNAME=/dev/bus/usb/001/004
E: DEVTYPE=usb_device
E: DRIVER=usb
E: BUSNUM=001
E: DEVNUM=004
E: MAJOR=189
E: MINOR=3
E: SUBSYSTEM=usb
A: bDeviceClass=03
A: busnum=1
A: devnum=4
A: idVendor=1234
A: idProduct=abcd
A: speed=12
H: descriptors=12011001030000083412CDAB000101020001090212000101008032090400000003000000

EOF
	OUT=$TMP/umockdev.txt
	# umockdev works by LD_PRELOAD; an ASan build must not insist on coming first.
	ok "collect under umockdev exits 0" env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		umockdev-run -d "$TMP/devices.umockdev" -- "$CADOCTOR" collect --probes usb.libusb -o "$OUT"
	expect "emulated: four devices" 4 "$OUT" "Table: usb_devices" "source: libusb" "present: 1" "status: ok"
	ok "emulated rows are well formed" rows_well_formed "$OUT"
	expect "root hub: no port path" 1 "$OUT" "Table: usb_devices" "vid: 1d6b" "pid: 0002" "bus: 1" \
		"address: 1" "device_class: 09"
	ok "root hub has no port_path" no_column "$OUT" "vid: 1d6b" port_path
	expect "CCID key: class from its interface" 1 "$OUT" "Table: usb_devices" "vid: 096e" "pid: 0807" \
		"bus: 1" "address: 2" "port_path: 2" "device_class: 0b"
	expect "hub" 1 "$OUT" "Table: usb_devices" "vid: 05e3" "pid: 0608" "port_path: 3" "device_class: 09"
	expect "device behind a hub: dotted port path, lower-case ids, device class" 1 "$OUT" \
		"Table: usb_devices" "vid: 1234" "pid: abcd" "address: 4" "port_path: 3.1" "device_class: 03"
	# The emulated devices answer no control transfers: strings stay unknown,
	# which is normal (no permission on a real system) and not an error.
	ok "emulated: no strings without answers" no_column "$OUT" "Table: usb_devices" manufacturer
	expect "emulated: no errors" 0 "$OUT" "Table: probe_errors"
	expect "emulated: probe ok" 1 "$OUT" "Table: probe_runs" "probe: usb.libusb" "status: ok"
else
	note=" (emulated devices skipped: umockdev-run not installed)"
fi

echo "$NAME: $pass passed, $fail failed$note"
[ "$fail" -eq 0 ]
