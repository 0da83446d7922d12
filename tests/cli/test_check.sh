#!/usr/bin/env bash
# `sra db check` and `sra db inspect` end to end, on SQLite and PostgreSQL.
#
# Each drift is made by hand through the database's own client (q: sqlite3 or
# psql, never sra) on an up-to-date database, and must come out as exactly
# one line on stdout with exit status 1.  SQLite has no ALTER for a default,
# a nullability or an ON DELETE: those edits rewrite the stored CREATE TABLE
# with PRAGMA writable_schema, as a hand-made table rebuild would leave it.
. "$(dirname "$0")/lib.sh"

HEAD=d73e3af80437

up() { expect_exit 0 "$SRA" db upgrade "${1:-head}" --url "$URL" -q; }

# check_clean: exit 0, nothing on stdout, "schema matches" on stderr
check_clean() {
  expect_exit 0 "$SRA" db check --url "$URL" "$@" || return 1
  assert_eq "$OUT" "" "check stdout"
  printf '%s' "$ERR" | grep -q "schema matches revision" || fail "stderr: $ERR"
}

# check_one LINE: exit 1 and exactly LINE on stdout
check_one() {
  expect_exit 1 "$SRA" db check --url "$URL" || return 1
  assert_eq "$OUT" "$1" "check output"
}

# sqlite_rewrite TABLE FROM TO: edit the stored CREATE TABLE text
sqlite_rewrite() {
  sqlite3 -bail "$DBFILE" "PRAGMA writable_schema = ON;
    UPDATE sqlite_master SET sql = replace(sql, '$2', '$3') WHERE type = 'table' AND name = '$1';
    PRAGMA writable_schema = OFF;" || fail "cannot rewrite $1"
  [ "$(q "SELECT instr(sql, '$3') > 0 FROM sqlite_master WHERE name = '$1'")" = 1 ] || fail "rewrite of $1 did not apply"
}

case_clean_at_head() {
  up || return
  check_clean || return
  printf '%s' "$ERR" | grep -q "revision $HEAD" || fail "stderr names no head: $ERR"
  expect_exit 0 "$SRA" db check --url "$URL" -q && assert_eq "$ERR" "" "-q stderr"
  expect_exit 0 "$SRA" db check --url "$URL" --json || return
  assert_eq "$(printf '%s' "$OUT" | jq -r '.clean, (.differences | length), .current[0]' | tr '\n' ' ')" \
    "true 0 $HEAD " "json"
}

case_dropped_index() {
  up || return
  q "DROP INDEX ix_benchmark_runs_review_id"
  check_one "missing index ix_benchmark_runs_review_id on benchmark_runs"
}

case_changed_default() {
  up || return
  if [ "$1" = pg ]; then
    q "ALTER TABLE benchmark_runs ALTER COLUMN status SET DEFAULT 'running'"
    check_one "column benchmark_runs.status: default 'running'::benchmarkrunstatus, expected 'completed'::benchmarkrunstatus"
  else
    sqlite_rewrite benchmark_runs "DEFAULT ''completed''" "DEFAULT ''running''"
    check_one "column benchmark_runs.status: default 'running', expected 'completed'"
  fi
}

case_added_column() {
  up || return
  q "ALTER TABLE benchmark_runs ADD COLUMN foo text"
  # SQLite's table_info spells declared types in capitals
  if [ "$1" = pg ]; then check_one "extra column benchmark_runs.foo (text)"
  else check_one "extra column benchmark_runs.foo (TEXT)"; fi
}

case_changed_nullability() {
  up || return
  if [ "$1" = pg ]; then
    q "ALTER TABLE benchmark_runs ALTER COLUMN run_notes SET NOT NULL"
  else
    sqlite_rewrite benchmark_runs "run_notes TEXT," "run_notes TEXT NOT NULL,"
  fi
  check_one "column benchmark_runs.run_notes: NOT NULL, expected nullable"
}

case_changed_on_delete() {
  up || return
  if [ "$1" = pg ]; then
    q "ALTER TABLE benchmark_runs DROP CONSTRAINT benchmark_runs_review_id_fkey,
       ADD CONSTRAINT benchmark_runs_review_id_fkey FOREIGN KEY (review_id) REFERENCES systematic_reviews (id) ON DELETE SET NULL"
  else
    sqlite_rewrite benchmark_runs " ON DELETE CASCADE" " ON DELETE SET NULL"
  fi
  check_one "foreign key benchmark_runs.review_id -> systematic_reviews: ON DELETE SET NULL, expected CASCADE"
}

case_extra_enum_label() {
  up || return
  [ "$1" = pg ] || return 0	# SQLite has no enum types (their CHECKs are compared as CHECKs)
  q "ALTER TYPE searchdatabasesource_enum ADD VALUE 'Foo'"
  check_one "enum searchdatabasesource_enum: extra label 'Foo'"
}

case_dropped_trigger() {
  up || return
  if [ "$1" = pg ]; then
    q "DROP TRIGGER trg_search_results_updated_at ON search_results"
    check_one "missing trigger trg_search_results_updated_at on search_results (BEFORE UPDATE)"
  else
    q "DROP TRIGGER trg_search_results_updated_at"
    check_one "missing trigger trg_search_results_updated_at on search_results (AFTER UPDATE)"
  fi
}

case_edited_migration() {
  local m="$PWD/migrations.$1"
  cp -r "$SRC/migrations" "$m"
  expect_exit 0 "$SRA" db upgrade --url "$URL" --migrations "$m" -q || return
  expect_exit 0 "$SRA" db check --url "$URL" --migrations "$m" -q || return
  sed -i 's/^ALTER TABLE benchmark_runs ADD COLUMN n_items integer NULL;$/& -- edited after it ran/' \
    "$m"/0005_*.sql
  grep -q 'edited after it ran' "$m"/0005_*.sql || { fail "the edit did not apply"; return; }
  expect_exit 1 "$SRA" db check --url "$URL" --migrations "$m" || return
  assert_eq "$(printf '%s\n' "$OUT" | grep -c '')" 1 "line count"
  printf '%s' "$OUT" | grep -qE "^applied revision 19db02264d93 \((.*/)?0005_19db02264d93_[a-z_]+\.sql\) was edited since it ran" \
    || fail "output: $OUT"
  expect_exit 0 "$SRA" db repair --url "$URL" --migrations "$m" -q || return
  expect_exit 0 "$SRA" db check --url "$URL" --migrations "$m" -q
}

case_no_version_table() {
  q "CREATE TABLE systematic_reviews (id text PRIMARY KEY)"
  expect_exit 1 "$SRA" db check --url "$URL" || return
  printf '%s' "$OUT" | grep -q "no version table" || fail "output: $OUT"
  printf '%s' "$OUT" | grep -q "sra db stamp" || fail "output: $OUT"
  # an empty database at base is clean
  q "DROP TABLE systematic_reviews"
  expect_exit 0 "$SRA" db check --url "$URL"
}

case_unknown_revision() {
  up || return
  q "UPDATE alembic_version SET version_num = 'feedfacecafe'"
  expect_exit 3 "$SRA" db check --url "$URL" || return
  one_line_error "feedfacecafe"
}

# every revision up, then down, then up again: the database checks clean each time
case_stairway() {
  local n i
  n=$(ls "$SRC"/migrations/*.sql | wc -l)
  for ((i = 1; i <= n; i++)); do
    expect_exit 0 "$SRA" db upgrade +1 --url "$URL" -q || return
    check_clean || { fail "not clean after up $i"; return; }
    expect_exit 0 "$SRA" db downgrade -1 --url "$URL" -q || return
    check_clean || { fail "not clean after up+down $i"; return; }
    expect_exit 0 "$SRA" db upgrade +1 --url "$URL" -q || return
  done
  assert_eq "$(q "SELECT version_num FROM alembic_version")" "$HEAD" "at head"
}

case_inspect() {
  up || return
  expect_exit 0 "$SRA" db inspect benchmark_runs --url "$URL" || return
  printf '%s' "$OUT" | grep -q '^Table "benchmark_runs"' || fail "no title: $OUT"
  printf '%s' "$OUT" | grep -qE '"ix_benchmark_runs_review_id" btree \(review_id\)' || fail "no b-tree index"
  printf '%s' "$OUT" | grep -q 'REFERENCES systematic_reviews(id) ON DELETE CASCADE' || fail "no FK"
  # revision 6 dropped the GIN index on config_details (no query uses it)
  printf '%s' "$OUT" | grep -q 'ix_benchmark_runs_on_config_details_gin' && fail "GIN index left at head: $OUT"
  if [ "$1" = pg ]; then
    expect_exit 0 "$SRA" db inspect screen_abstract_results --url "$URL" || return
    printf '%s' "$OUT" | grep -qE '"ix_screen_abstract_results_on_exclusion_reason_categories_gin" gin \(exclusion_reason_categories\)' \
      || fail "no GIN index: $OUT"
  fi
  expect_exit 0 "$SRA" db inspect benchmark_runs --json --url "$URL" || return
  assert_eq "$(printf '%s' "$OUT" | jq -r '.name, (.columns | length),
      (.columns[] | select(.name == "status") | .nullable),
      (.foreign_keys[0].on_delete)' | tr '\n' ' ')" "benchmark_runs 29 false CASCADE " "json"
  expect_exit 0 "$SRA" db inspect --json --url "$URL" || return
  assert_eq "$(printf '%s' "$OUT" | jq -r '.tables | length')" 7 "tables"
  if [ "$1" = pg ]; then
    assert_eq "$(printf '%s' "$OUT" | jq -r '.enums[] | select(.name == "benchmarkrunstatus") | .labels | join(",")')" \
      "running,completed,failed" "enum labels"
  fi
  expect_exit 1 "$SRA" db inspect no_such_table --url "$URL" && one_line_error "no table 'no_such_table'"
}

run_cases case_clean_at_head case_dropped_index case_changed_default case_added_column \
  case_changed_nullability case_changed_on_delete case_extra_enum_label case_dropped_trigger \
  case_edited_migration case_no_version_table case_unknown_revision case_stairway case_inspect
