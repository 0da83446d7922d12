#!/usr/bin/env bash
# bench/bench_benchmark.sh SRA_BINARY: the speed and memory targets of
# `sra benchmark run` (issue 4) -- called by bench/run.sh, or alone.
#
#   1. `sra benchmark run` over N records (default 1,000,000) on SQLite,
#      against the floor: the sqlite3 shell writing the same N rows into
#      benchmark_result_items with one INSERT ... SELECT (the statement sra
#      runs, for the include policy).  Each is timed on its own copy of the
#      same database (made once by `sra demo --records N --no-run`), peak
#      memory by /usr/bin/time -v.  Targets: <= 2x the floor, < 15 s,
#      < 200 MB.  BENCH_BENCHMARK_N and BENCH_BENCHMARK_REPEAT (default 1;
#      medians over the repeats) change the size and the repeats.
#   2. `sra metrics` against /bin/true by hyperfine (medians): <= 2.5x.
#
# Prints a Markdown table.
set -euo pipefail
SRA=$(realpath "${1:?usage: bench_benchmark.sh SRA_BINARY}")
N=${BENCH_BENCHMARK_N:-1000000}
REPEAT=${BENCH_BENCHMARK_REPEAT:-1}
W=$(mktemp -d -t sra-bench-bm.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"

# the data, once
echo "bench_benchmark: making $N synthetic records (sra demo --no-run) ..." >&2
t0=$(date +%s.%N)
"$SRA" demo --records "$N" --seed 1 --no-run --url "sqlite:///$W/base.db" >/dev/null 2>&1
t_gen=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
REVIEW=$(sqlite3 "$W/base.db" "SELECT id FROM systematic_reviews")
RUN=11111111-2222-4333-8444-555555555555

# the floor: the same INSERT ... SELECT as sra's SQLite variant (src/lib/benchmark.c)
cat >"$W/floor.sql" <<SQL
BEGIN;
INSERT INTO benchmark_runs (id, review_id, status, uncertain_policy) VALUES ('$RUN', '$REVIEW', 'running', 'include');
INSERT INTO benchmark_result_items (id, benchmark_run_id, search_result_id, human_decision, conservative_decision,
  conservative_confidence, conservative_rationale, comprehensive_decision, comprehensive_confidence,
  comprehensive_rationale, resolver_decision, resolver_confidence, resolver_reasoning, final_decision,
  classification, conservative_run_id, conservative_trace_id, comprehensive_run_id, comprehensive_trace_id)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
  || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), '$RUN',
  y.id, y.h, y.cd, y.cc, y.cr, y.md, y.mc, y.mr, y.rd, y.rc, y.rr, y.f,
  CASE WHEN y.h IS NULL THEN 'UNKNOWN' WHEN y.f = 'include' THEN (CASE WHEN y.h THEN 'TP' ELSE 'FP' END)
  WHEN y.f = 'exclude' THEN (CASE WHEN y.h THEN 'FN' ELSE 'TN' END) ELSE (CASE WHEN y.h THEN 'TP' ELSE 'FP' END) END,
  y.cid, y.ctr, y.mid, y.mtr
FROM (SELECT x.*, CASE WHEN x.rid IS NOT NULL THEN x.rd WHEN x.cd IS NOT NULL AND x.md IS NOT NULL AND x.cd = x.md
  AND x.cd <> 'uncertain' AND x.cc >= 0.7 AND x.mc >= 0.7 THEN x.cd ELSE 'uncertain' END AS f
  FROM (SELECT sr.id AS id, CASE json_type(sr.source_metadata, '\$.benchmark_human_decision')
      WHEN 'true' THEN 1 WHEN 'false' THEN 0 END AS h,
    c.decision AS cd, c.confidence_score AS cc, c.rationale AS cr, c.id AS cid, c.trace_id AS ctr,
    m.decision AS md, m.confidence_score AS mc, m.rationale AS mr, m.id AS mid, m.trace_id AS mtr,
    r.id AS rid, r.resolver_decision AS rd, r.resolver_confidence_score AS rc, r.resolver_reasoning AS rr
    FROM search_results sr
    LEFT JOIN screen_abstract_results c ON c.id = sr.conservative_result_id
    LEFT JOIN screen_abstract_results m ON m.id = sr.comprehensive_result_id
    LEFT JOIN screening_resolutions r ON r.id = sr.resolution_id
    WHERE sr.review_id = '$REVIEW') x) y;
COMMIT;
SQL

# timed CMD... -> "seconds kilobytes" (wall clock and peak RSS, /usr/bin/time -v)
timed() {
  /usr/bin/time -v -o "$W/time.txt" "$@" >/dev/null 2>"$W/err.txt" || { cat "$W/err.txt" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
              /Maximum resident set size/ { kb = $2 } END { printf "%.3f %d\n", s, kb }' "$W/time.txt"
}
median_of() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

: >"$W/sra.txt"
: >"$W/floor.txt"
for i in $(seq 1 "$REPEAT"); do
  echo "bench_benchmark: round $i of $REPEAT ..." >&2
  cp "$W/base.db" "$W/run.db"
  timed sqlite3 "$W/run.db" ".read $W/floor.sql" >>"$W/floor.txt"
  [ "$(sqlite3 "$W/run.db" 'SELECT count(*) FROM benchmark_result_items')" = "$N" ] || { echo "floor wrote a wrong count" >&2; exit 1; }
  cp "$W/base.db" "$W/run.db"
  timed "$SRA" benchmark run -q --review "$REVIEW" --url "sqlite:///$W/run.db" >>"$W/sra.txt"
  [ "$(sqlite3 "$W/run.db" 'SELECT n_items FROM benchmark_runs')" = "$N" ] || { echo "sra wrote a wrong count" >&2; exit 1; }
done
rm -f "$W/run.db"
t_sra=$(cut -d' ' -f1 "$W/sra.txt" | median_of)
t_floor=$(cut -d' ' -f1 "$W/floor.txt" | median_of)
m_sra=$(cut -d' ' -f2 "$W/sra.txt" | sort -n | tail -1)
m_floor=$(cut -d' ' -f2 "$W/floor.txt" | sort -n | tail -1)

# sra metrics against /bin/true
hyperfine -N --warmup 5 --runs "${SRA_BENCH_RUNS:-30}" --export-json "$W/m.json" \
  "$SRA metrics --tp 40 --fp 60 --fn 10 --tn 890" "/bin/true" >/dev/null 2>&1
t_metrics=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(r[0]["median"], r[1]["median"])' "$W/m.json")
t_m=${t_metrics% *}
t_true=${t_metrics#* }

verdict() { awk "BEGIN { print ($1) ? \"yes\" : \"NO\" }"; }
r_run=$(awk -v a="$t_sra" -v b="$t_floor" 'BEGIN { printf "%.2f", a / b }')
r_m=$(awk -v a="$t_m" -v b="$t_true" 'BEGIN { printf "%.2f", a / b }')
echo
echo "sra benchmark run, $N items on SQLite (data made in $t_gen s; medians of $REPEAT):"
echo
echo "| what | sra | baseline | baseline time | ratio | target | met |"
echo "|---|---|---|---|---|---|---|"
echo "| benchmark run, $N items (SQLite) | ${t_sra} s | sqlite3 shell, one INSERT ... SELECT | ${t_floor} s | ${r_run}x | <= 2x | $(verdict "$r_run <= 2") |"
echo "| benchmark run, wall clock | ${t_sra} s | | | | < 15 s | $(verdict "$t_sra < 15") |"
echo "| benchmark run, peak RSS | $((m_sra / 1024)) MB | sqlite3 shell | $((m_floor / 1024)) MB | | < 200 MB | $(verdict "$m_sra < 204800") |"
echo "| sra metrics | $(awk -v s="$t_m" 'BEGIN { printf "%.2f ms", s * 1000 }') | /bin/true | $(awk -v s="$t_true" 'BEGIN { printf "%.2f ms", s * 1000 }') | ${r_m}x | <= 2.5x | $(verdict "$r_m <= 2.5") |"
