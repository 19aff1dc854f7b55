#!/usr/bin/env bash
# Redaction by default (src/core/redact.h): personal data planted in every
# fact table and in paths (tests/cli/data/planted_personal.txt) must not be in
# the HTML report, the JSON, or a snapshot exported for support (SQLite or
# text), nor any ID number with a valid check digit; organisation names and
# other non-personal values stay. A value has one pseudonym everywhere, a
# redacted snapshot gives the findings of the report it came from, and
# --no-redact is explicit and says so. A live collection with user homes and
# e-mail addresses on disk is checked the same way.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
IN=$SRC/tests/cli/data/planted_personal.txt

PLANTED=(110101199003074514 11010519491231002X 110105491231002 13800138000 13912345678 13700001111
  136-0000-2222 zhangsan lisi 张三 李四 张小红 zhangsan@example.com lisi@example.com wangwu@corp.example.cn
  DESKTOP-ZS8K2Q Secret123 5A1B2C3D4E5F6071 K0001TOKEN55 2A3B4C5D6E7F8091 0123456789ABCDEF0123)
KEPT=(辽宁某某建设工程有限公司 辽宁省数字证书认证管理有限公司 "CA互联互通(辽宁版)" Epoint
  "HaiTai Cryptographic Service Provider" ePass3000GM Feitian 120.0.6099.130 'AppData\Local\Epoint'
  www.lnwlzb.com "LNCA SM2 CA" 110101199003074515 12345678901 "Person 1" BJCAService
  XTXAppCOM.XTXApp.1 proxy.corp.cn 辽宁网联 lapbjbkcdnlbjpcmcbphdjbgkgdkbmhp)
# the HTML shows fewer columns than the snapshot holds
KEPT_HTML=(辽宁某某建设工程有限公司 辽宁省数字证书认证管理有限公司 "CA互联互通(辽宁版)" Epoint
  "HaiTai Cryptographic Service Provider" ePass3000GM Feitian 120.0.6099.130 'AppData\Roaming\xtx.exe'
  www.lnwlzb.com "LNCA SM2 CA" 12345678901 "Person 1" BJCAService XTXAppCOM.XTXApp.1 proxy.corp.cn)

# Every byte of a file that could carry text: SQLite files through a dump of
# every table (and their raw bytes too).
textof() {
  case "$1" in
    *.db) $PY -c 'import sqlite3,sys
c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True)
for line in c.iterdump(): print(line)' "$1"; cat "$1" ;;
    *) cat "$1" ;;
  esac
}
no_planted() { # file
  local f=$1 v leaked=""
  textof "$f" >"$WORK/all.txt"
  for v in "${PLANTED[@]}"; do
    grep -aqF -- "$v" "$WORK/all.txt" && leaked="$leaked $v"
  done
  [ -z "$leaked" ] || { echo "  $(basename "$f") still holds:$leaked" >&2; return 1; }
}
# Any 18-character resident ID with a valid GB 11643 check digit, anywhere.
no_valid_id() { # file
  textof "$1" | $PY -c 'import re,sys
w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
t=sys.stdin.buffer.read().decode("utf-8","replace")
bad=[m.group(1) for m in re.finditer(r"(?<![0-9])([0-9]{17}[0-9Xx])(?![0-9])", t)
     if "10X98765432"[sum(int(a)*b for a,b in zip(m.group(1),w))%11]==m.group(1)[17].upper()]
if bad: print("  valid ID numbers:", bad, file=sys.stderr)
sys.exit(1 if bad else 0)'
}
kept() { # file array-name
  local f=$1 v lost=""
  local -n list=$2
  for v in "${list[@]}"; do
    grep -aqF -- "$v" "$f" || lost="$lost [$v]"
  done
  [ -z "$lost" ] || { echo "  $(basename "$f") lost:$lost" >&2; return 1; }
}
findings() { # json -> rule, rows and evidence, sorted
  $PY -c 'import json,sys
d=json.load(open(sys.argv[1]))
for f in sorted(d["findings"], key=lambda f: f["rule"]):
    print(f["rule"], f["evidence"]["total_rows"], json.dumps(f["evidence"]["rows"], ensure_ascii=False), json.dumps(f["messages"], ensure_ascii=False))' "$1"
}

# ---- reports and exported snapshots, redacted by default ----
"$CD" scan --snapshot "$IN" --html "$WORK/r.html" --json-out "$WORK/r.json" --quiet
"$CD" scan --snapshot "$IN" --json >"$WORK/r_stdout.json"
"$CD" scan --snapshot "$IN" >"$WORK/r_console.txt"
"$CD" collect --snapshot "$IN" -o "$WORK/s.db" --quiet
"$CD" collect --snapshot "$IN" -o "$WORK/s.txt" --quiet
check "the planted file holds what it should" grep -q 110101199003074514 "$IN"
for f in r.html r.json r_stdout.json r_console.txt s.db s.txt; do
  check "$f: no planted personal data" no_planted "$WORK/$f"
  check "$f: no checksum-valid ID number" no_valid_id "$WORK/$f"
done
check "r.html: organisations and other non-personal values kept" kept "$WORK/r.html" KEPT_HTML
check "s.txt: organisations and other non-personal values kept" kept "$WORK/s.txt" KEPT
check "JSON says redacted" grep -qE '"redacted":\s*true' "$WORK/r.json"
check "HTML says redacted" grep -q 'data-redacted="1"' "$WORK/r.html"
check "the snapshot is marked redacted" grep -q '^redacted: 1' "$WORK/s.txt"
check "the JSON validates" $PY - "$SRC/docs/report-schema.json" "$WORK/r.json" <<'PYEOF'
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)
PYEOF

# One pseudonym per value: the certificate holder's name in the subject, the
# token label, the file names and the findings.
name=$(sed -n 's/^subject_cn: \(name-[0-9a-f]\{6\}\)$/\1/p' "$WORK/s.txt" | head -1)
check "the personal CN became a pseudonym" test -n "$name"
check "same pseudonym in subject, label, container and paths" test "$(grep -c -- "$name" "$WORK/s.txt")" -ge 5
check "same pseudonym in the findings" grep -q -- "$name" "$WORK/r.json"
check "same pseudonym in the HTML" grep -q -- "$name" "$WORK/r.html"
user=$(sed -n 's/^user: \(user-[0-9a-f]\{6\}\)$/\1/p' "$WORK/s.txt" | head -1)
check "the user in paths is the user of the user column" grep -qF "C:\\Users\\$user\\AppData" "$WORK/s.txt"
check "a name beside the organisation in a CN goes, the organisation stays" \
  grep -qE '^subject_cn: name-[0-9a-f]{6}@辽宁某某建设工程有限公司$' "$WORK/s.txt"
check "serials hashed, joins kept" test "$(grep -cE '^(token_)?serial: sn-' "$WORK/s.txt")" -ge 4
check "the token's serial is the certificate's token_serial" $PY - "$WORK/s.txt" <<'PYEOF'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
tok = re.search(r"Table: tokens\n(?:.+\n)*?serial: (sn-\w+)", t).group(1)
sys.exit(0 if ("token_serial: " + tok) in t else 1)
PYEOF

# A redacted snapshot gives the findings of the report it came from, and
# redacting it again changes nothing.
"$CD" scan --snapshot "$WORK/s.db" --json >"$WORK/s_db.json"
"$CD" scan --snapshot "$WORK/s.txt" --json >"$WORK/s_txt.json"
findings "$WORK/r.json" >"$WORK/r.f"
findings "$WORK/s_db.json" >"$WORK/s_db.f"
findings "$WORK/s_txt.json" >"$WORK/s_txt.f"
check "there are findings to compare" test -s "$WORK/r.f"
check "snapshot (SQLite) findings equal the report's" cmp -s "$WORK/r.f" "$WORK/s_db.f"
check "snapshot (text) findings equal the report's" cmp -s "$WORK/r.f" "$WORK/s_txt.f"
"$CD" collect --snapshot "$WORK/s.db" -o "$WORK/s2.txt" --quiet
check "redacting a redacted snapshot changes nothing" cmp -s "$WORK/s.txt" "$WORK/s2.txt"
check_rc "scan --snapshot of a redacted snapshot with --no-redact works" 2 \
  "$CD" scan --snapshot "$WORK/s.db" --no-redact --json-out "$WORK/s_nr.json" --quiet
check "... and still says redacted" grep -qE '"redacted":\s*true' "$WORK/s_nr.json"

# ---- --no-redact: explicit, and said ----
"$CD" scan --snapshot "$IN" --no-redact --html "$WORK/u.html" --json-out "$WORK/u.json" --quiet
check "--no-redact keeps the data" grep -q 张三 "$WORK/u.json"
check "--no-redact keeps the data in the HTML" grep -q DESKTOP-ZS8K2Q "$WORK/u.html"
check "--no-redact JSON says unredacted" grep -qE '"redacted":\s*false' "$WORK/u.json"
check "--no-redact HTML says unredacted" grep -q 'data-redacted="0"' "$WORK/u.html"
check "--no-redact HTML warns" grep -q 'class="unredacted"' "$WORK/u.html"
"$CD" collect --snapshot "$IN" -o "$WORK/u.txt" --no-redact 2>"$WORK/u.err"
check "collect --no-redact keeps the data" grep -q 张小红 "$WORK/u.txt"
check "collect --no-redact warns" test -s "$WORK/u.err"
check "... and is not marked redacted" bash -c "! grep -q '^redacted:' '$WORK/u.txt'"

# ---- a live collection: homes and mail addresses on disk ----
root=$WORK/root
mkdir -p "$root/home/zhangsan/.pki/nssdb" "$root/etc" "$root/var/lib/dpkg"
printf 'library=/opt/bjca/libbjca_p11.so\nname=BJCA of 13912345678\n\nlibrary=\nname=NSS Internal PKCS #11 Module\n' \
  >"$root/home/zhangsan/.pki/nssdb/pkcs11.txt"
printf 'root:x:0:0:root:/root:/bin/bash\nzhangsan:x:1000:1000:Zhang San,,,:/home/zhangsan:/bin/bash\n' >"$root/etc/passwd"
printf 'PRETTY_NAME="Test Linux"\nID=debian\nVERSION_ID="12"\n' >"$root/etc/os-release"
printf 'Package: pcscd\nStatus: install ok installed\nVersion: 1.9.9\nMaintainer: Wang Wu <wangwu@corp.example.cn>\n\n' \
  >"$root/var/lib/dpkg/status"
"$CD" collect --offline --root "$root" -o "$WORK/live.db" --quiet
"$CD" collect --offline --root "$root" -o "$WORK/live.txt" --quiet
"$CD" scan --offline --root "$root" --json >"$WORK/live.json"
"$CD" collect --offline --root "$root" -o "$WORK/live_raw.txt" --no-redact --quiet
check "the live collection read the planted files" grep -q 'wangwu@corp.example.cn' "$WORK/live_raw.txt"
check "... and the home" grep -q '/home/zhangsan/' "$WORK/live_raw.txt"
for f in live.db live.txt live.json; do
  check "live $f: no planted personal data" no_planted "$WORK/$f"
done
check "live: the non-personal path parts stay" grep -q '/.pki/nssdb/pkcs11.txt' "$WORK/live.txt"
check "live: the maintainer's name stays (not a known person), the address goes" grep -q 'Wang Wu <email-' "$WORK/live.txt"
finish
