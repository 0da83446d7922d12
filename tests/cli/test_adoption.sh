#!/usr/bin/env bash
# Adopting the Python application's databases (issue 3): a PostgreSQL
# database as its Alembic chain left it at ad42aea13565
# (tests/data/alembic_era_ad42aea13565.sql) upgrades to head with every row
# kept, the labels repaired, and downgrades again without loss.
. "$(dirname "$0")/lib.sh"

TABLES="systematic_reviews search_results screen_abstract_results screening_resolutions benchmark_runs benchmark_result_items log_records"

snapshot() {  # ids and a few content columns of every table, sorted
  local t
  for t in $TABLES; do echo "== $t $(q "SELECT count(*) FROM $t")"; q "SELECT id FROM $t ORDER BY id"; done
  q "SELECT id, source_id, title, source_metadata->'benchmark_human_decision' FROM search_results ORDER BY id"
  q "SELECT id, classification, final_decision FROM benchmark_result_items ORDER BY id"
}

case_alembic_era_database() {
  [ "$BACKEND" = pg ] || return 0
  $PSQL -X -q -1 -v ON_ERROR_STOP=1 -d "$DBNAME" -f "$SRC/tests/data/alembic_era_ad42aea13565.sql" >/dev/null \
    || { fail "the fixture does not load"; return; }
  local before; before=$(snapshot)
  [ "$(q 'SELECT count(*) FROM search_results')" -gt 0 ] || fail "the fixture has no records"
  expect_exit 0 "$SRA" db current --url "$URL" || return
  assert_eq "$OUT" "ad42aea13565" "current of the Alembic-era database"

  expect_exit 0 "$SRA" db upgrade head -q --url "$URL" || return
  local after; after=$(snapshot | sed 's/"PUBMED"/"PubMed"/')
  assert_eq "$after" "$before" "rows after upgrade head"
  assert_eq "$(q "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'searchdatabasesource_enum'::regtype")" \
    "PubMed,Scopus,Embase,Other,benchmark_csv" "source labels at head"
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE source_db::text IN ('PUBMED', 'SCOPUS')")" 0 "old labels left"
  assert_eq "$(q "SELECT count(*) FROM systematic_reviews WHERE created_at IS NULL OR updated_at IS NULL")" 0 "NULL timestamps after the backfill"
  assert_eq "$(q "SELECT count(*) FROM alembic_version")" 1 "version rows"
  expect_exit 0 "$SRA" db check --url "$URL" || return
  assert_eq "$OUT" "" "check of the adopted database at head"
  # the integrity revision's behaviour on the adopted rows: ON DELETE CASCADE
  local rid; rid=$(q "SELECT id FROM systematic_reviews ORDER BY id LIMIT 1")
  q "BEGIN; DELETE FROM systematic_reviews WHERE id = '$rid'; ROLLBACK" >/dev/null || fail "deleting a review does not cascade"

  expect_exit 0 "$SRA" db downgrade ad42aea13565 -q --url "$URL" || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" ad42aea13565 "version after the downgrade"
  assert_eq "$(snapshot | sed 's/"PUBMED"/"PubMed"/')" "$before" "rows after downgrading again"
}

case_alembic_only_revision() {
  [ "$BACKEND" = pg ] || return 0
  q "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); INSERT INTO alembic_version VALUES ('39a7520b10c2')" >/dev/null
  expect_exit 3 "$SRA" db upgrade head --url "$URL" || return
  one_line_error "39a7520b10c2.*Python application's Alembic chain.*ad42aea13565"
}

case_duplicates_block_the_integrity_revision() {
  # two items for the same (run, record): revision 4's unique constraint cannot hold
  expect_exit 0 "$SRA" db upgrade ad42aea13565 -q --url "$URL" || return
  local r=11111111-1111-4111-8111-111111111111 s=22222222-2222-4222-8222-222222222222
  local b=33333333-3333-4333-8333-333333333333
  q "INSERT INTO systematic_reviews (id, research_question, exclusion_criteria, criteria_framework_answers, review_metadata) VALUES ('$r', 'q', 'e', '{}', '{}');
     INSERT INTO search_results (id, review_id, source_db, source_id, title, raw_data, source_metadata) VALUES ('$s', '$r', 'Other', 'x1', 't', '{}', '{}');
     INSERT INTO benchmark_runs (id, review_id) VALUES ('$b', '$r');
     INSERT INTO benchmark_result_items (id, benchmark_run_id, search_result_id, final_decision, classification) VALUES
       ('44444444-4444-4444-8444-444444444441', '$b', '$s', 'include', 'TP'),
       ('44444444-4444-4444-8444-444444444442', '$b', '$s', 'exclude', 'FN')" >/dev/null || { fail "inserting the duplicates"; return; }
  local before; before=$(schema_dump)
  expect_exit 1 "$SRA" db upgrade head -q --url "$URL" || return
  if [ "$BACKEND" = pg ]; then
    one_line_error "2f462b379e03.*uq_benchmark_result_items_run_record.*$b.*$s"
  else
    # SQLite's message names the columns, never the values
    one_line_error "2f462b379e03.*UNIQUE constraint failed: benchmark_result_items.benchmark_run_id, benchmark_result_items.search_result_id"
  fi
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" ad42aea13565 "version after the refused revision"
  assert_eq "$(schema_dump)" "$before" "schema after the refused revision"
  assert_eq "$(q 'SELECT count(*) FROM benchmark_result_items')" 2 "items after the refused revision"
  # removing the duplicate lets it through
  q "DELETE FROM benchmark_result_items WHERE id = '44444444-4444-4444-8444-444444444442'" >/dev/null
  expect_exit 0 "$SRA" db upgrade head -q --url "$URL" || return
  expect_exit 0 "$SRA" db check -q --url "$URL" || return
}

run_cases case_alembic_era_database case_alembic_only_revision case_duplicates_block_the_integrity_revision
