#!/usr/bin/env bash
# Tiaodu bench on PostgreSQL: a throwaway cluster in bench/out/pg (unix socket only), migrate,
# generate the bench data, run the measurements, stop the cluster.
#
#   bench/pg.sh [generate.py args] [-- run.py args]     e.g. bench/pg.sh --projects 10000 --months 12 -- --repeat 5
#   bench/pg.sh run [-- run.py args]                     measure again on the data left by the last full run
#   BENCH_SCRIPT=bench/pages_profile.py bench/pg.sh run     where the pages' time goes (add --explain for plans)
#   BENCH_PG_DIR=bench/out/pg-ledgers BENCH_SCRIPT=bench/ledgers.py bench/pg.sh --projects 100 --months 1 -- --rows 50000
#                                                         a small cluster of its own (the province one stays as it is)
#
# The cluster's files stay in bench/out/pg (git-ignored) until the next full run replaces them.
# Loading runs with fsync off; the measurements run with the settings below (a small production-like setup
# for a 24 GiB machine), fsync back on.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
OUT="$ROOT/bench/out"
PG_DIR="$(realpath -m "${BENCH_PG_DIR:-$OUT/pg}")"  # another cluster: BENCH_PG_DIR=bench/out/pg-small bench/pg.sh --projects 1000
PORT=54331
PG_BIN="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
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

# PostgreSQL refuses to run as root: as root, run the server tools as the postgres user.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}

SETTINGS="-c shared_buffers=1GB -c effective_cache_size=12GB -c work_mem=32MB -c maintenance_work_mem=512MB"
start() {
    local extra="$1"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 120 \
        -o "-k $PG_DIR -p $PORT -c listen_addresses='' $SETTINGS $extra" start >/dev/null
}
stop() {
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export TIAODU_DATA_DIR="$(realpath -m "${BENCH_DATA_DIR:-$OUT/data}")"
mkdir -p "$TIAODU_DATA_DIR/static"
export TIAODU_SECRET_KEY="bench-only-not-a-secret-0123456789abcdef"
encoded="$("$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PG_DIR")"
export TIAODU_DATABASE_URL="postgres://tiaodu@$encoded:$PORT/tiaodu"

if [ "$mode" = full ]; then
    stop
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    chmod 755 "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
    start "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PORT" -U postgres -d postgres \
        -c "CREATE ROLE tiaodu LOGIN CREATEDB" -c "CREATE DATABASE tiaodu OWNER tiaodu" \
        -c "GRANT pg_checkpoint TO tiaodu" >/dev/null  # the ledger bench's CHECKPOINT after its untimed set-up
    echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') in $PG_DIR =="
    started=$(date +%s)
    "$ROOT/.venv/bin/tiaodu" migrate -v0
    echo "migrate: $(($(date +%s) - started))s"
    /usr/bin/time -f "generate: %es wall, %MkB max RSS" "$PYTHON" bench/generate.py "${gen_args[@]}"
    "$PG_BIN/psql" -X -q -h "$PG_DIR" -p "$PORT" -U postgres -d tiaodu -c "VACUUM (ANALYZE)" >/dev/null
    "$PG_BIN/psql" -X -A -t -h "$PG_DIR" -p "$PORT" -U postgres -d tiaodu \
        -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('tiaodu'))"
    stop
fi

[ -d "$PG_DIR/data" ] || { echo "no cluster in $PG_DIR: run bench/pg.sh first" >&2; exit 1; }
start ""
if [ "$mode" = run ]; then  # data left by an earlier run: bring its schema up to the code's (may rebuild rows)
    started=$(date +%s)
    "$ROOT/.venv/bin/tiaodu" migrate -v1
    "$PG_BIN/psql" -X -q -h "$PG_DIR" -p "$PORT" -U postgres -d tiaodu -c "VACUUM (ANALYZE)" >/dev/null
    echo "migrate: $(($(date +%s) - started))s"
fi
echo "== measurements =="
"$PYTHON" "${BENCH_SCRIPT:-bench/run.py}" "${run_args[@]}"
