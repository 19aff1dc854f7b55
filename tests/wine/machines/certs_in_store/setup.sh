#!/usr/bin/env bash
# Two user certificates issued by a throwaway test CA and added to the
# current user's MY store with ../../certimport.c (built here):
#  - valid until 2099, subject O in Chinese, linked to a token CSP's key
#    container (key provider info "EnterSafe ePass3003 CSP" / "test-container");
#  - expired on 2021-01-01, no key provider info.
# OpenSSL 3.0 has no -not_after for req/x509, so both are signed with
# `openssl ca` and explicit -startdate/-enddate.
set -eu
here=$(pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
mkdir newcerts
: >index.txt
echo 1000 >serial
cat >ca.cnf <<'CNF'
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
x509_extensions = user_ext
[ policy_any ]
commonName = supplied
organizationName = optional
countryName = optional
[ user_ext ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
  -subj "/C=CN/O=Test CA Org/CN=cadoctor Test CA" 2>/dev/null
issue() { # name subject startdate enddate
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -utf8 -subj "$2" 2>/dev/null
  openssl ca -batch -config ca.cnf -utf8 -notext -in "$1.csr" -out "$1.pem" \
    -startdate "$3" -enddate "$4" 2>/dev/null
  openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}
issue valid "/C=CN/O=测试科技有限公司/CN=张三" 20240101000000Z 20991231000000Z
issue expired "/C=CN/O=Expired Test Org/CN=expired-user" 20200101000000Z 20210101000000Z

x86_64-w64-mingw32-gcc -O2 -o certimport.exe "$here/../../certimport.c" -lcrypt32
wine certimport.exe "$(winepath -w "$w/valid.der")" "EnterSafe ePass3003 CSP" test-container
wine certimport.exe "$(winepath -w "$w/expired.der")"
wineserver -w
