#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL 15 server (platform.md recipe):
#   scripts/pg-test-server.sh CMD [ARGS...]
# The server is socket-only, in a private temporary directory, and is stopped
# and removed when CMD ends, whatever happens.  CMD sees PGHOST, PGPORT,
# PGUSER, PGDATABASE and TEST_DATABASE_URL.  Fails (exit 1) when the server
# cannot start: tests that need it must never be skipped silently.
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
if [ ! -x "$PGBIN/initdb" ]; then
  echo "pg-test-server: $PGBIN/initdb not found (apt-get install postgresql-15)" >&2
  exit 1
fi
PGTMP=$(mktemp -d -t sra-pg.XXXXXX)
chmod 755 "$PGTMP"
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$PGTMP"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
pg_stop() {
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  [ -n "${PGBOUNCER_PID:-}" ] && kill "$PGBOUNCER_PID" 2>/dev/null || true
  rm -rf "$PGTMP"
}
trap pg_stop EXIT
as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log" 2>&1 \
  || { cat "$PGTMP/initdb.log" >&2; echo "pg-test-server: initdb failed" >&2; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 start \
  -o "-p 5432 -k $PGTMP -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
  || { cat "$PGTMP/server.log" >&2; echo "pg-test-server: the server did not start" >&2; exit 1; }
export PGHOST="$PGTMP" PGPORT=5432 PGUSER=postgres PGDATABASE=sra_test
"$PGBIN/createdb" sra_test
export TEST_DATABASE_URL="postgresql:///sra_test?host=$PGTMP&port=5432&user=postgres"
export SRA_PG_SOCKET_DIR="$PGTMP"
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -Atc "select version()" >&2
set +e
"$@"
rc=$?
set -e
exit $rc
