#!/usr/bin/env bash
# Two user certificates issued by a throwaway test CA and added to the
# current user's MY store with ../../certimport.c (built here):
#  - valid until 2099, subject O in Chinese, linked to a token CSP's key
#    container (key provider info "EnterSafe ePass3003 CSP" / "test-container");
#  - expired on 2021-01-01, no key provider info.
# The CA and certificates come from ../../testca.bash.
set -eu
here=$(pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
. "$here/../../testca.bash"
testca_init 1000 "/C=CN/O=Test CA Org/CN=cadoctor Test CA" "digitalSignature, keyEncipherment"
testca_issue valid "/C=CN/O=测试科技有限公司/CN=张三" 20240101000000Z 20991231000000Z
testca_issue expired "/C=CN/O=Expired Test Org/CN=expired-user" 20200101000000Z 20210101000000Z

x86_64-w64-mingw32-gcc -O2 -o certimport.exe "$here/../../certimport.c" -lcrypt32
wine certimport.exe "$(winepath -w "$w/valid.der")" "EnterSafe ePass3003 CSP" test-container
wine certimport.exe "$(winepath -w "$w/expired.der")"
wineserver -w
