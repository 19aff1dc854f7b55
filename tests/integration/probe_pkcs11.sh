#!/usr/bin/env bash
# pkcs11.tokens against real PKCS#11 modules, each read in its own child
# process with a time limit:
#  - SoftHSM2 tokens holding certificates made here with OpenSSL: RSA and SM2,
#    valid, expired, expiring in 10 days, Chinese organisation names, names in
#    BMPString/T61String and absurd dates (1950, 9999). The facts must equal
#    what `openssl x509` prints for each certificate.
#  - our misbehaving module (tests/pkcs11_testmod.c) copied to several names:
#    locked PIN, final try, crash in C_GetSlotList, hang in C_GetTokenInfo,
#    C_Initialize failure, more slots than announced, malformed and empty
#    certificate values. The scan completes, reports each, and the time it
#    takes stays within the time limits.
#  - the rules on the same facts: locked / final try / no certificate /
#    unusable module / expired / expiring findings.
# Usage: probe_pkcs11.sh CADOCTOR SOURCE_DIR (CADOCTOR_BUILD_DIR names the build)
set -uo pipefail
. "$(dirname "$0")/../cli/lib.bash"

BUILD=${CADOCTOR_BUILD_DIR:-$(dirname "$(dirname "$CD")")}
TESTMOD=$BUILD/tests/libcd_p11test.so
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
for need in softhsm2-util pkcs11-tool openssl python3; do
	command -v "$need" >/dev/null || { echo "$TEST_NAME: $need is missing (scripts/setup-debian.sh test)" >&2; exit 1; }
done
[ -e "$SOFTHSM" ] || { echo "$TEST_NAME: $SOFTHSM is missing (install softhsm2)" >&2; exit 1; }
[ -e "$TESTMOD" ] || { echo "$TEST_NAME: $TESTMOD is missing (build the tests)" >&2; exit 1; }

# ---- certificates ----
C=$WORK/certs
mkdir -p "$C"
log=$WORK/openssl.log
# A CA: DIR KEYTYPE SUBJECT
make_ca() {
	local d=$C/$1 kt=$2 subj=$3 md=sha256
	mkdir -p "$d/new"
	: >"$d/index.txt"
	echo 1000 >"$d/serial"
	if [ "$kt" = sm2 ]; then
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out "$d/ca.key" 2>>"$log"
		md=sm3
	else
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/ca.key" 2>>"$log"
	fi
	cat >"$d/ca.cnf" <<EOF
[ca]
default_ca = ca_any
[ca_any]
dir = $d
database = $d/index.txt
new_certs_dir = $d/new
serial = $d/serial
default_md = $md
policy = policy_any
unique_subject = no
email_in_dn = no
[policy_any]
commonName = supplied
organizationName = optional
countryName = optional
[ext_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[ext_user]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
[req]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
[req_bmp]
distinguished_name = dn
string_mask = default
utf8 = yes
[dn]
EOF
	openssl req -x509 -new -config "$d/ca.cnf" -key "$d/ca.key" -$md -utf8 -subj "$subj" \
		-days 3650 -extensions ext_ca -out "$d/ca.pem" 2>>"$log"
	openssl x509 -in "$d/ca.pem" -outform DER -out "$d/ca.der"
}
# A user certificate: CA NAME KEYTYPE SUBJECT STARTDATE ENDDATE [req section]
make_cert() {
	local d=$C/$1 n=$2 kt=$3 subj=$4 start=$5 end=$6 sect=${7:-req} md=sha256
	if [ "$kt" = sm2 ]; then
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out "$C/$n.key" 2>>"$log"
	else
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$C/$n.key" 2>>"$log"
	fi
	grep -q 'default_md = sm3' "$d/ca.cnf" && md=sm3
	sed "s/^\[$sect\]/[req_use]/" "$d/ca.cnf" | sed "s/^\[req\]$/[req_plain]/" | sed 's/^\[req_use\]/[req]/' >"$C/$n.req.cnf"
	openssl req -new -config "$C/$n.req.cnf" -key "$C/$n.key" -$md -utf8 -subj "$subj" -out "$C/$n.csr" 2>>"$log"
	openssl ca -batch -config "$d/ca.cnf" -cert "$d/ca.pem" -keyfile "$d/ca.key" -in "$C/$n.csr" \
		-out "$C/$n.pem" -startdate "$start" -enddate "$end" -extensions ext_user -notext -preserveDN \
		-md $md >>"$log" 2>&1
	openssl x509 -in "$C/$n.pem" -outform DER -out "$C/$n.der" 2>>"$log"
}
now=$(date -u +%s)
gt() { date -u -d "@$1" +%Y%m%d%H%M%SZ; }
make_ca bjca rsa "/C=CN/O=北京数字认证股份有限公司/CN=BJCA 测试 RSA CA"
make_ca lnca sm2 "/C=CN/O=辽宁省数字证书认证管理有限公司/CN=LNCA SM2 测试 CA"
make_cert bjca rsa_valid rsa "/C=CN/O=辽宁测试建设工程有限公司/CN=张三" "$(gt $((now - 86400)))" "$(gt $((now + 300 * 86400)))"
make_cert bjca rsa_expired rsa "/C=CN/O=沈阳某某招标代理有限公司/CN=李四" "$(gt $((now - 700 * 86400)))" "$(gt $((now - 30 * 86400)))"
make_cert lnca sm2_expiring sm2 "/C=CN/O=大连测试科技有限公司/CN=王五" "$(gt $((now - 300 * 86400)))" "$(gt $((now + 10 * 86400)))"
make_cert lnca sm2_valid sm2 "/C=CN/O=鞍山示例工程有限公司/CN=赵六" "$(gt $((now - 86400)))" "$(gt $((now + 200 * 86400)))"
# Names encoded as BMPString (Chinese) and T61String (Latin-1), absurd dates.
make_cert bjca odd_names rsa "/C=CN/O=Café Société/OU=中文部门/CN=周七 BMP" 500101000000Z 99991231235959Z req_bmp
for n in rsa_valid rsa_expired sm2_expiring sm2_valid odd_names; do
	check "openssl made $n" test -s "$C/$n.der"
done
check "the odd certificate has a BMPString name" sh -c "openssl asn1parse -inform DER -in '$C/odd_names.der' | grep -q BMPSTRING"
check "the odd certificate has a T61String name" sh -c "openssl asn1parse -inform DER -in '$C/odd_names.der' | grep -q T61STRING"
check "the SM2 certificate is signed with SM3withSM2" sh -c "openssl x509 -in '$C/sm2_valid.pem' -noout -text | grep -q SM2-with-SM3"

# ---- SoftHSM2 tokens ----
export SOFTHSM2_CONF=$WORK/softhsm2.conf
mkdir -p "$WORK/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label "RSA 令牌" --pin 123456 --so-pin 87654321 >>"$log" 2>&1
softhsm2-util --init-token --free --label "SM2 token" --pin 123456 --so-pin 87654321 >>"$log" 2>&1
softhsm2-util --init-token --free --label "blank" --pin 123456 --so-pin 87654321 >>"$log" 2>&1
put() { # TOKEN FILE LABEL ID
	pkcs11-tool --module "$SOFTHSM" --token-label "$1" --login --pin 123456 --write-object "$2" \
		--type cert --label "$3" --id "$4" >>"$log" 2>&1
}
check "write rsa_valid" put "RSA 令牌" "$C/rsa_valid.der" "张三 签名证书" 01
check "write rsa_expired" put "RSA 令牌" "$C/rsa_expired.der" "expired" 02
check "write the CA certificate" put "RSA 令牌" "$C/bjca/ca.der" "CA" 03
check "write sm2_valid" put "SM2 token" "$C/sm2_valid.der" "sm2 sign" 11
check "write sm2_expiring" put "SM2 token" "$C/sm2_expiring.der" "sm2 expiring" 12
check "write odd_names" put "SM2 token" "$C/odd_names.der" "odd" 13

# ---- the sysroot: p11-kit registrations of every module ----
R=$WORK/root
M=$R/usr/share/p11-kit/modules
mkdir -p "$M" "$R/usr/lib/softhsm" "$R/opt/test"
ln -s "$SOFTHSM" "$R/usr/lib/softhsm/libsofthsm2.so"
printf 'module: /usr/lib/softhsm/libsofthsm2.so\n' >"$M/softhsm2.module"
VARIANTS="locked finaltry crash hang initfail manyslots badcerts empty keys gbk"
for v in $VARIANTS; do
	cp "$TESTMOD" "$R/opt/test/libtest-$v.so"
	printf 'module: /opt/test/libtest-%s.so\n' "$v" >"$M/test-$v.module"
done
printf 'module: /opt/test/libnot-there.so\n' >"$M/missing.module"
printf 'not a library\n' >"$R/opt/test/libgarbage.so"
printf 'module: /opt/test/libgarbage.so\n' >"$M/garbage.module"
export CD_P11TEST_CERTS=$C/rsa_valid.der

# ---- facts ----
flatten() { awk 'BEGIN { RS = ""; FS = "\n" } { s = "|"; for (i = 1; i <= NF; i++) s = s $i "|"; print s }' "$1"; }
count_rows() {
	local file=$1 rows p
	shift
	rows=$(flatten "$file")
	for p in "$@"; do rows=$(printf '%s\n' "$rows" | grep -F -- "|$p|" || true); done
	if [ -z "$rows" ]; then echo 0; else printf '%s\n' "$rows" | wc -l; fi
}
expect() { # DESCRIPTION N FILE "col: value"...
	local desc=$1 want=$2 file=$3 got
	shift 3
	got=$(count_rows "$file" "$@")
	if [ "$got" -eq "$want" ]; then ok; else
		bad "$desc: $got row(s) with [$*], expected $want"
		flatten "$file" | grep -F -- "|$1|" | sed 's/^/    /' | head -20 >&2
	fi
}
# Value of a column in the certificates row of SoftHSM with this sha256
# (NULL columns are left out of text facts: empty).
cert_fact() {
	awk -v sha="sha256: $1" -v f="$2: " -v mod="module_path: $SOFTHSM_SYS" 'BEGIN { RS = ""; FS = "\n" }
		/^Table: certificates/ { hit = 0; m = 0
			for (i = 1; i <= NF; i++) { if ($i == sha) hit = 1; if ($i == mod) m = 1 }
			hit = hit && m
			if (hit) for (i = 1; i <= NF; i++) if (index($i, f) == 1) { print substr($i, length(f) + 1); exit } }' "$3"
}
same() { # DESCRIPTION GOT WANT
	if [ "$2" == "$3" ]; then ok; else bad "$1: got [$2], expected [$3]"; fi
}

# The facts are compared with the certificates themselves: no redaction of
# serials, names and thumbprints (when this build redacts by default).
NOREDACT=()
if "$CD" collect --help 2>&1 | grep -q -- --no-redact; then NOREDACT=(--no-redact); fi
OUT=$WORK/facts.txt
PROBES=linux.host,linux.p11kit,pkcs11.tokens
SOFTHSM_SYS=/usr/lib/softhsm/libsofthsm2.so
t0=$(date +%s%N)
check_rc "collect with crashing and hanging modules completes" 0 \
	"$CD" collect "${NOREDACT[@]}" --root "$R" --probes "$PROBES" -o "$OUT"
elapsed=$((($(date +%s%N) - t0) / 1000000))
echo "$TEST_NAME: full collect took $elapsed ms (one module hangs: limit 5000 ms)"
# One hanging module costs its 5 s limit; everything else is quick.
check "the hang is cut at its time limit (>= 5000 ms)" test "$elapsed" -ge 5000
check "the whole collect stays within the limits (< 9000 ms, took $elapsed)" test "$elapsed" -lt 9000

T="Table: pkcs11_modules"
expect "softhsm loaded" 1 "$OUT" "$T" "name: softhsm2" "load_status: ok" "manufacturer: SoftHSM" "cryptoki_version: 2.40"
expect "locked module loaded, module info" 1 "$OUT" "$T" "name: test-locked" "load_status: ok" \
	"manufacturer: cadoctor tests" "description: libtest-locked.so" "library_version: 1.7" "cryptoki_version: 2.40"
expect "crash in C_GetSlotList" 1 "$OUT" "$T" "name: test-crash" "load_status: crashed" "manufacturer: cadoctor tests"
expect "hang is a timeout" 1 "$OUT" "$T" "name: test-hang" "load_status: timeout" \
	"load_error: no answer within 5000 ms in C_GetTokenInfo (slot 1): stopped"
expect "C_Initialize failure" 1 "$OUT" "$T" "name: test-initfail" "load_status: failed" \
	"load_error: C_Initialize: CKR_DEVICE_ERROR (0x30)"
expect "a file that is no library" 1 "$OUT" "$T" "name: garbage" "load_status: failed"
expect "a missing file is not loaded" 1 "$OUT" "$T" "name: missing" "file_exists: 0" "load_status: not_loaded"
crash_err=$(count_rows "$OUT" "Table: pkcs11_modules" "name: test-crash" "load_error: crashed in C_GetSlotList (signal 11)")
asan_err=$(flatten "$OUT" | grep -F '|name: test-crash|' | grep -c 'load_error: crashed in C_GetSlotList (exit code' || true)
check "the crash names C_GetSlotList" test $((crash_err + asan_err)) -eq 1

E="Table: probe_errors"
P="probe: pkcs11.tokens"
expect "crash is a probe error" 1 "$OUT" "$E" "$P" "target: /opt/test/libtest-crash.so" "code: crash"
expect "hang is a probe error" 1 "$OUT" "$E" "$P" "target: /opt/test/libtest-hang.so" "code: timeout"
expect "init failure is a probe error" 1 "$OUT" "$E" "$P" "target: /opt/test/libtest-initfail.so" "code: io"
expect "garbage library is a probe error" 1 "$OUT" "$E" "$P" "target: /opt/test/libgarbage.so" "code: io"
expect "too many slots is a probe error" 1 "$OUT" "$E" "$P" "target: /opt/test/libtest-manyslots.so" "code: invalid"
expect "no other probe errors" 5 "$OUT" "$E" "$P"
expect "probe run partial" 1 "$OUT" "Table: probe_runs" "$P" "status: partial"

T="Table: tokens"
expect "locked PIN" 1 "$OUT" "$T" "module_path: /opt/test/libtest-locked.so" "label: 测试锁 locked" \
	"user_pin_locked: 1" "user_pin_final_try: 0" "token_initialized: 1" "model: TestKey 3000" \
	"manufacturer: cadoctor tests" "serial: SN1-locked.s" "token_present: 1" "slot_description: test slot 1"
expect "final try" 1 "$OUT" "$T" "module_path: /opt/test/libtest-finaltry.so" "user_pin_locked: 0" \
	"user_pin_final_try: 1" "user_pin_count_low: 1"
expect "all three slots of the module with too many slots" 3 "$OUT" "$T" "module_path: /opt/test/libtest-manyslots.so"
expect "the hanging module's slot" 1 "$OUT" "$T" "module_path: /opt/test/libtest-hang.so" \
	"slot_id: 1" "token_present: 1" "slot_description: test slot 1"
n_hang_info=$(flatten "$OUT" | grep -F '|module_path: /opt/test/libtest-hang.so|' | grep -c 'user_pin_locked' || true)
check "the hanging module's slot has no token info (NULL flags)" test "$n_hang_info" -eq 0
expect "no token from the crashing module" 0 "$OUT" "$T" "module_path: /opt/test/libtest-crash.so"
expect "a GBK label is decoded as GBK" 1 "$OUT" "$T" "module_path: /opt/test/libtest-gbk.so" "label: 测试锁 GBK"
expect "softhsm tokens by label" 1 "$OUT" "$T" "module_path: /usr/lib/softhsm/libsofthsm2.so" "label: RSA 令牌" \
	"token_initialized: 1" "user_pin_locked: 0" "manufacturer: SoftHSM project"
expect "softhsm SM2 token" 1 "$OUT" "$T" "label: SM2 token" "token_initialized: 1"
expect "softhsm blank token" 1 "$OUT" "$T" "label: blank" "token_initialized: 1"

T="Table: certificates"
# The test modules print "cert<TAB>slot=0<TAB>value=3000" to stdout: not a record.
n_junk=$(flatten "$OUT" | grep -F "|$T|" | grep -F '|module_path: /opt/test/' | grep -vc '|object_label: ' || true)
check "junk the modules printed is not taken for a certificate" test "$n_junk" -eq 0
expect "malformed DER: a row with parse_error" 1 "$OUT" "$T" "module_path: /opt/test/libtest-badcerts.so" \
	"object_label: malformed"
expect "zero-length value" 1 "$OUT" "$T" "object_label: zero-length" "parse_error: empty value: no certificate bytes"
expect "certificate cut short" 1 "$OUT" "$T" "object_label: cut-short"
n_bad=$(flatten "$OUT" | grep -F "|$T|" | grep -F '|module_path: /opt/test/libtest-badcerts.so|' | grep -c '|parse_error: ' || true)
check "three unparsable values have parse_error ($n_bad)" test "$n_bad" -eq 3
expect "softhsm certificates" 3 "$OUT" "$T" "source: pkcs11" "location: RSA 令牌"
expect "softhsm SM2 token certificates" 3 "$OUT" "$T" "source: pkcs11" "location: SM2 token"
expect "a private key visible without login marks its certificate" 1 "$OUT" "$T" \
	"module_path: /opt/test/libtest-keys.so" "object_label: rsa_valid.der" "has_private_key: 1"
expect "the private key itself is no certificate" 1 "$OUT" "$T" "module_path: /opt/test/libtest-keys.so"
n_key=$(flatten "$OUT" | grep -F "|$T|" | grep -vF '|module_path: /opt/test/libtest-keys.so|' | grep -c '|has_private_key: ' || true)
check "no private key seen without login elsewhere: has_private_key stays NULL ($n_key)" test "$n_key" -eq 0
expect "the GBK token's certificate is on the decoded label" 1 "$OUT" "$T" "location: 测试锁 GBK"
expect "the CA certificate is marked" 1 "$OUT" "$T" "location: RSA 令牌" "is_ca: 1" "object_id: 03" "object_label: CA"

# Every certificate's facts against `openssl x509`.
ossl() { openssl x509 -inform DER -in "$1" -noout "${@:2}"; }
epoch() { date -u -d "$(ossl "$1" "$2" | sed 's/^[^=]*=//')" +%s; }
for n in rsa_valid rsa_expired sm2_expiring sm2_valid odd_names; do
	f=$C/$n.der
	sha=$(ossl "$f" -fingerprint -sha256 | sed 's/^.*=//; s/://g')
	same "$n sha256 found" "$(cert_fact "$sha" sha256 "$OUT")" "$sha"
	same "$n subject" "$(cert_fact "$sha" subject "$OUT")" "$(ossl "$f" -subject -nameopt RFC2253,-esc_msb | sed 's/^subject=//')"
	same "$n issuer" "$(cert_fact "$sha" issuer "$OUT")" "$(ossl "$f" -issuer -nameopt RFC2253,-esc_msb | sed 's/^issuer=//')"
	same "$n serial" "$(cert_fact "$sha" serial "$OUT")" "$(ossl "$f" -serial | sed 's/^serial=//')"
	same "$n not_before" "$(cert_fact "$sha" not_before "$OUT")" "$(epoch "$f" -startdate)"
	same "$n not_after" "$(cert_fact "$sha" not_after "$OUT")" "$(epoch "$f" -enddate)"
	sig=$(ossl "$f" -text | grep -m1 'Signature Algorithm:' | sed 's/.*: //')
	[ "$sig" = SM2-with-SM3 ] && sig=SM3withSM2
	same "$n sig_alg" "$(cert_fact "$sha" sig_alg "$OUT")" "$sig"
	same "$n sha1" "$(cert_fact "$sha" sha1 "$OUT")" "$(ossl "$f" -fingerprint -sha1 | sed 's/^.*=//; s/://g')"
	same "$n parse_error" "$(cert_fact "$sha" parse_error "$OUT")" ""
	same "$n is_ca" "$(cert_fact "$sha" is_ca "$OUT")" "0"
	same "$n key_usage" "$(cert_fact "$sha" key_usage "$OUT")" "digitalSignature, nonRepudiation"
	same "$n module_path" "$(cert_fact "$sha" module_path "$OUT")" "/usr/lib/softhsm/libsofthsm2.so"
done
sha_of() { ossl "$C/$1.der" -fingerprint -sha256 | sed 's/^.*=//; s/://g'; }
same "RSA key" "$(cert_fact "$(sha_of rsa_valid)" key_alg "$OUT")" RSA
same "RSA bits" "$(cert_fact "$(sha_of rsa_valid)" key_bits "$OUT")" 2048
same "SM2 key" "$(cert_fact "$(sha_of sm2_valid)" key_alg "$OUT")" SM2
same "SM2 bits" "$(cert_fact "$(sha_of sm2_valid)" key_bits "$OUT")" 256
same "Chinese subject CN" "$(cert_fact "$(sha_of rsa_valid)" subject_cn "$OUT")" "张三"
same "Chinese issuer organisation" "$(cert_fact "$(sha_of rsa_valid)" issuer_o "$OUT")" "北京数字认证股份有限公司"
same "SM2 issuer organisation" "$(cert_fact "$(sha_of sm2_valid)" issuer_o "$OUT")" "辽宁省数字证书认证管理有限公司"
same "object label" "$(cert_fact "$(sha_of rsa_valid)" object_label "$OUT")" "张三 签名证书"
same "object id" "$(cert_fact "$(sha_of sm2_valid)" object_id "$OUT")" "11"
sm2_serial=$(awk 'BEGIN { RS = ""; FS = "\n" } /\nlabel: SM2 token\n/ { for (i = 1; i <= NF; i++) if (index($i, "serial: ") == 1) print substr($i, 9) }' "$OUT")
check "the SM2 token has a serial" test -n "$sm2_serial"
same "token serial links the certificate" "$(cert_fact "$(sha_of sm2_valid)" token_serial "$OUT")" "$sm2_serial"
same "BMPString organisation in UTF-8" "$(cert_fact "$(sha_of odd_names)" subject_o "$OUT")" "Café Société"
same "1950" "$(cert_fact "$(sha_of odd_names)" not_before "$OUT")" "-631152000"
same "9999" "$(cert_fact "$(sha_of odd_names)" not_after "$OUT")" "253402300799"

# ---- the rules on these facts ----
J=$WORK/report.json
"$CD" scan "${NOREDACT[@]}" --root "$R" --probes "$PROBES" --offline --lang en --json-out "$J" --quiet >/dev/null 2>&1
check "scan wrote a report" test -s "$J"
rows() { # RULE: number of evidence rows
	python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print(sum(len(f["messages"]["en"]) for f in r["findings"] if f["rule"]==sys.argv[2]))' "$J" "$1"
}
msgs() { python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print("\n".join(m for f in r["findings"] if f["rule"]==sys.argv[2] for m in f["messages"][sys.argv[3]]))' "$J" "$1" "$2"; }
same "tokens.pin_locked fires once" "$(rows tokens.pin_locked)" 1
check "the locked token's unlock route is BJCA's" sh -c "printf '%s' \"\$1\" | grep -q 'BJCA\"证书助手\"中用解锁码解锁'" _ "$(msgs tokens.pin_locked zh-CN)"
same "tokens.pin_final_try fires once" "$(rows tokens.pin_final_try)" 1
# blank (softhsm) and empty (test module) hold no certificate; the other test
# tokens serve rsa_valid, the uninitialised SoftHSM slot does not count.
same "tokens.no_certificate" "$(rows tokens.no_certificate)" 2
check "no_certificate names the blank token" sh -c "printf '%s' \"\$1\" | grep -q 'Token \"blank\"'" _ "$(msgs tokens.no_certificate en)"
same "tokens.module_unusable: crash, hang, init failure, garbage" "$(rows tokens.module_unusable)" 4
same "certificates.expired: the expired RSA certificate" "$(rows certificates.expired)" 1
check "expired names 李四" sh -c "printf '%s' \"\$1\" | grep -q '李四'" _ "$(msgs certificates.expired en)"
# sm2_expiring (10 days, LNCA window 90) fires; sm2_valid (200 days) and rsa_valid (300) do not.
same "certificates.expiring: the SM2 certificate ending in 10 days" "$(rows certificates.expiring)" 1
check "expiring uses the LNCA window" sh -c "printf '%s' \"\$1\" | grep -q 'renewal window is the last 90 days'" _ "$(msgs certificates.expiring en)"
same "certificates.not_yet_valid stays silent" "$(rows certificates.not_yet_valid)" 0

# ---- time limits, measured one module at a time ----
one_module() { # VARIANT [collect options] -> prints elapsed ms
	local r1=$WORK/one-$1 v=$1
	shift
	mkdir -p "$r1/usr/share/p11-kit/modules" "$r1/opt/test"
	cp "$TESTMOD" "$r1/opt/test/libtest-$v.so"
	printf 'module: /opt/test/libtest-%s.so\n' "$v" >"$r1/usr/share/p11-kit/modules/$v.module"
	local s=$(date +%s%N)
	"$CD" collect "${NOREDACT[@]}" --root "$r1" --probes linux.p11kit,pkcs11.tokens -o "$r1/facts.txt" "$@" >/dev/null 2>&1
	echo $((($(date +%s%N) - s) / 1000000))
}
t_crash=$(one_module crash)
t_hang=$(one_module hang)
t_locked=$(one_module locked)
# --module-timeout-ms: the limit given is the one applied and named.
t_short=$(one_module hangshort --module-timeout-ms 300)
expect "a shorter limit is named in load_error" 1 "$WORK/one-hangshort/facts.txt" "Table: pkcs11_modules" \
	"load_status: timeout" "load_error: no answer within 300 ms in C_GetTokenInfo (slot 1): stopped"
expect "and in the probe error" 1 "$WORK/one-hangshort/facts.txt" "Table: probe_errors" "code: timeout" \
	"message: the module hung (no answer within 300 ms in C_GetTokenInfo (slot 1)); the scan went on without it"
echo "$TEST_NAME: hang module with --module-timeout-ms 300: $t_short ms"
echo "$TEST_NAME: crash module $t_crash ms, hang module $t_hang ms (limit 5000), well-behaved module $t_locked ms"
check "a crash costs no waiting (< 1500 ms, took $t_crash)" test "$t_crash" -lt 1500
check "a hang costs its limit (5000..6500 ms, took $t_hang)" test "$t_hang" -ge 5000 -a "$t_hang" -lt 6500
check "a good module is quick (< 1500 ms, took $t_locked)" test "$t_locked" -lt 1500

finish
