#!/usr/bin/env bash
# The seed's acceptance (issue 2): after `upgrade 9cd2f7e24c87` the catalog
# shows both benchmark tables with every column, type, nullability, the
# three foreign keys and every index of schema.md; `downgrade -1` removes
# exactly them; `upgrade ad42aea13565` adds the four LangSmith id
# columns with their indexes, and revision 6 (head) drops those again.
# Expected values are written out from schema.md, and read back
# through psql / sqlite3, not through sra.
. "$(dirname "$0")/lib.sh"

# name|pg type|nullable, sorted by name: schema.md, revision 2
RUNS_COLS='accuracy|float8|YES
cohen_kappa|float8|YES
config_details|jsonb|YES
created_at|timestamptz|YES
f1_score|float8|YES
fn|int4|YES
fp|int4|YES
id|uuid|NO
lr_minus|float8|YES
lr_plus|float8|YES
mcc|float8|YES
npv|float8|YES
pabak|float8|YES
ppv|float8|YES
review_id|uuid|NO
run_notes|text|YES
sensitivity|float8|YES
specificity|float8|YES
tn|int4|YES
tp|int4|YES
updated_at|timestamptz|YES'
ITEMS_COLS='benchmark_run_id|uuid|NO
classification|text|NO
comprehensive_confidence|float8|YES
comprehensive_decision|screeningdecisiontype|YES
comprehensive_rationale|text|YES
conservative_confidence|float8|YES
conservative_decision|screeningdecisiontype|YES
conservative_rationale|text|YES
created_at|timestamptz|YES
final_decision|screeningdecisiontype|NO
human_decision|bool|YES
id|uuid|NO
resolver_confidence|float8|YES
resolver_decision|screeningdecisiontype|YES
resolver_reasoning|text|YES
search_result_id|uuid|NO
updated_at|timestamptz|YES'
LANGSMITH_COLS='comprehensive_run_id|uuid|YES
comprehensive_trace_id|uuid|YES
conservative_run_id|uuid|YES
conservative_trace_id|uuid|YES'
FKS='benchmark_result_items|benchmark_run_id|benchmark_runs
benchmark_result_items|search_result_id|search_results
benchmark_runs|review_id|systematic_reviews'
BTREE_IDX='ix_benchmark_result_items_benchmark_run_id
ix_benchmark_result_items_comprehensive_decision
ix_benchmark_result_items_conservative_decision
ix_benchmark_result_items_final_decision
ix_benchmark_result_items_resolver_decision
ix_benchmark_result_items_search_result_id
ix_benchmark_runs_review_id'

# the SQLite column type each PostgreSQL type becomes (migrations.md)
sqlite_type() {
  case $1 in
    int4|bool) echo INTEGER ;;
    float8) echo REAL ;;
    *) echo TEXT ;;
  esac
}

columns() {  # TABLE -> name|type|nullable, in the expected notation
  if [ "$BACKEND" = sqlite ]; then
    q "SELECT name, upper(type), CASE WHEN \"notnull\" OR pk THEN 'NO' ELSE 'YES' END FROM pragma_table_info('$1') ORDER BY name"
  else
    q "SELECT column_name, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = '$1' ORDER BY column_name"
  fi
}

expected_columns() {  # the pg notation, turned into the backend's
  if [ "$BACKEND" = sqlite ]; then
    printf '%s\n' "$1" | while IFS='|' read -r n t nl; do echo "$n|$(sqlite_type "$t")|$nl"; done
  else
    printf '%s\n' "$1"
  fi
}

foreign_keys() {
  if [ "$BACKEND" = sqlite ]; then
    q "SELECT 'benchmark_result_items', \"from\", \"table\" FROM pragma_foreign_key_list('benchmark_result_items')
       UNION ALL SELECT 'benchmark_runs', \"from\", \"table\" FROM pragma_foreign_key_list('benchmark_runs') ORDER BY 1, 2"
  else
    q "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND c.conrelid::regclass::text IN ('benchmark_runs', 'benchmark_result_items')
       ORDER BY 1, 2"
  fi
}

indexes() {  # b-tree indexes of the two tables, by name
  if [ "$BACKEND" = sqlite ]; then
    q "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('benchmark_runs', 'benchmark_result_items')
       AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name"
  else
    q "SELECT indexname FROM pg_indexes WHERE tablename IN ('benchmark_runs', 'benchmark_result_items')
       AND indexdef NOT LIKE '%USING gin%' AND indexname NOT LIKE '%pkey' ORDER BY indexname"
  fi
}

tables() {
  if [ "$BACKEND" = sqlite ]; then
    q "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
  else
    q "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
  fi
}

case_benchmark_tables() {
  expect_exit 0 "$SRA" db upgrade 1e530067ad44 --url "$URL" -q || return
  local before; before=$(schema_dump)
  local tables_before; tables_before=$(tables)

  expect_exit 0 "$SRA" db upgrade 9cd2f7e24c87 --url "$URL" -q || return
  assert_eq "$(columns benchmark_runs)" "$(expected_columns "$RUNS_COLS")" "benchmark_runs columns"
  assert_eq "$(columns benchmark_result_items)" "$(expected_columns "$ITEMS_COLS")" "benchmark_result_items columns"
  assert_eq "$(foreign_keys)" "$FKS" "foreign keys"
  assert_eq "$(indexes)" "$BTREE_IDX" "b-tree indexes"
  if [ "$BACKEND" = pg ]; then
    assert_eq "$(q "SELECT indexdef LIKE '%USING gin (config_details)' FROM pg_indexes WHERE indexname = 'ix_benchmark_runs_on_config_details_gin'")" t "GIN index on config_details"
    assert_eq "$(q "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'screeningdecisiontype'::regtype")" "include,exclude,uncertain" "decision labels"
  else
    # the enum is a CHECK on SQLite: a bad label is refused
    q "INSERT INTO systematic_reviews (id, research_question, exclusion_criteria, criteria_framework_answers, review_metadata)
       VALUES ('00000000-0000-4000-8000-000000000001', 'q', 'e', '{}', '{}')" || fail "insert review"
    if q "INSERT INTO benchmark_runs (id, review_id) VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001')" \
       && q "INSERT INTO benchmark_result_items (id, benchmark_run_id, search_result_id, final_decision, classification)
             VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000009', 'maybe', 'TP')" 2>/dev/null; then
      fail "SQLite accepted final_decision 'maybe'"
    fi
    q "DELETE FROM benchmark_runs; DELETE FROM systematic_reviews"
  fi

  expect_exit 0 "$SRA" db downgrade -1 --url "$URL" -q || return
  assert_eq "$(tables)" "$tables_before" "tables after downgrade -1"
  assert_eq "$(schema_dump)" "$before" "schema after downgrade -1"
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" 1e530067ad44 "version after downgrade -1"

  expect_exit 0 "$SRA" db upgrade ad42aea13565 --url "$URL" -q || return
  for c in conservative_run_id conservative_trace_id comprehensive_run_id comprehensive_trace_id; do
    indexes | grep -qx "ix_benchmark_result_items_$c" || fail "missing index ix_benchmark_result_items_$c"
  done
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  local items; items=$(columns benchmark_result_items)
  local ls; ls=$(expected_columns "$LANGSMITH_COLS")
  printf '%s\n' "$ls" | while read -r line; do
    printf '%s\n' "$items" | grep -qxF "$line" || fail "missing column after upgrade head: $line"
  done
  # revision 6 drops the indexes no query uses: at head the items keep only
  # search_result_id (the unique constraint serves benchmark_run_id = ?)
  assert_eq "$(indexes | grep -v "^uq_")" "ix_benchmark_result_items_search_result_id
ix_benchmark_runs_review_id" "b-tree indexes at head"
  assert_eq "$(foreign_keys | cut -d'|' -f1-3)" "$FKS" "foreign keys at head"
  local heads; heads=$("$SRA" db heads)
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" "${heads%% *}" "version at head"
}

case_single_head() {
  expect_exit 0 "$SRA" db heads || return
  assert_eq "$(printf '%s\n' "$OUT" | grep -c '(head)')" 1 "number of heads"
}

run_cases case_single_head case_benchmark_tables
