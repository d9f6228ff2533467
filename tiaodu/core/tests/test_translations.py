"""The English catalogue (tiaodu/locale/en): complete, compiled, covering the sources, placeholders intact.

The interface is written in Chinese (the msgids); English is a full translation. When a test here fails
after new strings were added: run ``scripts/messages.sh``, translate the new entries in
``tiaodu/locale/en/LC_MESSAGES/django.po`` (no "fuzzy" left), run ``scripts/messages.sh`` again to compile
the ``.mo``, and commit both files.
"""

import io
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

import tiaodu

PACKAGE_DIR = Path(tiaodu.__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
MESSAGES_SH = REPO_DIR / "scripts" / "messages.sh"
LOCALE_DIR = PACKAGE_DIR / "locale"
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

HOW_TO_FIX = (
    "run scripts/messages.sh and translate them in tiaodu/locale/en/LC_MESSAGES/django.po "
    "(no fuzzy flags), then run scripts/messages.sh again to compile the .mo"
)
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

# Placeholders a translation must keep: %(name)s-style (validators, {% blocktranslate %}) and
# {name}-style (str.format). "%%" and "{{"/"}}" are escapes, not placeholders.
PRINTF_PLACEHOLDER = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[#0 +-]*\d*(?:\.\d+)?[sdif]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{[A-Za-z_][^{}]*\}(?!\})|(?<!\{)\{\}(?!\})")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# msgids whose English may keep Chinese characters (proper nouns); none so far.
CHINESE_ALLOWED_IN_ENGLISH: set[str] = set()


def _key(entry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _label(entry) -> str:
    places = ", ".join(sorted({path for path, _line in entry.occurrences}))
    context = f" [context {entry.msgctxt!r}]" if entry.msgctxt else ""
    return f"{entry.msgid!r}{context}" + (f"  ({places})" if places else "")


def _translations(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _placeholders(text: str) -> list[str]:
    return sorted(PRINTF_PLACEHOLDER.findall(text) + BRACE_PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def po():
    assert PO_PATH.exists(), f"{PO_PATH} is missing: {HOW_TO_FIX}"
    return polib.pofile(str(PO_PATH))


def _live_entries(po):
    return [entry for entry in po if not entry.obsolete]


# --- (a) complete -------------------------------------------------------------------------------------------------


def test_catalogue_has_no_untranslated_or_fuzzy_entries(po):
    assert not po.metadata_is_fuzzy, (
        'the header of django.po is marked "#, fuzzy": msgfmt then drops it (charset, plural forms) from the .mo; '
        "remove the flag"
    )
    assert po.metadata.get("Language") == "en"
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"
    fuzzy = [_label(entry) for entry in _live_entries(po) if entry.fuzzy]
    untranslated = [_label(entry) for entry in _live_entries(po) if not entry.fuzzy and not all(_translations(entry))]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (check, fix and remove the flag):\n" + "\n".join(fuzzy)
    assert not untranslated, f"{len(untranslated)} untranslated entries ({HOW_TO_FIX}):\n" + "\n".join(untranslated)


def test_english_has_no_chinese_left(po):
    left = [
        f"{_label(entry)} -> {_translations(entry)!r}"
        for entry in _live_entries(po)
        if entry.msgid not in CHINESE_ALLOWED_IN_ENGLISH and any(CJK.search(text) for text in _translations(entry))
    ]
    assert not left, "English translations that still contain Chinese:\n" + "\n".join(left)


# --- (b) compiled ---------------------------------------------------------------------------------------------------


def test_compiled_catalogue_matches_the_po(po):
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run scripts/messages.sh"
    mo = polib.mofile(str(MO_PATH))
    assert "charset=UTF-8" in mo.metadata.get("Content-Type", ""), "the .mo has no UTF-8 header: recompile it"

    def as_dict(entries):
        return {_key(entry): tuple(_translations(entry)) for entry in entries if entry.msgid}

    expected = as_dict(entry for entry in _live_entries(po) if entry.translated())
    compiled = as_dict(mo)
    stale = sorted(str(key[1]) for key in expected.keys() ^ compiled.keys()) + sorted(
        str(key[1]) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key]
    )
    assert not stale, (
        "django.mo is out of date with django.po (run scripts/messages.sh, or msgfmt --check -o django.mo "
        "django.po); differing msgids:\n" + "\n".join(stale[:50])
    )


# --- (c) covers the sources ---------------------------------------------------------------------------------------


def _ignore_patterns() -> list[str]:
    """The --ignore patterns of scripts/messages.sh, so that this test extracts exactly what the script does."""
    patterns = re.findall(r"--ignore\s+'([^']+)'", MESSAGES_SH.read_text(encoding="utf-8"))
    assert patterns, f"no --ignore '...' options found in {MESSAGES_SH}"
    return sorted(set(patterns))


def _copy_sources(target: Path, ignore_patterns: list[str]) -> None:
    """The package's .py/.html/.txt files (what makemessages reads), without locale/static/caches."""
    skip_dirs = {"locale", "__pycache__"} | {p for p in ignore_patterns if "/" not in p and "*" not in p}

    def ignore(directory, names):
        ignored = []
        for name in names:
            path = Path(directory, name)
            if path.is_dir():
                if name in skip_dirs or name.startswith("."):
                    ignored.append(name)
            elif path.suffix not in {".py", ".html", ".txt"}:
                ignored.append(name)
        return ignored

    shutil.copytree(PACKAGE_DIR, target, ignore=ignore)


def _extract_msgids(tmp_path: Path, monkeypatch) -> polib.POFile:
    """Run Django's makemessages on a copy of the package (the working tree is not touched)."""
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.fail(
            f"GNU gettext is not installed ({', '.join(missing_tools)} not found on PATH): this test extracts "
            "the translatable strings with xgettext. Install it (Debian/Ubuntu: apt-get install gettext; "
            "scripts/test.sh does it)."
        )
    ignore_patterns = _ignore_patterns()
    copy = tmp_path / "tiaodu"
    _copy_sources(copy, ignore_patterns)
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        call_command(
            "makemessages",
            locale=["en"],
            domain="django",
            extensions=["html", "txt", "py"],
            ignore_patterns=ignore_patterns,
            keep_pot=True,
            no_obsolete=True,
            add_location="file",
            verbosity=0,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    pot = copy / "locale" / "django.pot"
    assert pot.exists(), "makemessages found no translatable strings in the tiaodu package"
    return polib.pofile(str(pot))


def test_catalogue_covers_every_string_in_the_sources(po, tmp_path, monkeypatch):
    extracted = _extract_msgids(tmp_path, monkeypatch)
    assert len(extracted) > 100, "suspiciously few strings extracted: is the extraction looking at the package?"
    committed = {_key(entry): entry for entry in _live_entries(po)}
    missing = []
    for entry in extracted:
        found = committed.get(_key(entry))
        if found is None or found.fuzzy or not all(_translations(found)):
            state = "not in django.po" if found is None else ("fuzzy" if found.fuzzy else "untranslated")
            missing.append(f"{_label(entry)}: {state}")
        elif (entry.msgid_plural or "") != (found.msgid_plural or ""):
            missing.append(f"{_label(entry)}: plural form changed")
    assert not missing, (
        f"{len(missing)} strings of the sources have no English translation; {HOW_TO_FIX}:\n" + "\n".join(missing)
    )


# --- (d) placeholders -----------------------------------------------------------------------------------------------


def test_translations_keep_the_placeholders(po):
    wrong = []
    for entry in _live_entries(po):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, text in pairs:
            if text and _placeholders(source) != _placeholders(text):
                wrong.append(f"{entry.msgid!r}: {_placeholders(source)} -> {text!r} has {_placeholders(text)}")
    assert not wrong, "translations whose placeholders differ from the msgid (a page would crash):\n" + "\n".join(wrong)


def test_placeholders_really_format(po):
    """Every translation formats with the values its msgid expects (catches a typo such as %(value)d or {feild})."""
    failures = []
    for entry in _live_entries(po):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        names = {
            name
            for source in sources
            for name in re.findall(r"%\(([^)]*)\)", source) + re.findall(r"\{([A-Za-z_]\w*)\}", source)
        }
        values = dict.fromkeys(names, "x")
        for text in _translations(entry):
            try:
                if "python-format" in entry.flags:
                    text % values
                if "python-brace-format" in entry.flags:
                    text.format(**values)
            except (KeyError, ValueError, TypeError, IndexError) as error:
                failures.append(f"{entry.msgid!r} -> {text!r}: {error!r}")
    assert not failures, "\n".join(failures)


# --- (e) Django serves the English ---------------------------------------------------------------------------------


def test_django_serves_english_and_chinese():
    from tiaodu.projects.choices import Pool, Stage

    with translation.override("en"):
        assert translation.gettext("项目名称") == "Project name"
        assert translation.gettext("项目库") == "Projects"
        assert translation.gettext("重点项目名单") == "Key project lists"
        assert translation.gettext("总投资（万元）") == "Total investment (10k yuan)"
        assert str(Stage.CONSTRUCTION.label) == "Under construction"
        assert str(Pool.OPERATING.label) == "Operating pool"
        assert translation.ngettext("共 %(counter)s 条", "共 %(counter)s 条", 1) % {"counter": 1} == "1 record"
        assert translation.ngettext("共 %(counter)s 条", "共 %(counter)s 条", 3) % {"counter": 3} == "3 records"
        assert translation.gettext("{field}不能晚于今天（{today}）。").format(field="F", today="T") == (
            "F cannot be later than today (T)."
        )
        rendered = Template(
            '{% load i18n %}{% translate "登录" %}|{% blocktranslate with date="2025-01-02" %}自 {{ date }}'
            "{% endblocktranslate %}"
        ).render(Context())
        assert rendered == "Log in|since 2025-01-02"
    with translation.override("zh-hans"):
        assert translation.gettext("项目名称") == "项目名称"
        assert str(Stage.CONSTRUCTION.label) == "在建"
