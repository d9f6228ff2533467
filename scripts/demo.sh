#!/usr/bin/env bash
# Install Tiaodu into ./.venv (first run only does real work) and start the demo:
# a demo city loaded into SQLite under ./data, served on http://127.0.0.1:8000/.
# Usage: scripts/demo.sh [arguments for `tiaodu demo`]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "demo.sh: Python 3.11 or newer is needed (python3.11 or python3 on PATH)" >&2
    return 1
}

if [ ! -x .venv/bin/python ]; then
    python="$(find_python)"
    echo "Creating .venv with $("$python" --version 2>&1) ..."
    "$python" -m venv .venv
fi

echo "Installing Tiaodu into .venv ..."
# pip prints "WARNING: Location '...' is ignored" for every unreachable find-links/index on some machines.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . 2>&1 |
    { grep -vE '^WARNING: Location .* is ignored' || true; }

exec .venv/bin/tiaodu demo "$@"
