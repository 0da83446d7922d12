#!/usr/bin/env bash
# Hostile input and hostile surroundings (issue 8): each case is one class of
# bug, tried with several inputs, on SQLite and PostgreSQL.  Each refusal is
# checked for its exit code (README: 0 ok, 1 failure, 2 usage, 3 migration
# files), its one line on stderr, and that the database (rows and catalog)
# and the files around it are exactly as they were.
. "$(dirname "$0")/lib.sh"

# the whole database, rows and catalog, through its own tools
db_state() {
  if [ "$BACKEND" = sqlite ]; then
    [ -f "$DBFILE" ] && sqlite3 -batch "$DBFILE" .dump
  else
    pg_dump --no-owner -d "$DBNAME" | grep -v -e '^\\restrict' -e '^\\unrestrict'
  fi
}

# the files of directory $1: names, types, modes, link targets and contents
files_state() {
  (cd "$1" && find . -mindepth 1 -printf '%p %y %m %l\n' | sort &&
   find . -type f ! -name 'db.*' -exec md5sum {} + | sort)
}

# a small demo review and run in $URL; sets RUN
demo_run() {
  expect_exit 0 "$SRA" demo --records 40 --seed 3 --url "$URL" || return 1
  RUN=$(q "SELECT id FROM benchmark_runs")
}

# ---- 2. outputs -------------------------------------------------------------

case_outputs() {
  demo_run || return
  local d="$TMP/out.$1" before; mkdir -p "$d"
  "$SRA" benchmark export "$RUN" --what summary --url "$URL" >"$TMP/summary.csv" || fail "export to stdout"
  # a regular file is replaced and keeps its permissions
  printf 'old\n' >"$d/keep.csv"; chmod 640 "$d/keep.csv"
  expect_exit 0 "$SRA" benchmark export "$RUN" --what summary -o "$d/keep.csv" --url "$URL" || return
  cmp -s "$d/keep.csv" "$TMP/summary.csv" || fail "the regular file does not hold the export"
  assert_eq "$(stat -c %a "$d/keep.csv")" 640 "mode of a replaced file"
  # a new file gets 0666 less the umask
  ( umask 027; "$SRA" benchmark export "$RUN" --what summary -o "$d/new.csv" --url "$URL" ) || fail "new file"
  assert_eq "$(stat -c %a "$d/new.csv")" 640 "mode of a new file under umask 027"
  # a symbolic link stays a link, its target gets the content
  ln -s keep.csv "$d/link.csv"
  printf 'x\n' >"$d/keep.csv"
  expect_exit 0 "$SRA" benchmark export "$RUN" --what summary -o "$d/link.csv" --url "$URL" || return
  [ -L "$d/link.csv" ] || fail "the symbolic link was replaced"
  cmp -s "$d/keep.csv" "$TMP/summary.csv" || fail "the link's target does not hold the export"
  # a FIFO is written through, and stays a FIFO
  mkfifo "$d/fifo"
  cat "$d/fifo" >"$TMP/fifo.out" &
  expect_exit 0 "$SRA" benchmark export "$RUN" --what summary -o "$d/fifo" --url "$URL" || return
  wait
  [ -p "$d/fifo" ] || fail "the FIFO was replaced"
  cmp -s "$TMP/fifo.out" "$TMP/summary.csv" || fail "the FIFO did not carry the export"
  # /dev/stdout: through our own descriptor, so >> appends; /dev/null stays a device
  printf 'first\n' >"$TMP/app"
  "$SRA" benchmark export "$RUN" --what summary -o /dev/stdout --url "$URL" >>"$TMP/app" || fail "-o /dev/stdout"
  assert_eq "$(head -1 "$TMP/app")" first "-o /dev/stdout >> appends"
  assert_eq "$(tail -n +2 "$TMP/app" | md5sum)" "$(md5sum <"$TMP/summary.csv")" "-o /dev/stdout content"
  expect_exit 0 "$SRA" benchmark report "$RUN" -o /dev/null --url "$URL" || return
  [ -c /dev/null ] || fail "/dev/null is no longer a device"
  # a stale temporary file of a killed run is cleaned, a live one's is not
  touch "$d/.keep.csv.sra-tmp.999999999" "$d/.keep.csv.sra-tmp.$$"
  expect_exit 0 "$SRA" benchmark export "$RUN" --what summary -o "$d/keep.csv" --url "$URL" || return
  [ -e "$d/.keep.csv.sra-tmp.999999999" ] && fail "a dead run's temporary file is left"
  [ -e "$d/.keep.csv.sra-tmp.$$" ] || fail "a live process's temporary file was removed"
  rm -f "$d/.keep.csv.sra-tmp.$$"

  before=$(db_state; files_state "$d")
  # failures: nothing changes, no temporary file is left
  expect_exit 2 "$SRA" benchmark export "$RUN" --what summary -o "" --url "$URL" || return
  one_line_error "^sra: export: -o needs a file name"
  expect_exit 2 "$SRA" benchmark report "$RUN" -o "" --url "$URL" || return
  one_line_error "^sra: report: -o needs a file name"
  expect_exit 1 "$SRA" benchmark export "$RUN" --what summary -o /dev/full --url "$URL" || return
  one_line_error "^sra: cannot write '/dev/full': No space left on device$"
  expect_exit 1 "$SRA" benchmark export "$RUN" --what summary -o "$d" --url "$URL" || return
  one_line_error "^sra: cannot write '$d': Is a directory$"
  expect_exit 1 "$SRA" benchmark export "$RUN" --what summary -o "$d/nodir/x.csv" --url "$URL" || return
  one_line_error "^sra: cannot create a file next to '$d/nodir/x.csv': No such file or directory$"
  expect_exit 1 "$SRA" benchmark export ffffffff --what summary -o "$d/keep.csv" --url "$URL" || return
  one_line_error "ffffffff"
  # every command that prints: > /dev/full is exit 1 with the system's message
  local cmd
  for cmd in "benchmark show $RUN" "benchmark items $RUN" "benchmark export $RUN --what items" \
             "benchmark report $RUN" "review list" "db current" "db history"; do
    # shellcheck disable=SC2086
    "$SRA" $cmd --url "$URL" >/dev/full 2>"$TMP/err"; local rc=$?
    ERR=$(cat "$TMP/err")
    assert_eq "$rc" 1 "exit of '$cmd >/dev/full'"
    one_line_error "^sra: cannot write the output: No space left on device$"
  done
  for cmd in help version "db heads"; do
    # shellcheck disable=SC2086
    "$SRA" $cmd >/dev/full 2>"$TMP/err"; local rc=$?
    ERR=$(cat "$TMP/err")
    assert_eq "$rc" 1 "exit of '$cmd >/dev/full'"
    one_line_error "^sra: cannot write the output: No space left on device$"
  done
  assert_eq "$(db_state; files_state "$d")" "$before" "database and files after failed outputs"
}

# ---- 3. passwords never printed; 4. the test guard judges libpq's database ----

# no_secret: stderr holds none of the password's pieces
no_secret() {
  local piece
  for piece in "$@"; do
    case "$ERR" in *"$piece"*) fail "password piece '$piece' printed: $ERR" ;; esac
  done
}

case_passwords() {
  local before; before=$(db_state)
  local h="host=/nonexistent-sra-socket"
  # URLs whose password holds /, @ or ?, and the server unreachable
  expect_exit 1 "$SRA" db current --url "postgresql://u:Sec/ret9@/nodb?host=/nonexistent-sra-socket" || return
  one_line_error "^sra: cannot connect to postgresql://u:\\*\\*\\*\\*@/nodb"
  no_secret Sec ret9 Sec/ret9
  expect_exit 1 "$SRA" db current --url "postgresql://u:Sec@ret9@/nodb?host=/nonexistent-sra-socket" || return
  one_line_error "^sra: cannot connect to"
  no_secret Sec ret9
  expect_exit 1 "$SRA" db current --url "postgresql://u:Sec?ret9@localhost:1/nodb" || return
  one_line_error "^sra: cannot connect to"
  no_secret Sec ret9
  # not a URL at all, but user:password@
  expect_exit 2 "$SRA" db current --url "u:Secret99@localhost/db" || return
  one_line_error "is not a database URL"
  no_secret Secret99
  # keyword strings, password= in any case, quoted or not
  expect_exit 1 "$SRA" db current --url "$h dbname=x PASSWORD=Secret99" || return
  one_line_error "."
  no_secret Secret99
  expect_exit 1 "$SRA" db current --url "$h dbname=x Password = 'Sec ret99'" || return
  one_line_error "."
  no_secret Sec ret99
  expect_exit 1 "$SRA" db current --url "$h dbname=x password=Secret99" || return
  one_line_error "^sra: cannot connect to host=/nonexistent-sra-socket dbname=x password=\\*\\*\\*\\*: "
  no_secret Secret99
  # libpq's own text quoting a piece of the password (a raw '/' ends the authority)
  expect_exit 1 "$SRA" db current --url "postgresql://u:Sec9/ret9@localhost/nodb" || return
  one_line_error "."
  no_secret Sec9 ret9
  # the ENVIRONMENT=test refusal
  expect_exit 2 env ENVIRONMENT=test TEST_DATABASE_URL="postgresql://u:Sec/ret9@localhost/production" "$SRA" db current || return
  one_line_error "does not contain \"test\""
  no_secret Sec ret9
  assert_eq "$(db_state)" "$before" "database after refused URLs"
}

case_test_guard() {
  local before; before=$(db_state)
  local h="host=/nonexistent-sra-socket"
  # a duplicate dbname=: libpq takes the last
  expect_exit 2 env ENVIRONMENT=test TEST_DATABASE_URL="$h dbname=sra_test dbname=production" "$SRA" db current || return
  one_line_error "database name 'production' does not contain \"test\""
  expect_exit 2 env ENVIRONMENT=test TEST_DATABASE_URL="postgresql:///sra_test?dbname=production&host=/x" "$SRA" db current || return
  one_line_error "database name 'production' does not contain \"test\""
  # no dbname: PGDATABASE, then the user name
  expect_exit 2 env ENVIRONMENT=test PGDATABASE=production TEST_DATABASE_URL="$h user=sra_test" "$SRA" db current || return
  one_line_error "database name 'production' does not contain \"test\""
  expect_exit 2 env -u PGDATABASE ENVIRONMENT=test TEST_DATABASE_URL="$h user=production" "$SRA" db current || return
  one_line_error "database name 'production' does not contain \"test\""
  # a service file may choose it: refused as ambiguous
  expect_exit 2 env -u PGDATABASE ENVIRONMENT=test TEST_DATABASE_URL="$h service=sra_test" "$SRA" db current || return
  one_line_error "refuses TEST_DATABASE_URL: a service file chooses the database"
  # libpq cannot read it: refused, without the password
  expect_exit 2 env ENVIRONMENT=test TEST_DATABASE_URL="$h dbname=sra_test PASSWORD=Secret99" "$SRA" db current || return
  one_line_error "is not a connection string libpq reads"
  no_secret Secret99
  # the database libpq will use holds "test": accepted (and then unreachable)
  expect_exit 1 env ENVIRONMENT=test TEST_DATABASE_URL="$h dbname=production dbname=sra_test" "$SRA" db current || return
  one_line_error "cannot connect"
  assert_eq "$(db_state)" "$before" "database after refused test URLs"
}

# ---- 5. linear work on hostile shapes -----------------------------------------

# a review at head; sets REVIEW
new_review() {
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return 1
  REVIEW=$("$SRA" review create --question "Q" --exclusion "E" --url "$URL" -q) || { fail "review create"; return 1; }
}

# xlsx OUT SHARED INLINE: a one-sheet workbook, header source_id,title and one
# record whose title is the shared string SHARED (if non-empty) or the inline
# string INLINE, written with Python's zipfile (no spreadsheet library involved)
xlsx() {
  python3 - "$@" <<'PY'
import sys, zipfile
out, shared, inline = sys.argv[1], sys.argv[2], sys.argv[3]
z = zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
sst = ['source_id', 'title'] + ([shared] if shared else [])
z.writestr('xl/sharedStrings.xml', '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + ''.join('<si><t>%s</t></si>' % t for t in sst) + '</sst>')
title = '<c r="B2" t="s"><v>2</v></c>' if shared else '<c r="B2" t="inlineStr"><is><t>%s</t></is></c>' % inline
z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2"><v>7</v></c>' + title + '</row></sheetData></worksheet>')
z.close()
PY
}

case_hostile_shapes() {
  new_review || return
  local before; before=$(db_state; files_state "$TMP/in.$1" 2>/dev/null)
  mkdir -p "$TMP/in.$1"; local d="$TMP/in.$1"
  # 3,000 columns of one name, and names that collide with the suffixes given out
  python3 -c '
import sys
names = ["source_id", "title"] + ["x"] * 3000 + ["x_2", "y", "y", "y_2"]
print(",".join(names)); print(",".join(["1", "T"] + ["v"] * (len(names) - 2)))' >"$d/wide.csv"
  local t0 t1; t0=$(date +%s%N)
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/wide.csv" --url "$URL" -q || return
  t1=$(date +%s%N)
  # generous: quadratic renaming took minutes; this is a sanity bound, not a benchmark
  [ $(( (t1 - t0) / 1000000 )) -lt 20000 ] || fail "3,000 equal header names took $(( (t1 - t0) / 1000000 )) ms"
  local keys
  if [ "$BACKEND" = sqlite ]; then
    keys=$(q "SELECT group_concat(key, ' ') FROM (SELECT key FROM search_results, json_each(raw_data) ORDER BY key)")
  else
    keys=$(q "SELECT string_agg(k, ' ' ORDER BY k) FROM search_results, jsonb_object_keys(raw_data::jsonb) k")
  fi
  local n; n=$(printf '%s\n' $keys | grep -c '^x')
  assert_eq "$n" 3001 "distinct x keys"
  printf '%s\n' $keys | grep -qx x_3000 || fail "no x_3000 key: the 3000th x"
  printf '%s\n' $keys | grep -qx 'x_2_2' || fail "the header's own x_2 (taken by the 2nd x) is not x_2_2"
  printf '%s\n' $keys | grep -qx 'y_2_2' || fail "the header's own y_2 is not y_2_2"
  before=$(db_state)
  # a cell over the cap: inline and shared strings, refused with file, part and cell
  xlsx "$d/inline.xlsx" "" "$(head -c 300 /dev/zero | tr '\0' a)"
  xlsx "$d/shared.xlsx" "$(head -c 300 /dev/zero | tr '\0' b)" ""
  xlsx "$d/fine.xlsx" "" "short title"
  SRA_TEST_MAX_CELL_BYTES=200 expect_exit 1 "$SRA" import records --review "$REVIEW" "$d/inline.xlsx" --url "$URL" || return
  one_line_error "^sra: $d/inline.xlsx: xl/worksheets/sheet1.xml, cell B2: a text longer than 200 bytes$"
  SRA_TEST_MAX_CELL_BYTES=200 expect_exit 1 "$SRA" import records --review "$REVIEW" "$d/shared.xlsx" --url "$URL" || return
  one_line_error "^sra: $d/shared.xlsx: xl/sharedStrings.xml, shared string 2: a text longer than 200 bytes$"
  assert_eq "$(db_state)" "$before" "database after cells over the cap"
  SRA_TEST_MAX_CELL_BYTES=400 expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/inline.xlsx" --url "$URL" -q || return
  assert_eq "$(q "SELECT length(title) FROM search_results WHERE source_id = '7'")" 300 "title under the cap"
}

# a read-only command on a SQLite file that does not exist says so, creates nothing
case_missing_sqlite() {
  [ "$1" = sqlite ] || return 0
  local d="$TMP/missing"; mkdir -p "$d"
  local u="sqlite:///$d/nothing.db" cmd
  for cmd in "db current" "db check" "db inspect" "review list" "benchmark list" "benchmark show ffffffff"; do
    # shellcheck disable=SC2086
    expect_exit 1 "$SRA" $cmd --url "$u" || continue
    one_line_error "^sra: cannot open SQLite database '$d/nothing.db': No such file or directory \(nothing was created\)$"
  done
  assert_eq "$(ls -A "$d")" "" "files created by read-only commands"
}

# ---- 7. terminal safety ---------------------------------------------------------

case_terminal() {
  demo_run || return
  local review evil
  review=$(q "SELECT id FROM systematic_reviews")
  # ESC, an OSC 52 clipboard write ending in BEL, a C1 CSI (U+009B) and DEL
  evil="Q $(printf '\033')[2J $(printf '\033')]52;c;SGVsbG8=$(printf '\007') $(printf '\302\233')31m $(printf '\177')end"
  q "UPDATE systematic_reviews SET research_question = '$evil', exclusion_criteria = '$evil'" >/dev/null
  q "UPDATE benchmark_runs SET run_notes = '$evil'" >/dev/null
  q "UPDATE search_results SET title = '$evil'" >/dev/null
  local cmd out
  for cmd in "review list" "review show $review" "benchmark show $RUN" "benchmark list" "benchmark items $RUN"; do
    # shellcheck disable=SC2086
    out=$("$SRA" $cmd --url "$URL" 2>&1) || { fail "$cmd failed"; continue; }
    if printf '%s' "$out" | LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]'; then
      fail "'$cmd' prints raw control characters"
    fi
  done
  out=$("$SRA" review show "$review" --url "$URL")
  printf '%s\n' "$out" | grep -qF 'question    Q \x1b[2J \x1b]52;c;SGVsbG8=\x07 \x9b31m \x7fend' \
    || fail "review show does not escape: $(printf '%s' "$out" | sed -n 2p | od -c | head -3)"
  # --json: escaped as JSON, and the value round-trips
  out=$("$SRA" review show "$review" --json --url "$URL")
  printf '%s' "$out" | LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f]' && fail "--json prints raw C0 controls"
  assert_eq "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["research_question"] == sys.argv[1])' "$evil")" True "--json value"

  # db inspect: a table name and a default from the database, escaped
  local short esc
  short="a$(printf '\033')[2J$(printf '\033')]52;c;SGk=$(printf '\007')$(printf '\302\233')z"
  esc='a\x1b[2J\x1b]52;c;SGk=\x07\x9bz'
  q "CREATE TABLE \"t$short\" (v text DEFAULT '$short')" >/dev/null
  for cmd in "db inspect" "db inspect t$short" "db check"; do
    # shellcheck disable=SC2086
    "$SRA" ${cmd%% *} ${cmd#* } --url "$URL" >"$TMP/out" 2>"$TMP/err"
    if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$TMP/out" "$TMP/err"; then
      fail "'${cmd%% *} ${cmd#* }' prints raw control characters"
    fi
  done
  "$SRA" db inspect --url "$URL" | grep -qF " t$esc " || fail "db inspect does not show the table name escaped"
  "$SRA" db inspect "t$short" --url "$URL" | grep -qF "$esc" || fail "db inspect TABLE does not show the default escaped"
  # db current: a revision from the database, in its one error line, escaped
  local before; before=$(db_state)
  q "UPDATE alembic_version SET version_num = '$short'" >/dev/null
  before=$(db_state)
  "$SRA" db current --url "$URL" >"$TMP/out" 2>"$TMP/err"
  ERR=$(cat "$TMP/err")
  one_line_error "^sra: the database is at revision $(ere "$esc"), which the migration chain does not know"
  LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$TMP/out" "$TMP/err" && fail "db current prints raw control characters"
  assert_eq "$(db_state)" "$before" "database after db current"
}

# ---- 10. nothing waits forever ---------------------------------------------------

# hold_lock SECONDS: another client, through the database's own tool, holds
# the write lock (SQLite) or a lock on every table (PostgreSQL) for SECONDS;
# returns once the lock is held (HOLDER: its pid)
hold_lock() {
  rm -f "$TMP/held"
  if [ "$BACKEND" = sqlite ]; then
    { echo "BEGIN IMMEDIATE;"; echo ".output $TMP/held"; echo "SELECT 1;"; echo ".output stdout"; sleep "$1"; echo "COMMIT;"; } \
      | sqlite3 -batch "$DBFILE" >/dev/null &
  else
    { echo "BEGIN;"; echo "LOCK TABLE systematic_reviews, search_results, screen_abstract_results, benchmark_runs, alembic_version IN ACCESS EXCLUSIVE MODE;";
      echo "\\o $TMP/held"; echo "SELECT 1;"; echo "\\o"; sleep "$1"; echo "COMMIT;"; } \
      | PGAPPNAME=hostile-holder $PSQL -X -q -d "$DBNAME" >/dev/null &
  fi
  HOLDER=$!
  local i
  for i in $(seq 100); do [ -s "$TMP/held" ] && return 0; sleep 0.1; done
  fail "the other client never took the lock"
}

# lock_timed_out DIR CMD...: with the lock held (hold_lock 6), CMD (sra's
# arguments, run in DIR) gives up after --lock-timeout 2 with exit 1 and two
# stderr lines naming the holder ($holder, $1 of case_lock_timeout), and the
# database and the files of DIR are as they were
lock_timed_out() {
  local dir=$1 before rc t0 t1; shift
  before=$(db_state; files_state "$dir")
  hold_lock 6 || return
  t0=$(date +%s%N)
  (cd "$dir" && "$SRA" "$@" --lock-timeout 2 --url "$URL") >"$TMP/out" 2>"$TMP/err"; rc=$?
  t1=$(date +%s%N)
  ERR=$(cat "$TMP/err")
  assert_eq "$rc" 1 "exit of '$*' after the lock timeout"
  [ $(((t1 - t0) / 1000000)) -lt 5000 ] || fail "'$*' waited $(((t1 - t0) / 1000000)) ms, more than --lock-timeout 2"
  [ $(((t1 - t0) / 1000000)) -ge 1900 ] || fail "'$*' gave up after $(((t1 - t0) / 1000000)) ms, before --lock-timeout 2"
  # two lines: the notice after one second (once), and the error; both name the holder
  assert_eq "$(printf '%s\n' "$ERR" | grep -c '')" 2 "stderr lines of '$*': $ERR"
  printf '%s\n' "$ERR" | sed -n 1p | grep -qE "^sra: waiting for a lock held by $holder; giving up after 2 s \(--lock-timeout\)$" \
    || fail "no notice naming the holder for '$*': $ERR"
  if [ "$BACKEND" = sqlite ]; then
    printf '%s\n' "$ERR" | sed -n 2p | grep -qE "^sra: (.*: )?database '$(ere "$DBFILE")' is locked by another writer \(process $HOLDER, sqlite3\) \(waited 2000 ms\)$" \
      || fail "the timeout does not name the holder for '$*': $ERR"
  else
    printf '%s\n' "$ERR" | sed -n 2p | grep -qE "^sra: (.*: )?gave up waiting for a lock after 2000 ms \(--lock-timeout\): it is held by $holder$" \
      || fail "the timeout does not name the holder for '$*': $ERR"
  fi
  wait "$HOLDER"
  assert_eq "$(db_state; files_state "$dir")" "$before" "database and files after '$*' timed out"
}

case_lock_timeout() {
  new_review || return
  local d="$TMP/lt.$1" before cmd rc; mkdir -p "$d"
  printf 'source_id,title\n1,One\n' >"$d/r.csv"
  printf '{"source_id": "1", "reviewer": "conservative", "decision": "include", "confidence": 0.9}\n' >"$d/d.jsonl"
  printf '{"question": "Q2", "exclusion": "E2"}\n' >"$d/p.json"
  local holder
  if [ "$1" = sqlite ]; then
    holder="another writer \(process [0-9]+, sqlite3\) on '$(ere "$DBFILE")'"
  else
    holder="pid [0-9]+ \(application hostile-holder, user [a-z_]+, from local, idle in transaction, its transaction began [0-9]+ s ago\)"
  fi
  for cmd in "import records --review $REVIEW $d/r.csv" "import decisions --review $REVIEW $d/d.jsonl" \
             "review create --question Q --exclusion E" "review import $d/p.json"; do
    # shellcheck disable=SC2086
    lock_timed_out "$d" $cmd || return
  done
  # the benchmark commands and the demo, on a demo's review and run (the
  # demo of another seed: it would replace its own; its report goes to $d)
  (cd "$TMP" && "$SRA" demo --records 20 --seed 4 --url "$URL" >/dev/null 2>&1) || { fail "demo"; return; }
  local dreview drun
  dreview=$(q "SELECT review_id FROM benchmark_runs")
  drun=$(q "SELECT id FROM benchmark_runs")
  for cmd in "benchmark run --review $dreview" "benchmark delete $drun" "demo --records 20 --seed 5" \
             "demo --records 20 --seed 4"; do
    # shellcheck disable=SC2086
    lock_timed_out "$d" $cmd || return
  done
  # a wait shorter than one second says nothing, and the command then succeeds
  hold_lock 0.3 || return
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/r.csv" --lock-timeout 10 --url "$URL" -q || return
  assert_eq "$ERR" "" "stderr after a short wait"
  wait "$HOLDER"
  # the migration commands too
  before=$(db_state; files_state "$d")
  hold_lock 6 || return
  "$SRA" db stamp base --yes --lock-timeout 2 --url "$URL" >"$TMP/out" 2>"$TMP/err"; rc=$?
  ERR=$(cat "$TMP/err")
  assert_eq "$rc" 1 "exit of db stamp after the lock timeout"
  assert_eq "$(printf '%s\n' "$ERR" | grep -c '')" 2 "stderr lines of db stamp: $ERR"
  printf '%s\n' "$ERR" | grep -qE "^sra: waiting for a lock held by $holder; giving up after 2 s" || fail "db stamp: no notice: $ERR"
  wait "$HOLDER"
  assert_eq "$(db_state; files_state "$d")" "$before" "database and files after db stamp timed out"
  # sra's own sessions are recognisable on PostgreSQL
  if [ "$1" = pg ]; then
    hold_lock 6 || return
    "$SRA" review create --question Q --exclusion E --lock-timeout 4 --url "$URL" >/dev/null 2>&1 &
    local sra_pid=$!
    sleep 1
    assert_eq "$(q "SELECT application_name FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")" \
      "sra review create" "application_name of a waiting sra"
    wait "$sra_pid"
    wait "$HOLDER"
  fi
}

# ---- 11. no unasked data loss -----------------------------------------------------

case_downgrade_loss() {
  demo_run || return
  local before; before=$(db_state)
  # rows in tables the downgrade drops: refused without a terminal, in every environment
  local env
  for env in "" dev test; do
    expect_exit 2 env ENVIRONMENT="$env" TEST_DATABASE_URL="$URL" "$SRA" db downgrade base --url "$URL" </dev/null || return
    one_line_error "^sra: downgrade to base would drop tables holding rows: .*search_results \(40 rows\).*; add --yes to go on$"
  done
  expect_exit 2 "$SRA" db stamp base --url "$URL" </dev/null || return
  one_line_error "^sra: stamp to base would drop tables holding rows: "
  assert_eq "$(db_state)" "$before" "database after refused downgrades"
  # on a terminal: asks, and anything but yes changes nothing
  if command -v script >/dev/null; then
    printf 'no\n' | script -qec "$SRA db downgrade base --url '$URL'" /dev/null >"$TMP/tty.out" 2>&1
    grep -q "drops tables holding rows" "$TMP/tty.out" || fail "no question on a terminal: $(cat "$TMP/tty.out")"
    assert_eq "$(db_state)" "$before" "database after answering no"
  fi
  # with --yes it runs; an empty database downgrades without asking
  expect_exit 0 "$SRA" db downgrade base --yes --url "$URL" -q </dev/null || return
  assert_eq "$(q "SELECT count(*) FROM alembic_version")" 0 "version rows after downgrade --yes"
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  expect_exit 0 "$SRA" db downgrade base --url "$URL" -q </dev/null || return
}

# ---- 6. impossible values refused, not adjusted --------------------------------

# ere TEXT: TEXT as a literal in an extended regular expression
ere() { printf '%s' "$1" | sed 's/[].[^$*+?(){}|\\]/\\&/g'; }

case_impossible_values() {
  new_review || return
  local d="$TMP/iv.$1" i="$TMP/ivin.$1" before t why n=0; mkdir -p "$d" "$i"
  printf 'source_id,title\n1,One\n2,Two\n' >"$d/r.csv"
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/r.csv" --url "$URL" -q || return
  before=$(db_state; files_state "$d")
  # timestamps: refused in C on both databases (no raw server error), naming file, line and value
  while IFS='|' read -r t why; do
    n=$((n + 1))
    printf '{"source_id": "1", "reviewer": "conservative", "decision": "include", "confidence": 0.9}\n{"source_id": "2", "reviewer": "comprehensive", "decision": "exclude", "confidence": 0.8, "end_time": "%s"}\n' "$t" >"$i/d$n.jsonl"
    expect_exit 1 "$SRA" import decisions --review "$REVIEW" "$i/d$n.jsonl" --url "$URL" || continue
    one_line_error "^sra: $(ere "$i/d$n.jsonl"):2: source_id '2': end_time '$(ere "$t")' $why"
  done <<'EOF'
2024-02-31T10:00:00Z|has the impossible day 31 \(2024-02 has 29 days\)$
2023-02-29T10:00:00Z|has the impossible day 29 \(2023-02 has 28 days\)$
1900-02-29 10:00:00Z|has the impossible day 29 \(1900-02 has 28 days\)$
2024-04-31T10:00:00+02:00|has the impossible day 31
2024-13-01T10:00:00Z|has the impossible month 13
2024-00-10T10:00:00Z|has the impossible month 00
2024-01-00T10:00:00Z|has the impossible day 00
2024-01-01T25:00:00Z|has the impossible time of day 25:00:00
2024-01-01T24:00:00Z|has the impossible time of day 24:00:00
2024-01-01T10:60:00Z|has the impossible time of day 10:60:00
2024-01-01T10:00:60Z|has the impossible time of day 10:00:60
2024-01-01T10:00:00+99:99|has an impossible UTC offset
2024-01-01T10:00:00-15:00|has an impossible UTC offset
2024-01-01T10:00:00+05:60|has an impossible UTC offset
0000-01-01T10:00:00Z|has the impossible year 0000
2024-1-01T10:00:00Z|is not an ISO-8601 date and time
2024-01-01|is not an ISO-8601 date and time
2024-01-01T10:00:00 junk|is not an ISO-8601 date and time
EOF
  assert_eq "$(db_state; files_state "$d")" "$before" "database and files after impossible timestamps"
  # --skip-invalid: that line is skipped and counted, the others imported
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$i/d1.jsonl" --skip-invalid --url "$URL" || return
  printf '%s' "$ERR" | grep -qE "^skipped: $(ere "$i/d1.jsonl"):2: source_id '2': end_time '2024-02-31T10:00:00Z' has the impossible day 31" \
    || fail "--skip-invalid does not name the skipped line: $ERR"
  printf '%s' "$ERR" | grep -q "invalid 1$" || fail "--skip-invalid does not count the line: $ERR"
  assert_eq "$(q "SELECT count(*) FROM screen_abstract_results")" 1 "decisions after --skip-invalid"
  # possible values are kept, moved to UTC (hand-computed), on both databases
  printf '{"source_id": "2", "reviewer": "conservative", "decision": "exclude", "confidence": 0.8, "start_time": "2024-02-29T23:30:00+01:00", "end_time": "2024-03-01 00:15:30.25-02:30"}\n' >"$d/ok.jsonl"
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$d/ok.jsonl" --url "$URL" -q || return
  if [ "$1" = sqlite ]; then
    assert_eq "$(q "SELECT start_time, end_time FROM screen_abstract_results WHERE end_time IS NOT NULL")" \
      "2024-02-29T22:30:00.000Z|2024-03-01T02:45:30.250Z" "times of a leap day, moved to UTC"
  else
    assert_eq "$(q "SELECT to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'), to_char(end_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') FROM screen_abstract_results WHERE end_time IS NOT NULL")" \
      "2024-02-29 22:30:00.000|2024-03-01 02:45:30.250" "times of a leap day, moved to UTC"
  fi

  # years that are not years are kept as the text they are; only a year or a
  # source id loses a ".0"; a title "2.000" is text, in CSV and in XLSX
  printf 'source_id,title,year,journal\n11,2.000,43466,1.0\n12,Two,banana,x\n13.0,Three,-5,x\n14,Four,20245,x\n15,Five,2019.0,x\n' >"$d/y.csv"
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/y.csv" --url "$URL" -q || return
  assert_eq "$(q "SELECT source_id || ':' || title || ':' || year || ':' || journal FROM search_results WHERE source_id IN ('11','12','13','14','15') ORDER BY source_id" | tr '\n' ' ')" \
    "11:2.000:43466:1.0 12:Two:banana:x 13:Three:-5:x 14:Four:20245:x 15:Five:2019:x " "years and titles from CSV"
  xlsx "$d/t.xlsx" "2.000" ""
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/t.xlsx" --url "$URL" -q || return
  assert_eq "$(q "SELECT title FROM search_results WHERE source_id = '7'")" "2.000" "a title '2.000' from a shared string"
  xlsx "$d/t2.xlsx" "" "3.0"
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/t2.xlsx" --url "$URL" -q || return
  assert_eq "$(q "SELECT title FROM search_results WHERE source_id = '7'")" "3.0" "a title '3.0' from an inline string"
  # RIS: a year is four digits on their own, never cut out of a longer number
  printf 'TY  - JOUR\nID  - a1\nTI  - A\nPY  - 20245\nER  - \n\nTY  - JOUR\nID  - a2\nTI  - B\nPY  - 2019///\nER  - \n\nTY  - JOUR\nID  - a3\nTI  - C\nPY  - banana\nER  - \n\nTY  - JOUR\nID  - a4\nTI  - D\nPY  - 43466\nDA  - 2018/05/01\nER  - \n' >"$d/y.ris"
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/y.ris" --url "$URL" -q || return
  assert_eq "$(q "SELECT source_id || ':' || year FROM search_results WHERE source_id LIKE 'a_' ORDER BY source_id" | tr '\n' ' ')" \
    "a1:20245 a2:2019 a3:banana a4:2018 " "years from RIS"
}

# ---- 1. a run_id that is another record's or reviewer's decision ------------------

# decision SOURCE_ID REVIEWER DECISION CONFIDENCE RUN_ID: one JSON line
decision() {
  printf '{"source_id": "%s", "reviewer": "%s", "decision": "%s", "confidence": %s, "run_id": "%s"}\n' "$@"
}

case_run_id_owner() {
  new_review || return
  local d="$TMP/ro.$1" before f n why
  local A=11111111-1111-4111-8111-111111111111 B=22222222-2222-4222-8222-222222222222
  local R1=33333333-3333-4333-8333-333333333333 R2=44444444-4444-4444-8444-444444444444
  local C=55555555-5555-4555-8555-555555555555 R3=66666666-6666-4666-8666-666666666666
  mkdir -p "$d"
  printf 'source_id,title\nr1,One\nr2,Two\nr3,Three\n' >"$d/r.csv"
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/r.csv" --url "$URL" -q || return
  { decision r1 conservative include 0.9 "$A"; decision r1 comprehensive include 0.9 "$B"
    decision r1 resolver include 0.9 "$R1"; decision r2 resolver exclude 0.8 "$R2"; } >"$d/ok.jsonl"
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$d/ok.jsonl" --url "$URL" -q || return
  # a decision for record 2 carrying record 1's run_id (it used to rewrite record 1's decision)
  decision r2 conservative exclude 0.5 "$A" >"$d/other_record.jsonl"
  # the comprehensive reviewer of record 1 carrying the conservative's run_id
  decision r1 comprehensive exclude 0.5 "$A" >"$d/other_reviewer.jsonl"
  # even the same content may not link record 1's row from record 2
  decision r2 conservative include 0.9 "$A" >"$d/same_content.jsonl"
  # a resolver id shared by two records (it used to swap their resolutions)
  { decision r2 resolver include 0.9 "$R1"; decision r1 resolver exclude 0.8 "$R2"; } >"$d/resolver_shared.jsonl"
  # two lines of one file sharing an id for different records
  { decision r2 conservative include 0.9 "$C"; decision r3 conservative include 0.9 "$C"; } >"$d/in_file.jsonl"
  { decision r3 resolver include 0.9 "$R3"; decision r2 conservative include 0.9 "$R3"
    decision r1 resolver include 0.9 "$R3"; } >"$d/in_file_resolver.jsonl"
  before=$(db_state)
  # each file | the line refused | the rest of its message
  while IFS='|' read -r f n why; do
    expect_exit 1 "$SRA" import decisions --review "$REVIEW" "$d/$f" --url "$URL" || continue
    one_line_error "^sra: $(ere "$d/$f"):$n: $why; a run_id names one decision, refused$"
    assert_eq "$(db_state)" "$before" "database after $f"
  done <<EOF
other_record.jsonl|1|source_id 'r2': run_id $A is already the conservative decision of record 'r1'
other_reviewer.jsonl|1|source_id 'r1': run_id $A is already the conservative decision of record 'r1'
same_content.jsonl|1|source_id 'r2': run_id $A is already the conservative decision of record 'r1'
resolver_shared.jsonl|1|source_id 'r2': run_id $R1 is already the resolution of record 'r1'
in_file.jsonl|2|source_id 'r3': run_id $C is already the conservative decision of record 'r2'
in_file_resolver.jsonl|3|source_id 'r1': run_id $R3 is already the resolution of record 'r3'
EOF
  # the hash of every row, independently of db_state: record 1 and 2 still hold their own
  assert_eq "$(q "SELECT s.source_id || ':' || COALESCE(CAST(s.conservative_result_id AS text), '-') || ':' || COALESCE(CAST(s.resolution_id AS text), '-') FROM search_results s ORDER BY s.source_id" | tr '\n' ' ')" \
    "r1:$A:$R1 r2:-:$R2 r3:-:- " "links after the refusals"
  # --skip-invalid skips the line and imports the rest
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$d/in_file.jsonl" --skip-invalid --url "$URL" || return
  printf '%s' "$ERR" | grep -q "invalid 1$" || fail "--skip-invalid does not count the line: $ERR"
  assert_eq "$(q "SELECT source_id FROM search_results WHERE conservative_result_id = '$C'")" r2 "the run_id stays with its first record"
}

# a bad line late in a large file (line 2,501 of 3,000, after 2,500 good ones
# are already staged) names its line and leaves the database as it was: a value
# the file shows, a record the database lacks, and a run_id clash that only the
# rows of an earlier import show
case_late_bad_line() {
  new_review || return
  local d="$TMP/late.$1" before f why A=77777777-7777-4777-8777-777777777777
  mkdir -p "$d"
  awk 'BEGIN { print "source_id,title"; for (i = 1; i <= 1000; i++) print "k" i ",Title " i }' >"$d/r.csv"
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/r.csv" --url "$URL" -q || return
  decision k1 conservative include 0.9 "$A" >"$d/first.jsonl"
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$d/first.jsonl" --url "$URL" -q || return
  # gen NAME SOURCE_ID DECISION RUN_ID: 3 lines a record, line 2501 (k834's comprehensive) replaced
  gen() {
    awk -v sid="$2" -v dec="$3" -v run="$4" 'BEGIN { split("conservative comprehensive resolver", r, " ")
      for (i = 1; i <= 1000; i++) for (j = 1; j <= 3; j++) {
        n++; s = "k" i; v = (i % 2) ? "include" : "exclude"; extra = ""
        if (n == 2501) { s = sid; v = dec; if (run != "") extra = ", \"run_id\": \"" run "\"" }
        printf "{\"source_id\": \"%s\", \"reviewer\": \"%s\", \"decision\": \"%s\", \"confidence\": 0.8%s}\n", s, r[j], v, extra
      } }' >"$d/$1"
  }
  gen value.jsonl k834 perhaps ""
  gen record.jsonl k9999 include ""
  gen clash.jsonl k834 include "$A"
  gen good.jsonl k834 exclude ""
  assert_eq "$(wc -l <"$d/clash.jsonl" | tr -d ' ')" 3000 "lines in the file"
  before=$(db_state)
  while IFS='|' read -r f why; do
    expect_exit 1 "$SRA" import decisions --review "$REVIEW" "$d/$f" --url "$URL" || continue
    one_line_error "^sra: $(ere "$d/$f"):2501: $why$"
    assert_eq "$(db_state)" "$before" "database after $f"
  done <<EOT
value.jsonl|source_id 'k834': decision must be include, exclude or uncertain, got 'perhaps'
record.jsonl|source_id 'k9999' is not a record of review $REVIEW \(import the records first\)
clash.jsonl|source_id 'k834': run_id $A is already the conservative decision of record 'k1'; a run_id names one decision, refused
EOT
  # the same file with a good line 2501 goes in whole
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$d/good.jsonl" --url "$URL" || return
  printf '%s' "$ERR" | grep -q "inserted 3000, updated 0, unchanged 0, invalid 0" || fail "summary: $ERR"
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE conservative_result_id IS NOT NULL AND comprehensive_result_id IS NOT NULL AND resolution_id IS NOT NULL")" 1000 "records with 3 decisions"
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE final_decision = 'include'")" 500 "final decisions include (odd records)"
  # --skip-invalid: the clash is counted and the other 2,999 lines go in (all unchanged but line 2501's record)
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$d/clash.jsonl" --skip-invalid --url "$URL" || return
  printf '%s' "$ERR" | grep -q "inserted 0, updated 0, unchanged 2999, invalid 1" || fail "--skip-invalid summary: $ERR"
}

# ---- 12. reading: pipes, encodings, line ends, options ---------------------------

case_reading() {
  new_review || return
  local d="$TMP/rd.$1"; mkdir -p "$d"
  printf 'source_id,title\r\n1,One\r\n2,Two\r\n' >"$d/crlf.csv"
  local before; before=$(db_state)
  # UTF-16, with and without a byte order mark, named as UTF-16
  printf 'source_id,title\n1,One\n' | iconv -t UTF-16 >"$d/u16.csv"
  printf 'source_id,title\n1,One\n' | iconv -t UTF-16LE >"$d/u16le.csv"
  expect_exit 1 "$SRA" import records --review "$REVIEW" "$d/u16.csv" --url "$URL" || return
  one_line_error "^sra: $d/u16.csv: a UTF-16 file: sra reads UTF-8"
  expect_exit 1 "$SRA" import records --review "$REVIEW" "$d/u16le.csv" --url "$URL" || return
  one_line_error "^sra: $d/u16le.csv: a UTF-16 file"
  expect_exit 1 "$SRA" import records --review "$REVIEW" "$d/u16le.csv" --format csv --url "$URL" || return
  one_line_error "^sra: $d/u16le.csv: a UTF-16 file"
  # CR-only line ends: the bad row is named by its own line
  printf 'source_id,title\r1,One\r2,"Two"x\r3,Three\r' >"$d/cr.csv"
  expect_exit 1 "$SRA" import records --review "$REVIEW" "$d/cr.csv" --url "$URL" || return
  one_line_error "^sra: $d/cr.csv:3: malformed CSV"
  printf 'source_id,title\r\n1,One\r\n2,"Two"x\r\n' >"$d/crlf-bad.csv"
  expect_exit 1 "$SRA" import records --review "$REVIEW" "$d/crlf-bad.csv" --url "$URL" || return
  one_line_error "^sra: $d/crlf-bad.csv:3: malformed CSV"
  assert_eq "$(db_state)" "$before" "database after refused reads"
  # --sheet is for workbooks
  expect_exit 2 "$SRA" import records --review "$REVIEW" "$d/crlf.csv" --sheet S --url "$URL" || return
  one_line_error "^sra: $d/crlf.csv: --sheet is for XLSX workbooks; this is CSV$"
  # a directory is named as such
  expect_exit 1 "$SRA" import records --review "$REVIEW" "$d" --url "$URL" || return
  one_line_error "^sra: cannot read $d: it is a directory$"
  assert_eq "$(db_state)" "$before" "database after refused reads"
  # pipes: '-', /dev/stdin, a FIFO, for CSV, XLSX and decisions
  expect_exit 0 "$SRA" import records --review "$REVIEW" - --url "$URL" -q <"$d/crlf.csv" || return
  assert_eq "$(q 'SELECT count(*) FROM search_results')" 2 "records from stdin"
  printf 'source_id,title\n3,Three\n' | "$SRA" import records --review "$REVIEW" /dev/stdin --url "$URL" -q \
    || fail "import from /dev/stdin"
  xlsx "$d/w.xlsx" "" "From a pipe"
  cat "$d/w.xlsx" | "$SRA" import records --review "$REVIEW" - --url "$URL" -q || fail "XLSX through a pipe"
  assert_eq "$(q "SELECT title FROM search_results WHERE source_id = '7'")" "From a pipe" "XLSX from a pipe"
  mkfifo "$d/fifo"
  printf 'source_id,title\n8,Eight\n' >"$d/fifo" &
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/fifo" --url "$URL" -q || return
  wait
  printf '{"source_id": "1", "reviewer": "conservative", "decision": "include", "confidence": 0.9}\n' \
    | "$SRA" import decisions --review "$REVIEW" - --url "$URL" -q || fail "decisions from stdin"
  assert_eq "$(q 'SELECT count(*) FROM search_results')" 5 "records after the pipes"
  # an error in a piped file still names it as given
  printf 'source_id,title\n9,"bad"x\n' | "$SRA" import records --review "$REVIEW" - --url "$URL" 2>"$TMP/err"
  ERR=$(cat "$TMP/err")
  one_line_error "^sra: -:2: malformed CSV"
  ls "${TMPDIR:-/tmp}" | grep -q '^sra-input' && fail "a temporary copy of the input is left"
  # a CR-only file imports, line by line
  printf 'source_id,title\r1,One\r2,Two\r' >"$d/cr-ok.csv"
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$d/cr-ok.csv" --url "$URL" -q || return
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE source_id IN ('1', '2')")" 2 "records of a CR-only file"
}

run_cases ${CASES:-case_run_id_owner case_late_bad_line case_outputs case_impossible_values case_passwords case_test_guard case_hostile_shapes case_reading case_missing_sqlite case_terminal case_lock_timeout case_downgrade_loss}
