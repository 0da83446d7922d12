#!/usr/bin/env bash
# The EXPLAIN plans of docs/schema-indexes.md: every query that an index of
# revision 6 serves, on a populated database of each kind (10 demo reviews of
# EXPLAIN_N records, default 2000, plus 20,000 log records, 5,000 empty runs
# and a DOI on every record), planner statistics
# fresh.  Usage: bench/explain_indexes.sh SRA SQLITE_URL_FILE PG_DBNAME
# (PostgreSQL from PGHOST, e.g. under scripts/pg-test-server.sh).
set -euo pipefail
SRA=${1:?sra binary}; DBFILE=${2:?sqlite file}; PGDB=${3:?pg database}
N=${EXPLAIN_N:-2000}
PSQL=/usr/lib/postgresql/15/bin/psql
rm -f "$DBFILE"
$PSQL -Xq -d postgres -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB"
PGURL="postgresql:///$PGDB?host=$PGHOST&user=${PGUSER:-postgres}"
for url in "sqlite:///$DBFILE" "$PGURL"; do
  "$SRA" db upgrade head -q --url "$url"
  for s in 1 2 3 4 5 6 7 8 9 10; do "$SRA" demo --records "$N" --seed "$s" --url "$url" >/dev/null 2>&1; done
done
rm -f demo-report.html
sqlite3 "$DBFILE" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000),
  r AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM systematic_reviews)
  INSERT INTO log_records (id, timestamp, level, message, review_id, extra, record)
  SELECT printf('00000000-0000-4000-8000-%012d', i), '2026-12-05T00:00:00Z',
         CASE i % 7 WHEN 0 THEN 'TRACE' WHEN 1 THEN 'DEBUG' WHEN 2 THEN 'INFO' WHEN 3 THEN 'SUCCESS'
                    WHEN 4 THEN 'WARNING' WHEN 5 THEN 'ERROR' ELSE 'CRITICAL' END, 'm',
         r.id, '{}', '{}' FROM n JOIN r ON r.k = i % 10;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000),
  r AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM systematic_reviews)
  INSERT INTO benchmark_runs (id, review_id)
  SELECT printf('00000000-0000-4000-9000-%012d', i), r.id FROM n JOIN r ON r.k = i % 10;
  UPDATE search_results SET doi = '10.1000/' || source_id || '.' || substr(id, 1, 8); ANALYZE;"
$PSQL -Xq -d "$PGDB" -c "INSERT INTO log_records (id, timestamp, level, message, review_id, extra, record)
  SELECT gen_random_uuid(), now(), (enum_range(NULL::loglevel_enum))[1 + i % 7], 'm', r.id, '{}', '{}'
  FROM generate_series(1, 20000) i
  JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM systematic_reviews) r ON r.k = i % 10" \
  -c "INSERT INTO benchmark_runs (id, review_id) SELECT gen_random_uuid(), r.id FROM generate_series(1, 5000) i
  JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM systematic_reviews) r ON r.k = i % 10" \
  -c "UPDATE search_results SET doi = '10.1000/' || source_id || '.' || substr(id::text, 1, 8)" -c "ANALYZE"

# values to ask for, from the SQLite data (the demo makes the same rows on both)
v() { sqlite3 "$DBFILE" "$1"; }
RID=$(v "SELECT id FROM systematic_reviews ORDER BY id LIMIT 1")
PGRID=$($PSQL -XAtq -d "$PGDB" -c "SELECT id FROM systematic_reviews ORDER BY id LIMIT 1")
row() { $PSQL -XAtq -F'|' -d "$PGDB" -c "$1"; }
IFS='|' read -r SRC_DB SRC_ID DOI TITLE YEAR SRID CRID RESID <<<"$(row "SELECT source_db, source_id, coalesce(doi, 'x'), title, year, id, conservative_result_id, resolution_id FROM search_results WHERE review_id = '$PGRID' AND resolution_id IS NOT NULL LIMIT 1")"
RUN=$(row "SELECT benchmark_run_id FROM benchmark_result_items LIMIT 1")
TITLE=${TITLE//\'/\'\'}

queries=(
"search_results|SELECT * FROM search_results WHERE doi = '$DOI'"
"search_results|SELECT * FROM search_results WHERE title = '$TITLE' AND year = '$YEAR'"
"search_results|SELECT * FROM search_results WHERE review_id = '@RID@'"
"search_results|SELECT * FROM search_results WHERE review_id = '@RID@' AND source_db = '$SRC_DB' AND source_id = '$SRC_ID'"
"search_results|SELECT * FROM search_results WHERE review_id = '@RID@' AND source_db = '$SRC_DB' AND source_id IN ('$SRC_ID', 'x1', 'x2')"
"search_results|SELECT * FROM search_results WHERE source_id = '$SRC_ID'"
"search_results|SELECT * FROM search_results WHERE year = '$YEAR'"
"search_results|UPDATE search_results SET conservative_result_id = NULL WHERE conservative_result_id = '$CRID'"
"search_results|UPDATE search_results SET comprehensive_result_id = NULL WHERE comprehensive_result_id = '$CRID'"
"search_results|UPDATE search_results SET resolution_id = NULL WHERE resolution_id = '$RESID'"
"screen_abstract_results|SELECT * FROM screen_abstract_results WHERE review_id = '@RID@'"
"screen_abstract_results|SELECT * FROM screen_abstract_results WHERE review_id = '@RID@' AND screening_strategy = 'conservative'"
"screen_abstract_results|SELECT * FROM screen_abstract_results WHERE exclusion_reason_categories @> '{\"population\": [\"adults\"]}'"
"screening_resolutions|SELECT * FROM screening_resolutions WHERE search_result_id = '$SRID'"
"screening_resolutions|SELECT * FROM screening_resolutions WHERE review_id = '@RID@'"
"benchmark_runs|SELECT * FROM benchmark_runs WHERE review_id = '@RID@'"
"benchmark_result_items|SELECT * FROM benchmark_result_items WHERE benchmark_run_id = '$RUN'"
"benchmark_result_items|SELECT * FROM benchmark_result_items WHERE search_result_id = '$SRID'"
"log_records|SELECT * FROM log_records WHERE review_id = '@RID@'"
"log_records|SELECT * FROM log_records WHERE level = 'ERROR'"
"log_records|SELECT * FROM log_records WHERE review_id = '@RID@' AND level = 'ERROR'"
)
for q in "${queries[@]}"; do
  sql=${q#*|}
  echo "### ${sql//\'@RID@\'/?}" | sed -E "s/'[0-9a-f-]{36}'/?/g; s/'[^']{40,}'/'…'/g"
  echo
  echo '```'
  echo "-- PostgreSQL (EXPLAIN (COSTS OFF))"
  $PSQL -XAtq -d "$PGDB" -c "BEGIN" -c "EXPLAIN (COSTS OFF) ${sql//@RID@/$PGRID}" -c "ROLLBACK"
  echo "-- SQLite (EXPLAIN QUERY PLAN)"
  if [[ $sql == *"@>"* ]]; then echo "(no GIN on SQLite; containment is not an SQLite operator)"
  else sqlite3 "$DBFILE" "EXPLAIN QUERY PLAN ${sql//@RID@/$RID}" | sed 's/^QUERY PLAN$//' | sed '/^$/d'; fi
  echo '```'
  echo
done
