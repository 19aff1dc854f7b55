#!/usr/bin/env bash
# linux.p11kit against a sysroot of real p11-kit .module files: system,
# administrator and user directories (users found through /home and
# /etc/passwd), relative and absolute module paths, enable-in/disable-in,
# and broken files that must each give one probe_errors row while the other
# modules are still reported.
# Usage: probe_p11kit.sh /path/to/cadoctor
set -euo pipefail

CADOCTOR=${1:?usage: $0 /path/to/cadoctor}
NAME=probe_p11kit
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
pass=0
fail=0

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [ ! -e "$SOFTHSM" ]; then
	echo "$NAME: $SOFTHSM is missing (install softhsm2)" >&2
	exit 1
fi

# flatten, rows_with, count_rows, expect, ok, collect
PROBES=linux.p11kit
source "$(dirname "$0")/facts.bash"

# ---- the sysroot ----
# Libraries: an absolute path to the real softhsm, and a multiarch module
# directory for relative names. The triplet is deliberately one this machine
# may not be (aarch64): a system of another architecture mounted with --root
# must resolve against its own directory.
R=$TMP/root
MA=aarch64-linux-gnu
mkdir -p "$R/usr/lib/softhsm" "$R/usr/lib/$MA/pkcs11" "$R/usr/share/p11-kit/modules" \
	"$R/etc/pkcs11/modules" "$R/home/alice/.config/pkcs11/modules" "$R/srv/bob/.config/pkcs11/modules" \
	"$R/root/.config/pkcs11/modules" "$R/home/nomods"
ln -s "$SOFTHSM" "$R/usr/lib/softhsm/libsofthsm2.so"
ln -s "$SOFTHSM" "$R/usr/lib/$MA/pkcs11/libsofthsm2.so"
cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
bob:x:1001:1001:Bob:/srv/bob/:/bin/bash
ghost:x:1002:1002:Gone:/home/ghost:/bin/bash
EOF

M=$R/usr/share/p11-kit/modules
cat >"$M/softhsm.module" <<EOF
# This file describes how to load the pk11 module
# See: http://p11-glue.freedesktop.org/doc/p11-kit/config.html

module: /usr/lib/softhsm/libsofthsm2.so
critical: no
priority: 5
EOF
printf 'module: libsofthsm2.so\n' >"$M/relative.module"
printf 'module:/opt/vendor/lib/libvendor_p11.so\n' >"$M/missing.module"
printf 'module: opensc-pkcs11.so\ndisable-in: p11-kit-proxy\n' >"$M/disabled.module"
printf 'module: libsofthsm2.so\nenable-in: seahorse, ssh\n' >"$M/elsewhere.module"
printf 'module: libsofthsm2.so\nenable-in: firefox p11-kit-proxy\n' >"$M/proxyonly.module"
# Broken registrations: each is one probe_errors row naming the file.
mkdir "$M/adir.module"
printf '\x7fELF\x02\x01\x01\x00\x00\xff\xfe\x00module: x.so\n' >"$M/garbage.module"
printf 'module: \xd6\xd0\xce\xc4.so\n' >"$M/gbk.module"
printf 'critical: yes\n# module: commented.so\n' >"$M/nomodule.module"
printf 'module: libsofthsm2.so\nthis line has no colon\n' >"$M/badline.module"
# Not module configs: ignored.
printf 'module: ignored.so\n' >"$M/README"
printf 'module: ignored.so\n' >"$M/.hidden.module"

printf 'module: /usr/lib/softhsm/libsofthsm2.so\n' >"$R/etc/pkcs11/modules/admin.module"
# alice overrides the system softhsm module: both rows are kept.
printf 'module: /home/alice/lib/libmine.so\n' >"$R/home/alice/.config/pkcs11/modules/softhsm.module"
# bob's home is only known from /etc/passwd.
printf 'module: /usr/lib/softhsm/libsofthsm2.so\n' >"$R/srv/bob/.config/pkcs11/modules/bob.module"
# A blank module value is p11-kit's way to turn a system module off.
printf 'module:\n' >"$R/root/.config/pkcs11/modules/disabled-by-root.module"

OUT=$TMP/facts.txt
ok "collect --root exits 0" collect "$OUT" --root "$R"
T="Table: pkcs11_modules"
S="source: p11kit"
SYS=/usr/share/p11-kit/modules

expect "absolute module path" 1 "$OUT" "$T" "$S" "name: softhsm" \
	"path: /usr/lib/softhsm/libsofthsm2.so" "resolved_path: /usr/lib/softhsm/libsofthsm2.so" \
	"file_exists: 1" "source_file: $SYS/softhsm.module" "enabled: 1" "load_status: not_loaded"
expect "relative path resolved in the multiarch module directory" 1 "$OUT" "$T" "$S" \
	"name: relative" "path: libsofthsm2.so" "resolved_path: /usr/lib/$MA/pkcs11/libsofthsm2.so" \
	"file_exists: 1" "enabled: 1"
expect "missing library" 1 "$OUT" "$T" "$S" "name: missing" \
	"resolved_path: /opt/vendor/lib/libvendor_p11.so" "file_exists: 0" "enabled: 1"
expect "disable-in: p11-kit-proxy" 1 "$OUT" "$T" "$S" "name: disabled" "enabled: 0" \
	"resolved_path: /usr/lib/$MA/pkcs11/opensc-pkcs11.so" "file_exists: 0"
expect "enable-in without p11-kit-proxy" 1 "$OUT" "$T" "$S" "name: elsewhere" "enabled: 0"
expect "enable-in with p11-kit-proxy" 1 "$OUT" "$T" "$S" "name: proxyonly" "enabled: 1"
expect "administrator directory" 1 "$OUT" "$T" "$S" "name: admin" \
	"source_file: /etc/pkcs11/modules/admin.module" "file_exists: 1"
expect "user override kept beside the system file" 1 "$OUT" "$T" "$S" "name: softhsm" \
	"source_file: /home/alice/.config/pkcs11/modules/softhsm.module" "file_exists: 0"
expect "user found through /etc/passwd" 1 "$OUT" "$T" "$S" "name: bob" \
	"source_file: /srv/bob/.config/pkcs11/modules/bob.module" "file_exists: 1"
expect "blank module: value switches the module off" 1 "$OUT" "$T" "$S" \
	"name: disabled-by-root" "enabled: 0"
expect "hidden files and non-.module files ignored" 0 "$OUT" "$T" "path: ignored.so"
expect "exactly the good modules reported" 10 "$OUT" "$T" "$S"

E="Table: probe_errors"
P="probe: linux.p11kit"
expect "a directory named .module" 1 "$OUT" "$E" "$P" "target: $SYS/adir.module" "code: io"
expect "binary garbage" 1 "$OUT" "$E" "$P" "target: $SYS/garbage.module" "code: parse"
expect "invalid UTF-8 (GBK) text" 1 "$OUT" "$E" "$P" "target: $SYS/gbk.module" "code: parse"
expect "no module: line" 1 "$OUT" "$E" "$P" "target: $SYS/nomodule.module" "code: parse"
expect "line without a colon" 1 "$OUT" "$E" "$P" "target: $SYS/badline.module" "code: parse"
expect "no other errors" 5 "$OUT" "$E" "$P"
expect "probe run is partial" 1 "$OUT" "Table: probe_runs" "$P" "status: partial"

# user-config: none in the global config: users' files no longer count.
mkdir -p "$R/etc/pkcs11"
printf '# no user modules\nuser-config: none\n' >"$R/etc/pkcs11/pkcs11.conf"
OUT2=$TMP/facts2.txt
ok "collect with user-config: none exits 0" collect "$OUT2" --root "$R"
expect "user-config: none disables user modules" 1 "$OUT2" "$T" "name: bob" "enabled: 0"
expect "user-config: none leaves system modules" 1 "$OUT2" "$T" "name: admin" "enabled: 1"

# An empty root: nothing registered, nothing wrong.
mkdir -p "$TMP/empty"
OUT3=$TMP/facts3.txt
ok "collect on an empty root exits 0" collect "$OUT3" --root "$TMP/empty"
expect "empty root: no modules" 0 "$OUT3" "$T"
expect "empty root: probe ok" 1 "$OUT3" "Table: probe_runs" "$P" "status: ok"

# This machine, live: every .module file installed here has a row or an error.
OUT4=$TMP/facts4.txt
ok "live collect exits 0" collect "$OUT4"
n_files=0
for f in /usr/share/p11-kit/modules/*.module /etc/pkcs11/modules/*.module; do
	[ -e "$f" ] && n_files=$((n_files + 1))
done
n_rows=$(flatten "$OUT4" | grep -F "|$T|" | grep -cE '\|source_file: /(usr/share/p11-kit|etc/pkcs11)/modules/' || true)
n_errs=$(flatten "$OUT4" | grep -F "|$E|" | grep -cE '\|target: /(usr/share/p11-kit|etc/pkcs11)/modules/' || true)
ok "live: $n_files system module file(s), $n_rows row(s) + $n_errs error(s)" \
	test "$n_files" -eq $((n_rows + n_errs))

echo "$NAME: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
