#!/usr/bin/env bash
# `make demo`: sra on the embedded SQLite default, in a scratch directory
# (so the demo never touches a sra.db of yours).
set -euo pipefail
SRA=$(realpath "${1:-build/sra}")
DIR=${SRA_DEMO_DIR:-$(mktemp -d -t sra-demo.XXXXXX)}
cd "$DIR"
echo "== in $DIR, with the default database sqlite:///sra.db"
echo "\$ sra db upgrade"
"$SRA" db upgrade
echo
echo "\$ sra db current"
"$SRA" db current
echo
echo "\$ sra db history"
"$SRA" db history
echo
echo "\$ sra db inspect benchmark_runs"
"$SRA" db inspect benchmark_runs
echo
echo "\$ sra metrics --tp 40 --fp 60 --fn 10 --tn 890"
"$SRA" metrics --tp 40 --fp 60 --fn 10 --tn 890
