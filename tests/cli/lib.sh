# Shared by the tests/cli/test_*.sh scripts (sourced).
#
# Each script defines cases as functions taking one argument, the backend
# ("sqlite" or "pg"), and calls `run_cases case1 case2 …`.  Every case runs on
# a fresh database of each backend: $URL names it, `q SQL` queries it through
# the database's own client (sqlite3 or psql, never sra), so the checks are
# independent of the code under test.  PostgreSQL comes from the server that
# scripts/pg-test-server.sh started (PGHOST); without one the pg half is
# skipped, unless SRA_REQUIRE_PG=1, when that is a failure.
set -u
SRA=${SRA:?SRA must name the sra binary}
SRC=${SRA_SOURCE_DIR:?}
PSQL=/usr/lib/postgresql/15/bin/psql
TMP=$(mktemp -d -t sra-cli.XXXXXX)
PG_DBS=()
cleanup() {
  local d
  for d in "${PG_DBS[@]:-}"; do
    [ -n "$d" ] && $PSQL -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
PASSED=0
FAILED=0

fail() { echo "    FAIL: $*" >&2; CASE_FAILED=1; }

have_pg() { [ -n "${PGHOST:-}" ] && $PSQL -X -q -d postgres -c 'select 1' >/dev/null 2>&1; }

# new_db BACKEND: sets URL (and DBNAME for pg, DBFILE for sqlite)
new_db() {
  if [ "$1" = sqlite ]; then
    DBFILE=$(mktemp -u "$TMP/db.XXXXXX").db
    URL="sqlite:///$DBFILE"
  else
    DBNAME="sra_test_cli_$$_${RANDOM}${RANDOM}"
    $PSQL -X -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null || return 1
    PG_DBS+=("$DBNAME")
    URL="postgresql:///$DBNAME?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"
  fi
}

# q SQL: rows, fields separated by |, through the backend's own client
q() {
  if [ "$BACKEND" = sqlite ]; then
    sqlite3 -bail -batch -noheader -separator '|' "$DBFILE" "$1"
  else
    $PSQL -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -d "$DBNAME" -c "$1"
  fi
}

# the schema, for before/after comparisons (version tables left out)
schema_dump() {
  if [ "$BACKEND" = sqlite ]; then
    [ -f "$DBFILE" ] || return 0
    # SQLite keeps the text of each CREATE as it was last edited (a native
    # ADD COLUMN appends ", col …" to it, a rebuild writes it afresh), so the
    # text is compared without white space
    sqlite3 -batch "$DBFILE" "SELECT type, name, tbl_name,
        replace(replace(replace(replace(sql, ' ', ''), char(10), ''), char(13), ''), char(9), '') FROM sqlite_master
      WHERE name NOT IN ('alembic_version', 'sra_migration_log', 'sqlite_sequence')
        AND name NOT LIKE 'sqlite_autoindex_alembic%' AND name NOT LIKE 'sqlite_autoindex_sra%'
      ORDER BY type, name"
  else
    pg_dump --schema-only --no-owner -T alembic_version -T sra_migration_log -d "$DBNAME" \
      | grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog' -e '^\\restrict' -e '^\\unrestrict' | sed '/^$/d'
  fi
}

# expect_exit CODE CMD...: run, keep stdout in $OUT and stderr in $ERR
expect_exit() {
  local want=$1; shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
  if [ "$rc" != "$want" ]; then
    fail "exit $rc, expected $want: $*"
    [ -n "$ERR" ] && echo "      stderr: $ERR" >&2
    return 1
  fi
  return 0
}

# one_line_error PATTERN: stderr is exactly one line and matches PATTERN
one_line_error() {
  local n
  n=$(printf '%s' "$ERR" | grep -c '')
  [ "$n" = 1 ] || fail "stderr has $n lines, expected 1: $ERR"
  printf '%s' "$ERR" | grep -qE "$1" || fail "stderr does not match /$1/: $ERR"
}

assert_eq() {
  [ "$1" = "$2" ] || fail "${3:-values differ}: got [$1], expected [$2]"
}

# a large file in $TMP (made once): long enough to be killed mid-way
big_csv() {
  [ -s "$TMP/big.csv" ] || awk -v n="${1:-40000}" 'BEGIN {
    ab = "Background: a synthetic abstract, long enough to weigh what a real one does."
    while (length(ab) < 1000) ab = ab " Methods, results and conclusions, written out once more."
    print "pmid,title,abstract,authors,year,label_included"
    for (r = 1; r <= n; r++)
      printf "%d,\"Record %d, a title\",\"%s\",Smith J and Doe A,%d,%s\n", 40000000 + r, r, ab, 1990 + r % 30, (r % 5 ? "N" : "Y")
  }' >"$TMP/big.csv"
  echo "$TMP/big.csv"
}

run_cases() {
  local c b backends=(sqlite)
  if have_pg; then
    backends+=(pg)
  elif [ "${SRA_REQUIRE_PG:-0}" = 1 ]; then
    echo "FAIL: PostgreSQL is required (SRA_REQUIRE_PG=1) but PGHOST does not answer" >&2
    exit 1
  else
    echo "note: no PostgreSQL (PGHOST unset): the pg cases are skipped" >&2
  fi
  # SRA_TEST_BACKENDS="sqlite" (or "pg") narrows a run while developing
  if [ -n "${SRA_TEST_BACKENDS:-}" ]; then read -r -a backends <<<"$SRA_TEST_BACKENDS"; fi
  for c in "$@"; do
    for b in "${backends[@]}"; do
      BACKEND=$b
      CASE_FAILED=0
      new_db "$b" || { fail "cannot create a $b database"; }
      # a case fails only through `fail`; its own exit status is ignored
      ( cd "$TMP" || exit 1; "$c" "$b"; exit "$CASE_FAILED" ) || CASE_FAILED=1
      if [ "$CASE_FAILED" = 0 ]; then
        PASSED=$((PASSED + 1)); echo "ok   $c [$b]"
      else
        FAILED=$((FAILED + 1)); echo "FAIL $c [$b]"
      fi
    done
  done
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}

# run_plain_cases CASE...: cases that need no database, each run once
run_plain_cases() {
  local c
  for c in "$@"; do
    CASE_FAILED=0
    ( cd "$TMP" || exit 1; "$c"; exit "$CASE_FAILED" ) || CASE_FAILED=1
    if [ "$CASE_FAILED" = 0 ]; then
      PASSED=$((PASSED + 1)); echo "ok   $c"
    else
      FAILED=$((FAILED + 1)); echo "FAIL $c"
    fi
  done
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}
