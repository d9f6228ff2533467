#!/usr/bin/env bash
# Tiaodu bench on SQLite: a fresh database at bench/out/bench.sqlite3, migrate, generate the bench
# data, run the measurements.
#
#   bench/sqlite.sh [generate.py args] [-- run.py args]   e.g. bench/sqlite.sh --projects 10000 --months 12 -- --repeat 5
#   bench/sqlite.sh run [-- run.py args]                  measure again on the data left by the last full run
#   BENCH_SCRIPT=bench/pages_profile.py bench/sqlite.sh run where the pages' time goes (add --explain for plans)
#
# The database is opened with the application's own settings (WAL, synchronous=NORMAL).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
OUT="$ROOT/bench/out"
DB="$OUT/bench.sqlite3"
PYTHON="$ROOT/.venv/bin/python"

mode=full
if [ "${1:-}" = run ]; then
    mode=run
    shift
fi
gen_args=()
run_args=()
while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then
        shift
        run_args=("$@")
        break
    fi
    gen_args+=("$1")
    shift
done

export TIAODU_DATA_DIR="$OUT/data"
mkdir -p "$TIAODU_DATA_DIR/static"
export TIAODU_SECRET_KEY="bench-only-not-a-secret-0123456789abcdef"
export TIAODU_DATABASE_URL="sqlite:///$DB"

if [ "$mode" = full ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    echo "== SQLite $("$PYTHON" -c 'import sqlite3; print(sqlite3.sqlite_version)') at $DB =="
    started=$(date +%s)
    "$ROOT/.venv/bin/tiaodu" migrate -v0
    echo "migrate: $(($(date +%s) - started))s"
    /usr/bin/time -f "generate: %es wall, %MkB max RSS" "$PYTHON" bench/generate.py "${gen_args[@]}"
    echo "database size: $(du -h "$DB" | cut -f1)"
fi

[ -f "$DB" ] || { echo "no database at $DB: run bench/sqlite.sh first" >&2; exit 1; }
if [ "$mode" = run ]; then  # data left by an earlier run: bring its schema up to the code's (may rebuild rows)
    started=$(date +%s)
    "$ROOT/.venv/bin/tiaodu" migrate -v1
    "$ROOT/.venv/bin/tiaodu" shell -c "from django.db import connection; connection.cursor().execute('ANALYZE')"
    echo "migrate: $(($(date +%s) - started))s"
fi
echo "== measurements =="
"$PYTHON" "${BENCH_SCRIPT:-bench/run.py}" "${run_args[@]}"
