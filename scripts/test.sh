#!/usr/bin/env bash
# Run the whole Tiaodu test suite on a fresh Debian machine:
#   - installs what is missing (Debian: postgresql chromium fonts-noto-cjk gettext; .venv with '.[dev]'),
#   - ruff check,
#   - pytest on SQLite, then pytest on PostgreSQL (a throwaway local cluster, or $TIAODU_TEST_DATABASE_URL).
# Extra arguments go to both pytest runs:  scripts/test.sh -k scoping
# Exits non-zero if ruff or either database run fails (both runs always happen).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

log() { printf '%s\n' "$*" >&2; }

# --- Debian packages ------------------------------------------------------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
if [ -z "${TIAODU_TEST_DATABASE_URL:-}" ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    missing+=(postgresql)
fi
if ! command -v chromium >/dev/null 2>&1 && ! pkg_installed chromium; then
    missing+=(chromium)
fi
pkg_installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=(env)
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo env)
    else
        log "test.sh: missing Debian packages: ${missing[*]}; install them as root (no sudo here)."
        exit 1
    fi
    log "Installing Debian packages: ${missing[*]} ..."
    "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        </dev/null >/dev/null
fi

# --- Python environment ---------------------------------------------------------------------------
find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    log "test.sh: Python 3.11 or newer is needed (python3.11 or python3 on PATH)"
    return 1
}

if [ ! -x .venv/bin/python ]; then
    python="$(find_python)"
    log "Creating .venv with $("$python" --version 2>&1) ..."
    "$python" -m venv .venv
fi
log "Installing Tiaodu with its dev dependencies into .venv ..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 |
    { grep -vE '^WARNING: Location .* is ignored' || true; }

export VIRTUAL_ENV="$ROOT/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"

# --- Throwaway state, removed on exit -------------------------------------------------------------
WORK_DIR="$(mktemp -d -t tiaodu-test.XXXXXX)"
PG_DIR=""
PG_BIN=""

# shellcheck disable=SC2317  # (run by the EXIT trap)
cleanup() {
    local status=$?
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
    rm -rf "$WORK_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PostgreSQL refuses to run as root: as root, run the server tools as the postgres user.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$PG_DIR" && "$@")
    fi
}

export TIAODU_DATA_DIR="$WORK_DIR/data"
# static/ is STATIC_ROOT: WhiteNoise warns on every live_server start when it does not exist.
mkdir -p "$TIAODU_DATA_DIR/static"
# A fixed key: otherwise each pytest-xdist worker races to generate one into the data folder.
TIAODU_SECRET_KEY="test-only-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export TIAODU_SECRET_KEY
export TIAODU_CHROMIUM="${TIAODU_CHROMIUM:-/usr/bin/chromium}"
export PYTHONDONTWRITEBYTECODE=1

# --durations: the slowest tests are named in every run's output (CI's included), so a slow one is seen.
PYTEST=(python -m pytest -n 2 -p no:cacheprovider --durations=15 "$@")

# Runs pytest with TIAODU_DATABASE_URL=$1; prints why it failed. Exit code 5 (nothing collected) fails too.
run_pytest() {
    local url="$1" name="$2" rc=0
    TIAODU_DATABASE_URL="$url" "${PYTEST[@]}" || rc=$?
    case "$rc" in
        0) ;;
        5) log "test.sh: $name: pytest collected no tests (exit code 5) - counted as a failure" ;;
        *) log "test.sh: $name: pytest failed (exit code $rc)" ;;
    esac
    return "$rc"
}

declare -A result=()

# --- Lint -----------------------------------------------------------------------------------------
echo "== ruff =="
if ruff check .; then result[ruff]=ok; else result[ruff]=FAILED; fi

# --- SQLite ---------------------------------------------------------------------------------------
echo
echo "== SQLite =="
if run_pytest "sqlite:///$WORK_DIR/test.sqlite3" SQLite; then result[SQLite]=ok; else result[SQLite]=FAILED; fi

# --- PostgreSQL -----------------------------------------------------------------------------------
start_postgres() {
    local started port=54329 encoded
    started="$(date +%s.%N)"
    PG_BIN="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    if [ ! -x "$PG_BIN/initdb" ]; then
        log "test.sh: no PostgreSQL server binaries under /usr/lib/postgresql"
        return 1
    fi
    # Under /tmp (not $TMPDIR): the postgres user must reach it, and a unix socket path must stay short.
    # (This function runs in an `if`, where set -e is off: every step checks its own failure.)
    PG_DIR="$(mktemp -d /tmp/tiaodu-pg.XXXXXX)" || return 1
    chmod 755 "$PG_DIR" || return 1
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_DIR" || return 1
    fi
    if ! as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
        cat "$PG_DIR/initdb.log" >&2
        return 1
    fi
    # Unix socket only (in the private $PG_DIR), so the fixed port cannot clash with another server.
    # No autovacuum: its ANALYZE, run while a test's transaction holds uncommitted rows, records their
    # pages but none of the rows (reltuples 0 over N pages); every later plan in that database then takes
    # the table for empty, and a long test (the demo city's load) walks whole tables per row for hours.
    # Never analysed, a table's size is estimated from its pages, which is right for these short-lived
    # databases. (A TIAODU_TEST_DATABASE_URL server should run with autovacuum off for the same reason.)
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-k $PG_DIR -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c log_lock_waits=on -c log_min_duration_statement=10000 -c autovacuum=off" \
        start >/dev/null; then
        cat "$PG_DIR/server.log" >&2
        return 1
    fi
    # A role like production's: not a superuser, but allowed to create pytest-django's test_tiaodu* databases.
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$port" -U postgres -d postgres \
        -c "CREATE ROLE tiaodu LOGIN CREATEDB" -c "CREATE DATABASE tiaodu OWNER tiaodu" >/dev/null || return 1
    encoded="$(python -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PG_DIR")" ||
        return 1
    PG_URL="postgres://tiaodu@$encoded:$port/tiaodu"
    log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') ready on $PG_DIR (port $port)" \
        "in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
}

echo
echo "== PostgreSQL =="
PG_URL="${TIAODU_TEST_DATABASE_URL:-}"
if [ -z "$PG_URL" ] && ! start_postgres; then
    log "test.sh: could not start a throwaway PostgreSQL cluster"
    result[PostgreSQL]=FAILED
elif run_pytest "$PG_URL" PostgreSQL; then
    result[PostgreSQL]=ok
else
    result[PostgreSQL]=FAILED
fi
# What the throwaway server saw of lock waits (over a second) and statements over 10 s: the first place to
# look when its run was slow.
if [ -n "$PG_DIR" ] && grep -qE 'still waiting|acquired .* after|duration: |deadlock' "$PG_DIR/server.log"; then
    echo
    echo "== PostgreSQL: lock waits and slow statements (server log) =="
    grep -E -A2 'still waiting|acquired .* after|duration: |deadlock' "$PG_DIR/server.log" | cut -c1-400 | head -n 80
fi

# --- Summary --------------------------------------------------------------------------------------
echo
echo "== Summary =="
status=0
for step in ruff SQLite PostgreSQL; do
    printf '  %-11s %s\n' "$step" "${result[$step]}"
    [ "${result[$step]}" = ok ] || status=1
done
exit "$status"
