#!/usr/bin/env bash
# scan --symptom narrows the report to one symptom's causes, most likely
# first, and says which causes were ruled out and which could not be checked.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
S=$SRC/tests/scenarios

# Facts from a machine where the Windows probes ran (probe_runs rows).
{ cat "$S/win_other_province/facts.txt"
  for p in windows.programs windows.csp windows.usb windows.services windows.host; do
    printf '\nTable: probe_runs\nprobe: %s\nstatus: ok\n' "$p"
  done
  printf '\nTable: services\nname: SCardSvr\ninstalled: 1\nstate: stopped\nstart_type: disabled\n'
} >"$WORK/facts.txt"

check_rc "symptom scan" 2 "$CD" scan --snapshot "$WORK/facts.txt" --symptom cert_name_missing
out=$WORK/last.out
check "the other-province driver is a cause" contains "$out" "drivers.other_province_edition"
check "the disabled smart-card service is a cause" contains "$out" "services.smartcard_disabled"
# Most likely first: the disabled service (85) before the other edition (85, error) ... by likelihood then id.
first=$(grep -oE '^1\. .*\((drivers|services)\.[a-z_]+\)' "$out" | grep -oE '\((drivers|services)\.[a-z_]+\)')
check "most likely cause first ($first)" test "$first" = "(drivers.other_province_edition)" -o "$first" = "(services.smartcard_disabled)"
check "ruled-out section" contains "$out" "已检查并排除的原因"
check "a CSP cause ruled out (its probe ran)" contains "$out" "csp.image_missing"
check "findings of other symptoms are dropped" bash -c "! grep -q 'network.hosts_redirect' '$out'"
# Without the probes having run, causes are not claimed as ruled out.
check_rc "symptom scan of bare facts" 2 "$CD" scan --snapshot "$S/win_other_province/facts.txt" --symptom cert_name_missing
check "unchecked section" contains "$WORK/last.out" "未能检查的原因"
check "CSP cause not claimed ruled out" bash -c "! sed -n '/已检查并排除/,/未能检查/p' '$WORK/last.out' | grep -q csp.image_missing"
# The exit status follows what remains: nothing for this symptom -> 0.
check_rc "clean facts" 0 "$CD" scan --snapshot "$S/win_clean/facts.txt" --symptom xtx_load_fail
check_rc "unknown symptom" 64 "$CD" scan --snapshot "$S/win_clean/facts.txt" --symptom no_such_symptom
check "unknown symptom named" contains "$WORK/last.err" "no_such_symptom"
check_rc "English" 2 "$CD" scan --lang en --snapshot "$WORK/facts.txt" --symptom cert_name_missing
check "English ruled-out heading" contains "$WORK/last.out" "Causes checked and ruled out"
finish
