#!/usr/bin/env bash
# linux.nss against real NSS databases made with modutil inside a sysroot:
# Chromium's ~/.pki/nssdb and Firefox profiles (profiles.ini with relative
# and absolute paths, a profile only on disk, the snap's directory), users
# found through /home and /etc/passwd, relative and absolute library names,
# and a damaged profile that gives one probe_errors row.
# Usage: probe_nss.sh /path/to/cadoctor
set -euo pipefail

CADOCTOR=${1:?usage: $0 /path/to/cadoctor}
NAME=probe_nss
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
pass=0
fail=0

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if ! command -v modutil >/dev/null; then
	echo "$NAME: modutil is missing (install libnss3-tools)" >&2
	exit 1
fi
if [ ! -e "$SOFTHSM" ]; then
	echo "$NAME: $SOFTHSM is missing (install softhsm2)" >&2
	exit 1
fi
PROXY=
for f in /usr/lib/*/p11-kit-proxy.so /usr/lib64/p11-kit-proxy.so /usr/lib/p11-kit-proxy.so; do
	if [ -e "$f" ]; then
		PROXY=$f
		break
	fi
done
if [ -z "$PROXY" ]; then
	echo "$NAME: p11-kit-proxy.so is missing (install p11-kit-modules)" >&2
	exit 1
fi

# flatten, rows_with, count_rows, expect, ok, collect
PROBES=linux.nss
source "$(dirname "$0")/facts.bash"

# A real NSS database in DIR (a path in the sysroot), then the modules given
# as NAME=LIBRARY pairs added with modutil, which loads each library.
make_db() {
	local dir=$1 spec
	shift
	mkdir -p "$dir"
	modutil -create -dbdir "sql:$dir" -force </dev/null >"$TMP/modutil.log" 2>&1 || {
		cat "$TMP/modutil.log" >&2
		return 1
	}
	for spec in "$@"; do
		modutil -add "${spec%%=*}" -libfile "${spec#*=}" -dbdir "sql:$dir" -force \
			</dev/null >"$TMP/modutil.log" 2>&1 || {
			cat "$TMP/modutil.log" >&2
			return 1
		}
	done
	test -s "$dir/pkcs11.txt"
}

# ---- the sysroot ----
# The multiarch directory is deliberately one this machine may not have
# (aarch64): a mounted system of another architecture resolves in its own.
R=$TMP/root
MA=aarch64-linux-gnu
mkdir -p "$R/usr/lib/softhsm" "$R/usr/lib/$MA" "$R/etc" "$R/root" "$R/home/carol" "$R/data/dave"
ln -s "$SOFTHSM" "$R/usr/lib/softhsm/libsofthsm2.so"
ln -s "$PROXY" "$R/usr/lib/$MA/p11-kit-proxy.so"
cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
carol:x:1000:1000:Carol:/home/carol:/bin/bash
dave:x:1001:1001:Dave:/data/dave:/bin/bash
EOF

C=$R/home/carol
# Chromium: softhsm under a Chinese name, p11-kit-proxy by relative name, then
# two vendor modules whose libraries are not installed (appended as a vendor
# installer would: modutil refuses libraries it cannot load).
make_db "$C/.pki/nssdb" "SoftHSM 飞天=/usr/lib/softhsm/libsofthsm2.so" "proxy=p11-kit-proxy.so"
printf '\nlibrary=libgm3000_pkcs11.so\nname=LongMai GM3000\n\nlibrary=/opt/apps/com.ftsafe/libes_3000gm.so\nname=ePass3000GM\n' \
	>>"$C/.pki/nssdb/pkcs11.txt"

FF=$C/.mozilla/firefox
make_db "$FF/abcd1234.default-release" "softhsm=$SOFTHSM"
make_db "$R/data/ff/work" "work-token=/usr/lib/softhsm/libsofthsm2.so"
make_db "$FF/zzzz.orphan" "orphan-proxy=p11-kit-proxy.so"
mkdir -p "$FF/Crash Reports" "$FF/broken.default/pkcs11.txt"
cat >"$FF/profiles.ini" <<'EOF'
[Install4F96D1932A9F858E]
Default=abcd1234.default-release
Locked=1

[Profile2]
Name=gone
IsRelative=1
Path=gone.default

[Profile1]
Name=work
IsRelative=0
Path=/data/ff/work

[Profile0]
Name=default-release
IsRelative=1
Path=abcd1234.default-release
Default=1

[General]
StartWithLastProfile=1
Version=2
EOF
SNAP=$C/snap/firefox/common/.mozilla/firefox
make_db "$SNAP/snapprof.default" "snap-softhsm=/usr/lib/softhsm/libsofthsm2.so"
printf '[Profile0]\r\nName=default\r\nIsRelative=1\r\nPath=snapprof.default\r\n' >"$SNAP/profiles.ini"
# dave's home is only known from /etc/passwd.
make_db "$R/data/dave/.pki/nssdb" "dave-softhsm=/usr/lib/softhsm/libsofthsm2.so"

OUT=$TMP/facts.txt
ok "collect --root exits 0" collect "$OUT" --root "$R"
T="Table: pkcs11_modules"
S="source: nss"
CDB=/home/carol/.pki/nssdb/pkcs11.txt
CFF=/home/carol/.mozilla/firefox

expect "internal NSS module skipped" 0 "$OUT" "$T" "name: NSS Internal PKCS #11 Module"
expect "absolute library, Chinese module name" 1 "$OUT" "$T" "$S" "name: SoftHSM 飞天" \
	"path: /usr/lib/softhsm/libsofthsm2.so" "resolved_path: /usr/lib/softhsm/libsofthsm2.so" \
	"file_exists: 1" "source_file: $CDB" "enabled: 1" "load_status: not_loaded"
expect "relative library resolved in the multiarch directory" 1 "$OUT" "$T" "$S" "name: proxy" \
	"path: p11-kit-proxy.so" "resolved_path: /usr/lib/$MA/p11-kit-proxy.so" "file_exists: 1" \
	"source_file: $CDB"
expect "relative library not installed" 1 "$OUT" "$T" "$S" "name: LongMai GM3000" \
	"path: libgm3000_pkcs11.so" "file_exists: 0" "source_file: $CDB"
row=$(rows_with "$OUT" "$T" "name: LongMai GM3000")
ok "unresolvable relative library has no resolved_path" test "${row/|resolved_path: /}" = "$row"
expect "absolute library not installed" 1 "$OUT" "$T" "$S" "name: ePass3000GM" \
	"resolved_path: /opt/apps/com.ftsafe/libes_3000gm.so" "file_exists: 0"
expect "Firefox profile, relative path in profiles.ini" 1 "$OUT" "$T" "$S" "name: softhsm" \
	"source_file: $CFF/abcd1234.default-release/pkcs11.txt" "file_exists: 1"
expect "Firefox profile, absolute path in profiles.ini" 1 "$OUT" "$T" "$S" "name: work-token" \
	"source_file: /data/ff/work/pkcs11.txt" "file_exists: 1"
expect "Firefox profile found only on disk" 1 "$OUT" "$T" "$S" "name: orphan-proxy" \
	"source_file: $CFF/zzzz.orphan/pkcs11.txt" "resolved_path: /usr/lib/$MA/p11-kit-proxy.so"
expect "snap Firefox profile (CRLF profiles.ini)" 1 "$OUT" "$T" "$S" "name: snap-softhsm" \
	"source_file: /home/carol/snap/firefox/common/.mozilla/firefox/snapprof.default/pkcs11.txt"
expect "user found through /etc/passwd" 1 "$OUT" "$T" "$S" "name: dave-softhsm" \
	"source_file: /data/dave/.pki/nssdb/pkcs11.txt"
expect "every database read once, every module reported" 9 "$OUT" "$T" "$S"

E="Table: probe_errors"
P="probe: linux.nss"
expect "unreadable pkcs11.txt named" 1 "$OUT" "$E" "$P" "target: $CFF/broken.default/pkcs11.txt" "code: io"
expect "no other errors (missing profiles are not errors)" 1 "$OUT" "$E" "$P"
expect "probe run is partial" 1 "$OUT" "Table: probe_runs" "$P" "status: partial"

mkdir -p "$TMP/empty"
OUT2=$TMP/facts2.txt
ok "collect on an empty root exits 0" collect "$OUT2" --root "$TMP/empty"
expect "empty root: no modules" 0 "$OUT2" "$T"
expect "empty root: probe ok" 1 "$OUT2" "Table: probe_runs" "$P" "status: ok"

OUT3=$TMP/facts3.txt
ok "live collect exits 0" collect "$OUT3"
expect "live: probe ran" 1 "$OUT3" "Table: probe_runs" "$P"

echo "$NAME: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
