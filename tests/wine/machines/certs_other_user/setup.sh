#!/usr/bin/env bash
# The personal certificates of lisi, a user who is not logged on, as Windows
# keeps them in lisi's profile: one file per certificate named by its SHA-1
# under AppData\Roaming\Microsoft\SystemCertificates\My\Certificates, written
# by the real CertSerializeCertificateStoreElement (../../certimport.c
# --serialize, built here):
#  - valid until 2099, Chinese subject, with key provider info linking it to a
#    token CSP's key container;
#  - expired on 2021-01-01, no key provider info;
#  - a file cut short (a damaged profile copy).
set -eu
here=$(pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
. "$here/../../testca.bash"
testca_init 2000 "/C=CN/O=Test CA Org/CN=cadoctor Test CA" "digitalSignature, keyEncipherment"
testca_issue valid "/C=CN/O=沈阳测试工程有限公司/CN=李四" 20240101000000Z 20991231000000Z
testca_issue expired "/C=CN/O=Expired Other Org/CN=lisi-expired" 20200101000000Z 20210101000000Z
sha1() { openssl x509 -inform DER -in "$1" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'; }

x86_64-w64-mingw32-gcc -O2 -o certimport.exe "$here/../../certimport.c" -lcrypt32
d=$WINEPREFIX/drive_c/users/lisi/AppData/Roaming/Microsoft/SystemCertificates/My/Certificates
mkdir -p "$d"
wine certimport.exe --serialize "$(winepath -w "$d/$(sha1 valid.der)")" "$(winepath -w "$w/valid.der")" \
  "EnterSafe ePass3003 CSP" lisi-container
wine certimport.exe --serialize "$(winepath -w "$d/$(sha1 expired.der)")" "$(winepath -w "$w/expired.der")"
head -c 200 "$d/$(sha1 valid.der)" >"$d/0000000000000000000000000000000000000000"
wineserver -w
