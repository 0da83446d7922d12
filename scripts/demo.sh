#!/usr/bin/env bash
# `make demo`: sra on the embedded SQLite default, in a scratch directory
# (so the demo never touches a sra.db of yours): the schema, then a
# synthetic review screened by two simulated reviewers and a resolver,
# benchmarked against its human labels.
set -euo pipefail
SRA=$(realpath "${1:-build/sra}")
DIR=${SRA_DEMO_DIR:-$(mktemp -d -t sra-demo.XXXXXX)}
cd "$DIR"
say() { printf '\n$ %s\n' "$*"; }
echo "== in $DIR, with the default database sqlite:///sra.db"
say sra db upgrade;                    "$SRA" db upgrade
say sra db current;                    "$SRA" db current
say sra db inspect benchmark_runs;     "$SRA" db inspect benchmark_runs
say sra db check;                      "$SRA" db check
say sra demo --records 500 --seed 7;   "$SRA" demo --records 500 --seed 7
echo
echo "== the report with figures (sra benchmark report): open $DIR/demo-report.html in a browser"
