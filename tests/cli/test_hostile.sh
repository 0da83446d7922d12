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

run_cases case_outputs case_passwords case_test_guard
