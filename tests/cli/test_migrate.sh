#!/usr/bin/env bash
# The migration engine end to end, on SQLite and PostgreSQL
# (migrations.md, "Tests the suite must contain", all but `check`).
. "$(dirname "$0")/lib.sh"

revisions() { "$SRA" db history | awk '{print $3}' | sed 's/,$//' | tac; }

case_base_to_head() {
  expect_exit 0 "$SRA" db upgrade --url "$URL" || return
  local n; n=$(revisions | wc -l)
  assert_eq "$(printf '%s\n' "$ERR" | grep -c '^Running upgrade')" "$n" "one progress line per revision"
  assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 1 "version rows"
  assert_eq "$(q "SELECT count(*) FROM sra_migration_log WHERE direction = 'upgrade'")" "$n" "log rows"
  assert_eq "$(q "SELECT count(*) FROM sra_migration_log WHERE length(checksum) = 64")" "$n" "checksums"
  expect_exit 0 "$SRA" db current --url "$URL" || return
  printf '%s' "$OUT" | grep -q '(head)$' || fail "current does not say head: $OUT"
  # a second run has nothing to do and changes nothing
  expect_exit 0 "$SRA" db upgrade head --url "$URL" || return
  assert_eq "$ERR" "" "second upgrade output"
  assert_eq "$(q 'SELECT count(*) FROM sra_migration_log')" "$n" "log rows after a no-op"
}

case_stairway() {
  local rev prev="" before after
  for rev in $(revisions); do
    before=$(schema_dump)
    expect_exit 0 "$SRA" db upgrade +1 --url "$URL" -q || return
    assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$rev" "version after up"
    expect_exit 0 "$SRA" db downgrade -1 --url "$URL" -q || return
    after=$(schema_dump)
    assert_eq "$after" "$before" "schema after up+down of $rev"
    assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$prev" "version after down"
    expect_exit 0 "$SRA" db upgrade +1 --url "$URL" -q || return
    prev=$rev
  done
  expect_exit 0 "$SRA" db downgrade base --url "$URL" -q --yes || return
  assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 0 "version rows at base"
  if [ "$BACKEND" = sqlite ]; then
    assert_eq "$(q "SELECT count(*) FROM sqlite_master WHERE name NOT IN ('alembic_version','sra_migration_log','sqlite_sequence') AND name NOT LIKE 'sqlite_autoindex%'")" 0 "objects left at base"
  else
    assert_eq "$(q "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname NOT LIKE 'alembic_version%' AND c.relname NOT LIKE 'sra_migration_log%'")" 0 "relations left at base"
    assert_eq "$(q "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'")" 0 "enum types left at base"
  fi
}

# a copy of the shipped chain plus a revision that fails half-way
bad_chain() {
  local dir=$1 head
  mkdir -p "$dir"
  cp "$SRC"/migrations/*.sql "$dir"/
  head=$("$SRA" db heads | awk '{print $1}')
  cat >"$dir/9999_badbadbad001_fails.sql" <<SQL
-- revision: badbadbad001
-- down_revision: $head
-- message: fails after creating a table
-- +upgrade
CREATE TABLE partial_table (id integer PRIMARY KEY);
CREATE INDEX ix_partial ON partial_table (id);
INSERT INTO no_such_table (id) VALUES (1);
-- +downgrade
DROP TABLE partial_table;
SQL
}

case_failing_revision() {
  bad_chain "$TMP/bad"
  local head; head=$("$SRA" db heads | awk '{print $1}')
  expect_exit 0 "$SRA" db upgrade "$head" --url "$URL" -q || return
  local before; before=$(schema_dump)
  expect_exit 1 "$SRA" db upgrade head --url "$URL" -q --migrations "$TMP/bad" || return
  one_line_error "badbadbad001.*9999_badbadbad001_fails.sql:7.*no_such_table"
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$head" "version after the failure"
  assert_eq "$(schema_dump)" "$before" "schema after the failure"
  # --atomic: the whole plan rolls back, including revisions before the bad one
  expect_exit 0 "$SRA" db downgrade -2 --url "$URL" -q || return
  local before2; before2=$(schema_dump)
  local cur; cur=$(q 'SELECT version_num FROM alembic_version')
  expect_exit 1 "$SRA" db upgrade head --atomic --url "$URL" -q --migrations "$TMP/bad" || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$cur" "version after an atomic failure"
  assert_eq "$(schema_dump)" "$before2" "schema after an atomic failure"
}

case_concurrent_upgrades() {
  local i rc1 rc2
  for i in 1 2 3; do
    "$SRA" db upgrade head --url "$URL" -q >"$TMP/c1.out" 2>&1 & local p1=$!
    "$SRA" db upgrade head --url "$URL" -q >"$TMP/c2.out" 2>&1 & local p2=$!
    wait $p1; rc1=$?; wait $p2; rc2=$?
    [ "$rc1" = 0 ] && [ "$rc2" = 0 ] || fail "concurrent upgrades exited $rc1 and $rc2: $(cat "$TMP/c1.out" "$TMP/c2.out")"
    assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 1 "version rows (round $i)"
    assert_eq "$(q "SELECT count(*) - count(DISTINCT revision) FROM sra_migration_log WHERE direction = 'upgrade'")" 0 "revisions applied twice (round $i)"
    expect_exit 0 "$SRA" db downgrade base --url "$URL" -q || return
    q "DELETE FROM sra_migration_log" >/dev/null
  done
}

case_offline_equals_online() {
  local dialect=$BACKEND; [ "$dialect" = pg ] && dialect=postgresql
  local offline_url; [ "$BACKEND" = pg ] && offline_url=postgresql:// || offline_url=sqlite://
  expect_exit 0 "$SRA" db upgrade head --sql --url "$offline_url" || return
  local script=$OUT
  printf '%s\n' "$script" | grep -q 'INSERT INTO alembic_version' || fail "offline script has no version-table statement"
  # apply the script with the database's own client to a second database...
  local online_url=$URL online_dump
  expect_exit 0 "$SRA" db upgrade head --url "$online_url" -q || return
  online_dump=$(schema_dump)
  local online_versions; online_versions=$(q 'SELECT version_num FROM alembic_version')
  new_db "$BACKEND"
  if [ "$BACKEND" = sqlite ]; then
    printf '%s\n' "$script" | sqlite3 -bail "$DBFILE" || fail "sqlite3 refused the offline script"
  else
    printf '%s\n' "$script" | $PSQL -X -q -v ON_ERROR_STOP=1 -d "$DBNAME" >/dev/null || fail "psql refused the offline script"
  fi
  # ...and it gives the same schema and version as running online
  assert_eq "$(schema_dump)" "$online_dump" "schema from the offline script"
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$online_versions" "version from the offline script"
  # FROM:TO starts later
  expect_exit 0 "$SRA" db upgrade 9cd2f7e24c87:head --sql --url "$offline_url" || return
  printf '%s\n' "$OUT" | grep -q "^-- Running upgrade 1e530067ad44 -> 9cd2f7e24c87" && fail "FROM:TO repeats an earlier revision"
  printf '%s\n' "$OUT" | grep -q "UPDATE alembic_version SET version_num = 'ad42aea13565' WHERE alembic_version.version_num = '9cd2f7e24c87'" \
    || fail "FROM:TO does not move the version from 9cd2f7e24c87"
}

case_rows_survive() {
  expect_exit 0 "$SRA" db upgrade ad42aea13565 --url "$URL" -q || return
  local rid=11111111-1111-4111-8111-111111111111 sid=22222222-2222-4222-8222-222222222222
  q "INSERT INTO systematic_reviews (id, research_question, exclusion_criteria, criteria_framework_answers, review_metadata)
     VALUES ('$rid', 'Does it work?', 'animals', '{}', '{}')" || fail "insert review"
  q "INSERT INTO search_results (id, review_id, source_db, source_id, title, raw_data, source_metadata)
     VALUES ('$sid', '$rid', 'Other', 'rec-1', 'A title', '{}', '{\"benchmark_human_decision\": true}')" || fail "insert record"
  local before; before=$(q "SELECT id, review_id, source_id, title FROM search_results")
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  assert_eq "$(q "SELECT id, review_id, source_id, title FROM search_results")" "$before" "records after upgrade"
  assert_eq "$(q "SELECT research_question FROM systematic_reviews")" "Does it work?" "review after upgrade"
}

case_edited_file() {
  mkdir -p "$TMP/edit"; cp "$SRC"/migrations/*.sql "$TMP/edit"/
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q --migrations "$TMP/edit" || return
  expect_exit 0 "$SRA" db current --url "$URL" --migrations "$TMP/edit" || return
  assert_eq "$ERR" "" "warnings before the edit"
  local f; f=$(ls "$TMP"/edit/0002_*.sql)
  sed -i 's/^-- +downgrade$/-- an edit after the fact\n&/' "$f"
  sed -i '0,/^CREATE TABLE/s//CREATE  TABLE/' "$f"
  expect_exit 0 "$SRA" db current --url "$URL" --migrations "$TMP/edit" || return
  printf '%s' "$ERR" | grep -q "9cd2f7e24c87 .*0002_.*edited" || fail "edited file not reported: $ERR"
  expect_exit 0 "$SRA" db current --json --url "$URL" --migrations "$TMP/edit" || return
  printf '%s' "$OUT" | grep -q '"9cd2f7e24c87 ' || fail "edited file not in --json: $OUT"
  expect_exit 0 "$SRA" db repair --url "$URL" --migrations "$TMP/edit" || return
  expect_exit 0 "$SRA" db current --url "$URL" --migrations "$TMP/edit" || return
  assert_eq "$ERR" "" "warnings after repair"
}

case_stamp_and_targets() {
  expect_exit 0 "$SRA" db stamp 9cd2 --url "$URL" -q || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" 9cd2f7e24c87 "stamped version (prefix)"
  expect_exit 0 "$SRA" db stamp base --url "$URL" -q || return
  assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 0 "stamp base"
  expect_exit 0 "$SRA" db upgrade +2 --url "$URL" -q || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" 9cd2f7e24c87 "+2 from base"
  expect_exit 0 "$SRA" db upgrade 9cd2f7e24c87+1 --url "$URL" -q || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" ad42aea13565 "REV+1"
  expect_exit 0 "$SRA" db downgrade ad42aea13565-2 --url "$URL" -q || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" 1e530067ad44 "REV-2"
  expect_exit 0 "$SRA" db downgrade 1e530067ad44 --url "$URL" -q || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" 1e530067ad44 "downgrade to the current revision"
  expect_exit 0 "$SRA" db upgrade heads --url "$URL" -q || return
  expect_exit 0 "$SRA" db current --json --url "$URL" || return
  printf '%s' "$OUT" | grep -q '"is_head": true' || fail "current --json: $OUT"
}

case_non_transactional_revision() {
  mkdir -p "$TMP/nt"; cp "$SRC"/migrations/*.sql "$TMP/nt"/
  local head; head=$("$SRA" db heads | awk '{print $1}')
  local idx="CREATE INDEX CONCURRENTLY ix_benchmark_runs_run_notes ON benchmark_runs (run_notes);"
  [ "$BACKEND" = sqlite ] && idx="CREATE INDEX ix_benchmark_runs_run_notes ON benchmark_runs (run_notes);"
  printf -- '-- revision: 0ca0ca0ca0ca\n-- down_revision: %s\n-- message: concurrent index\n-- transactional: false\n-- +upgrade\n%s\n-- +downgrade\nDROP INDEX ix_benchmark_runs_run_notes;\n' \
    "$head" "$idx" >"$TMP/nt/0100_concurrent.sql"
  expect_exit 0 "$SRA" db upgrade head -q --url "$URL" --migrations "$TMP/nt" || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" 0ca0ca0ca0ca "version after a non-transactional revision"
  if [ "$BACKEND" = pg ]; then
    assert_eq "$(q "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_benchmark_runs_run_notes'")" 1 "concurrent index"
  fi
  expect_exit 2 "$SRA" db downgrade -1 --atomic -q --url "$URL" --migrations "$TMP/nt" || return
  one_line_error "not transactional and cannot run under --atomic"
  expect_exit 0 "$SRA" db downgrade -1 -q --url "$URL" --migrations "$TMP/nt" || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$head" "version after its downgrade"
}

run_cases case_non_transactional_revision case_base_to_head case_stairway case_failing_revision case_concurrent_upgrades \
  case_offline_equals_online case_rows_survive case_edited_file case_stamp_and_targets
