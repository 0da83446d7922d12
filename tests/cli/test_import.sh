#!/usr/bin/env bash
# `sra review …` and `sra import records|decisions` end to end, on SQLite and
# PostgreSQL.  The files are also read by an independent parser (the sqlite3
# shell's .import --csv) and the database is read by its own client.
. "$(dirname "$0")/lib.sh"

DATA="$SRC/../shared/screening-data"

# a stable digest of the screening tables, through the database's own client
content_hash() {
  local t
  for t in systematic_reviews search_results screen_abstract_results screening_resolutions; do
    q "SELECT * FROM $t ORDER BY id"
  done | sha256sum | cut -c1-64
}

new_review() {
  "$SRA" review create --question "Does it work?" --exclusion "No" --url "$URL" -q
}

case_review_commands() {
  local id out
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  expect_exit 0 "$SRA" review create --question "Q1" --exclusion "E1" --framework pico \
    --answers '{"P": "adults"}' --url "$URL" -q || return
  id=$OUT
  [[ "$id" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] || fail "not an id: [$id]"
  [ -z "$ERR" ] || fail "-q printed on stderr: $ERR"
  assert_eq "$(q "SELECT criteria_framework FROM systematic_reviews WHERE id = '$id'")" "PICO"
  expect_exit 0 "$SRA" review show "$id" --json --url "$URL" || return
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["research_question"], d["criteria_framework_answers"]["P"], d["records"])')" "Q1 adults 0"
  expect_exit 0 "$SRA" review list --url "$URL" || return
  printf '%s' "$OUT" | grep -q "$id" || fail "list does not show $id"
  # a protocol file: upsert by id, idempotent
  printf '{"id": "00000000-1111-2222-3333-444444444444", "research_question": "RQ", "exclusion_criteria": "EX"}' >"$TMP/p.json"
  expect_exit 0 "$SRA" review import "$TMP/p.json" --url "$URL" || return
  assert_eq "$OUT" "00000000-1111-2222-3333-444444444444"
  out=$(q "SELECT updated_at FROM systematic_reviews WHERE id = '$OUT'")
  expect_exit 0 "$SRA" review import "$TMP/p.json" --url "$URL" || return
  printf '%s' "$ERR" | grep -q unchanged || fail "second import not reported unchanged: $ERR"
  assert_eq "$(q "SELECT updated_at FROM systematic_reviews WHERE id = '$OUT'")" "$out" "updated_at moved"
  expect_exit 2 "$SRA" review create --question "Q" --url "$URL" || return
  expect_exit 1 "$SRA" review show 00000000-0000-4000-8000-000000000000 --url "$URL" || return
}

case_records_real_data() {
  local r h n
  [ -f "$DATA/Nagtegaal_2019.csv" ] || { echo "    note: no screening data, skipped" >&2; return; }
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  # the independent reading (a fresh scratch database each run)
  rm -f "$TMP/ref.db"
  sqlite3 "$TMP/ref.db" ".import --csv $DATA/Nagtegaal_2019.csv nag" 2>/dev/null
  n=$(sqlite3 "$TMP/ref.db" "SELECT count(*) FROM nag")
  expect_exit 0 "$SRA" import records --review "$r" "$DATA/Nagtegaal_2019.csv" --human label_abstract_screening --url "$URL" || return
  assert_eq "$ERR" "inserted $n, updated 0, unchanged 0, invalid 0"
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE review_id = '$r'")" "$n"
  for id in 1 500 1234 2019; do
    assert_eq "$(q "SELECT title FROM search_results WHERE source_id = '$id'")" \
      "$(sqlite3 "$TMP/ref.db" "SELECT title FROM nag WHERE record_id = '$id'")" "title of $id"
    assert_eq "$(q "SELECT coalesce(abstract, '') FROM search_results WHERE source_id = '$id'")" \
      "$(sqlite3 "$TMP/ref.db" "SELECT abstract FROM nag WHERE record_id = '$id'")" "abstract of $id"
  done
  if [ "$BACKEND" = sqlite ]; then
    assert_eq "$(q "SELECT sum(json_extract(source_metadata, '$.benchmark_human_decision')) FROM search_results")" \
      "$(sqlite3 "$TMP/ref.db" "SELECT sum(label_abstract_screening) FROM nag")"
  else
    assert_eq "$(q "SELECT count(*) FROM search_results WHERE source_metadata->'benchmark_human_decision' = 'true'")" \
      "$(sqlite3 "$TMP/ref.db" "SELECT sum(label_abstract_screening) FROM nag")"
  fi
  h=$(content_hash)
  expect_exit 0 "$SRA" import records --review "$r" "$DATA/Nagtegaal_2019.csv" --human label_abstract_screening --url "$URL" --json || return
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["format"], d["inserted"], d["updated"], d["unchanged"])')" "csv 0 0 $n"
  assert_eq "$(content_hash)" "$h" "a second import changed the database"

  # Kitchenham: quoted fields with newlines, in a second review
  r=$(new_review)
  sqlite3 "$TMP/ref.db" ".import --csv $DATA/Kitchenham_2010.csv kit" 2>/dev/null
  n=$(sqlite3 "$TMP/ref.db" "SELECT count(*) FROM kit")
  expect_exit 0 "$SRA" import records --review "$r" "$DATA/Kitchenham_2010.csv" --url "$URL" -q || return
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE review_id = '$r'")" "$n"
  for id in $(sqlite3 "$TMP/ref.db" "SELECT record_id FROM kit WHERE abstract LIKE '%'||char(10)||'%' LIMIT 3"); do
    assert_eq "$(q "SELECT length(abstract) FROM search_results WHERE review_id = '$r' AND source_id = '$id'")" \
      "$(sqlite3 "$TMP/ref.db" "SELECT length(abstract) FROM kit WHERE record_id = '$id'")" "abstract length of $id"
  done
}

case_records_bad_input() {
  local r h
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  printf 'id,title,human_decision\ng1,Good,Y\n' >"$TMP/good.csv"
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/good.csv" --url "$URL" -q || return
  h=$(content_hash)
  printf 'id,title,human_decision\na1,One,Y\na2,Two,perhaps\n' >"$TMP/bad.csv"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/bad.csv" --url "$URL" || return
  one_line_error "bad.csv:3: column 'human_decision': unknown decision 'perhaps'"
  printf 'id,title\nd1,One\nd1,Two\n' >"$TMP/dup.csv"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/dup.csv" --url "$URL" || return
  one_line_error "dup.csv:3: .*'d1'.*line 2"
  printf 'id,title\nu1,"open\nu2,Two\n' >"$TMP/quote.csv"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/quote.csv" --url "$URL" || return
  one_line_error "quote.csv:2: unterminated"
  printf 'PK\003\004garbage' >"$TMP/broken.xlsx"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/broken.xlsx" --url "$URL" || return
  one_line_error "broken.xlsx: .*truncated or corrupt"
  expect_exit 1 "$SRA" import records --review 00000000-0000-4000-8000-000000000000 "$TMP/good.csv" --url "$URL" || return
  one_line_error "no review"
  assert_eq "$(content_hash)" "$h" "a failed import changed the database"
  # --skip-invalid lists the bad row and imports the others
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/bad.csv" --skip-invalid --url "$URL" || return
  printf '%s' "$ERR" | grep -q "skipped: .*bad.csv:3" || fail "skipped row not listed: $ERR"
  printf '%s' "$ERR" | grep -q "inserted 1, updated 0, unchanged 0, invalid 1" || fail "summary: $ERR"
}

case_decisions() {
  local r h
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  printf 'id,title,human_decision\nr1,One,Y\nr2,Two,N\n' >"$TMP/recs.csv"
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/recs.csv" --url "$URL" -q || return
  cat >"$TMP/ai.jsonl" <<'EOF'
{"source_id": "r1", "reviewer": "conservative", "decision": "include", "confidence": 0.9}
{"source_id": "r1", "reviewer": "comprehensive", "decision": "include", "confidence": 0.95}
{"source_id": "r2", "reviewer": "conservative", "decision": "include", "confidence": 0.9}
{"source_id": "r2", "reviewer": "comprehensive", "decision": "exclude", "confidence": 0.9}
{"source_id": "r2", "reviewer": "resolver", "decision": "exclude", "confidence": 0.8, "model": "gemini"}
EOF
  expect_exit 0 "$SRA" import decisions --review "$r" "$TMP/ai.jsonl" --url "$URL" || return
  assert_eq "$ERR" "inserted 5, updated 0, unchanged 0, invalid 0"
  assert_eq "$(q "SELECT source_id || ':' || final_decision FROM search_results ORDER BY source_id" | tr '\n' ' ')" "r1:include r2:exclude "
  h=$(content_hash)
  expect_exit 0 "$SRA" import decisions --review "$r" "$TMP/ai.jsonl" --url "$URL" || return
  assert_eq "$ERR" "inserted 0, updated 0, unchanged 5, invalid 0"
  printf '{"source_id": "r1", "reviewer": "resolver", "decision": "include", "confidence": 1.5}\n' >"$TMP/c15.jsonl"
  expect_exit 1 "$SRA" import decisions --review "$r" "$TMP/c15.jsonl" --url "$URL" || return
  one_line_error "c15.jsonl:1: .*confidence"
  printf '{"source_id": "r1", "reviewer": "resolver", "decision": "include", "confidence": NaN}\n' >"$TMP/nan.jsonl"
  expect_exit 1 "$SRA" import decisions --review "$r" "$TMP/nan.jsonl" --url "$URL" || return
  one_line_error "nan.jsonl:1: "
  printf '{"source_id": "zz9", "reviewer": "conservative", "decision": "include", "confidence": 0.5}\n' >"$TMP/none.jsonl"
  expect_exit 1 "$SRA" import decisions --review "$r" "$TMP/none.jsonl" --url "$URL" || return
  one_line_error "none.jsonl:1: source_id 'zz9' is not a record"
  assert_eq "$(content_hash)" "$h" "a failed import changed the database"
}

# start `sra import records` in the background, SIGKILL it once rows are going
# in (SQLite: its rollback journal exists; PostgreSQL: the COPY has rows)
kill_import_midway() {
  local review=$1 file=$2 pid i started=0
  "$SRA" import records --review "$review" "$file" --url "$URL" -q >/dev/null 2>&1 &
  pid=$!
  for i in $(seq 1 1000); do
    if [ "$BACKEND" = sqlite ]; then
      [ -e "$DBFILE-journal" ] && { started=1; break; }
    else
      [ "$($PSQL -X -A -t -d "$DBNAME" -c "SELECT count(*) FROM pg_stat_progress_copy WHERE datname = current_database() AND tuples_processed > 0")" != 0 ] && { started=1; break; }
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ "$started" = 1 ] || { fail "the import finished before it could be killed"; return 1; }
  sleep 0.2	# PostgreSQL notices the lost connection and rolls back
}

case_records_killed_leaves_nothing() {
  local r big h
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  big=$(big_csv)
  # into an empty review (PostgreSQL: COPY straight into search_results)
  kill_import_midway "$r" "$big" || return
  assert_eq "$(q "SELECT count(*) FROM search_results")" 0 "records after SIGKILL"
  # into a review with records (PostgreSQL: the staging table and the upsert)
  printf 'pmid,title,label_included\n40000001,Already here,Y\n7,Seven,N\n' >"$TMP/two.csv"
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/two.csv" --url "$URL" -q || return
  h=$(content_hash)
  kill_import_midway "$r" "$big" || return
  assert_eq "$(content_hash)" "$h" "SIGKILL changed the database"
  if [ "$BACKEND" = sqlite ]; then
    assert_eq "$(q "PRAGMA integrity_check")" "ok" "integrity after SIGKILL"
  fi
  # and the next import goes through whole
  expect_exit 0 "$SRA" import records --review "$r" "$big" --url "$URL" || return
  assert_eq "$ERR" "inserted $(($(grep -c '' "$big") - 2)), updated 1, unchanged 0, invalid 0"
  assert_eq "$(q "SELECT count(*) FROM search_results")" "$(($(grep -c '' "$big")))" "records after a whole import"
}

run_cases case_review_commands case_records_real_data case_records_bad_input case_decisions \
  case_records_killed_leaves_nothing
