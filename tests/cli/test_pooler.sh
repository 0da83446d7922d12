#!/usr/bin/env bash
# Hosted PostgreSQL behind a pooler (issue 3): sra through pgbouncer in
# session and in transaction pooling mode, and concurrent migrators through
# the transaction-mode pooler, where a session advisory lock would be unsafe.
. "$(dirname "$0")/lib.sh"

pooled_url() {  # MODE -> the test database's URL through that pgbouncer
  local port=$SRA_PGBOUNCER_TX_PORT
  [ "$1" = session ] && port=$SRA_PGBOUNCER_SESSION_PORT
  echo "postgresql:///$DBNAME?host=$PGHOST&port=$port&user=${PGUSER:-postgres}"
}

case_through_poolers() {
  [ "$BACKEND" = pg ] || return 0
  local mode u
  for mode in session transaction; do
    u=$(pooled_url $mode)
    expect_exit 0 "$SRA" db upgrade head -q --url "$u" || return
    expect_exit 0 "$SRA" db current --url "$u" || return
    printf '%s' "$OUT" | grep -q '(head)' || fail "current through $mode pooling: $OUT"
    expect_exit 0 "$SRA" db downgrade base -q --url "$u" || return
    assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 0 "version rows after downgrade through $mode pooling"
  done
}

case_concurrent_through_transaction_pooler() {
  [ "$BACKEND" = pg ] || return 0
  local u n i round pids rc log
  u=$(pooled_url transaction)
  for n in 2 4; do
    for round in 1 2 3; do
      pids=()
      for i in $(seq "$n"); do
        "$SRA" db upgrade head -q --url "$u" >"$TMP/m$i.out" 2>&1 & pids+=($!)
      done
      for i in "${!pids[@]}"; do
        wait "${pids[$i]}"; rc=$?
        [ "$rc" = 0 ] || fail "migrator $((i + 1)) of $n exited $rc: $(cat "$TMP/m$((i + 1)).out")"
      done
      assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 1 "version rows ($n migrators, round $round)"
      assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$("$SRA" db heads | awk '{print $1}')" "at head ($n migrators, round $round)"
      log=$(q "SELECT revision, count(*) FROM sra_migration_log WHERE direction = 'upgrade' GROUP BY revision HAVING count(*) > 1")
      assert_eq "$log" "" "revisions applied twice ($n migrators, round $round)"
      expect_exit 0 "$SRA" db check -q --url "$u" || fail "check after $n migrators (round $round): $OUT"
      expect_exit 0 "$SRA" db downgrade base -q --url "$u" || return
      q "DELETE FROM sra_migration_log" >/dev/null
    done
  done
}

case_lock_timeout_names_holder() {
  [ "$BACKEND" = pg ] || return 0
  # hold the migrator's advisory lock in another session, then time out
  $PSQL -X -q -d "$DBNAME" -c "BEGIN; SELECT pg_advisory_xact_lock(x'7372615f6d696772'::bigint); SELECT pg_sleep(5); COMMIT;" >/dev/null 2>&1 &
  local holder=$!
  sleep 0.5
  expect_exit 1 "$SRA" db upgrade head --lock-timeout 0.3 --url "$URL" || { kill $holder; return; }
  one_line_error "another migrator holds the migration lock: pid [0-9]+"
  kill $holder 2>/dev/null; wait $holder 2>/dev/null
  assert_eq "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version' AND tablename <> 'sra_migration_log'")" 0 "tables after a lock timeout"
}

case_ddl_lock_timeout_names_blocker() {
  [ "$BACKEND" = pg ] || return 0
  local prev; prev=$("$SRA" db heads | awk '{print $1}')
  expect_exit 0 "$SRA" db upgrade "$prev-1" -q --url "$URL" || return
  # a long reader of benchmark_runs: the last revision's ALTER TABLE must not queue behind it for long
  $PSQL -X -q -d "$DBNAME" -c "BEGIN; SELECT count(*) FROM benchmark_runs; SELECT pg_sleep(5); COMMIT;" >/dev/null 2>&1 &
  local reader=$!
  sleep 0.5
  expect_exit 1 "$SRA" db upgrade head --ddl-lock-timeout 0.3 --url "$URL" -q || { kill $reader; return; }
  one_line_error "lock timeout.*held by pid [0-9]+ \\(transaction open [0-9.]+ s: "
  kill $reader 2>/dev/null; wait $reader 2>/dev/null
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" "$("$SRA" db history | sed -n 2p | awk '{print $3}' | tr -d ,)" "version after a DDL lock timeout"
}

run_cases case_ddl_lock_timeout_names_blocker case_through_poolers case_concurrent_through_transaction_pooler case_lock_timeout_names_holder
