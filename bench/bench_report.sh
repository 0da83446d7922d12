#!/usr/bin/env bash
# bench/bench_report.sh SRA_BINARY: the speed and size targets of
# `sra benchmark report` (issue 11) -- called by bench/run.sh, or alone.
#
# The report of one run of N records (default 100,000; sra demo --seed 3,
# so a few thousand false negatives and positives, each listed in full),
# against `sra benchmark export RUN --what items` of the same run, both
# written to a file, hyperfine medians (BENCH_REPORT_RUNS, default 5), on
# SQLite and, under scripts/pg-test-server.sh (PGHOST set), PostgreSQL.
# Targets: the report <= 1.5x the export; the page < 5 MB.
# Prints a Markdown table.
set -euo pipefail
SRA=$(realpath "${1:?usage: bench_report.sh SRA_BINARY}")
N=${BENCH_REPORT_N:-100000}
RUNS=${BENCH_REPORT_RUNS:-5}
PSQL=/usr/lib/postgresql/15/bin/psql
W=$(mktemp -d -t sra-bench-report.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"

URLS=("sqlite:///$W/r.db")
NAMES=(SQLite)
if [ -n "${PGHOST:-}" ]; then
  $PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_report' -c 'CREATE DATABASE bench_report'
  URLS+=("postgresql:///bench_report?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}")
  NAMES+=(PostgreSQL)
fi

verdict() { awk "BEGIN { print ($1) ? \"yes\" : \"NO\" }"; }
ROWS=()
for i in "${!URLS[@]}"; do
  url=${URLS[$i]} name=${NAMES[$i]}
  echo "bench_report: $N records on $name (sra demo) ..." >&2
  "$SRA" demo --records "$N" --seed 3 --url "$url" >/dev/null 2>&1
  run=$("$SRA" benchmark list --json --url "$url" | jq -r '.[0].id')
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$W/h.json" \
    "$SRA benchmark report $run -o $W/report.html --url $url" \
    "$SRA benchmark export $run --what items -o $W/items.csv --url $url" >/dev/null 2>&1
  read -r t_rep t_exp < <(jq -r '[.results[0].median, .results[1].median] | @tsv' "$W/h.json")
  size=$(stat -c %s "$W/report.html")
  fnfp=$(grep -c '<article class="rec' "$W/report.html" || true)
  r=$(awk -v a="$t_rep" -v b="$t_exp" 'BEGIN { printf "%.2f", a / b }')
  ROWS+=("| report of $N items ($name) | $(awk -v s="$t_rep" 'BEGIN { printf "%.0f", s * 1000 }') | export --what items, same run | $(awk -v s="$t_exp" 'BEGIN { printf "%.0f", s * 1000 }') | ${r}x | <= 1.5x | $(verdict "$r <= 1.5") |")
  ROWS+=("| report size ($name, $fnfp FN/FP listed) | $(awk -v b="$size" 'BEGIN { printf "%.2f MB", b / 1e6 }') | items CSV | $(awk -v b="$(stat -c %s "$W/items.csv")" 'BEGIN { printf "%.2f MB", b / 1e6 }') | | < 5 MB | $(verdict "$size < 5000000") |")
done
[ -n "${PGHOST:-}" ] && $PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_report' >/dev/null
echo
echo "sra benchmark report, one run of $N records (hyperfine medians of $RUNS):"
echo
echo "| what | sra ms | baseline | baseline ms | ratio | target | met |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
