#!/usr/bin/env bash
# `sra benchmark` and `sra demo` end to end, on SQLite and PostgreSQL:
# the demo is reproducible, exports parse back with Python's csv module
# (full titles, as the database's own client reads them), compare's McNemar
# p-values match an exact computation with math.comb and Holm's adjustment,
# runs of two reviews are refused, a run on an empty
# review fails and leaves nothing, and a run killed with SIGKILL mid-way
# leaves no run and no items.
. "$(dirname "$0")/lib.sh"

if ! "$SRA" benchmark --help >/dev/null 2>&1 || ! "$SRA" demo --help >/dev/null 2>&1; then
  echo "FAIL: $SRA has no 'benchmark' or 'demo' command" >&2
  exit 1
fi

review_of() { q "SELECT id FROM systematic_reviews ORDER BY created_at DESC LIMIT 1"; }

case_demo_is_reproducible() {
  expect_exit 0 "$SRA" demo --seed 7 --records 300 --url "$URL" || return
  local first=$OUT
  printf '%s\n' "$first" | grep -q '^  records    300:' || fail "no record count in the demo report"
  printf '%s\n' "$first" | grep -q 'Reviewer agreement' || fail "no agreement in the demo report"
  expect_exit 0 "$SRA" demo --seed 7 --records 300 --url "$URL" || return
  assert_eq "$OUT" "$first" "demo --seed 7 twice"
  assert_eq "$(q 'SELECT count(*) FROM systematic_reviews')" 1 "the second demo replaced the first"
  local run; run=$(q "SELECT id FROM benchmark_runs")
  expect_exit 0 "$SRA" benchmark show "${run:0:8}" --url "$URL" || return
  local a; a=$(printf '%s\n' "$OUT" | grep -v '^  started ')
  expect_exit 0 "$SRA" benchmark show "$run" --url "$URL" || return
  assert_eq "$(printf '%s\n' "$OUT" | grep -v '^  started ')" "$a" "show twice"
  local long; long=$(printf '%s\n' "$a" | awk 'length > 80' | head -1)
  [ -z "$long" ] || fail "show has a line over 80 columns: $long"
  expect_exit 0 "$SRA" demo --seed 8 --records 300 --url "$URL" || return
  [ "$OUT" != "$first" ] || fail "another seed gave the same demo"
}

case_export_parses_back() {
  expect_exit 0 "$SRA" demo --seed 3 --records 250 --no-run --url "$URL" || return
  local review; review=$(review_of)
  # a title that needs every kind of CSV quoting
  q "UPDATE search_results SET title = 'Commas, \"quotes\" and a
line break' WHERE source_id = 'demo-0000007'" >/dev/null
  expect_exit 0 "$SRA" benchmark run --review "$review" --url "$URL" -q || return
  local run=$OUT
  expect_exit 0 "$SRA" benchmark export "$run" --what items -o "$TMP/items.csv" --url "$URL" || return
  expect_exit 0 "$SRA" benchmark export "$run" --what summary --url "$URL" || return
  printf '%s' "$OUT" >"$TMP/summary.csv"
  q "SELECT source_id || '|' || replace(title, char(10), '\\n') FROM search_results" 2>/dev/null >"$TMP/titles.txt" \
    || q "SELECT source_id || '|' || replace(title, chr(10), '\\n') FROM search_results" >"$TMP/titles.txt"
  python3 - "$TMP/items.csv" "$TMP/summary.csv" "$TMP/titles.txt" <<'PY' || fail "the CSV exports do not parse back"
import csv, sys
items = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
head = "search_result_source_id, title, human_decision, conservative_decision, conservative_confidence, comprehensive_decision, comprehensive_confidence, resolver_decision, resolver_confidence, final_decision, classification".split(", ")
assert items[0] == head, items[0]
assert len(items) == 251, len(items)
titles = dict(l.rstrip('\n').split('|', 1) for l in open(sys.argv[3], encoding='utf-8'))
for row in items[1:]:
    assert len(row) == 11, row
    assert row[1].replace('\n', '\\n') == titles[row[0]], (row[1], titles[row[0]])
    assert row[10] in ('TP', 'FP', 'FN', 'TN', 'UNKNOWN'), row
assert any('line break' in r[1] and '"quotes"' in r[1] for r in items[1:])
summary = list(csv.reader(open(sys.argv[2], newline='')))
assert summary[0] == ['metric', 'value', 'ci_low', 'ci_high'], summary[0]
names = [r[0] for r in summary[1:]]
for m in ('tp', 'fp', 'fn', 'tn', 'sensitivity', 'specificity', 'cohen_kappa', 'lr_plus', 'wss'):
    assert m in names, m
tp = int(dict((r[0], r[1]) for r in summary[1:])['tp'])
assert tp == sum(1 for r in items[1:] if r[10] == 'TP')
PY
  # -o is atomic: a failed export leaves the old file
  cp "$TMP/items.csv" "$TMP/keep.csv"
  expect_exit 1 "$SRA" benchmark export ffffffff --what items -o "$TMP/items.csv" --url "$URL"
  cmp -s "$TMP/items.csv" "$TMP/keep.csv" || fail "a failed export changed the file"
  ls -a "$TMP" | grep -q '^\.items\.csv\.' && fail "a temporary file was left behind"
  # items filter, JSON
  expect_exit 0 "$SRA" benchmark items "$run" --classification FP,FN --json --url "$URL" || return
  local n; n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  assert_eq "$n" "$(q "SELECT count(*) FROM benchmark_result_items WHERE classification IN ('FP','FN')")" "FP,FN items"
}

case_compare_leaderboard() {
  expect_exit 0 "$SRA" demo --seed 11 --records 400 --no-run --url "$URL" || return
  local review; review=$(review_of)
  expect_exit 0 "$SRA" benchmark run --review "$review" --uncertain include --config '{"model": "m-1", "prompt": "v1"}' --url "$URL" -q || return
  local a=$OUT
  expect_exit 0 "$SRA" benchmark run --review "$review" --uncertain exclude --threshold 0.8 --config '{"model": "m-2"}' --url "$URL" -q || return
  local b=$OUT
  expect_exit 0 "$SRA" benchmark run --review "$review" --uncertain error --threshold 0.9 --url "$URL" -q || return
  local c=$OUT
  expect_exit 0 "$SRA" benchmark compare "$a" "$b" "$c" --json --url "$URL" || return
  printf '%s' "$OUT" >"$TMP/lb.json"
  # the discordant pairs against the first run, counted by the database's own client
  local disc x
  disc=$(for x in "$b" "$c"; do q "SELECT
      sum(CASE WHEN x.classification IN ('TP','TN') AND y.classification IN ('FP','FN') THEN 1 ELSE 0 END),
      sum(CASE WHEN x.classification IN ('FP','FN') AND y.classification IN ('TP','TN') THEN 1 ELSE 0 END)
    FROM benchmark_result_items x JOIN benchmark_result_items y ON x.search_result_id = y.search_result_id
    WHERE x.benchmark_run_id = '$a' AND y.benchmark_run_id = '$x'
      AND x.classification <> 'UNKNOWN' AND y.classification <> 'UNKNOWN'"; done)
  python3 - "$TMP/lb.json" $disc <<'PY' || fail "the leaderboard differs from the exact computation"
import json, math, sys
lb = json.load(open(sys.argv[1]))
pairs = [tuple(map(int, s.split('|'))) for s in sys.argv[2:]]
runs = lb['runs']
assert len(runs) == 3 and runs[0]['mcnemar'] is None
assert lb['config_keys'] == ['model', 'prompt', 'threshold', 'uncertain_policy'], lb['config_keys']
assert runs[0]['config']['prompt'] == 'v1' and 'prompt' not in runs[2]['config']
ps = []
for run, (b, c) in zip(runs[1:], pairs):
    got = run['mcnemar']
    assert got['reference_correct_only'] == b and got['run_correct_only'] == c, (got, b, c)
    n, k = b + c, min(b, c)
    p = 1.0 if n == 0 else min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)
    assert b + c > 0, "no discordant pairs: the case proves nothing"
    assert abs(got['p_value'] - p) <= 1e-12 * max(p, 1e-300), (got['p_value'], p)
    ps.append(p)
# Holm by its definition, for two tests: the smaller doubled, the larger at least that
lo, hi = sorted(range(2), key=lambda i: ps[i])
want = [0.0, 0.0]
want[lo] = min(1.0, 2 * ps[lo])
want[hi] = max(want[lo], min(1.0, ps[hi]))
for run, w in zip(runs[1:], want):
    assert abs(run['mcnemar']['p_holm'] - w) <= 1e-12 * max(w, 1e-300), (run['mcnemar'], w)
for run in runs:
    m = run['metrics']['sensitivity']
    assert m['ci_low'] <= m['value'] <= m['ci_high'], m
PY
  expect_exit 0 "$SRA" benchmark compare "${a:0:6}" "${b:0:6}" --url "$URL" || return
  printf '%s' "$OUT" | grep -q "McNemar's exact test" || fail "no McNemar line in compare"
  printf '%s' "$OUT" | grep -q "m-2" || fail "no config column in compare"
  local long; long=$(printf '%s\n' "$OUT" | awk 'length > 80' | head -1)
  [ -z "$long" ] || fail "compare has a line over 80 columns: $long"
  expect_exit 2 "$SRA" benchmark compare "$a" --url "$URL"
  # runs of another review: refused, naming both reviews, nothing printed
  expect_exit 0 "$SRA" demo --seed 12 --records 30 --url "$URL" || return
  local other; other=$(review_of)
  local d; d=$(q "SELECT id FROM benchmark_runs WHERE review_id = '$other'")
  expect_exit 2 "$SRA" benchmark compare "$a" "$b" "$d" --url "$URL" && one_line_error "$review"
  printf '%s' "$ERR" | grep -q "$other" || fail "the refusal does not name the other review: $ERR"
  [ -z "$OUT" ] || fail "a refused compare printed: $OUT"
  expect_exit 0 "$SRA" benchmark delete "$a" --url "$URL" -q || return
  assert_eq "$(q "SELECT count(*) FROM benchmark_result_items WHERE benchmark_run_id = '$a'")" 0 "items of a deleted run"
  expect_exit 1 "$SRA" benchmark show "$a" --url "$URL"
}

case_empty_review_fails() {
  expect_exit 0 "$SRA" demo --seed 1 --records 5 --no-run --url "$URL" || return
  local rid=12345678-1234-4234-8234-123456789abc
  q "INSERT INTO systematic_reviews (id, research_question, exclusion_criteria, criteria_framework_answers, review_metadata)
     VALUES ('$rid', 'q', 'e', '{}', '{}')" >/dev/null
  expect_exit 1 "$SRA" benchmark run --review "$rid" --url "$URL" && one_line_error 'no records'
  assert_eq "$(q 'SELECT count(*) FROM benchmark_runs')" 0 "runs after a failed run"
  expect_exit 2 "$SRA" benchmark run --review "$rid" --uncertain maybe --url "$URL"
  expect_exit 2 "$SRA" benchmark run --review "$rid" --threshold 1.5 --url "$URL"
  expect_exit 1 "$SRA" benchmark run --review 12345678-1234-4234-8234-000000000000 --url "$URL"
}

case_killed_run_leaves_nothing() {
  expect_exit 0 "$SRA" demo --seed 5 --records 60000 --no-run --url "$URL" || return
  local review; review=$(review_of)
  "$SRA" benchmark run --review "$review" --url "$URL" -q >/dev/null 2>&1 &
  local pid=$! i started=0
  for i in $(seq 1 400); do
    if [ "$BACKEND" = sqlite ]; then
      [ -e "$DBFILE-journal" ] && { started=1; break; }
    else
      [ "$($PSQL -X -A -t -d "$DBNAME" -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO benchmark_result_items%' AND state = 'active'")" != 0 ] && { started=1; break; }
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ "$started" = 1 ] || { fail "the run finished before it could be killed"; return; }
  sleep 0.2	# PostgreSQL notices the lost connection and rolls back
  assert_eq "$(q 'SELECT count(*) FROM benchmark_runs')" 0 "runs after SIGKILL"
  assert_eq "$(q 'SELECT count(*) FROM benchmark_result_items')" 0 "items after SIGKILL"
}

run_cases case_demo_is_reproducible case_export_parses_back case_compare_leaderboard \
  case_empty_review_fails case_killed_run_leaves_nothing
