#!/usr/bin/env bash
# --html writes one self-contained page: no external assets, the JSON results
# embedded, and it renders in headless Chromium (the screenshot is kept as an
# artifact under the build directory: tests/artifacts/).
set -uo pipefail
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
ART=${CADOCTOR_BUILD_DIR:-$WORK}/tests/artifacts
mkdir -p "$ART"
CASE=$SRC/tests/scenarios/network_failures/facts.txt

"$CD" scan --snapshot "$CASE" --html "$WORK/r.html" --json-out "$WORK/r.json" --quiet
check "HTML written" test -s "$WORK/r.html"
check "starts with a doctype" grep -q '^<!DOCTYPE html>' "$WORK/r.html"
check "no external scripts, styles or images" bash -c "! grep -qiE '<(script|img|link|iframe)[^>]+(src|href)=' '$WORK/r.html'"
check "no network URLs in url()" bash -c "! grep -qiE 'url\\((https?:)?//' '$WORK/r.html'"
check "both languages present" grep -q 'class="en"' "$WORK/r.html"
check "Chinese title" contains "$WORK/r.html" "平台服务器返回错误"
# The embedded JSON is the same document as --json-out.
check "embedded JSON equals --json-out" $PY - "$WORK/r.html" "$WORK/r.json" <<'PYEOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="cadoctor-data">(.*?)</script>', html, re.S)
emb = json.loads(m.group(1))
ref = json.load(open(sys.argv[2]))
for d in (emb, ref):
    d.pop("generated_at")
sys.exit(0 if emb["findings"] == ref["findings"] and emb == ref else 1)
PYEOF

# Hostile text cannot break out of the page: a value with markup is escaped.
cat >"$WORK/evil.txt" <<'FACTS'
Format: cadoctor-facts 1

Table: host
os_family: linux
clock_utc: 1763769600

Table: pkcs11_modules
name: <script>alert(1)</script></script><b>x
path: /x
file_exists: 0
source: nss
source_file: /home/u/.pki/nssdb/pkcs11.txt
FACTS
"$CD" scan --snapshot "$WORK/evil.txt" --html "$WORK/evil.html" --quiet
check "markup in facts is escaped" bash -c "! grep -q '<script>alert' '$WORK/evil.html'"
check "no early </script> in embedded JSON" $PY - "$WORK/evil.html" <<'PYEOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="cadoctor-data">(.*?)</script>', html, re.S)
d = json.loads(m.group(1))
sys.exit(0 if any("<script>" in json.dumps(f, ensure_ascii=False) for f in d["findings"]) else 1)
PYEOF

# Render it for real.
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  bad "chromium is not installed (scripts/setup-debian.sh test installs it)"
  finish; exit
fi
shot() { # html png
  timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$WORK/chrome" --window-size=1100,1400 --screenshot="$2" "file://$1" >/dev/null 2>&1
}
shot "$WORK/r.html" "$ART/html_report.png"
printf '<!DOCTYPE html><html><body></body></html>' >"$WORK/blank.html"
shot "$WORK/blank.html" "$WORK/blank.png"
check "screenshot taken" test -s "$ART/html_report.png"
big=$(stat -c %s "$ART/html_report.png" 2>/dev/null || echo 0)
small=$(stat -c %s "$WORK/blank.png" 2>/dev/null || echo 0)
echo "report screenshot: $big bytes, blank page: $small bytes ($ART/html_report.png)"
check "the rendered page is not empty" test "$big" -gt $((small * 5))
# The DOM after rendering holds the findings.
timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --user-data-dir="$WORK/chrome" --dump-dom "file://$WORK/r.html" >"$WORK/dom.html" 2>/dev/null
check "rendered DOM has the summary" grep -q 'id="summary"' "$WORK/dom.html"
check "rendered DOM has a finding" grep -q 'data-rule="system.clock_skew"' "$WORK/dom.html"

# The help desk's page (tests/cli/data/helpdesk_certs.txt): support code and
# the list of what to do at the top, sections per area, the certificate
# validity timeline (inline SVG: a bar per certificate, today marked, renewal
# windows shaded), the repair history; screenshot kept; prints on A4.
"$CD" scan --snapshot "$SRC/tests/cli/data/helpdesk_certs.txt" --html "$WORK/h.html" --quiet
shot "$WORK/h.html" "$ART/html_report_helpdesk.png"
check "help desk page: screenshot taken" test -s "$ART/html_report_helpdesk.png"
big=$(stat -c %s "$ART/html_report_helpdesk.png" 2>/dev/null || echo 0)
check "help desk page: not empty" test "$big" -gt $((small * 5))
timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --user-data-dir="$WORK/chrome" --dump-dom "file://$WORK/h.html" >"$WORK/hdom.html" 2>/dev/null
check "help desk page: summary" grep -q 'id="summary"' "$WORK/hdom.html"
check "help desk page: what to do, in order" grep -q '<ol class="todo">' "$WORK/hdom.html"
check "help desk page: support code at the top" grep -q 'id="support-code"' "$WORK/hdom.html"
check "help desk page: says it is redacted" grep -q 'data-redacted="1"' "$WORK/hdom.html"
for area in drivers keys browsers system; do
  check "help desk page: section $area" grep -q "id=\"area-$area\"" "$WORK/hdom.html"
done
check "help desk page: timeline" grep -q '<svg id="timeline"' "$WORK/hdom.html"
check "help desk page: a bar per certificate" test "$(grep -o '<g class="cert ' "$WORK/hdom.html" | wc -l)" = 5
check "help desk page: today marked" grep -q '<g id="today">' "$WORK/hdom.html"
check "help desk page: renewal windows shaded" grep -q 'class="window"' "$WORK/hdom.html"
for state in expired expiring valid future; do
  check "help desk page: a $state certificate" grep -q "<g class=\"cert $state\">" "$WORK/hdom.html"
done
check "help desk page: probe errors" grep -q 'id="probe-errors"' "$WORK/hdom.html"
check "help desk page: repair history" grep -q 'id="repairs"' "$WORK/hdom.html"
check "help desk page: no external assets" bash -c "! grep -qiE '<(script|img|link|iframe)[^>]+(src|href)=' '$WORK/h.html'"
timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --user-data-dir="$WORK/chrome" --no-pdf-header-footer --print-to-pdf="$ART/html_report_helpdesk.pdf" \
  "file://$WORK/h.html" >/dev/null 2>&1
check "help desk page: prints" test -s "$ART/html_report_helpdesk.pdf"
check "help desk page: on A4 pages" $PY - "$ART/html_report_helpdesk.pdf" <<'PYEOF'
import re, sys
boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", open(sys.argv[1], "rb").read())
sys.exit(0 if boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes) else 1)
PYEOF
finish
