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
  local f
  for f in "$PGTMP"/pgbouncer-*.pid; do
    if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap pg_stop EXIT
as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log" 2>&1 \
  || { cat "$PGTMP/initdb.log" >&2; echo "pg-test-server: initdb failed" >&2; exit 1; }
# one role that must give its password, for the tests of wrong and
# percent-encoded passwords; everyone else is trusted on the private socket
sed -i '1i local all sra_pw_user scram-sha-256' "$PGTMP/data/pg_hba.conf"
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 start \
  -o "-p 5432 -k $PGTMP -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
  || { cat "$PGTMP/server.log" >&2; echo "pg-test-server: the server did not start" >&2; exit 1; }
export PGHOST="$PGTMP" PGPORT=5432 PGUSER=postgres PGDATABASE=sra_test
"$PGBIN/createdb" sra_test
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d sra_test \
  -c "CREATE ROLE sra_pw_user LOGIN SUPERUSER PASSWORD 'p@ss%w:rd/1'" >/dev/null
export TEST_DATABASE_URL="postgresql:///sra_test?host=$PGTMP&port=5432&user=postgres"
export SRA_PG_SOCKET_DIR="$PGTMP"

# pgbouncer in front of it, in transaction and in session pooling mode, as a
# hosted PostgreSQL's pooler has (sockets in $PGTMP, ports 6432 and 6433)
if [ -x /usr/sbin/pgbouncer ]; then
  for mode in transaction session; do
    port=6432; [ $mode = session ] && port=6433
    cat >"$PGTMP/pgbouncer-$mode.ini" <<INI
[databases]
* = host=$PGTMP port=5432
[pgbouncer]
listen_addr =
listen_port = $port
unix_socket_dir = $PGTMP
auth_type = trust
auth_file = $PGTMP/userlist.txt
pool_mode = $mode
max_client_conn = 200
default_pool_size = 4
ignore_startup_parameters = extra_float_digits
logfile = $PGTMP/pgbouncer-$mode.log
pidfile = $PGTMP/pgbouncer-$mode.pid
INI
  done
  echo '"postgres" ""' >"$PGTMP/userlist.txt"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGTMP"/pgbouncer-*.ini "$PGTMP/userlist.txt"
  for mode in transaction session; do
    as_pg /usr/sbin/pgbouncer -d "$PGTMP/pgbouncer-$mode.ini" \
      || { echo "pg-test-server: pgbouncer ($mode) did not start" >&2; exit 1; }
  done
  export SRA_PGBOUNCER_TX_PORT=6432 SRA_PGBOUNCER_SESSION_PORT=6433
fi
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -Atc "select version()" >&2
set +e
"$@"
rc=$?
set -e
exit $rc
