#!/usr/bin/env bash
# Open an sra HTML report in Debian's headless chromium and check it:
#   tests/browser/check_report.sh REPORT.html ARTIFACT_DIR NAME [EXPECTED_QUESTION]
# The page itself, at 1280 pixels wide, loads with no console message (a
# Content-Security-Policy violation -- anything fetched or run -- is one).
# Laid out 1280 and 390 CSS pixels wide (in an iframe of that width, since a
# headless window is at least 500 wide; the page's own CSP still holds inside
# it): nothing overflows horizontally outside the page's own scroll boxes,
# every <svg> starts with a non-empty <title>, the embedded sra-report-data
# parses, and the header shows EXPECTED_QUESTION as text.  Screenshots of the
# whole page at both widths and a PDF (the print style) are kept in
# ARTIFACT_DIR as NAME-1280.png, NAME-390.png, NAME.pdf.
# Chromium missing is a failure, never a skip.
set -u
REPORT=$(realpath "$1") ART=$2 NAME=$3 QUESTION=${4-}
CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" >/dev/null || { echo "FAIL: $CHROMIUM not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
mkdir -p "$ART"
WORK=$(mktemp -d -t sra-browser.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
status=0
bad() { echo "    FAIL [$NAME]: $*" >&2; status=1; }

# chrome WIDTH HEIGHT ARGS... URL: headless, a fresh profile each time, the console on stderr
chrome() {
  local w=$1 h=$2; shift 2
  local flags=(--headless --disable-gpu --no-first-run --disable-background-networking
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$WORK/profile.$RANDOM$RANDOM"
    --enable-logging=stderr --v=0 --window-size="$w,$h" --virtual-time-budget=10000)
  [ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
  timeout 120 "$CHROMIUM" "${flags[@]}" "$@"
}

# harness WIDTH HEIGHT: a page holding the report in an iframe WIDTH wide, and
# a script that measures it and writes the result into <pre id="sra-check">
harness() {
  python3 - "$REPORT" "$1" "$2" >"$WORK/harness.$1.html" <<'PY'
import html, sys
page = open(sys.argv[1], encoding='utf-8').read()
w, h = sys.argv[2], sys.argv[3]
print('''<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}iframe{border:0;display:block}</style></head>
<body><iframe id="f" width="%s" height="%s" srcdoc="%s"></iframe><pre id="sra-check"></pre>
<script>
document.getElementById('f').addEventListener('load', function () {
  var f = document.getElementById('f'), d = f.contentDocument, W = d.documentElement.clientWidth, out = {};
  out.clientWidth = W;
  out.scrollWidth = d.documentElement.scrollWidth;
  out.overflow = [];
  d.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 0.5 && !e.closest('.scroll') && out.overflow.length < 5)
      out.overflow.push(e.tagName + ' ' + (e.getAttribute('class') || '') + ' right=' + Math.round(r.right) +
                        ' ' + (e.textContent || '').slice(0, 40));
  });
  var svgs = d.querySelectorAll('svg');
  out.svgs = svgs.length;
  out.untitled = 0;
  svgs.forEach(function (s) {
    var t = s.firstElementChild;
    if (!t || t.tagName !== 'title' || !t.textContent.trim()) out.untitled++;
  });
  out.height = Math.ceil(d.documentElement.scrollHeight);
  try { out.runs = JSON.parse(d.getElementById('sra-report-data').textContent).length; }
  catch (e) { out.runs = 'unparsable: ' + e; }
  var lead = d.querySelector('header .lead');
  out.question = lead ? lead.textContent : null;
  f.height = out.height;
  document.getElementById('sra-check').textContent = JSON.stringify(out);
});
</script></body></html>''' % (w, h, html.escape(page, quote=True)))
PY
}

for w in 1280 390; do
  harness "$w" 900
  chrome $((w < 500 ? 500 : w)) 900 --dump-dom "file://$WORK/harness.$w.html" >"$WORK/dom.$w" 2>"$WORK/err.$w"
  python3 - "$WORK/dom.$w" "$w" "$QUESTION" >"$WORK/res.$w" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<pre id="sra-check">(.+?)</pre>', dom, re.S)
if not m:
    print('no-result'); sys.exit(0)
r = json.loads(html.unescape(m.group(1)))
w, q = int(sys.argv[2]), sys.argv[3]
problems = []
if r['clientWidth'] != w: problems.append('laid out %s wide, not %s' % (r['clientWidth'], w))
if r['scrollWidth'] > r['clientWidth']: problems.append('page %spx wide in %spx' % (r['scrollWidth'], r['clientWidth']))
if r['overflow']: problems.append('overflowing: %s' % r['overflow'])
if r['svgs'] == 0: problems.append('no <svg> at all')
if r['untitled']: problems.append('%d <svg> without a <title>' % r['untitled'])
if not isinstance(r['runs'], int) or r['runs'] < 1: problems.append('sra-report-data: %s' % r['runs'])
if q and r['question'] != q: problems.append('question shown as %r, not %r' % (r['question'], q))
print('height %d' % r['height'])
for p in problems: print('problem ' + p)
PY
  if grep -q '^no-result' "$WORK/res.$w"; then bad "$w px: the measuring script did not run"; continue; fi
  while read -r p; do bad "$w px: $p"; done < <(sed -n 's/^problem //p' "$WORK/res.$w")
  h=$(sed -n 's/^height //p' "$WORK/res.$w"); h=${h:-2000}; [ "$h" -gt 16000 ] && h=16000
  if [ "$w" = 1280 ]; then
    # the page itself, unchanged: no console message
    chrome 1280 "$h" --screenshot="$ART/$NAME-1280.png" "file://$REPORT" >/dev/null 2>"$WORK/page"
    if grep -q ':CONSOLE' "$WORK/page"; then bad "console: $(grep ':CONSOLE' "$WORK/page" | head -3)"; fi
  else
    harness "$w" "$h"
    chrome 500 "$h" --screenshot="$ART/$NAME-$w.png" "file://$WORK/harness.$w.html" >/dev/null 2>&1
  fi
  [ -s "$ART/$NAME-$w.png" ] || bad "$w px: no screenshot"
done
chrome 1280 900 --no-pdf-header-footer --print-to-pdf="$ART/$NAME.pdf" "file://$REPORT" >/dev/null 2>&1
[ -s "$ART/$NAME.pdf" ] || bad "no PDF printed"
exit $status
