#!/usr/bin/env bash
# PKCS#11 middleware DLLs of the catalog (rules/catalog/middleware.cat),
# played by our test module (../../../pkcs11_testmod.c, built here as a
# Windows DLL) planted under their fixed names; each copy's variant comes
# from a side file NAME.dll.testmod next to it:
#  - System32\ShuttleCsp11_3003.dll (Feitian): one token whose user PIN is
#    locked, serving a valid and an expired certificate issued by a "BJCA" CA,
#    and the valid one's private key, visible without login;
#  - System32\ShuttleCsp11_3000GM.dll (Feitian): a token labelled in GBK;
#  - System32\HTPKCS11.dll (HaiTai): crashes in C_GetSlotList;
#  - System32\WDPKCS.dll (Watchdata): hangs in C_GetTokenInfo (the machine's
#    options give it --module-timeout-ms 2000);
#  - SysWOW64\eps2003csp11.dll (Feitian): the same module built 32-bit, which
#    64-bit cadoctor cannot load.
set -eu
here=$(pwd)
src=$here/../../../..
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
. "$here/../../testca.bash"
testca_init 1000 "/C=CN/O=北京数字认证股份有限公司/CN=BJCA 测试 RSA CA" "digitalSignature, nonRepudiation" preserve
testca_issue valid "/C=CN/O=辽宁测试建设工程有限公司/CN=张三" 20240101000000Z 20991231000000Z
testca_issue expired "/C=CN/O=沈阳某某招标代理有限公司/CN=李四" 20200101000000Z 20210101000000Z
mkdir -p "$WINEPREFIX/drive_c/certs"
cp valid.der expired.der "$WINEPREFIX/drive_c/certs/"

mod="$src/tests/pkcs11_testmod.c $src/tests/pkcs11_testmod_win32.c"
x86_64-w64-mingw32-gcc -shared -O2 -I"$src/src" -o testmod64.dll $mod
i686-w64-mingw32-gcc -shared -O2 -I"$src/src" -o testmod32.dll $mod
sys=$WINEPREFIX/drive_c/windows/system32
wow=$WINEPREFIX/drive_c/windows/syswow64
plant() { # DLL DIR VARIANT [CERT...]: the side file
  local dll=$1 dir=$2 variant=$3 c
  shift 3
  { echo "variant $variant"; for c in "$@"; do echo "cert C:\\certs\\$c"; done; } >"$dir/$(basename "$dll").testmod"
}
cp testmod64.dll "$sys/ShuttleCsp11_3003.dll"
plant ShuttleCsp11_3003.dll "$sys" locked-keys valid.der expired.der
cp testmod64.dll "$sys/ShuttleCsp11_3000GM.dll"
plant ShuttleCsp11_3000GM.dll "$sys" gbk valid.der
cp testmod64.dll "$sys/HTPKCS11.dll"
plant HTPKCS11.dll "$sys" crash
cp testmod64.dll "$sys/WDPKCS.dll"
plant WDPKCS.dll "$sys" hang
cp testmod32.dll "$wow/eps2003csp11.dll"
plant eps2003csp11.dll "$wow" locked valid.der
