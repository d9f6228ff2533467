#!/usr/bin/env bash
# Regenerate the English catalogue from the sources and compile it:
#   tiaodu/locale/en/LC_MESSAGES/django.po  (+ django.mo, both committed)
# Existing translations are kept (msgmerge); strings gone from the sources are dropped (--no-obsolete).
# New strings arrive untranslated: translate them in the .po (no "fuzzy" left), then run this again
# to compile. Ends with the count of translated / untranslated / fuzzy entries and lists the ones left
# to do (tiaodu/core/tests/test_translations.py fails while there are any).
# Needs GNU gettext (Debian: apt-get install gettext) and .venv (scripts/test.sh or scripts/demo.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
PO="tiaodu/locale/en/LC_MESSAGES/django.po"
MO="tiaodu/locale/en/LC_MESSAGES/django.mo"

for program in xgettext msgmerge msguniq msgattrib msgfmt; do
    if ! command -v "$program" >/dev/null 2>&1; then
        echo "messages.sh: $program not found; install GNU gettext (Debian: apt-get install gettext)" >&2
        exit 1
    fi
done
if [ ! -x .venv/bin/tiaodu ]; then
    echo "messages.sh: .venv/bin/tiaodu not found; run scripts/test.sh or scripts/demo.sh once first" >&2
    exit 1
fi

# Settings write a secret key into the data folder when none is configured: keep it the usual ./data,
# not tiaodu/data (the commands below run from tiaodu/).
export TIAODU_DATA_DIR="${TIAODU_DATA_DIR:-$ROOT/data}"
export DJANGO_SETTINGS_MODULE=tiaodu.settings

# Run from the package folder: makemessages and compilemessages walk the current directory, so this
# scans the tiaodu package only (not .venv, tests/ or data/), and its ./locale is LOCALE_PATHS.
cd tiaodu
"$ROOT/.venv/bin/tiaodu" makemessages \
    --locale en \
    --domain django \
    --extension html,txt,py \
    --ignore 'tests' \
    --ignore 'data' \
    --ignore 'migrations' \
    --ignore 'node_modules' \
    --ignore 'static' \
    --ignore '*/static/vendor/*' \
    --ignore '.venv' \
    --no-obsolete \
    --add-location file \
    --verbosity 1
"$ROOT/.venv/bin/tiaodu" compilemessages \
    --locale en \
    --ignore 'static' \
    --ignore 'node_modules' \
    --verbosity 1
cd "$ROOT"

if [ ! -f "$PO" ] || [ ! -f "$MO" ]; then
    echo "messages.sh: expected $PO and $MO, one is missing" >&2
    exit 1
fi

# compilemessages skips a .po older than its .mo; make sure the .mo really matches the .po.
msgfmt --check --output-file "$MO" "$PO"

"$ROOT/.venv/bin/python" - "$PO" <<'PY'
import sys

import polib

po = polib.pofile(sys.argv[1])
entries = [entry for entry in po if not entry.obsolete]
fuzzy = [entry for entry in entries if entry.fuzzy]
untranslated = [entry for entry in entries if not entry.translated() and not entry.fuzzy]
print(f"{sys.argv[1]}: {len(entries)} entries, {len(entries) - len(fuzzy) - len(untranslated)} translated, "
      f"{len(untranslated)} untranslated, {len(fuzzy)} fuzzy" + (", header marked fuzzy" if po.metadata_is_fuzzy else ""))
if fuzzy or untranslated or po.metadata_is_fuzzy:
    for entry in untranslated + fuzzy:
        print(f"  {'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r}  ({', '.join(f for f, _ in entry.occurrences)})")
    print("Translate them in the .po (and remove the \"#, fuzzy\" flags, the header's too), "
          "then run scripts/messages.sh again to compile.", file=sys.stderr)
PY
