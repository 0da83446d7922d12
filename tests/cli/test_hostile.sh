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

run_cases case_outputs
