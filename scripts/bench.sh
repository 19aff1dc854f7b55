#!/usr/bin/env bash
# Benchmark of `cadoctor scan --snapshot` on a heavy synthetic machine.
# A benchmark, not a test: it never fails on timings, only when something
# cannot run. It prints measured values next to the budget so that a
# regression shows as a ratio above 1.
#
#   scripts/bench.sh [CADOCTOR [WORKDIR]]
#     CADOCTOR  built binary (default build/release/src/cadoctor, built with the
#               release preset if missing)
#     WORKDIR   where inputs and outputs go (default: a new mktemp dir, kept)
#   Environment:
#     BENCH_RUNS=5     runs per figure (the median is reported)
#     BENCH_PROFILE=1  also run once under callgrind and list the costliest
#                      rules and functions (slow: about half a minute)
#
# Inputs (scripts/bench_gen.py, fixed random seed):
#   heavy.db  Windows snapshot created from src/core/schema.sql: 5,000 programs,
#             2,000 certificates, 500 USB devices, 300 browser extensions and a
#             few hundred rows in the smaller tables.
#   rules/    the project's rules/ (catalogs included) plus synthetic rules in
#             rules/bench/, 200 rules in all.
#
# How the figures are obtained: every command runs BENCH_RUNS times under
# /usr/bin/time -f '%e %M %U %S' (peak RSS in KiB; %e is kept in runs.tsv).
# Wall time is read from bash's $EPOCHREALTIME around each run instead of %e,
# because %e has 10 ms resolution and the split below subtracts medians of a
# few tens of milliseconds. CPU time (user + sys, 10 ms resolution) is shown
# for the budget figure too: on a busy machine (see the load average in the
# header) wall time includes waiting for a core, CPU time much less so. `--rules DIR` compiles the rules at run time, and
# `--rule no.such.rule` loads everything but evaluates nothing, so:
#   load             = scan (embedded rules) --rule none
#   compile          = scan --rules DIR --rule none  - load
#   evaluation       = scan --rules DIR (no reports) - scan --rules DIR --rule none
#   report writing   = scan --rules DIR + JSON + HTML - scan --rules DIR (no reports)
#   budget figure    = evaluation + report writing (under 300 ms, 64 MB peak)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEFAULT_BIN="$ROOT/build/release/src/cadoctor"
BIN=${1:-$DEFAULT_BIN}
WORK=${2:-$(mktemp -d "${TMPDIR:-/tmp}/cadoctor-bench.XXXXXX")}
RUNS=${BENCH_RUNS:-5}
GEN="$ROOT/scripts/bench_gen.py"
BUDGET_MS=300
BUDGET_KIB=$((64 * 1024))
NO_RULE=bench.no_such_rule # a rule id that matches nothing

die() {
	echo "bench.sh: $*" >&2
	exit 1
}
note() { echo "== $*" >&2; }

# ---- prerequisites ----
command -v python3 >/dev/null || die "python3 is needed (scripts/setup installs it)"
if [[ ! -x /usr/bin/time ]]; then
	[[ $(id -u) -eq 0 ]] || die "/usr/bin/time is missing: apt-get install time"
	note "installing the Debian package 'time'"
	apt-get install -y -qq time >/dev/null || die "could not install the 'time' package"
fi
if [[ ! -x $BIN ]]; then
	[[ $BIN == "$DEFAULT_BIN" ]] || die "$BIN: no such executable"
	note "building the release binary"
	(cd "$ROOT" && cmake --preset release >/dev/null && cmake --build build/release >/dev/null) ||
		die "the release build failed"
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
SNAP="$WORK/heavy.db"
RULES="$WORK/rules"

# ---- inputs ----
note "work dir: $WORK"
note "generating the snapshot"
python3 "$GEN" snapshot --schema "$ROOT/src/core/schema.sql" \
	--tokens "$ROOT/rules/catalog/tokens.cat" "$SNAP" >&2
note "generating the rules"
python3 "$GEN" rules --src "$ROOT/rules" --total 200 "$RULES" >&2
# The rules must compile before anything is timed.
if ! "$BIN" rules check "$RULES" >"$WORK/rules_check.txt" 2>&1; then
	cat "$WORK/rules_check.txt" >&2
	die "cadoctor rules check $RULES failed"
fi

# ---- measuring ----
printf 'figure\trun\twall_ms\ttime_e_s\tcpu_ms\tmaxrss_kib\texit\n' >"$WORK/runs.tsv"

# measure NAME CMD...: runs CMD $RUNS times; sets MED_MS (median wall, ms),
# MED_CPU (median user + sys, ms) and MAX_KIB (highest peak RSS). scan exits 1 or 2 when it finds warnings
# or errors: those count as success, anything else stops the benchmark.
measure() {
	local name=$1 i start end rc ms e kib u s cpu
	local -a walls=() cpus=()
	shift
	MAX_KIB=0
	for ((i = 1; i <= RUNS; i++)); do
		rc=0
		start=$EPOCHREALTIME
		/usr/bin/time -f '%e %M %U %S' -o "$WORK/time.txt" "$@" >"$WORK/last.out" 2>"$WORK/last.err" || rc=$?
		end=$EPOCHREALTIME
		if ((rc > 2)); then
			cat "$WORK/last.err" >&2
			die "exit status $rc from: $*"
		fi
		# µs since the epoch, without the decimal point (locale-proof: keep digits)
		ms=$(((${end//[^0-9]/} - ${start//[^0-9]/}) / 1000))
		# time writes "Command exited with non-zero status N" first: take the last line
		read -r e kib u s < <(tail -n 1 "$WORK/time.txt")
		cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1000 + 0.5}')
		walls+=("$ms")
		cpus+=("$cpu")
		((kib > MAX_KIB)) && MAX_KIB=$kib
		printf '%s\t%d\t%d\t%s\t%d\t%d\t%d\n' "$name" "$i" "$ms" "$e" "$cpu" "$kib" "$rc" >>"$WORK/runs.tsv"
	done
	MED_MS=$(median "${walls[@]}")
	MED_CPU=$(median "${cpus[@]}")
}

median() {
	printf '%s\n' "$@" | sort -n |
		awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'
}

SCAN=("$BIN" scan --snapshot "$SNAP" --quiet)
note "timing, $RUNS runs each"
measure full "${SCAN[@]}" --rules "$RULES" --json-out "$WORK/out.json" --html "$WORK/out.html"
T_FULL=$MED_MS K_FULL=$MAX_KIB C_FULL=$MED_CPU
measure eval_only "${SCAN[@]}" --rules "$RULES"
T_EVAL_ONLY=$MED_MS
measure load_compile "${SCAN[@]}" --rules "$RULES" --rule "$NO_RULE"
T_LOAD_COMPILE=$MED_MS K_LOAD_COMPILE=$MAX_KIB C_LOAD_COMPILE=$MED_CPU
measure embedded "${SCAN[@]}" --json-out "$WORK/out_embedded.json" --html "$WORK/out_embedded.html"
T_EMB=$MED_MS K_EMB=$MAX_KIB
measure load "${SCAN[@]}" --rule "$NO_RULE"
T_LOAD=$MED_MS K_LOAD=$MAX_KIB
measure rules_check "$BIN" rules check "$RULES" --quiet
T_CHECK=$MED_MS

# ---- results ----
read -r NF NERR NWARN NINFO NRERR NEVAL < <(python3 "$GEN" findings "$WORK/out.json")
read -r ENF _ _ _ _ ENEVAL < <(python3 "$GEN" findings "$WORK/out_embedded.json")
T_COMPILE=$((T_LOAD_COMPILE - T_LOAD))
T_EVAL=$((T_EVAL_ONLY - T_LOAD_COMPILE))
T_REPORT=$((T_FULL - T_EVAL_ONLY))
T_BUDGET=$((T_FULL - T_LOAD_COMPILE))
T_EMB_BUDGET=$((T_EMB - T_LOAD))
C_BUDGET=$((C_FULL - C_LOAD_COMPILE))

# row FIGURE VALUE UNIT [BUDGET]: one table line, ratio = value / budget
row() {
	awk -v f="$1" -v v="$2" -v u="$3" -v b="${4:-}" 'BEGIN {
		if (u == "KiB") { vs = sprintf("%.1f MB", v / 1024); bs = b == "" ? "-" : sprintf("%.0f MB", b / 1024) }
		else if (u == "B") { vs = sprintf("%d", v); bs = "-" }
		else { vs = sprintf("%d %s", v, u); bs = b == "" ? "-" : sprintf("%d %s", b, u) }
		r = b == "" ? "-" : sprintf("%.2f", v / b)
		# a difference of medians below zero is measurement noise
		if (v < 0) { vs = "~0 (noise)"; r = b == "" ? "-" : "0.00" }
		printf "%-58s %12s %10s %7s\n", f, vs, bs, r }'
}

echo
echo "cadoctor benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS runs"
echo "binary $BIN"
printf '%-58s %12s %10s %7s\n' figure measured budget ratio
printf '%.0s-' {1..90}
echo
row "rule evaluation + report writing ($NEVAL rules, --rules DIR)" "$T_BUDGET" ms "$BUDGET_MS"
row "  same, CPU time (user + sys)" "$C_BUDGET" ms "$BUDGET_MS"
row "  evaluation" "$T_EVAL" ms
row "  report writing (JSON + HTML)" "$T_REPORT" ms
row "peak RSS, scan --rules DIR with reports" "$K_FULL" KiB "$BUDGET_KIB"
row "rule evaluation + report writing (embedded, $ENEVAL rules)" "$T_EMB_BUDGET" ms "$BUDGET_MS"
row "peak RSS, scan with embedded rules and reports" "$K_EMB" KiB "$BUDGET_KIB"
row "whole scan --rules DIR with reports (wall)" "$T_FULL" ms
row "whole scan, embedded rules, with reports (wall)" "$T_EMB" ms
row "snapshot load alone (--rule none; incl. start-up)" "$T_LOAD" ms
row "peak RSS, snapshot load alone" "$K_LOAD" KiB
row "rule compile at run time (--rules DIR)" "$T_COMPILE" ms
row "peak RSS, load + compile" "$K_LOAD_COMPILE" KiB
row "cadoctor rules check DIR alone (incl. start-up)" "$T_CHECK" ms
echo
row "snapshot bytes" "$(stat -c %s "$SNAP")" B
row "JSON report bytes" "$(stat -c %s "$WORK/out.json")" B
row "HTML report bytes" "$(stat -c %s "$WORK/out.html")" B
echo "findings: $NF of $NEVAL rules fired ($NERR errors, $NWARN warnings, $NINFO infos); rule errors: $NRERR; embedded rules: $ENF findings"
((NRERR == 0)) || echo "note: $NRERR rules could not run; see rule_errors in $WORK/out.json"
echo "raw runs: $WORK/runs.tsv"

# ---- optional profile: where the time goes ----
if [[ ${BENCH_PROFILE:-0} == 1 ]]; then
	command -v valgrind >/dev/null || die "BENCH_PROFILE=1 needs valgrind (apt-get install valgrind)"
	note "profiling one run under callgrind"
	rm -rf "$WORK/callgrind" && mkdir "$WORK/callgrind"
	# one dump after each rule: the dumps' totals are the rules' costs
	valgrind --tool=callgrind --dump-after=eval_rule \
		--callgrind-out-file="$WORK/callgrind/cg.out" \
		"${SCAN[@]}" --rules "$RULES" --json-out "$WORK/out.json" --html "$WORK/out.html" \
		>/dev/null 2>"$WORK/callgrind/valgrind.log" || true
	echo
	python3 "$GEN" rulecost --rules "$RULES" --os windows "$WORK/callgrind"
	# a whole-run profile for the function view
	valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind/whole.out" \
		"${SCAN[@]}" --rules "$RULES" --json-out "$WORK/out.json" --html "$WORK/out.html" \
		>/dev/null 2>>"$WORK/callgrind/valgrind.log" || true
	echo
	echo "inclusive cost of cadoctor's own functions (callgrind_annotate $WORK/callgrind/whole.out):"
	callgrind_annotate --inclusive=yes "$WORK/callgrind/whole.out" 2>/dev/null |
		grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  (/.*/)?src/' | grep -v -E ':(main|cmd_scan)( |$)' |
		sed -E 's#  (/[^ ]*/)?(src/)#  \2#; s# \[.*\]$##' | awk '!seen[$0]++' | head -20
fi
exit 0
