# Helpers for the Linux probe tests: query readable text facts (cadoctor
# collect -o FILE.txt) and count checks. Sourced, never run. The sourcing
# script sets CADOCTOR (the binary), PROBES (what to collect) and the
# counters pass=0 fail=0, and prints "$NAME: $pass passed, $fail failed".

# Text facts -> one line per row: "|Table: t|col: v|col: v|".
flatten() {
	awk 'BEGIN { RS = ""; FS = "\n" } { s = "|"; for (i = 1; i <= NF; i++) s = s $i "|"; print s }' "$1"
}

# Rows of FILE (flattened) containing every "col: value" given.
rows_with() {
	local file=$1 rows p
	shift
	rows=$(flatten "$file")
	for p in "$@"; do
		rows=$(printf '%s\n' "$rows" | grep -F -- "|$p|" || true)
	done
	printf '%s' "$rows"
}

count_rows() {
	local rows
	rows=$(rows_with "$@")
	if [ -z "$rows" ]; then echo 0; else printf '%s\n' "$rows" | wc -l; fi
}

# expect DESCRIPTION N FILE "col: value"...: exactly N rows have all of them.
# On failure the rows of that table are shown, unless there are many.
expect() {
	local desc=$1 want=$2 file=$3 got
	shift 3
	got=$(count_rows "$file" "$@")
	if [ "$got" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $desc: $got row(s) with [$*], expected $want" >&2
		if [ "$(count_rows "$file" "$1")" -le 50 ]; then
			echo "  rows of that table:" >&2
			flatten "$file" | grep -F -- "|$1|" | sed 's/^/    /' >&2 || true
		fi
	fi
}

# ok DESCRIPTION command...: the command succeeds.
ok() {
	local desc=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $desc" >&2
	fi
}

# collect OUT [collect options...]: text facts of the PROBES into OUT,
# unredacted (the tests compare real paths and names).
collect() {
	local out=$1
	shift
	if ! "$CADOCTOR" collect "$@" --no-redact --probes "$PROBES" -o "$out" 2>"$out.err"; then
		sed 's/^/  stderr: /' "$out.err" >&2
		return 1
	fi
}
