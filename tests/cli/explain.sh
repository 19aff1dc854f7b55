#!/usr/bin/env bash
# `cadoctor explain` answers the messages users quote, whatever the spacing,
# punctuation, width or case, in Chinese or English.
set -uo pipefail
source "$(dirname "$0")/lib.bash"

expect() { # text substring [lang]
  local text=$1 want=$2 lang=${3:-zh}
  check_rc "explain '$text'" 0 "$CD" explain --lang "$lang" "$text"
  check "explain '$text' mentions '$want'" contains "$WORK/last.out" "$want"
}
expect "load xtx fail" "证书应用环境安装程序"
expect "LOAD  XTX FAIL!" "证书应用环境安装程序"
expect "loadxtxfail" "lnwlzb.load_xtx_fail"
expect "load xtx fail" "Re-run" en
expect "CA 解密失败，无法获取密钥" "重新投标"
expect "CA解密失败,无法获取密钥" "重新投标"
expect "系统检测到您的身份信息不属于此单位" "网联平台客服"
expect "系统检测到您的身份信息不属于此单位" "server-side" en
expect "签章超出使用期限" "签章延期"
expect "“操作失败”" "拓展程序"
expect "证书名不显示" "CA互联互通"
# Every message quoted in the platform documents gets an answer.
while IFS= read -r msg; do
  case "$msg" in ''|'#'*) continue ;; esac
  check_rc "explain '$msg'" 0 "$CD" explain "$msg"
  check "explain '$msg' gives steps" grep -qE '处理步骤|这是什么意思|可能的原因' "$WORK/last.out"
done <"$SRC/tests/cli/seed_messages.txt"
check_rc "explain --list" 0 "$CD" explain --list
check "symptom list" contains "$WORK/last.out" "cert_name_missing"
check_rc "nothing matches" 1 "$CD" explain "完全无关的一句话 qwerty"
check "nothing matches says so" contains "$WORK/last.out" "没有找到"
check_rc "explain without text" 64 "$CD" explain
finish
