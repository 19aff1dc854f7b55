#!/usr/bin/env bash
# The personal certificates of lisi, a user who is not logged on, as Windows
# keeps them in lisi's profile: one file per certificate named by its SHA-1
# under AppData\Roaming\Microsoft\SystemCertificates\My\Certificates, written
# by the real CertSerializeCertificateStoreElement (../../certimport.c
# --serialize, built here):
#  - valid until 2099, Chinese subject, with key provider info linking it to a
#    token CSP's key container;
#  - expired on 2021-01-01, no key provider info;
#  - a file cut short (a damaged profile copy);
# and one certificate lisi's registry holds (HKCU\Software\Microsoft\
# SystemCertificates\My\Certificates\<SHA1>, value "Blob": the same
# serialized element), in lisi's NTUSER.DAT, written in Wine's own hive
# format, which Wine's RegLoadKey reads.
set -eu
here=$(pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
. "$here/../../testca.bash"
testca_init 2000 "/C=CN/O=Test CA Org/CN=cadoctor Test CA" "digitalSignature, keyEncipherment"
testca_issue valid "/C=CN/O=沈阳测试工程有限公司/CN=李四" 20240101000000Z 20991231000000Z
testca_issue expired "/C=CN/O=Expired Other Org/CN=lisi-expired" 20200101000000Z 20210101000000Z
testca_issue regheld "/C=CN/O=Registry Org/CN=lisi-registry" 20240101000000Z 20991231000000Z
sha1() { openssl x509 -inform DER -in "$1" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'; }

x86_64-w64-mingw32-gcc -O2 -o certimport.exe "$here/../../certimport.c" -lcrypt32
d=$WINEPREFIX/drive_c/users/lisi/AppData/Roaming/Microsoft/SystemCertificates/My/Certificates
mkdir -p "$d"
wine certimport.exe --serialize "$(winepath -w "$d/$(sha1 valid.der)")" "$(winepath -w "$w/valid.der")" \
  "EnterSafe ePass3003 CSP" lisi-container
wine certimport.exe --serialize "$(winepath -w "$d/$(sha1 expired.der)")" "$(winepath -w "$w/expired.der")"
head -c 200 "$d/$(sha1 valid.der)" >"$d/0000000000000000000000000000000000000000"
wine certimport.exe --serialize "$(winepath -w "$w/regheld.bin")" "$(winepath -w "$w/regheld.der")" \
  "EnterSafe ePass3003 CSP" lisi-reg-container
{
  printf 'WINE REGISTRY Version 2\n'
  printf ';; All keys relative to REGISTRY\\\\User\\\\S-1-5-21-1111-2222-3333-1003\n\n#arch=win64\n\n'
  printf '[Software\\\\Microsoft\\\\SystemCertificates\\\\My\\\\Certificates\\\\%s] 1700000000\n' "$(sha1 regheld.der)"
  printf '"Blob"=hex:%s\n' "$(od -An -v -tx1 regheld.bin | tr -s ' \n' ',' | sed 's/^,//; s/,$//')"
} >"$WINEPREFIX/drive_c/users/lisi/NTUSER.DAT"
wineserver -w
