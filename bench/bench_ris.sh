#!/usr/bin/env bash
# bench/bench_ris.sh SRA_BINARY: `sra import records` of the same records as
# RIS and as CSV (issue 10, "Speed": RIS import <= 1.2x the CSV import), on
# SQLite and PostgreSQL, hyperfine medians in one run.  One generator writes
# both files (ids, titles, ~1 KB abstracts, three authors, journal, year, DOI,
# two keywords); both are imported with --decision exclude --source-db Other
# into a fresh database at head, so the rows differ only in raw_data (the
# file's own fields).  Run under scripts/pg-test-server.sh (PGHOST set).
#   SRA_BENCH_RIS_RUNS     hyperfine runs per command (default 3, after 1 warm-up)
#   SRA_BENCH_RIS_RECORDS  records (default 100000)
set -euo pipefail
SRA=$(realpath "${1:?usage: bench_ris.sh SRA_BINARY}")
PSQL=/usr/lib/postgresql/15/bin/psql
RUNS=${SRA_BENCH_RIS_RUNS:-3}
N=${SRA_BENCH_RIS_RECORDS:-100000}
REVIEW=5ac1e000-0000-4000-8000-000000000004
: "${PGHOST:?run under scripts/pg-test-server.sh}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
W=$(mktemp -d -t sra-bench-ris.XXXXXX)
cleanup() {
  $PSQL -X -q -d postgres -c "DROP DATABASE IF EXISTS bench_ris WITH (FORCE)" -c "DROP DATABASE IF EXISTS bench_ris_tmpl WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
url() { echo "postgresql:///$1?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"; }

# Park-Miller's generator (exact in awk's doubles): the same bytes from any awk
awk -v n="$N" -v out="$W/r" '
function rnd(m) { seed = (seed * 16807) % 2147483647; return seed % m }
function words(k,   s, i) { s = W[1 + rnd(NW)]; for (i = 1; i < k; i++) s = s " " W[1 + rnd(NW)]; return s }
BEGIN {
  seed = 20240604
  NW = split("screening systematic review randomised controlled trial patients outcome cohort " \
    "intervention meta-analysis bias placebo efficacy safety adults children mortality hospital " \
    "protocol evidence sensitivity specificity diagnostic accuracy primary secondary endpoint " \
    "follow-up baseline risk ratio confidence interval significant association exposure " \
    "prevalence incidence treatment therapy clinical population sample data analysis method " \
    "results conclusion background objective design setting participants measurements", W, " ")
  csv = out ".csv"; ris = out ".ris"
  print "id,title,abstract,authors,journal,year,doi,keywords" > csv
  for (r = 1; r <= n; r++) {
    ab = ""
    while (length(ab) < 1000) ab = ab (ab == "" ? "" : " ") words(8 + rnd(10)) (rnd(4) ? "," : ".")
    ti = words(6 + rnd(8)); jo = "Journal of " W[1 + rnd(NW)]; yr = 1990 + rnd(35)
    doi = "10." (1000 + rnd(9000)) "/" r; k1 = W[1 + rnd(NW)]; k2 = W[1 + rnd(NW)]
    printf "rec%d,\"%s\",\"%s\",\"Smith, J.; Doe, A.; Author%d, B.\",%s,%d,%s,\"%s; %s\"\n", r, ti, ab, r, jo, yr, doi, k1, k2 > csv
    printf "TY  - JOUR\r\nID  - rec%d\r\nTI  - %s\r\nAU  - Smith, J.\r\nAU  - Doe, A.\r\nAU  - Author%d, B.\r\nJO  - %s\r\nPY  - %d\r\nDO  - %s\r\nKW  - %s\r\nKW  - %s\r\nAB  - %s\r\nER  - \r\n\r\n", r, ti, r, jo, yr, doi, k1, k2, ab > ris
  }
}'

median() {  # NAME PREPARE CMD -> seconds
  hyperfine --warmup 1 --runs "$RUNS" --prepare "$2" --export-json "$W/$1.json" "$3" >"$W/$1.log" 2>&1 \
    || { cat "$W/$1.log" >&2; echo "bench_ris: $1 failed: $3" >&2; exit 1; }
  jq -r '.results[0].median' "$W/$1.json"
}
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
ROWS=()
row() {  # what, ris s, csv s
  local r ok
  r=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')
  ok=$(awk -v r="$r" 'BEGIN { print (r <= 1.2) ? "yes" : "NO" }')
  ROWS+=("| $1 | $(ms "$2") | $(ms "$3") | ${r}x | <= 1.2x | $ok |")
}
check_count() { [ "$2" = "$N" ] || { echo "bench_ris: $1 holds $2 records, expected $N" >&2; exit 1; }; }
IMPORT="$SRA import records -q --review $REVIEW --decision exclude --source-db Other"

"$SRA" db upgrade -q --url "sqlite:///$W/tmpl.db"
"$SRA" review create --question Bench --exclusion None --id "$REVIEW" -q --url "sqlite:///$W/tmpl.db" >/dev/null
prep="cp $W/tmpl.db $W/x.db && rm -f $W/x.db-journal"
t_ris=$(median sqlite_ris "$prep" "$IMPORT $W/r.ris --url sqlite:///$W/x.db")
check_count "the SQLite file (RIS)" "$(sqlite3 "$W/x.db" 'SELECT count(*) FROM search_results')"
t_csv=$(median sqlite_csv "$prep" "$IMPORT $W/r.csv --url sqlite:///$W/x.db")
check_count "the SQLite file (CSV)" "$(sqlite3 "$W/x.db" 'SELECT count(*) FROM search_results')"
row "import $N records, RIS vs CSV (SQLite)" "$t_ris" "$t_csv"

$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_ris_tmpl' -c 'CREATE DATABASE bench_ris_tmpl'
"$SRA" db upgrade -q --url "$(url bench_ris_tmpl)"
"$SRA" review create --question Bench --exclusion None --id "$REVIEW" -q --url "$(url bench_ris_tmpl)" >/dev/null
prep="$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_ris' -c 'CREATE DATABASE bench_ris TEMPLATE bench_ris_tmpl'"
t_ris=$(median pg_ris "$prep" "$IMPORT $W/r.ris --url '$(url bench_ris)'")
check_count "the PostgreSQL database (RIS)" "$($PSQL -X -Atq -d bench_ris -c 'SELECT count(*) FROM search_results')"
t_csv=$(median pg_csv "$prep" "$IMPORT $W/r.csv --url '$(url bench_ris)'")
check_count "the PostgreSQL database (CSV)" "$($PSQL -X -Atq -d bench_ris -c 'SELECT count(*) FROM search_results')"
row "import $N records, RIS vs CSV (PostgreSQL)" "$t_ris" "$t_csv"

echo "RIS vs CSV: $N records, $(($(stat -c %s "$W/r.ris") / 1048576)) MiB RIS, $(($(stat -c %s "$W/r.csv") / 1048576)) MiB CSV; hyperfine medians of $RUNS runs, $(nproc) cores, $(date -u +%Y-%m-%d)."
echo
echo "| what | RIS ms | CSV ms | ratio | target | met |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
