#!/usr/bin/env bash
# `sra benchmark report` end to end: the embedded data equals `show --json`
# field for field (jq), every text from the database is escaped (a question
# and notes full of <, &, quotes and </script>), exactly the FN and FP records
# are listed, bad input fails cleanly, the report is byte-identical on SQLite
# and PostgreSQL for the same data, and in headless chromium
# (tests/browser/check_report.sh) one-run, three-run and degenerate reports
# load cleanly and fit 1280 and 390 pixels; their screenshots are kept in
# $SRA_BINARY_DIR/test-artifacts/report/.
. "$(dirname "$0")/lib.sh"

if ! "$SRA" benchmark report --help >/dev/null 2>&1; then
  echo "FAIL: $SRA has no 'benchmark report' command" >&2
  exit 1
fi
ART=${SRA_BINARY_DIR:-$TMP}/test-artifacts/report

HOSTILE_Q=$'Does <b>screening</b> & "AI" \'work\'? </script><script>alert(1)</script> <!-- x'
HOSTILE_NOTES='notes </script><img src=x onerror=alert(1)> & "more"'

# sql_str S: S as an SQL string literal
sql_str() { printf "'%s'" "${1//\'/\'\'}"; }

# a demo review and its run, with hostile texts; sets RUN
hostile_demo() {
  expect_exit 0 "$SRA" demo --seed "${1:-7}" --records "${2:-300}" --url "$URL" || return 1
  RUN=$(q "SELECT id FROM benchmark_runs")
  q "UPDATE systematic_reviews SET research_question = $(sql_str "$HOSTILE_Q")" >/dev/null
  q "UPDATE benchmark_runs SET run_notes = $(sql_str "$HOSTILE_NOTES")" >/dev/null
  q "UPDATE benchmark_result_items SET conservative_rationale = 'Because </script> & <i>so</i>'
     WHERE classification IN ('FN', 'FP')" >/dev/null
}

# extract_data REPORT OUT: the embedded sra-report-data block, as JSON
extract_data() {
  python3 - "$1" >"$2" <<'PY'
import json, re, sys
page = open(sys.argv[1], encoding='utf-8').read()
blocks = re.findall(r'<script type="application/json" id="sra-report-data">(.*?)</script>', page, re.S)
assert len(blocks) == 1, len(blocks)
print(json.dumps(json.loads(blocks[0])))
PY
}

case_report_data_and_escaping() {
  hostile_demo 7 300 || return
  expect_exit 0 "$SRA" benchmark report "${RUN:0:8}" -o "$TMP/r.html" --url "$URL" || return
  [ -z "$OUT" ] || fail "-o printed something on stdout"
  expect_exit 0 "$SRA" benchmark show "$RUN" --json --url "$URL" || return
  printf '%s' "$OUT" >"$TMP/show.json"
  extract_data "$TMP/r.html" "$TMP/data.json" || { fail "no parsable sra-report-data"; return; }
  assert_eq "$(jq 'length' "$TMP/data.json")" 1 "runs in the data"
  # field for field: every path and value of show --json, and nothing else
  diff <(jq -S '.[0]' "$TMP/data.json") <(jq -S . "$TMP/show.json") >"$TMP/diff" \
    || fail "embedded data differs from show --json: $(head -5 "$TMP/diff")"
  assert_eq "$(jq -r '.[0].run_notes' "$TMP/data.json")" "$HOSTILE_NOTES" "notes through the JSON block"
  # one script element (the data), closed once; the hostile texts only escaped
  assert_eq "$(grep -o '<script' "$TMP/r.html" | wc -l)" 1 "<script elements"
  assert_eq "$(grep -o '</script>' "$TMP/r.html" | wc -l)" 1 "</script> tags"
  grep -q '\\u003c/script>' "$TMP/r.html" || fail "the notes' </script> is not \\u003c-escaped in the data"
  grep -qF 'Does &lt;b&gt;screening&lt;/b&gt; &amp; &quot;AI&quot; &#39;work&#39;? &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- x' "$TMP/r.html" \
    || fail "the question is not shown escaped"
  grep -qF 'notes &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;more&quot;' "$TMP/r.html" \
    || fail "the notes are not shown escaped"
  grep -qF 'Because &lt;/script&gt; &amp; &lt;i&gt;so&lt;/i&gt;' "$TMP/r.html" || fail "a rationale is not shown escaped"
  grep -qiE '\bnan\b|\binf(inity)?\b' "$TMP/r.html" && fail "NaN or infinity in the page"
  # exactly the FN and FP records, in source-id order, never a TN
  q "SELECT i.classification || ' ' || sr.source_id FROM benchmark_result_items i
     JOIN search_results sr ON sr.id = i.search_result_id
     WHERE i.classification IN ('FN', 'FP') ORDER BY i.classification, sr.source_id" >"$TMP/want"
  grep -oE '<article class="rec (FN|FP)"><h4><span class="tag">(FN|FP)</span><code>[^<]*' "$TMP/r.html" \
    | sed -E 's/.*class="tag">([A-Z]+)<\/span><code>/\1 /' >"$TMP/got"
  [ -s "$TMP/want" ] || fail "the demo has no FN or FP: the case proves nothing"
  cmp -s "$TMP/want" "$TMP/got" || fail "FN/FP records listed differ from the database: $(diff "$TMP/want" "$TMP/got" | head -3)"
  grep -q 'class="rec TN"' "$TMP/r.html" && fail "a TN record is listed"
  # stdout is the same page
  expect_exit 0 "$SRA" benchmark report "$RUN" --url "$URL" || return
  printf '%s\n' "$OUT" | cmp -s - "$TMP/r.html" || fail "stdout and -o differ"
  # no clock in it unless asked
  grep -q ' UTC\. ' "$TMP/r.html" && fail "a time of writing without --timestamp"
  expect_exit 0 "$SRA" benchmark report "$RUN" --timestamp --url "$URL" || return
  printf '%s' "$OUT" | grep -qE 'on [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC' || fail "--timestamp shows no time"
}

case_report_bad_input() {
  expect_exit 0 "$SRA" demo --seed 3 --records 60 --url "$URL" || return
  local a; a=$(q "SELECT id FROM benchmark_runs")
  # the demo ends with its report, and says where
  printf '%s\n' "$OUT" | grep -qx "The report with figures: $(pwd)/demo-report.html" || fail "the demo does not say where its report is"
  grep -q "\"id\": \"$a\"" demo-report.html || fail "no demo-report.html of the demo's run"
  expect_exit 2 "$SRA" benchmark report --url "$URL" && one_line_error 'run id'
  expect_exit 1 "$SRA" benchmark report ffffffff --url "$URL" && one_line_error 'no benchmark run ffffffff'
  expect_exit 2 "$SRA" benchmark report "$a" --bogus --url "$URL" && one_line_error 'bogus'
  # runs of two reviews are refused, naming both
  expect_exit 0 "$SRA" demo --seed 4 --records 60 --url "$URL" || return
  local b; b=$(q "SELECT id FROM benchmark_runs WHERE id <> '$a'")
  expect_exit 2 "$SRA" benchmark report "$a" "$b" --url "$URL" && one_line_error 'different reviews'
  local ra rb; ra=$(q "SELECT review_id FROM benchmark_runs WHERE id = '$a'"); rb=$(q "SELECT review_id FROM benchmark_runs WHERE id = '$b'")
  printf '%s' "$ERR" | grep -q "$ra" && printf '%s' "$ERR" | grep -q "$rb" || fail "the error does not name both reviews: $ERR"
  # -o is atomic: a failed report leaves the file as it was, and no temporary file
  echo keep >"$TMP/keep.html"
  expect_exit 1 "$SRA" benchmark report ffffffff -o "$TMP/keep.html" --url "$URL"
  assert_eq "$(cat "$TMP/keep.html")" keep "a failed report changed the file"
  ls -a "$TMP" | grep -q '^\.keep\.html\.' && fail "a temporary file was left behind"
  expect_exit 1 "$SRA" benchmark report "$a" -o "$TMP/no/such/dir/r.html" --url "$URL" && one_line_error 'r.html'
}

# the same data on both databases (the demo's ids follow from its seed; the
# run's times are set alike) gives the same bytes
case_report_same_on_both() {
  [ "$BACKEND" = pg ] || return 0	# needs both: runs once, in the pg pass
  local pgurl=$URL pgdb=$DBNAME sq="$TMP/same.db" f
  for URL in "sqlite:///$sq" "$pgurl"; do
    if [ "$URL" = "$pgurl" ]; then BACKEND=pg DBNAME=$pgdb; else BACKEND=sqlite DBFILE=$sq; fi
    hostile_demo 9 400 || return
    q "UPDATE benchmark_runs SET created_at = '2026-01-02T03:04:05.678Z', started_at = '2026-01-02T03:04:05.678Z',
       finished_at = '2026-01-02T03:04:07.001Z'" >/dev/null
    f=$TMP/same.$BACKEND.html
    expect_exit 0 "$SRA" benchmark report "$RUN" -o "$f" --url "$URL" || return
    expect_exit 0 "$SRA" benchmark show "$RUN" --json --url "$URL" || return
    printf '%s' "$OUT" >"$TMP/same.$BACKEND.json"
  done
  BACKEND=pg
  cmp -s "$TMP/same.sqlite.json" "$TMP/same.pg.json" \
    || fail "show --json differs between the databases: $(diff "$TMP/same.sqlite.json" "$TMP/same.pg.json" | head -5)"
  cmp -s "$TMP/same.sqlite.html" "$TMP/same.pg.html" \
    || fail "the report differs between the databases: $(diff <(tr '>' '\n' <"$TMP/same.sqlite.html") <(tr '>' '\n' <"$TMP/same.pg.html") | head -6)"
}

# the figures in a real browser: one run, three runs, and a degenerate run
case_report_in_a_browser() {
  [ "$BACKEND" = sqlite ] || return 0	# the page does not depend on the database (see above)
  local check="$SRC/tests/browser/check_report.sh" review
  hostile_demo 7 300 || return
  expect_exit 0 "$SRA" benchmark report "$RUN" -o "$TMP/one.html" --url "$URL" || return
  review=$(q "SELECT id FROM systematic_reviews")
  expect_exit 0 "$SRA" benchmark run --review "$review" --uncertain exclude --threshold 0.8 \
    --config '{"model": "gpt-4o-mini", "prompt": "v2 <strict>"}' --notes 'stricter' --url "$URL" -q || return
  local b=$OUT
  expect_exit 0 "$SRA" benchmark run --review "$review" --uncertain error \
    --config '{"model": "claude-3-5-haiku", "prompt": "v3"}' --url "$URL" -q || return
  local c=$OUT
  expect_exit 0 "$SRA" benchmark report "$RUN" "$b" "$c" -o "$TMP/three.html" --url "$URL" || return
  assert_eq "$(extract_data "$TMP/three.html" /dev/stdout | jq -r '[.[].id] | join(" ")')" "$RUN $b $c" "runs in the data, in order"
  grep -q 'id="leaderboard"' "$TMP/three.html" || fail "no leaderboard with three runs"
  # the leaderboard block is what compare --json prints
  expect_exit 0 "$SRA" benchmark compare "$RUN" "$b" "$c" --json --url "$URL" || return
  printf '%s' "$OUT" >"$TMP/compare.json"
  python3 - "$TMP/three.html" >"$TMP/lb.json" <<'PY'
import json, re, sys
page = open(sys.argv[1], encoding='utf-8').read()
print(json.dumps(json.loads(re.search(r'<script type="application/json" id="sra-report-leaderboard">(.*?)</script>', page, re.S).group(1))))
PY
  diff <(jq -S . "$TMP/lb.json") <(jq -S . "$TMP/compare.json") >/dev/null || fail "the leaderboard block differs from compare --json"
  grep -q '<td>gpt-4o-mini</td>' "$TMP/three.html" || fail "no config column in the leaderboard"
  grep -q '<td>v2 &lt;strict&gt;</td>' "$TMP/three.html" || fail "a config value is not escaped in the leaderboard"

  # degenerate: the humans and the AI excluded everything -> no positives,
  # sensitivity, PPV, kappa, MCC and the likelihood ratios undefined
  new_db sqlite
  expect_exit 0 "$SRA" demo --seed 2 --records 40 --no-run --url "$URL" || return
  review=$(q "SELECT id FROM systematic_reviews")
  q "UPDATE search_results SET source_metadata = json_set(source_metadata, '\$.benchmark_human_decision', json('false'));
     UPDATE screen_abstract_results SET decision = 'exclude';
     UPDATE screening_resolutions SET resolver_decision = 'exclude'" >/dev/null
  expect_exit 0 "$SRA" benchmark run --review "$review" --uncertain exclude --url "$URL" -q || return
  local d=$OUT
  assert_eq "$(q "SELECT coalesce(tp, -1) + coalesce(fp, -1) + coalesce(fn, -1) FROM benchmark_runs") $(q 'SELECT sensitivity IS NULL FROM benchmark_runs')" "0 1" "the degenerate run"
  expect_exit 0 "$SRA" benchmark report "$d" -o "$TMP/degenerate.html" --url "$URL" || return
  grep -q '>n/a [[]n/a, n/a[]]</text>' "$TMP/degenerate.html" || grep -q '>n/a</text>' "$TMP/degenerate.html" \
    || fail "undefined metrics are not drawn as n/a"
  grep -qiE '\bnan\b' "$TMP/degenerate.html" && fail "NaN in the degenerate page"

  SRA_CHECK_PDF=1 bash "$check" "$TMP/one.html" "$ART" one-run "$HOSTILE_Q" || fail "one-run report in chromium"
  bash "$check" "$TMP/three.html" "$ART" three-runs "$HOSTILE_Q" || fail "three-run report in chromium"
  bash "$check" "$TMP/degenerate.html" "$ART" degenerate || fail "degenerate report in chromium"
}

# the usage block of the spec ("Usage accounting") in metrics_detail is shown
# as a table with every figure, n/a for a null cost, and a token figure
case_report_usage() {
  [ "$BACKEND" = sqlite ] || return 0	# the page is drawn from show --json, the same on both (see above)
  expect_exit 0 "$SRA" demo --seed 5 --records 80 --url "$URL" || return
  local run; run=$(q "SELECT id FROM benchmark_runs")
  local u='{"calls": 61, "calls_with_usage": 49, "input_tokens": 81234, "output_tokens": 9021, "latency_ms": {"p50": 512, "p95": 903, "max": 1210}, "wall_ms": 305000, "cost_usd": 0.293, "cost_per_record_usd": 0.0048, "cost_per_included_usd": 0.019}'
  local none='{"calls": 7, "calls_with_usage": 0, "input_tokens": 0, "output_tokens": 0, "latency_ms": {"p50": null, "p95": null, "max": null}, "wall_ms": null, "cost_usd": null, "cost_per_record_usd": null, "cost_per_included_usd": null}'
  q "UPDATE benchmark_runs SET metrics_detail = json_set(metrics_detail, '\$.usage',
     json('{\"reviewers\": {\"conservative\": $u, \"comprehensive\": $u, \"resolver\": $none}, \"total\": $u}'))" >/dev/null
  expect_exit 0 "$SRA" benchmark report "$run" -o "$TMP/u.html" --url "$URL" || return
  local usage; usage=$(tr "\n" " " <"$TMP/u.html" | sed -n 's/.*<section id="usage">\(.*\)<\/section>.*/\1/p')
  [ -n "$usage" ] || { fail "no usage section"; return; }
  for want in '<td>input tokens</td><td class="n">81234</td>' '<td>latency p95 (ms)</td><td class="n">903</td>' \
              '<td>cost (USD)</td><td class="n">0.293</td><td class="n">0.293</td><td class="n">n/a</td>' \
              '<td>calls</td><td class="n">61</td><td class="n">61</td><td class="n">7</td><td class="n">61</td>' \
              '<title>tokens per reviewer</title>'; do
    printf '%s' "$usage" | grep -qF "$want" || fail "usage section lacks: $want"
  done
}

run_cases case_report_data_and_escaping case_report_bad_input case_report_usage case_report_same_on_both \
  case_report_in_a_browser
