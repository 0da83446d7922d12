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
# whole page at both widths are kept in ARTIFACT_DIR as NAME-1280.png and
# NAME-390.png; with SRA_CHECK_PDF=1 also NAME.pdf (the print style).
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
    --enable-logging=stderr --v=0 --window-size="$w,$h")
  [ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
  timeout 120 "$CHROMIUM" "${flags[@]}" "$@"
}

# harness OUT WIDTH:HEIGHT...: a page holding the report in an iframe of each
# WIDTH (stacked), and a script that measures each and writes the results
# into <pre id="sra-check">, one JSON object per line
harness() {
  local out=$1; shift
  python3 - "$REPORT" "$@" >"$out" <<'PY'
import html, sys
page = html.escape(open(sys.argv[1], encoding='utf-8').read(), quote=True)
frames = ''.join('<iframe width="%s" height="%s" srcdoc="%s"></iframe>' % (tuple(a.split(':')) + (page,))
                 for a in sys.argv[2:])
print('''<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}iframe{border:0;display:block}</style></head>
<body>%s<pre id="sra-check"></pre>
<script>
function measure(f) {
  var d = f.contentDocument, W = d.documentElement.clientWidth, out = {};
  out.width = +f.getAttribute('width');
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
  return JSON.stringify(out);
}
window.addEventListener('load', function () {
  var r = [];
  document.querySelectorAll('iframe').forEach(function (f) { r.push(measure(f)); });
  document.getElementById('sra-check').textContent = r.join('\\n');
});
</script></body></html>''' % frames)
PY
}

# 1. both widths measured in one browser
harness "$WORK/measure.html" 1280:900 390:900
chrome 1280 900 --dump-dom "file://$WORK/measure.html" >"$WORK/dom" 2>"$WORK/err"
python3 - "$WORK/dom" "$QUESTION" >"$WORK/res" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<pre id="sra-check">(.+?)</pre>', dom, re.S)
if not m:
    print('problem the measuring script did not run'); sys.exit(0)
q = sys.argv[2]
for line in html.unescape(m.group(1)).splitlines():
    r = json.loads(line)
    w = r['width']
    problems = []
    if r['clientWidth'] != w: problems.append('laid out %s wide, not %s' % (r['clientWidth'], w))
    if r['scrollWidth'] > r['clientWidth']: problems.append('page %spx wide in %spx' % (r['scrollWidth'], r['clientWidth']))
    if r['overflow']: problems.append('overflowing: %s' % r['overflow'])
    if r['svgs'] == 0: problems.append('no <svg> at all')
    if r['untitled']: problems.append('%d <svg> without a <title>' % r['untitled'])
    if not isinstance(r['runs'], int) or r['runs'] < 1: problems.append('sra-report-data: %s' % r['runs'])
    if q and r['question'] != q: problems.append('question shown as %r, not %r' % (r['question'], q))
    print('height %d %d' % (w, r['height']))
    for p in problems: print('problem %d px: %s' % (w, p))
PY
while read -r p; do bad "$p"; done < <(sed -n 's/^problem //p' "$WORK/res")
height() { local h; h=$(awk -v w="$1" '$1 == "height" && $2 == w { print $3 }' "$WORK/res"); h=${h:-2000}; echo $((h > 16000 ? 16000 : h)); }

# 2. the page itself, unchanged, at 1280: no console message, and its screenshot
chrome 1280 "$(height 1280)" --screenshot="$ART/$NAME-1280.png" "file://$REPORT" >/dev/null 2>"$WORK/page"
if grep -q ':CONSOLE' "$WORK/page"; then bad "console: $(grep ':CONSOLE' "$WORK/page" | head -3)"; fi
[ -s "$ART/$NAME-1280.png" ] || bad "no screenshot at 1280 px"
# 3. at 390: the screenshot of the iframe (the window is 500 wide)
h=$(height 390)
harness "$WORK/narrow.html" "390:$h"
chrome 500 "$h" --screenshot="$ART/$NAME-390.png" "file://$WORK/narrow.html" >/dev/null 2>&1
[ -s "$ART/$NAME-390.png" ] || bad "no screenshot at 390 px"
# 4. on paper (the print style), when asked
if [ -n "${SRA_CHECK_PDF:-}" ]; then
  chrome 1280 900 --no-pdf-header-footer --print-to-pdf="$ART/$NAME.pdf" "file://$REPORT" >/dev/null 2>&1
  [ -s "$ART/$NAME.pdf" ] || bad "no PDF printed"
fi
exit $status
