#!/usr/bin/env bash
# make bench: each speed target of the issues as a ratio against its
# baseline, both measured here, now, by hyperfine (medians).  Run under
# scripts/pg-test-server.sh (PGHOST set).  Prints a Markdown table.
set -euo pipefail
SRA=$(realpath "${1:-build/sra}")
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
PSQL=/usr/lib/postgresql/15/bin/psql   # /usr/bin/psql is a Perl wrapper (+45 ms)
RUNS=${SRA_BENCH_RUNS:-30}
W=$(mktemp -d -t sra-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W"
ROWS=()
EXTRA_OUT=""

# median NAME "CMD" -> seconds (hyperfine without a shell; CMD is split like shell words)
median() {
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/$1.json" "$2" >/dev/null 2>&1 \
    || { echo "bench: $1 failed: $2" >&2; kill $$; }
  jq -r '.results[0].median' "$W/$1.json"
}
# median_prep NAME PREPARE CMD -> seconds, with a shell prepare step before every run
median_prep() {
  local name=$1 prep=$2 cmd=$3
  hyperfine --warmup 2 --runs "$RUNS" --prepare "$prep" --export-json "$W/$name.json" "$cmd" >/dev/null 2>&1 \
    || { echo "bench: $name failed: $cmd" >&2; kill $$; }
  jq -r '.results[0].median' "$W/$name.json"
}
ms() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'; }
row() {  # what, sra seconds, baseline name, baseline seconds, target text, verdict expression (r = ratio, d = ms difference)
  local r d ok
  r=$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
  d=$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", (a - b) * 1000 }')
  ok=$(awk -v r="$r" -v d="$d" "BEGIN { print ($6) ? \"yes\" : \"NO\" }")
  ROWS+=("| $1 | $(ms "$2") | $3 | $(ms "$4") | ${r}x | ${d} | $5 | $ok |")
}

# 1. start-up
t_true=$(median true "/bin/true")
row "sra --version" "$(median version "$SRA --version")" "/bin/true" "$t_true" "<= 2.5x" "r <= 2.5"
row "sra --help" "$(median help "$SRA --help")" "/bin/true" "$t_true" "<= 2.5x" "r <= 2.5"

# 2. current on an up-to-date SQLite file
"$SRA" db upgrade -q --url "sqlite:///$W/cur.db"
row "sra db current (SQLite)" "$(median cur_sqlite "$SRA db current --url sqlite:///$W/cur.db")" \
  "sqlite3 shell" "$(median cur_sqlite3 "sqlite3 $W/cur.db 'select version_num from alembic_version'")" "<= 1.5x" "r <= 1.5"

# 3. PostgreSQL
: "${PGHOST:?run under scripts/pg-test-server.sh}"
url() { echo "postgresql:///$1?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"; }
$PSQL -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench_cur' -c 'CREATE DATABASE bench_cur'
"$SRA" db upgrade -q --url "$(url bench_cur)"
row "sra db current (PostgreSQL)" "$(median cur_pg "$SRA db current --url '$(url bench_cur)'")" \
  "psql -Atc" "$(median cur_psql "$PSQL -X -Atc 'select version_num from alembic_version' -d bench_cur")" "<= psql + 5 ms" "d <= 5"

"$SRA" db upgrade --sql --url postgresql:// | grep -v -e '^BEGIN;$' -e '^COMMIT;$' >"$W/up.sql"
reset_db='/usr/lib/postgresql/15/bin/psql -X -q -d postgres -c "DROP DATABASE IF EXISTS bench_up" -c "CREATE DATABASE bench_up"'
t_sra=$(median_prep up_sra "$reset_db" "$SRA db upgrade -q --url '$(url bench_up)'")
t_psql=$(median_prep up_psql "$reset_db" "$PSQL -X -q -1 -v ON_ERROR_STOP=1 -f $W/up.sql -d bench_up")
row "base -> head (PostgreSQL)" "$t_sra" "psql -1 -f (same SQL)" "$t_psql" "<= 1x" "r <= 1.0"

# 4. stairway: each revision up, down, up, as separate commands
revs=$("$SRA" db history | awk '{print $3}' | sed 's/,$//' | tac)
: >"$W/stair_sra.sh"; : >"$W/stair_psql.sh"; prev=base
for rev in $revs; do
  "$SRA" db upgrade "$prev:$rev" --sql -q --url postgresql:// | grep -v -e '^BEGIN;$' -e '^COMMIT;$' >"$W/up_$rev.sql"
  "$SRA" db downgrade "$rev:-1" --sql -q --url postgresql:// | grep -v -e '^BEGIN;$' -e '^COMMIT;$' >"$W/down_$rev.sql"
  # the second time up, the version tables exist already
  grep -v -e '^CREATE TABLE alembic_version' -e '^CREATE TABLE sra_migration_log' "$W/up_$rev.sql" >"$W/again_$rev.sql"
  for f in up down again; do
    if [ $f = down ]; then echo "$SRA db downgrade -1 -q --url '$(url bench_up)'"; else echo "$SRA db upgrade +1 -q --url '$(url bench_up)'"; fi >>"$W/stair_sra.sh"
    echo "$PSQL -X -q -1 -v ON_ERROR_STOP=1 -f $W/${f}_$rev.sql -d bench_up" >>"$W/stair_psql.sh"
  done
  prev=$rev
done
t_sra=$(median_prep stair_sra "$reset_db" "bash $W/stair_sra.sh")
t_psql=$(median_prep stair_psql "$reset_db" "bash $W/stair_psql.sh")
row "stairway (PostgreSQL, 3 commands per revision)" "$t_sra" "same steps as psql runs" "$t_psql" "<= 1x" "r <= 1.0"

# 5. check at head against base -> head, on each database (issue 3)
reset_file="rm -f $W/up.db"
t_up=$(median_prep up_sqlite "$reset_file" "$SRA db upgrade -q --url sqlite:///$W/up.db")
row "sra db check at head (SQLite)" "$(median check_sqlite "$SRA db check -q --url sqlite:///$W/cur.db")" \
  "upgrade base -> head (SQLite)" "$t_up" "<= 2x" "r <= 2.0"
row "sra db check at head (PostgreSQL)" "$(median check_pg "$SRA db check -q --url '$(url bench_cur)'")" \
  "upgrade base -> head (PostgreSQL)" "$(median_prep up_sra2 "$reset_db" "$SRA db upgrade -q --url '$(url bench_up)'")" "<= 2x" "r <= 2.0"

# 6. the import, benchmark-run (issue 4), report (issue 11), RIS (issue 10) and index (issue 12)
# targets: long, SRA_BENCH_EXTRAS=0 skips them
for extra in bench_import.sh bench_benchmark.sh bench_report.sh bench_ris.sh bench_indexes.sh; do
  [ "${SRA_BENCH_EXTRAS:-1}" = 0 ] && break
  if [ -x "$BENCH_DIR/$extra" ]; then
    EXTRA_OUT+=$'\n'"$("$BENCH_DIR/$extra" "$SRA")"
  fi
done

echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, hyperfine medians of $RUNS runs."
echo
echo "| what | sra ms | baseline | baseline ms | ratio | diff ms | target | met |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
printf '%s\n' "${EXTRA_OUT:-}"
