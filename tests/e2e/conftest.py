"""Fixtures for end-to-end tests: Debian's Chromium driven by Playwright's sync API.

Playwright never downloads a browser here: it drives the binary named by ``TIAODU_CHROMIUM``
(default ``/usr/bin/chromium``, Debian package ``chromium``; Chinese text needs ``fonts-noto-cjk``).
``scripts/test.sh`` installs both. Every test in this folder gets the ``e2e`` marker, so
``pytest -m "not e2e"`` runs the suite without a browser.

The server is pytest-django's ``live_server`` (a test that uses it gets ``transactional_db``).
On failure, ``page`` saves a screenshot to ``test-results/<test name>.png``.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an event loop running in the test thread; without this, Django refuses
# ORM calls made from that thread (SynchronousOnlyOperation), in e2e tests and in any test after them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TIAODU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
LOGIN_PATH = "/accounts/login/"
DEFAULT_TIMEOUT_MS = 15_000

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A conftest's collection hook sees every collected item, not only this folder's.
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    """Keep each phase's report on the item (``item.rep_setup``, ``rep_call``) for fixtures' teardown."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def screenshot_path(name: str) -> Path:
    """``test-results/<name>.png`` (the folder created), with characters unsafe in a file name replaced."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    return RESULTS_DIR / (re.sub(r"[^\w.\[\]=-]+", "_", name) + ".png")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process (each pytest-xdist worker has its own).

    ``launch`` gives the browser a fresh temporary profile (user-data dir), removed on close;
    every test gets a new context from ``page``, so no cookies or storage leak between tests.
    """
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM!r}: install Debian's package (apt-get install chromium "
            "fonts-noto-cjk; scripts/test.sh does it) or set TIAODU_CHROMIUM to a Chromium binary. "
            "End-to-end tests are never skipped for a missing browser; deselect them with -m 'not e2e'.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """A new page in a new browser context: 1366x900, zh-CN, Asia/Shanghai.

    If the test fails, a full-page screenshot is saved to ``test-results/<test name>.png``.
    """
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()
    try:
        yield new_page
        failed = any(getattr(getattr(request.node, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))
        if failed:
            try:
                new_page.screenshot(path=screenshot_path(request.node.name), full_page=True)
            except Exception as exc:  # never hide the test's own failure behind a screenshot error
                print(f"could not save a screenshot of the failed test: {exc}")
    finally:
        context.close()


@pytest.fixture
def login(page, live_server) -> Callable[[str, str], None]:
    """``login(username, password)``: sign in through the login page, in ``page``.

    Fills the form that holds the ``password`` input (the page may have other forms, such as the
    language switch), submits it, and waits until the browser has left the login page; if the
    login is refused (wrong password, form error), fails at once with the page's text.
    """

    def _login(username: str, password: str) -> None:
        page.goto(live_server.url + LOGIN_PATH)
        form = page.locator("form").filter(has=page.locator('input[name="password"]'))
        form.locator('input[name="username"]').fill(username)
        form.locator('input[name="password"]').fill(password)
        submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])').first
        with page.expect_response(
            lambda response: response.request.method == "POST" and urlsplit(response.url).path == LOGIN_PATH
        ) as posted:
            submit.click()
        # A good login answers the POST with a redirect; a refused one shows the form again, at once.
        if 300 <= posted.value.status < 400:
            page.wait_for_url(lambda url: urlsplit(url).path != LOGIN_PATH)
        else:
            page.wait_for_load_state()
        if urlsplit(page.url).path == LOGIN_PATH:
            body = page.locator("body").inner_text()
            raise AssertionError(f"login as {username!r} did not leave {LOGIN_PATH}; the page says:\n{body}")

    return _login


@pytest.fixture(autouse=True)
def regions_loaded(transactional_db):
    """Put back the national region tree (and the seeded problem categories) when an earlier
    live-server test's flush emptied it.

    Browser tests need a transactional database, which Django empties after each test, taking the
    regions that migration 0002 loaded with it; reloading them (about a second) is simpler and
    sturdier than serialising the whole database before every test.
    """
    import importlib

    from django.apps import apps
    from django.db import connection

    from tiaodu.regions.models import Region

    if not Region.objects.exists():
        migration = importlib.import_module("tiaodu.regions.migrations.0002_load_regions")
        with connection.schema_editor() as schema_editor:
            migration.load_regions(apps, schema_editor)
    # The problem categories seeded by their migration go the same way.
    from tiaodu.problems.models import ProblemCategory

    if not ProblemCategory.objects.exists():
        migration = importlib.import_module("tiaodu.problems.migrations.0002_seed_categories")
        migration.seed(apps, None)
