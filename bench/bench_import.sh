#!/usr/bin/env bash
# bench/bench_import.sh SRA_BINARY: `sra import records` of 100,000 synthetic
# records with ~1 KB abstracts (issue 4, "Speed and memory"), each against the
# database's own floor for loading the same CSV, measured here and now by
# hyperfine (medians):
#   SQLite:     a fresh file at head      vs  sqlite3 '.import' into a plain table
#   PostgreSQL: a fresh database at head  vs  psql '\copy' into a plain table
# and, for information, against the database's floor for this schema: its own
# client writing the very rows sra wrote (taken back out of the database) into
# search_results at head, with every index, CHECK and foreign key sra pays for
#   SQLite:     sqlite3: one INSERT … SELECT from an attached copy of the rows
#   PostgreSQL: psql '\copy search_results FROM' a dump of the rows
# Run under scripts/pg-test-server.sh (PGHOST set).  Prints a Markdown table;
# sra's peak memory (max RSS) is measured in a run of its own.
#   SRA_BENCH_IMPORT_RUNS     hyperfine runs per command (default 3, after 1 warm-up)
#   SRA_BENCH_IMPORT_RECORDS  records in the file (default 100000)
set -euo pipefail
SRA=$(realpath "${1:?usage: bench_import.sh SRA_BINARY}")
PSQL=/usr/lib/postgresql/15/bin/psql   # /usr/bin/psql is a Perl wrapper
RUNS=${SRA_BENCH_IMPORT_RUNS:-3}
N=${SRA_BENCH_IMPORT_RECORDS:-100000}
REVIEW=5ac1e000-0000-4000-8000-000000000004
: "${PGHOST:?run under scripts/pg-test-server.sh}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"   # no NOTICEs from DROP … IF EXISTS
command -v hyperfine >/dev/null || { echo "bench_import: hyperfine is missing (scripts/install-deps.sh)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench_import: /usr/bin/time is missing (scripts/install-deps.sh)" >&2; exit 1; }
W=$(mktemp -d -t sra-bench-import.XXXXXX)
cleanup() {
  local d
  for d in bench_import bench_import_tmpl bench_plain; do
    $PSQL -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$W"
}
trap cleanup EXIT
url() { echo "postgresql:///$1?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"; }

# ---- the data: deterministic, the same bytes from any awk ----------------------
# Park-Miller's generator: every product stays below 2^53, so awk's doubles are exact.
CSV=$W/records.csv
awk -v n="$N" '
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
  print "pmid,title,abstract,authors,journal,year,doi,keywords,label_included"
  for (r = 1; r <= n; r++) {
    ab = ""
    while (length(ab) < 1000) ab = ab (ab == "" ? "" : " ") words(8 + rnd(10)) (rnd(4) ? "," : ".")
    if (rnd(10) == 0) ab = ab " A \"\"quoted\"\" phrase."
    printf "%d,\"%s\",\"%s\",\"Smith J and Doe A and Author%d B\",Journal of %s,%d%s,10.%d/%d,\"%s; %s\",%s\n",
      30000000 + r, words(6 + rnd(8)), ab, r, W[1 + rnd(NW)], 1990 + rnd(35), (rnd(2) ? ".0" : ""),
      1000 + rnd(9000), r, W[1 + rnd(NW)], W[1 + rnd(NW)], (rnd(8) ? "N" : "Y")
  }
}' >"$CSV"
COLS="pmid text, title text, abstract text, authors text, journal text, year text, doi text, keywords text, label_included text"

ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
# median NAME PREPARE CMD -> seconds (a shell runs both; PREPARE before every run)
median() {
  hyperfine --warmup 1 --runs "$RUNS" --prepare "$2" --export-json "$W/$1.json" "$3" >"$W/$1.log" 2>&1 \
    || { cat "$W/$1.log" >&2; echo "bench_import: $1 failed: $3" >&2; exit 1; }
  jq -r '.results[0].median' "$W/$1.json"
}
# peak_kb PREPARE CMD -> sra's maximum resident set size in KiB, from one run of its own
peak_kb() {
  bash -c "$1" >/dev/null 2>&1
  /usr/bin/time -f %M -o "$W/peak" bash -c "exec $2" >/dev/null 2>&1 || { echo "bench_import: $2 failed" >&2; exit 1; }
  tail -1 "$W/peak"
}
ROWS=()
row() {  # what, sra s, baseline name, baseline s, max ratio ("" for information), peak KiB ("" for none)
  local r ok=- target=information peak=-
  r=$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
  if [ -n "$5" ]; then
    target="<= ${5}x"
    ok=$(awk -v r="$r" -v m="$5" 'BEGIN { print (r <= m) ? "yes" : "NO" }')
  fi
  [ -n "$6" ] && peak=$(($6 / 1024))
  ROWS+=("| $1 | $(ms "$2") | $3 | $(ms "$4") | ${r}x | $target | $ok | $peak |")
}
COLS_SR="review_id, id, source_db, source_id, doi, title, abstract, journal, year, authors, keywords, raw_data, source_metadata"
check_count() {  # what, got
  [ "$2" = "$N" ] || { echo "bench_import: $1 holds $2 records, expected $N" >&2; exit 1; }
}

# ---- SQLite ----------------------------------------------------------------
"$SRA" db upgrade -q --url "sqlite:///$W/tmpl.db"
"$SRA" review create --question "Bench" --exclusion "None" --id "$REVIEW" -q --url "sqlite:///$W/tmpl.db" >/dev/null
prep_sra="cp $W/tmpl.db $W/sra.db && rm -f $W/sra.db-journal"
cmd_sra="$SRA import records -q --review $REVIEW $CSV --url sqlite:///$W/sra.db"
t_sra=$(median sqlite_sra "$prep_sra" "$cmd_sra")
check_count "the SQLite file" "$(sqlite3 "$W/sra.db" 'SELECT count(*) FROM search_results')"
t_base=$(median sqlite_import "rm -f $W/plain.db" "sqlite3 $W/plain.db -cmd '.mode csv' '.import $CSV plain'")
check_count "the .import table" "$(sqlite3 "$W/plain.db" 'SELECT count(*) FROM plain')"
row "import records, $N records (SQLite)" "$t_sra" "sqlite3 .import, plain table" "$t_base" 3 "$(peak_kb "$prep_sra" "$cmd_sra")"
sqlite3 "$W/rows.db" "ATTACH '$W/sra.db' AS s; CREATE TABLE r AS SELECT $COLS_SR FROM s.search_results ORDER BY rowid"
t_floor=$(median sqlite_floor "cp $W/tmpl.db $W/floor.db && rm -f $W/floor.db-journal" \
  "sqlite3 $W/floor.db 'PRAGMA foreign_keys = ON' 'ATTACH \"$W/rows.db\" AS r' 'INSERT INTO search_results ($COLS_SR) SELECT * FROM r.r'")
check_count "the SQLite floor" "$(sqlite3 "$W/floor.db" 'SELECT count(*) FROM search_results')"
row "import records, $N records (SQLite)" "$t_sra" "sqlite3 INSERT … SELECT of the same rows into search_results" "$t_floor" "" ""

# ---- PostgreSQL --------------------------------------------------------------
$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_import_tmpl' -c 'CREATE DATABASE bench_import_tmpl'
"$SRA" db upgrade -q --url "$(url bench_import_tmpl)"
"$SRA" review create --question "Bench" --exclusion "None" --id "$REVIEW" -q --url "$(url bench_import_tmpl)" >/dev/null
prep_sra="$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_import' -c 'CREATE DATABASE bench_import TEMPLATE bench_import_tmpl'"
cmd_sra="$SRA import records -q --review $REVIEW $CSV --url '$(url bench_import)'"
t_sra=$(median pg_sra "$prep_sra" "$cmd_sra")
check_count "the PostgreSQL database" "$($PSQL -X -Atq -d bench_import -c 'SELECT count(*) FROM search_results')"
prep_base="$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_plain' -c 'CREATE DATABASE bench_plain' && $PSQL -X -q -d bench_plain -c 'CREATE TABLE plain ($COLS)'"
t_base=$(median pg_copy "$prep_base" "$PSQL -X -q -d bench_plain -c \"\\copy plain FROM '$CSV' WITH (FORMAT csv, HEADER)\"")
check_count "the \\copy table" "$($PSQL -X -Atq -d bench_plain -c 'SELECT count(*) FROM plain')"
row "import records, $N records (PostgreSQL)" "$t_sra" "psql \\copy, plain table" "$t_base" 2 "$(peak_kb "$prep_sra" "$cmd_sra")"
$PSQL -X -q -d bench_import -c "\copy (SELECT $COLS_SR FROM search_results) TO '$W/rows.copy'"
# lz4, as sra asks for when the server has it
t_floor=$(median pg_floor "$prep_sra" "PGOPTIONS='$PGOPTIONS -c default_toast_compression=lz4' $PSQL -X -q -d bench_import -c \"\\copy search_results ($COLS_SR) FROM '$W/rows.copy'\"")
check_count "the PostgreSQL floor" "$($PSQL -X -Atq -d bench_import -c 'SELECT count(*) FROM search_results')"
row "import records, $N records (PostgreSQL)" "$t_sra" "psql \\copy of the same rows into search_results" "$t_floor" "" ""

echo "import records: $N records, $(($(stat -c %s "$CSV") / 1048576)) MiB of CSV; hyperfine medians of $RUNS runs, $(nproc) cores, $(date -u +%Y-%m-%d)."
echo
echo "| what | sra ms | baseline | baseline ms | ratio | target | met | sra peak MiB |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
