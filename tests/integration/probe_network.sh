#!/usr/bin/env bash
# The net.platforms probe against real servers on 127.0.0.1 only: HTTPS with
# a CA-signed, an expired and a self-signed certificate, plain HTTP, a closed
# port, a name that cannot resolve, servers that never answer, dribble or
# flood, and --offline. Usage: probe_network.sh path/to/cadoctor
set -euo pipefail

CADOCTOR=${1:?usage: probe_network.sh path/to/cadoctor}
[[ $CADOCTOR == /* ]] || CADOCTOR=$PWD/$CADOCTOR # the test works in a temporary directory
TIMEOUT_MS=1500

TMP=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*" >&2
}
expect_eq() { # what got want
	if [[ "$2" == "$3" ]]; then pass; else fail "$1: got '$2', want '$3'"; fi
}
expect_true() { # what command...
	local what=$1
	shift
	if "$@"; then pass; else fail "$what"; fi
}

# col FILE TARGET COLUMN: the column of TARGET's network_checks row, empty when NULL.
col() {
	awk -v t="$2" -v c="$3" '
		BEGIN { RS = ""; FS = "\n" }
		{
			tbl = 0; tgt = 0; val = ""
			for (i = 1; i <= NF; i++) {
				k = $i; sub(/: .*/, "", k); v = substr($i, length(k) + 3)
				if ($i == "Table: network_checks") tbl = 1
				if (k == "target" && v == t) tgt = 1
				if (k == c) val = v
			}
			if (tbl && tgt) { print val; exit }
		}' "$1"
}

# ---- certificates: a test CA, a valid and an expired server certificate it
# signs (openssl ca takes explicit dates; OpenSSL 3.0's req and x509 do
# not), and a self-signed one.
cd "$TMP"
mkdir newcerts www
: >index.txt
echo 1000 >serial
echo '<html>ok</html>' >www/index.html
cat >ca.cnf <<EOF
[ca]
default_ca = testca
[testca]
dir = $TMP
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = pol
unique_subject = no
copy_extensions = none
x509_extensions = server_ext
[pol]
commonName = supplied
organizationName = optional
[server_ext]
basicConstraints = CA:FALSE
subjectAltName = IP:127.0.0.1,DNS:localhost
extendedKeyUsage = serverAuth
[req]
distinguished_name = dn
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
q() { "$@" >>openssl.log 2>&1 || { cat openssl.log >&2; exit 2; }; }
q openssl req -config ca.cnf -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
	-subj "/CN=cadoctor test CA" -days 30 -extensions ca_ext
for name in valid expired; do
	q openssl req -config ca.cnf -new -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr \
		-utf8 -subj "/CN=$name.test/O=测试单位"
done
q openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in valid.csr -out valid.pem \
	-notext -utf8 -days 30
q openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
	-notext -utf8 -startdate 20200101000000Z -enddate 20200201000000Z
q openssl req -config ca.cnf -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem \
	-subj "/CN=self.test" -days 30
enddate() { date -u -d "$(openssl x509 -enddate -noout -in "$1" | sed 's/^notAfter=//')" +%s; }

# ---- servers: each binds a free port itself and writes it to a file, so
# there is no race between picking a port and listening on it.
cat >srv.py <<'EOF'
import functools, http.server, os, socket, ssl, sys, threading, time

mode, portfile = sys.argv[1], sys.argv[2]

def publish(port):
    with open(portfile + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(portfile + ".tmp", portfile)

class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

def handle(c):
    try:
        c.settimeout(10)
        c.recv(4096)
        if mode == "dribble":  # a status line, then a header that never ends
            c.sendall(b"HTTP/1.1 200 OK\r\n")
            while True:
                c.sendall(b"x")
                time.sleep(0.1)
        elif mode == "flood":  # an endless header, as fast as it goes
            c.sendall(b"HTTP/1.1 200 OK\r\n")
            while True:
                c.sendall(b"X-Filler: " + b"a" * 1000 + b"\r\n")
        elif mode == "garbage":
            c.sendall(b"SSH-2.0-OpenSSH_9.2p1\r\n")
    except OSError:
        pass
    finally:
        c.close()

if mode == "dnshang":  # a name server that swallows every query
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.2", 53))
    except OSError:
        publish(0)
        sys.exit(0)
    publish(53)
    while True:
        u.recv(4096)
elif mode in ("http", "https", "https10"):
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=sys.argv[3]))
    if mode.startswith("https"):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if mode == "https10":  # an outdated platform: TLS 1.0 only
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1
        ctx.load_cert_chain(sys.argv[4], sys.argv[5])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    publish(srv.server_address[1])
    srv.serve_forever()
else:
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    publish(ls.getsockname()[1])
    held = []
    while True:
        c, _ = ls.accept()
        if mode == "silent":  # accepts, never speaks
            held.append(c)
        else:
            threading.Thread(target=handle, args=(c,), daemon=True).start()
EOF
start() { # name mode args...
	local name=$1
	shift
	python3 srv.py "$1" "port.$name" "${@:2}" 2>>"server.$name.log" &
	pids+=($!)
}
start valid https www valid.pem valid.key
start expired https www expired.pem expired.key
start self https www self.pem self.key
start tls10 https10 www self.pem self.key
start http http www
start silent silent
start dribble dribble
start flood flood
start garbage garbage
port() {
	local i
	for i in $(seq 200); do
		if [[ -s port.$1 ]]; then
			cat "port.$1"
			return
		fi
		sleep 0.05
	done
	echo "server $1 did not start" >&2
	cat "server.$1.log" >&2
	exit 2
}
P_VALID=$(port valid)
P_EXPIRED=$(port expired)
P_SELF=$(port self)
P_TLS10=$(port tls10)
P_HTTP=$(port http)
P_SILENT=$(port silent)
P_DRIBBLE=$(port dribble)
P_FLOOD=$(port flood)
P_GARBAGE=$(port garbage)
# A port nothing listens on: bind, note, close.
P_CLOSED=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')

ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- the main run: no trust in the test CA.
t0=$(ms)
"$CADOCTOR" collect --probes net.platforms --net-timeout-ms $TIMEOUT_MS \
	--net-target "valid=https://127.0.0.1:$P_VALID/" \
	--net-target "expired=https://127.0.0.1:$P_EXPIRED/" \
	--net-target "self=https://127.0.0.1:$P_SELF/index.html?a=b" \
	--net-target "tls10=https://127.0.0.1:$P_TLS10/" \
	--net-target "http=http://127.0.0.1:$P_HTTP/" \
	--net-target "closed=https://127.0.0.1:$P_CLOSED/" \
	--net-target "nodns=https://nonexistent.invalid/" \
	--net-target "silent_tls=https://127.0.0.1:$P_SILENT/" \
	--net-target "silent_http=http://127.0.0.1:$P_SILENT/" \
	--net-target "dribble=http://127.0.0.1:$P_DRIBBLE/" \
	--net-target "flood=http://127.0.0.1:$P_FLOOD/" \
	--net-target "garbage=http://127.0.0.1:$P_GARBAGE/" \
	--net-target "badurl=ftp://127.0.0.1/" \
	-o run.txt
t1=$(ms)
now=$(date +%s)
R=run.txt

expect_eq "one row per target" "$(grep -c '^Table: network_checks$' $R)" 13

# A good server: every step passes; the CA is not trusted, so verify fails.
expect_eq "valid dns_ok" "$(col $R valid dns_ok)" 1
expect_eq "valid address" "$(col $R valid address)" 127.0.0.1
expect_eq "valid port" "$(col $R valid port)" "$P_VALID"
expect_eq "valid tcp_ok" "$(col $R valid tcp_ok)" 1
expect_eq "valid tls_ok" "$(col $R valid tls_ok)" 1
expect_true "valid tls_version is TLSv1.x" grep -qx 'TLSv1\(\.[0-3]\)\?' <<<"$(col $R valid tls_version)"
expect_true "valid tls_cipher present" test -n "$(col $R valid tls_cipher)"
expect_eq "valid cert_subject (UTF-8)" "$(col $R valid cert_subject)" "O=测试单位,CN=valid.test"
expect_eq "valid cert_issuer" "$(col $R valid cert_issuer)" "CN=cadoctor test CA"
expect_eq "valid cert_not_after" "$(col $R valid cert_not_after)" "$(enddate valid.pem)"
expect_true "valid cert_not_before in the past" test "$(col $R valid cert_not_before)" -le "$now"
expect_eq "valid verify_ok (untrusted CA)" "$(col $R valid verify_ok)" 0
expect_eq "valid verify_error" "$(col $R valid verify_error)" "unable to get local issuer certificate"
expect_eq "valid http_status" "$(col $R valid http_status)" 200
sd=$(col $R valid server_date)
expect_true "valid server_date near now ($sd vs $now)" test "${sd:-0}" -ge $((now - 60)) -a "${sd:-0}" -le $((now + 5))
expect_eq "valid failed_step" "$(col $R valid failed_step)" ""
expect_eq "valid error" "$(col $R valid error)" ""
expect_true "valid elapsed_ms present" test -n "$(col $R valid elapsed_ms)"

# Expired: the handshake still completes and the dates are reported.
expect_eq "expired tls_ok" "$(col $R expired tls_ok)" 1
expect_eq "expired cert_not_after" "$(col $R expired cert_not_after)" "$(enddate expired.pem)"
expect_true "expired cert_not_after in the past" test "$(col $R expired cert_not_after)" -lt "$now"
expect_eq "expired cert_not_before" "$(col $R expired cert_not_before)" 1577836800
expect_eq "expired http_status" "$(col $R expired http_status)" 200

# Self-signed, with a path and query.
expect_eq "self tls_ok" "$(col $R self tls_ok)" 1
expect_eq "self verify_ok" "$(col $R self verify_ok)" 0
expect_eq "self verify_error" "$(col $R self verify_error)" "self-signed certificate"
expect_eq "self cert_subject" "$(col $R self cert_subject)" "CN=self.test"
expect_eq "self http_status" "$(col $R self http_status)" 200

# An outdated server is reported with what it speaks, not failed.
expect_eq "tls10 tls_ok" "$(col $R tls10 tls_ok)" 1
expect_eq "tls10 tls_version" "$(col $R tls10 tls_version)" TLSv1
expect_eq "tls10 http_status" "$(col $R tls10 http_status)" 200

# Plain HTTP: no TLS columns.
expect_eq "http tcp_ok" "$(col $R http tcp_ok)" 1
expect_eq "http tls_ok (none)" "$(col $R http tls_ok)" ""
expect_eq "http tls_version (none)" "$(col $R http tls_version)" ""
expect_eq "http http_status" "$(col $R http http_status)" 200
sd=$(col $R http server_date)
expect_true "http server_date near now ($sd vs $now)" test "${sd:-0}" -ge $((now - 60)) -a "${sd:-0}" -le $((now + 5))
expect_eq "http failed_step" "$(col $R http failed_step)" ""

# Closed port: TCP fails, later steps unknown.
expect_eq "closed dns_ok" "$(col $R closed dns_ok)" 1
expect_eq "closed tcp_ok" "$(col $R closed tcp_ok)" 0
expect_eq "closed tls_ok (not tried)" "$(col $R closed tls_ok)" ""
expect_eq "closed failed_step" "$(col $R closed failed_step)" tcp
expect_true "closed error says refused" grep -qi refused <<<"$(col $R closed error)"

# A name that cannot resolve: still a row.
expect_eq "nodns host" "$(col $R nodns host)" nonexistent.invalid
expect_eq "nodns port" "$(col $R nodns port)" 443
expect_eq "nodns dns_ok" "$(col $R nodns dns_ok)" 0
expect_eq "nodns tcp_ok (not tried)" "$(col $R nodns tcp_ok)" ""
expect_eq "nodns failed_step" "$(col $R nodns failed_step)" dns
expect_true "nodns error present" test -n "$(col $R nodns error)"

# Silent servers: the step fails at its time limit, not later.
for t in silent_tls silent_http; do
	e=$(col $R $t elapsed_ms)
	expect_true "$t elapsed $e ms within the limit" \
		test "${e:-99999}" -ge $((TIMEOUT_MS - 100)) -a "${e:-99999}" -le $((TIMEOUT_MS + 700))
done
expect_eq "silent_tls tcp_ok" "$(col $R silent_tls tcp_ok)" 1
expect_eq "silent_tls tls_ok" "$(col $R silent_tls tls_ok)" 0
expect_eq "silent_tls failed_step" "$(col $R silent_tls failed_step)" tls
expect_eq "silent_http failed_step" "$(col $R silent_http failed_step)" http
expect_eq "silent_http error" "$(col $R silent_http error)" "no response within $TIMEOUT_MS ms"

# A header that never ends is cut at the deadline; one that floods at the size limit.
e=$(col $R dribble elapsed_ms)
expect_true "dribble elapsed $e ms within the limit" test "${e:-99999}" -le $((TIMEOUT_MS + 700))
expect_eq "dribble http_status" "$(col $R dribble http_status)" 200
e=$(col $R flood elapsed_ms)
expect_true "flood stops at the size limit ($e ms)" test "${e:-99999}" -lt $((TIMEOUT_MS - 200))
expect_eq "flood http_status" "$(col $R flood http_status)" 200

# Not HTTP.
expect_eq "garbage failed_step" "$(col $R garbage failed_step)" http
expect_eq "garbage http_status (none)" "$(col $R garbage http_status)" ""

# A URL the probe cannot check: a row and a probe error.
expect_eq "badurl failed_step" "$(col $R badurl failed_step)" url
expect_true "badurl probe error" grep -q '^target: ftp://127.0.0.1/$' $R

expect_true "whole run bounded ($((t1 - t0)) ms)" test $((t1 - t0)) -lt $((6 * TIMEOUT_MS + 4000))

# ---- trusting the test CA (OpenSSL's default paths honour SSL_CERT_FILE).
SSL_CERT_FILE=$TMP/ca.pem "$CADOCTOR" collect --probes net.platforms \
	--net-timeout-ms $TIMEOUT_MS \
	--net-target "valid=https://127.0.0.1:$P_VALID/" \
	--net-target "byname=https://localhost:$P_VALID/" \
	--net-target "expired=https://127.0.0.1:$P_EXPIRED/" \
	-o trust.txt
T=trust.txt
expect_eq "trusted valid verify_ok" "$(col $T valid verify_ok)" 1
expect_eq "trusted valid verify_error" "$(col $T valid verify_error)" ""
expect_eq "trusted by name verify_ok" "$(col $T byname verify_ok)" 1
expect_eq "trusted by name http_status" "$(col $T byname http_status)" 200
expect_eq "trusted expired verify_ok" "$(col $T expired verify_ok)" 0
expect_eq "trusted expired verify_error" "$(col $T expired verify_error)" "certificate has expired"

# ---- offline: no network at all, recorded as skipped.
"$CADOCTOR" collect --probes net.platforms --offline \
	--net-target "valid=https://127.0.0.1:$P_VALID/" -o offline.txt
expect_eq "offline rows" "$(grep -c '^Table: network_checks$' offline.txt || true)" 0
st=$(awk 'BEGIN { RS = ""; FS = "\n" } /(^|\n)Table: probe_runs\n/ && /\nprobe: net.platforms(\n|$)/ {
	for (i = 1; i <= NF; i++) if ($i ~ /^status: /) print substr($i, 9) }' offline.txt)
expect_eq "offline probe_runs status" "$st" skipped

# ---- a resolver that never answers, through a private mount namespace whose
# /etc/resolv.conf points at it: DNS fails at its time limit (the resolver
# thread is abandoned). Needs root for unshare and port 53; skipped otherwise.
if [[ $(id -u) -eq 0 ]] && unshare --mount true 2>/dev/null; then
	start dnshang dnshang
	if [[ $(port dnshang) != 0 ]]; then
		echo "nameserver 127.0.0.2" >resolv.conf
		unshare --mount sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh \
			"$TMP/resolv.conf" "$CADOCTOR" collect --probes net.platforms \
			--net-timeout-ms $TIMEOUT_MS --net-target "dnshang=https://hang.example/" -o dns.txt
		e=$(col dns.txt dnshang elapsed_ms)
		expect_eq "dnshang dns_ok" "$(col dns.txt dnshang dns_ok)" 0
		expect_eq "dnshang failed_step" "$(col dns.txt dnshang failed_step)" dns
		expect_true "dnshang elapsed $e ms within the limit" test "${e:-99999}" -le $((TIMEOUT_MS + 700))
	else
		echo "SKIP: resolver time-out (cannot bind 127.0.0.2:53)"
	fi
else
	echo "SKIP: resolver time-out (needs root and unshare)"
fi

echo "probe_network: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
