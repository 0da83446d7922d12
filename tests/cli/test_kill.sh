#!/usr/bin/env bash
# kill -9 at random moments of `sra import records` and of `sra benchmark
# run`, on SQLite and PostgreSQL: whenever the process dies, the database is
# as it was before the command or as a whole run of it leaves it, never in
# between (docs/reliability.md).  Each command is timed once whole; the kills
# then land at uniformly random moments of that time.  The seed is printed
# (SRA_KILL_SEED=N repeats a run).
. "$(dirname "$0")/lib.sh"

SEED=${SRA_KILL_SEED:-$$}
RANDOM=$SEED
echo "kill seed: $SEED"
KILLS=4

ms() { date +%s%3N; }

# run "$@" in the background and SIGKILL it after a random part of $1 ms
kill_at_random() {
  local whole=$1 delay pid; shift
  delay=$(( (RANDOM * 32768 + RANDOM) % (whole + 1) ))
  "$@" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ "$BACKEND" = pg ] && sleep 0.2	# PostgreSQL notices the lost connection and rolls back
  if [ "$BACKEND" = sqlite ]; then
    assert_eq "$(q "PRAGMA integrity_check")" "ok" "integrity after SIGKILL at $delay ms"
  fi
  KILLED_AT=$delay
}

# every row of the screening and benchmark tables
all_rows() {
  local t
  for t in systematic_reviews search_results screen_abstract_results screening_resolutions \
           benchmark_runs benchmark_result_items; do
    q "SELECT * FROM $t ORDER BY id"
  done | sha256sum | cut -c1-64
}

# the records as the file gives them (ids and times are made by each import)
records() {
  q "SELECT source_id, title, abstract, year, count(*) OVER () FROM search_results ORDER BY source_id" | sha256sum | cut -c1-64
}

case_import_killed_at_random() {
  local review big t0 whole before after k now
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  review=$("$SRA" review create --question "Does it work?" --exclusion "No" --url "$URL" -q)
  big=$(big_csv 3000)
  before=$(all_rows)
  t0=$(ms)
  expect_exit 0 "$SRA" import records --review "$review" "$big" --url "$URL" -q || return
  whole=$(( $(ms) - t0 ))
  after=$(records)
  q "DELETE FROM search_results" >/dev/null
  assert_eq "$(all_rows)" "$before" "the database after the undo"
  for k in $(seq 1 $KILLS); do
    kill_at_random "$whole" "$SRA" import records --review "$review" "$big" --url "$URL" -q
    now=$(all_rows)
    if [ "$now" != "$before" ]; then
      assert_eq "$(records)" "$after" "killed at $KILLED_AT of $whole ms: neither before nor after"
      q "DELETE FROM search_results" >/dev/null
    fi
  done
}

case_run_killed_at_random() {
  local review t0 whole before k now
  expect_exit 0 "$SRA" demo --seed 5 --records 3000 --no-run --url "$URL" || return
  review=$(q "SELECT id FROM systematic_reviews")
  before=$(all_rows)
  t0=$(ms)
  expect_exit 0 "$SRA" benchmark run --review "$review" --url "$URL" -q || return
  whole=$(( $(ms) - t0 ))
  expect_exit 0 "$SRA" benchmark delete "$OUT" --url "$URL" -q || return
  assert_eq "$(all_rows)" "$before" "the database after the undo"
  for k in $(seq 1 $KILLS); do
    kill_at_random "$whole" "$SRA" benchmark run --review "$review" --url "$URL" -q
    now=$(all_rows)
    if [ "$now" != "$before" ]; then
      # after: one completed run with every record's item
      assert_eq "$(q "SELECT status || ' ' || n_items FROM benchmark_runs")" "completed 3000" \
        "killed at $KILLED_AT of $whole ms: the run"
      assert_eq "$(q "SELECT count(*) FROM benchmark_result_items")" 3000 \
        "killed at $KILLED_AT of $whole ms: the items"
      expect_exit 0 "$SRA" benchmark delete "$(q "SELECT id FROM benchmark_runs")" --url "$URL" -q || return
    fi
  done
}

run_cases case_import_killed_at_random case_run_killed_at_random
