#!/usr/bin/env bash
# Exit codes (docs/exit-codes.md) and clear errors for bad command lines and
# bad input files: nothing crashes, every message names the file.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
S=$SRC/tests/scenarios

check_rc "no command" 64 "$CD"
check_rc "unknown command" 64 "$CD" frobnicate
check "unknown command named" contains "$WORK/last.err" "frobnicate"
check_rc "unknown option" 64 "$CD" scan --no-such-option
check_rc "option missing its argument" 64 "$CD" scan --snapshot
check_rc "collect without -o" 64 "$CD" collect --offline
check_rc "bad --lang" 64 "$CD" scan --lang fr
check_rc "--snapshot with --root" 64 "$CD" scan --snapshot x --root /
for v in 0 99 600001 abc 5000x ""; do
	check_rc "scan --module-timeout-ms '$v' is out of range" 64 "$CD" scan --offline --module-timeout-ms "$v"
	check "the module time limit error says the range" contains "$WORK/last.err" "100 到 600000"
	check_rc "collect --module-timeout-ms '$v' is out of range" 64 "$CD" collect --module-timeout-ms "$v" -o "$WORK/x.txt"
	check "collect names the option" contains "$WORK/last.err" "--module-timeout-ms"
done
check "no snapshot from a refused collect" test ! -e "$WORK/x.txt"
check_rc "help" 0 "$CD" help
check "help is Chinese by default" contains "$WORK/last.out" "用法"
check_rc "help in English" 0 "$CD" --lang en help
check "help in English" contains "$WORK/last.out" "usage"

# Machine states: clean 0, warnings 1, errors 2.
check_rc "clean facts" 0 "$CD" scan --snapshot "$S/linux_clean/facts.txt"
check "clean says so" contains "$WORK/last.out" "没有发现问题"
check_rc "warnings only" 1 "$CD" scan --snapshot "$S/platform_unresolved/facts.txt"
check_rc "errors" 2 "$CD" scan --snapshot "$S/pcscd_stopped_with_token/facts.txt"
check "error report in Chinese" contains "$WORK/last.out" "智能卡服务 pcscd 没有运行"
check_rc "errors, English" 2 "$CD" scan --lang en --snapshot "$S/pcscd_stopped_with_token/facts.txt"
check "error report in English" contains "$WORK/last.out" "pcscd is not running"
check_rc "quiet prints nothing" 2 "$CD" scan --quiet --snapshot "$S/pcscd_stopped_with_token/facts.txt"
check "quiet output empty" test ! -s "$WORK/last.out"

# Bad input files: 66 missing, 65 damaged, with the file named.
check_rc "missing snapshot" 66 "$CD" scan --snapshot "$WORK/none.db"
check "missing snapshot named" contains "$WORK/last.err" "$WORK/none.db"
: >"$WORK/empty.db"
check_rc "empty snapshot" 65 "$CD" scan --snapshot "$WORK/empty.db"
check "empty snapshot says empty" contains "$WORK/last.err" "empty"
head -c 5000 /dev/urandom >"$WORK/random.db"
check_rc "random bytes" 65 "$CD" scan --snapshot "$WORK/random.db"
check "random bytes named" contains "$WORK/last.err" "random.db"

"$CD" collect --offline -o "$WORK/good.db" 2>/dev/null
check "collect wrote a snapshot" test -s "$WORK/good.db"
size=$(stat -c %s "$WORK/good.db")
for cut in 50 4096 $((size / 2)) $((size - 100)); do
  head -c "$cut" "$WORK/good.db" >"$WORK/trunc.db"
  check_rc "snapshot truncated to $cut bytes" 65 "$CD" scan --snapshot "$WORK/trunc.db"
  check "truncation ($cut) reported" grep -qE "truncated|damaged|not a cadoctor" "$WORK/last.err"
done
# A page in the middle overwritten with garbage.
cp "$WORK/good.db" "$WORK/corrupt.db"
dd if=/dev/urandom of="$WORK/corrupt.db" bs=1024 seek=2 count=2 conv=notrunc 2>/dev/null
check_rc "corrupt snapshot" 65 "$CD" scan --snapshot "$WORK/corrupt.db"

# An SQLite file that is not ours.
sqlite3 "$WORK/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES(1);"
check_rc "foreign SQLite file" 65 "$CD" scan --snapshot "$WORK/foreign.db"
check "foreign file explained" contains "$WORK/last.err" "not a cadoctor snapshot"
# A snapshot from a newer cadoctor.
cp "$WORK/good.db" "$WORK/newer.db"
sqlite3 "$WORK/newer.db" "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
check_rc "newer schema" 65 "$CD" scan --snapshot "$WORK/newer.db"
check "newer schema explained" contains "$WORK/last.err" "schema version 99"
# Text facts with a mistake name the line.
printf 'Format: cadoctor-facts 1\n\nTable: services\nname: pcscd\nstatus: up\n' >"$WORK/bad.txt"
check_rc "bad text facts" 65 "$CD" scan --snapshot "$WORK/bad.txt"
check "bad text facts line" contains "$WORK/last.err" "bad.txt:5: table services has no column \"status\""

# Output that cannot be written.
check_rc "unwritable JSON output" 73 "$CD" scan --snapshot "$S/linux_clean/facts.txt" --json-out /nonexistent/dir/x.json
check_rc "unwritable snapshot" 73 "$CD" collect --offline -o /nonexistent/dir/x.db
finish
