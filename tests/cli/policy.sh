#!/usr/bin/env bash
# Enterprise settings on Linux (/etc/cadoctor/policy.conf; here the file named
# by CADOCTOR_POLICY_FILE) and scan --platform: the default platform, the
# report folder, the redaction level (scan and collect); unknown platforms.
# docs/deploy.md.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
S=$SRC/tests/scenarios
facts=$S/win_other_province/facts.txt
export CADOCTOR_LANG=zh

check_rc "scan --platform" 2 "$CD" scan --snapshot "$facts" --platform lnwlzb
check "the platform's name is shown" contains "$WORK/last.out" "辽宁省网联招标投标综合服务平台"
check "the platform's notes are shown" contains "$WORK/last.out" "https://www.lnwlzb.com/"
check_rc "unknown --platform is a usage error" 64 "$CD" scan --snapshot "$facts" --platform nosuch
check_rc "no policy file: no platform" 2 "$CD" scan --snapshot "$facts"
check "no policy file: no platform line" bash -c "! grep -q '^平台:' '$WORK/last.out'"

cat >"$WORK/policy.conf" <<EOF2
DefaultPlatform: ebnew
ReportFolder: $WORK/reports
RedactionLevel: strict
AllowedRepairActions: service_start; registry_set
EventLog: 1
EOF2
export CADOCTOR_POLICY_FILE=$WORK/policy.conf
check_rc "policy: scan of a snapshot" 2 "$CD" scan --snapshot "$facts" --no-redact
check "policy: DefaultPlatform is shown" contains "$WORK/last.out" "必联"
check "policy: strict redaction refuses --no-redact" contains "$WORK/last.err" "--no-redact"
check "policy: a snapshot scan saves no report to the folder" test ! -e "$WORK/reports"
# collect (the snapshot users send to support) follows RedactionLevel as scan does.
check_rc "no policy: collect --no-redact" 0 env -u CADOCTOR_POLICY_FILE "$CD" collect --snapshot "$facts" --no-redact -o "$WORK/c0.txt"
check "no policy: collect --no-redact writes personal data" bash -c "! grep -qx 'redacted: 1' '$WORK/c0.txt'"
check_rc "policy: collect --no-redact" 0 "$CD" collect --snapshot "$facts" --no-redact -o "$WORK/c1.txt"
check "policy: strict redaction refuses collect --no-redact" contains "$WORK/last.err" "--no-redact"
check "policy: the snapshot collect wrote is redacted" grep -qx 'redacted: 1' "$WORK/c1.txt"
check_rc "policy: live scan" 0 bash -c "'$CD' scan --offline --probes linux.host --quiet; r=\$?; [ \$r -le 2 ]"
check "policy: the live scan saved JSON and HTML to ReportFolder" bash -c "ls '$WORK/reports/'cadoctor-*.json '$WORK/reports/'cadoctor-*.html >/dev/null"
check "policy: the saved JSON is a report" python3 -c "
import glob, json, sys
d = json.load(open(glob.glob(sys.argv[1] + '/cadoctor-*.json')[0]))
sys.exit(0 if d['format'] == 'cadoctor-report' and d['redacted'] else 1)" "$WORK/reports"
check_rc "policy: --platform on the line wins" 2 "$CD" scan --snapshot "$facts" --platform lnwlzb
check "policy: the line's platform is shown" contains "$WORK/last.out" "辽宁省网联"

printf 'RedactionLevel: none\n' >"$WORK/policy.conf"
check_rc "policy none: collect" 0 "$CD" collect --snapshot "$facts" -o "$WORK/c2.txt"
check "policy none: collect leaves personal data in" bash -c "! grep -qx 'redacted: 1' '$WORK/c2.txt'"
check "policy none: and says so" contains "$WORK/last.err" "没有脱敏"
printf 'RedactionLevel: standard\n' >"$WORK/policy.conf"
check_rc "policy standard: collect" 0 "$CD" collect --snapshot "$facts" -o "$WORK/c3.txt"
check "policy standard: collect redacts" grep -qx 'redacted: 1' "$WORK/c3.txt"
printf 'DefaultPlatform: nosuch\n' >"$WORK/policy.conf"
check_rc "policy: an unknown default platform is ignored" 2 "$CD" scan --snapshot "$facts"
check "policy: with a warning" contains "$WORK/last.err" "默认平台"
printf 'ReportFolder: /proc/no/such/dir\n' >"$WORK/policy.conf"
check_rc "policy: an unwritable report folder leaves the exit code" 0 bash -c "'$CD' scan --offline --probes linux.host >/dev/null 2>&1; r=\$?; [ \$r -le 2 ]"
# AllowedRepairActions reaches `cadoctor repair`: a kind the policy does not
# allow is planned but marked forbidden (nothing applies it).
mkdir -p "$WORK/root/etc/pkcs11/modules"
printf 'module: /opt/gone/libx.so\n' >"$WORK/root/etc/pkcs11/modules/gone.module"
printf 'AllowedRepairActions: service_start\n' >"$WORK/policy.conf"
check_rc "policy: repair dry run" 0 bash -c "'$CD' repair --offline --root '$WORK/root' --probes linux.p11kit >'$WORK/plan.txt' 2>&1; true"
check "policy: quarantine is planned" contains "$WORK/plan.txt" "gone.module"
check "policy: and marked forbidden" contains "$WORK/plan.txt" "设置禁止了这类操作"
printf 'AllowedRepairActions: service_start; file_quarantine\n' >"$WORK/policy.conf"
"$CD" repair --offline --root "$WORK/root" --probes linux.p11kit >"$WORK/plan2.txt" 2>&1
check "policy: allowed kinds are not marked forbidden" bash -c "! grep -q '设置禁止了这类操作' '$WORK/plan2.txt'"
# EventLog with a repair that runs: the entry is built (Linux has no event
# log to write it to; the ASan build checks the building).
printf 'AllowedRepairActions: file_quarantine\nEventLog: 1\n' >"$WORK/policy.conf"
mkdir -m 0700 "$WORK/journal"
check_rc "policy: EventLog=1: repair --yes applies" 0 env CADOCTOR_TEST_JOURNAL_DIR="$WORK/journal" "$CD" repair --offline --root "$WORK/root" --probes linux.p11kit --yes
check "policy: the module file was quarantined" test ! -e "$WORK/root/etc/pkcs11/modules/gone.module"
finish
