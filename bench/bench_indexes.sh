#!/usr/bin/env bash
# bench/bench_indexes.sh SRA_BINARY: issue 12's targets, in one run (hyperfine
# medians; run under scripts/pg-test-server.sh, PGHOST set):
#  1. sra against the build of commit 33cc759 (revision 5's 15 + 12 indexes),
#     side by side on the same data: record import on SQLite (<= 0.85x) and
#     PostgreSQL (<= 0.65x), a benchmark run on SQLite (<= 0.75x).  33cc759 is
#     built here from a `git worktree add` in a scratch directory (removed
#     again), unless SRA_BENCH_OLD_SRA names such a build already.
#  2. sra import decisions (records x 3 reviewers, JSON Lines) on both
#     databases, against sqlite3 '.import' / psql '\copy' of the same lines
#     into a one-column table: PostgreSQL <= 1.5x SQLite and <= 4x \copy.
#  3. sizes: each table with its indexes (SQLite dbstat, PostgreSQL
#     pg_total_relation_size) and the whole database after the record import,
#     at revision 5 (33cc759) and at head: must not grow.
#   SRA_BENCH_INDEXES_RUNS     hyperfine runs per command (default 3, after 1 warm-up)
#   SRA_BENCH_INDEXES_RECORDS  records (default 100000)
#   SRA_BENCH_DECISIONS_RECORDS records whose decisions are imported (default: all)
set -euo pipefail
SRA=$(realpath "${1:?usage: bench_indexes.sh SRA_BINARY}")
SRC=$(cd "$(dirname "$0")/.." && pwd)
PSQL=/usr/lib/postgresql/15/bin/psql
RUNS=${SRA_BENCH_INDEXES_RUNS:-3}
N=${SRA_BENCH_INDEXES_RECORDS:-100000}
ND=${SRA_BENCH_DECISIONS_RECORDS:-$N}
REVIEW=5ac1e000-0000-4000-8000-000000000004
OLD_REV=33cc759
: "${PGHOST:?run under scripts/pg-test-server.sh}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
W=$(mktemp -d -t sra-bench-ix.XXXXXX)
DBS="bix_new bix_old bix_new_tmpl bix_old_tmpl bix_dec bix_dec_tmpl bix_plain bix_floor"
cleanup() {
  local d
  for d in $DBS; do $PSQL -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
  if [ -d "$W/old-src" ]; then git -C "$SRC" worktree remove --force "$W/old-src" >/dev/null 2>&1 || true; fi
  rm -rf "$W"
}
trap cleanup EXIT
url() { echo "postgresql:///$1?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"; }
pgq() { $PSQL -X -Atq -d "$1" -c "$2"; }

# ---- the build of 33cc759 ----------------------------------------------------
if [ -n "${SRA_BENCH_OLD_SRA:-}" ]; then
  OLD=$(realpath "$SRA_BENCH_OLD_SRA")
else
  echo "bench_indexes: building $OLD_REV ..." >&2
  git -C "$SRC" worktree add --detach "$W/old-src" "$OLD_REV" >/dev/null 2>&1
  cmake -S "$W/old-src" -B "$W/old-build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$W/old-build" -j2 --target sra >/dev/null
  OLD=$W/old-build/sra
fi

# ---- the data: records (as bench_import.sh) and 3 decisions per record --------
awk -v n="$N" -v nd="$ND" -v out="$W" '
function rnd(m) { seed = (seed * 16807) % 2147483647; return seed % m }
function words(k,   s, i) { s = W[1 + rnd(NW)]; for (i = 1; i < k; i++) s = s " " W[1 + rnd(NW)]; return s }
function dec(x) { return x < 6 ? "exclude" : (x < 9 ? "include" : "uncertain") }
BEGIN {
  seed = 20240604
  NW = split("screening systematic review randomised controlled trial patients outcome cohort " \
    "intervention meta-analysis bias placebo efficacy safety adults children mortality hospital " \
    "protocol evidence sensitivity specificity diagnostic accuracy primary secondary endpoint " \
    "follow-up baseline risk ratio confidence interval significant association exposure " \
    "prevalence incidence treatment therapy clinical population sample data analysis method " \
    "results conclusion background objective design setting participants measurements", W, " ")
  csv = out "/records.csv"; js = out "/decisions.jsonl"
  print "pmid,title,abstract,authors,journal,year,doi,keywords,label_included" > csv
  for (r = 1; r <= n; r++) {
    ab = ""
    while (length(ab) < 1000) ab = ab (ab == "" ? "" : " ") words(8 + rnd(10)) (rnd(4) ? "," : ".")
    printf "%d,\"%s\",\"%s\",\"Smith J and Doe A and Author%d B\",Journal of %s,%d,10.%d/%d,\"%s; %s\",%s\n",
      30000000 + r, words(6 + rnd(8)), ab, r, W[1 + rnd(NW)], 1990 + rnd(35),
      1000 + rnd(9000), r, W[1 + rnd(NW)], W[1 + rnd(NW)], (rnd(8) ? "N" : "Y") > csv
    if (r > nd) continue
    printf "{\"source_id\": \"%d\", \"reviewer\": \"conservative\", \"decision\": \"%s\", \"confidence\": 0.%d, \"rationale\": \"%s\", \"model\": \"gpt-4o\"}\n",
      30000000 + r, dec(rnd(10)), 50 + rnd(50), words(12 + rnd(20)) > js
    printf "{\"source_id\": \"%d\", \"reviewer\": \"comprehensive\", \"decision\": \"%s\", \"confidence\": 0.%d, \"rationale\": \"%s\", \"model\": \"gpt-4o\"}\n",
      30000000 + r, dec(rnd(10)), 50 + rnd(50), words(12 + rnd(20)) > js
    printf "{\"source_id\": \"%d\", \"reviewer\": \"resolver\", \"decision\": \"%s\", \"confidence\": 0.%d, \"rationale\": \"%s\", \"model\": \"gemini-2.5-pro\"}\n",
      30000000 + r, dec(rnd(10)), 50 + rnd(50), words(12 + rnd(20)) > js
  }
}'
CSV=$W/records.csv
JS=$W/decisions.jsonl
NJ=$((ND * 3))

ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
median() {  # NAME PREPARE CMD -> seconds
  hyperfine --warmup 1 --runs "$RUNS" --prepare "$2" --export-json "$W/$1.json" "$3" >"$W/$1.log" 2>&1 \
    || { cat "$W/$1.log" >&2; echo "bench_indexes: $1 failed: $3" >&2; exit 1; }
  jq -r '.results[0].median' "$W/$1.json"
}
ROWS=()
row() {  # what, sra s, baseline name, baseline s, max ratio ("" for information)
  local r ok=- target=information
  r=$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
  if [ -n "$5" ]; then
    target="<= ${5}x"
    ok=$(awk -v r="$r" -v m="$5" 'BEGIN { print (r <= m) ? "yes" : "NO" }')
  fi
  ROWS+=("| $1 | $(ms "$2") | $3 | $(ms "$4") | ${r}x | $target | $ok |")
}
expect() { [ "$2" = "$3" ] || { echo "bench_indexes: $1 is $2, expected $3" >&2; exit 1; }; }

# ---- 1. records, SQLite: head (sra) vs revision 5 (33cc759) -------------------
for v in new old; do
  B=$SRA; [ $v = old ] && B=$OLD
  "$B" db upgrade -q --url "sqlite:///$W/tmpl_$v.db"
  "$B" review create --question Bench --exclusion None --id "$REVIEW" -q --url "sqlite:///$W/tmpl_$v.db" >/dev/null
done
expect "33cc759's head" "$(sqlite3 "$W/tmpl_old.db" 'SELECT version_num FROM alembic_version')" 19db02264d93
t_new=$(median sqlite_rec_new "cp $W/tmpl_new.db $W/rec_new.db" "$SRA import records -q --review $REVIEW $CSV --url sqlite:///$W/rec_new.db")
t_old=$(median sqlite_rec_old "cp $W/tmpl_old.db $W/rec_old.db" "$OLD import records -q --review $REVIEW $CSV --url sqlite:///$W/rec_old.db")
expect "records (SQLite, head)" "$(sqlite3 "$W/rec_new.db" 'SELECT count(*) FROM search_results')" "$N"
expect "records (SQLite, 33cc759)" "$(sqlite3 "$W/rec_old.db" 'SELECT count(*) FROM search_results')" "$N"
row "import records, $N (SQLite)" "$t_new" "33cc759, same file" "$t_old" 0.85

# ---- 1. records, PostgreSQL ----------------------------------------------------
for v in new old; do
  B=$SRA; [ $v = old ] && B=$OLD
  $PSQL -X -q -d postgres -c "DROP DATABASE IF EXISTS bix_${v}_tmpl" -c "CREATE DATABASE bix_${v}_tmpl"
  "$B" db upgrade -q --url "$(url bix_${v}_tmpl)"
  "$B" review create --question Bench --exclusion None --id "$REVIEW" -q --url "$(url bix_${v}_tmpl)" >/dev/null
done
# PostgreSQL prepares end with a CHECKPOINT: CREATE DATABASE … TEMPLATE writes the
# whole copy to the WAL, and the command measured next would otherwise pay for the
# checkpoint it triggers (the decision import here: 16.7 s without, 14.7 s with)
prep() { echo "$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bix_$1' -c 'CREATE DATABASE bix_$1 TEMPLATE bix_$1_tmpl' -c CHECKPOINT"; }
t_new=$(median pg_rec_new "$(prep new)" "$SRA import records -q --review $REVIEW $CSV --url '$(url bix_new)'")
t_old=$(median pg_rec_old "$(prep old)" "$OLD import records -q --review $REVIEW $CSV --url '$(url bix_old)'")
expect "records (PostgreSQL, head)" "$(pgq bix_new 'SELECT count(*) FROM search_results')" "$N"
expect "records (PostgreSQL, 33cc759)" "$(pgq bix_old 'SELECT count(*) FROM search_results')" "$N"
row "import records, $N (PostgreSQL)" "$t_new" "33cc759, same file" "$t_old" 0.65

# ---- 3. sizes after the record import -----------------------------------------
SIZES=()
TABLES="search_results screen_abstract_results screening_resolutions benchmark_result_items"
size_sqlite() {  # FILE TABLE -> bytes of the table and its indexes
  sqlite3 "$1" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = '$2' OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '$2')"
}
size_pg() { pgq "$1" "SELECT pg_total_relation_size('$2')"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
size_row() {  # what, head bytes, 33cc759 bytes
  local ok; ok=$(awk -v a="$2" -v b="$3" 'BEGIN { print (a <= b) ? "yes" : "NO" }')
  SIZES+=("| $1 | $(mib "$3") | $(mib "$2") | $(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')x | $ok |")
}
size_row "search_results + indexes, SQLite" "$(size_sqlite "$W/rec_new.db" search_results)" "$(size_sqlite "$W/rec_old.db" search_results)"
size_row "database file, SQLite" "$(stat -c %s "$W/rec_new.db")" "$(stat -c %s "$W/rec_old.db")"
size_row "search_results + indexes, PostgreSQL" "$(size_pg bix_new search_results)" "$(size_pg bix_old search_results)"
size_row "database, PostgreSQL (pg_database_size)" "$(pgq bix_new "SELECT pg_database_size('bix_new')")" "$(pgq bix_old "SELECT pg_database_size('bix_old')")"

# ---- 2. decisions: SQLite and PostgreSQL, against their clients' bulk load -------
cp "$W/rec_new.db" "$W/dec_tmpl.db"
t_dsq=$(median sqlite_dec "cp $W/dec_tmpl.db $W/dec.db" "$SRA import decisions -q --review $REVIEW $JS --url sqlite:///$W/dec.db")
expect "reviewer rows (SQLite)" "$(sqlite3 "$W/dec.db" 'SELECT count(*) FROM screen_abstract_results')" $((ND * 2))
printf '.mode ascii\n.separator \037 \\n\n.import %s j\n' "$JS" >"$W/import.sqlite3"   # lines whole: no field separator in them
t_sqimp=$(median sqlite_dec_import "rm -f $W/plain.db && sqlite3 $W/plain.db 'CREATE TABLE j (doc text)'" \
  "sqlite3 $W/plain.db '.read $W/import.sqlite3'")
expect "the .import table" "$(sqlite3 "$W/plain.db" 'SELECT count(*) FROM j')" "$NJ"
$PSQL -X -q -d postgres -c "DROP DATABASE IF EXISTS bix_dec_tmpl" -c "CREATE DATABASE bix_dec_tmpl TEMPLATE bix_new"
t_dpg=$(median pg_dec "$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bix_dec' -c 'CREATE DATABASE bix_dec TEMPLATE bix_dec_tmpl' -c CHECKPOINT" \
  "$SRA import decisions -q --review $REVIEW $JS --url '$(url bix_dec)'")
expect "reviewer rows (PostgreSQL)" "$(pgq bix_dec 'SELECT count(*) FROM screen_abstract_results')" $((ND * 2))
t_copy=$(median pg_dec_copy "$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bix_plain' -c 'CREATE DATABASE bix_plain' && $PSQL -X -q -d bix_plain -c 'CREATE TABLE j (doc text)'" \
  "$PSQL -X -q -d bix_plain -c \"\\copy j FROM '$JS' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')\"")
expect "the \\copy table" "$(pgq bix_plain 'SELECT count(*) FROM j')" "$NJ"
# PostgreSQL's own floor for this schema: psql writing the very end state sra
# wrote (its reviewer and resolver rows by \copy, the records' links and final
# decisions by one UPDATE from a \copy'd table), in one transaction, with no
# checks at all.  What sra adds above it is the staging, the checks and the
# recompute of the rest of the review.
$PSQL -X -q -d bix_dec -c "\\copy screen_abstract_results TO '$W/sar.copy'" -c "\\copy screening_resolutions TO '$W/res.copy'" \
  -c "\\copy (SELECT id, conservative_result_id, comprehensive_result_id, resolution_id, final_decision FROM search_results) TO '$W/links.copy'"
{
  echo "\\copy screen_abstract_results FROM '$W/sar.copy'"
  echo "\\copy screening_resolutions FROM '$W/res.copy'"
  echo "CREATE TEMP TABLE l (id uuid, c uuid, m uuid, r uuid, fd screeningdecisiontype);"
  echo "\\copy l FROM '$W/links.copy'"
  echo "UPDATE search_results AS s SET conservative_result_id = l.c, comprehensive_result_id = l.m,"
  echo "  resolution_id = l.r, final_decision = l.fd FROM l WHERE s.id = l.id;"
} >"$W/floor.sql"
t_floor=$(median pg_dec_floor "$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bix_floor' -c 'CREATE DATABASE bix_floor TEMPLATE bix_dec_tmpl' -c CHECKPOINT" \
  "$PSQL -X -q -1 -v ON_ERROR_STOP=1 -d bix_floor -f $W/floor.sql")
expect "reviewer rows (psql floor)" "$(pgq bix_floor 'SELECT count(*) FROM screen_abstract_results')" $((ND * 2))
expect "final decisions (psql floor)" "$(pgq bix_floor 'SELECT count(final_decision) FROM search_results')" "$(pgq bix_dec 'SELECT count(final_decision) FROM search_results')"
row "import decisions, $ND x 3 (PostgreSQL)" "$t_dpg" "sra, same file, SQLite" "$t_dsq" 1.5
row "import decisions, $ND x 3 (PostgreSQL)" "$t_dpg" "psql \\copy into one text column" "$t_copy" 4
row "import decisions, $ND x 3 (PostgreSQL)" "$t_dpg" "psql writing the same end state (\\copy + one UPDATE)" "$t_floor" ""
row "psql writing the same end state (PostgreSQL)" "$t_floor" "sra, same file, SQLite" "$t_dsq" ""
row "import decisions, $ND x 3 (SQLite)" "$t_dsq" "sqlite3 .import into one text column" "$t_sqimp" ""

# ---- 1. a benchmark run on SQLite, the same data at head and at revision 5 -------
# (bench_benchmark.sh's data: `sra demo --no-run`, every record with its
# reviewers' decisions).  Revision 5's schema is head's downgraded one step:
# the same rows, every index back.  Neither side pays for what earlier steps
# left behind: the PostgreSQL databases of the imports go first (their
# autovacuum would run meanwhile), and what the steps wrote is on disk
# (sync) before the first run and after each copy.  Head's runs come first:
# without this they took 3.1-3.4 s inside the script against 2.3-2.4 s
# alone, while 33cc759's took 4.0-4.2 s either way.
for d in $DBS; do $PSQL -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null; done
sync
"$SRA" demo --records "$N" --seed 1 --no-run --url "sqlite:///$W/run_new_tmpl.db" >/dev/null 2>&1
RREVIEW=$(sqlite3 "$W/run_new_tmpl.db" "SELECT id FROM systematic_reviews")
cp "$W/run_new_tmpl.db" "$W/run_old_tmpl.db"
"$SRA" db downgrade 19db02264d93 -q --url "sqlite:///$W/run_old_tmpl.db"
sync
t_new=$(median sqlite_run_new "cp $W/run_new_tmpl.db $W/run_new.db && sync" "$SRA benchmark run -q --review $RREVIEW --url sqlite:///$W/run_new.db")
t_old=$(median sqlite_run_old "cp $W/run_old_tmpl.db $W/run_old.db && sync" "$OLD benchmark run -q --review $RREVIEW --url sqlite:///$W/run_old.db")
expect "items (head)" "$(sqlite3 "$W/run_new.db" 'SELECT count(*) FROM benchmark_result_items')" "$N"
expect "items (33cc759)" "$(sqlite3 "$W/run_old.db" 'SELECT count(*) FROM benchmark_result_items')" "$N"
row "benchmark run, $N items (SQLite)" "$t_new" "33cc759, same data at revision 5" "$t_old" 0.75
for t in screen_abstract_results screening_resolutions benchmark_result_items; do
  size_row "$t + indexes, SQLite, demo data and a run" "$(size_sqlite "$W/run_new.db" $t)" "$(size_sqlite "$W/run_old.db" $t)"
done

echo "Issue 12: $N records ($(($(stat -c %s "$CSV") / 1048576)) MiB CSV), decisions of $ND records ($NJ JSON lines, $(($(stat -c %s "$JS") / 1048576)) MiB); hyperfine medians of $RUNS runs, $(nproc) cores, $(date -u +%Y-%m-%d); 33cc759 built in the run."
echo
echo "| what | sra ms | baseline | baseline ms | ratio | target | met |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "| size | 33cc759 (revision 5) MiB | head MiB | ratio | not grown |"
echo "|---|---|---|---|---|"
printf '%s\n' "${SIZES[@]}"
