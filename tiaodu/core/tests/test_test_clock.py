"""The suite's rule for dates: a module's ``TODAY`` is the day its test runs (``tiaodu/conftest.py``)."""

import datetime

from tiaodu.core.dates import local_today

TODAY = datetime.date(2000, 1, 1)  # as if the module had been collected long before the test ran


def test_a_modules_today_is_the_day_its_test_runs():
    assert TODAY == local_today()
