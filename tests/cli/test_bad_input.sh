#!/usr/bin/env bash
# Bad input: one clear line on stderr, the documented exit code
# (0 ok, 1 failure, 2 usage, 3 chain conflict), and the database untouched.
. "$(dirname "$0")/lib.sh"

state() { schema_dump; q 'SELECT version_num FROM alembic_version' 2>/dev/null; }

chain_dir() {  # a copy of the shipped chain to break
  rm -rf "$TMP/chain"; mkdir -p "$TMP/chain"; cp "$SRC"/migrations/*.sql "$TMP/chain"/
}

case_malformed_header() {
  expect_exit 0 "$SRA" db upgrade 9cd2f7e24c87 --url "$URL" -q || return
  local before; before=$(state)
  chain_dir
  printf -- '-- revision: abc def\n-- down_revision: ad42aea13565\n-- +upgrade\nSELECT 1;\n' >"$TMP/chain/0100_bad.sql"
  expect_exit 3 "$SRA" db upgrade head --url "$URL" --migrations "$TMP/chain" || return
  one_line_error "0100_bad.sql:1: bad revision id 'abc def'"
  printf -- '-- down_revision: ad42aea13565\n-- +upgrade\nSELECT 1;\n' >"$TMP/chain/0100_bad.sql"
  expect_exit 3 "$SRA" db upgrade head --url "$URL" --migrations "$TMP/chain" || return
  one_line_error "0100_bad.sql:1: missing '-- revision: ID' header"
  assert_eq "$(state)" "$before" "database after a malformed header"
}

case_section_does_not_parse() {
  expect_exit 0 "$SRA" db upgrade 9cd2f7e24c87 --url "$URL" -q || return
  local before; before=$(state)
  chain_dir
  local head; head=$("$SRA" db heads --migrations "$TMP/chain" | awk '{print $1}')
  printf -- '-- revision: aaaaaaaaaaaa\n-- down_revision: %s\n-- +upgrade\nCREATE TABLE ok_table (id integer);\nCREATE TABLEX broken (id integer);\n-- +downgrade\nDROP TABLE ok_table;\n' "$head" >"$TMP/chain/0100_bad.sql"
  expect_exit 3 "$SRA" db upgrade head --url "$URL" --migrations "$TMP/chain" || return
  one_line_error "0100_bad.sql:5: syntax error at or near \"TABLEX\""
  assert_eq "$(state)" "$before" "database after a section that does not parse"
}

case_unknown_target() {
  expect_exit 0 "$SRA" db upgrade 1e530067ad44 --url "$URL" -q || return
  local before; before=$(state)
  expect_exit 3 "$SRA" db upgrade ffffffffffff --url "$URL" || return
  one_line_error "unknown revision 'ffffffffffff'"
  expect_exit 3 "$SRA" db upgrade 446c386d3d77 --url "$URL" || return
  one_line_error "446c386d3d77 belongs to the Python application's Alembic chain"
  expect_exit 2 "$SRA" db upgrade +x --url "$URL" || return
  one_line_error "bad upgrade target '\\+x'"
  expect_exit 2 "$SRA" db downgrade head --url "$URL" || return
  one_line_error "'head' is not a downgrade target"
  assert_eq "$(state)" "$before" "database after unknown targets"
}

case_two_heads() {
  expect_exit 0 "$SRA" db upgrade 9cd2f7e24c87 --url "$URL" -q || return
  local before; before=$(state)
  chain_dir
  local head; head=$("$SRA" db heads | awk '{print $1}')
  printf -- '-- revision: bbbbbbbbbbbb\n-- down_revision: %s\n-- +upgrade\nCREATE TABLE b1 (id integer);\n-- +downgrade\nDROP TABLE b1;\n' "$head" >"$TMP/chain/0100_b.sql"
  printf -- '-- revision: cccccccccccc\n-- down_revision: %s\n-- +upgrade\nCREATE TABLE c1 (id integer);\n-- +downgrade\nDROP TABLE c1;\n' "$head" >"$TMP/chain/0101_c.sql"
  expect_exit 3 "$SRA" db upgrade head --url "$URL" --migrations "$TMP/chain" || return
  one_line_error "heads.*(bbbbbbbbbbbb.*cccccccccccc|cccccccccccc.*bbbbbbbbbbbb)"
  assert_eq "$(state)" "$before" "database after two heads"
  # `heads` applies both, and merge joins them
  expect_exit 0 "$SRA" db upgrade heads --url "$URL" -q --migrations "$TMP/chain" || return
  assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 2 "version rows with two heads"
  expect_exit 0 "$SRA" db merge -m "join b and c" bbbb cccc --migrations "$TMP/chain" || return
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q --migrations "$TMP/chain" || return
  assert_eq "$(q 'SELECT count(*) FROM alembic_version')" 1 "version rows after the merge"
  # duplicate ids and missing parents are chain conflicts
  cp "$TMP/chain/0100_b.sql" "$TMP/chain/0102_dup.sql"
  expect_exit 3 "$SRA" db heads --migrations "$TMP/chain" || return
  one_line_error "duplicate revision id bbbbbbbbbbbb"
}

case_bad_urls() {
  expect_exit 2 "$SRA" db current --url "mysql://u:secret@h/db" || return
  one_line_error "unknown database URL scheme 'mysql://'"
  printf '%s' "$ERR" | grep -q secret && fail "password printed"
  expect_exit 1 "$SRA" db current --url "postgresql:///x?host=/nonexistent-socket-dir" || return
  one_line_error "."
  # ENVIRONMENT=test refuses a database whose name lacks "test"
  expect_exit 2 env ENVIRONMENT=test TEST_DATABASE_URL="postgresql://u:pw@localhost/production_db" "$SRA" db current || return
  one_line_error "does not contain \"test\""
  printf '%s' "$ERR" | grep -q ':pw@' && fail "password printed"
  expect_exit 2 env ENVIRONMENT=staging "$SRA" db current || return
  one_line_error "unknown ENVIRONMENT 'staging'"
  [ -e "$TMP/sra.db" ] && fail "a refused command created sra.db"
  return 0
}

case_passwords() {
  [ "$BACKEND" = pg ] || return 0
  local base="postgresql://sra_pw_user:WRONG@/$DBNAME?host=$PGHOST&port=${PGPORT:-5432}"
  expect_exit 1 "$SRA" db current --url "$base" || return
  one_line_error "password authentication failed"
  printf '%s' "$ERR" | grep -q WRONG && fail "wrong password printed: $ERR"
  # the right password, percent-encoded (it holds @ % : /)
  expect_exit 0 "$SRA" db upgrade 1e530067ad44 -q --url "postgresql://sra_pw_user:p%40ss%25w%3Ard%2F1@/$DBNAME?host=$PGHOST&port=${PGPORT:-5432}" || return
  assert_eq "$(q 'SELECT version_num FROM alembic_version')" 1e530067ad44 "upgrade with a percent-encoded password"
}

case_environment_choice() {
  # .env and .env.<ENVIRONMENT> supply unset variables; --url wins over both
  mkdir -p "$TMP/envdir"
  printf 'SRA_DATABASE_URL=sqlite:///from-dotenv.db\n' >"$TMP/envdir/.env"
  printf 'TEST_DATABASE_URL=sqlite:///%s/my_test.db\n' "$TMP/envdir" >"$TMP/envdir/.env.test"
  (cd "$TMP/envdir" && "$SRA" db upgrade 1e530067ad44 -q) || fail "upgrade with .env"
  [ -f "$TMP/envdir/from-dotenv.db" ] || fail ".env SRA_DATABASE_URL not used"
  (cd "$TMP/envdir" && env -u TEST_DATABASE_URL ENVIRONMENT=test "$SRA" db upgrade 1e530067ad44 -q) || fail "upgrade with .env.test"
  [ -f "$TMP/envdir/my_test.db" ] || fail ".env.test TEST_DATABASE_URL not used"
  (cd "$TMP/envdir" && SRA_DATABASE_URL="sqlite:///env-var.db" "$SRA" db upgrade 1e530067ad44 -q) || fail "upgrade with env"
  [ -f "$TMP/envdir/env-var.db" ] || fail "the environment does not win over .env"
  (cd "$TMP/envdir" && "$SRA" db upgrade 1e530067ad44 -q --url "sqlite:///url.db") || fail "upgrade with --url"
  [ -f "$TMP/envdir/url.db" ] || fail "--url does not win"
  # production guard
  expect_exit 2 env ENVIRONMENT=production SRA_DATABASE_URL="$URL" "$SRA" db downgrade base </dev/null || return
  one_line_error "needs --yes"
  expect_exit 2 env ENVIRONMENT=prod SRA_DATABASE_URL="$URL" "$SRA" db stamp base </dev/null || return
  one_line_error "needs --yes"
  expect_exit 0 env ENVIRONMENT=production SRA_DATABASE_URL="$URL" "$SRA" db stamp base --yes -q </dev/null || return
  expect_exit 0 env ENVIRONMENT=production SRA_DATABASE_URL="$URL" "$SRA" db upgrade 1e530067ad44 -q </dev/null || return
}

case_usage() {
  expect_exit 0 "$SRA" --version || return
  printf '%s' "$OUT" | grep -qE '^sra [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version: $OUT"
  expect_exit 0 "$SRA" --help || return
  printf '%s' "$OUT" | grep -q 'db ' || fail "--help lists no db command"
  expect_exit 0 "$SRA" db --help || return
  printf '%s' "$OUT" | grep -q 'upgrade' || fail "db --help lists no upgrade"
  expect_exit 2 "$SRA" db frobnicate || return
  one_line_error "unknown command 'frobnicate'"
  expect_exit 2 "$SRA" db upgrade --no-such-option || return
  one_line_error "unknown option '--no-such-option'"
}

run_cases case_malformed_header case_section_does_not_parse case_unknown_target case_two_heads \
  case_bad_urls case_passwords case_environment_choice case_usage
