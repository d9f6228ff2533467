"""Where a page's server time goes: its SQL statements by time, and the rest (templates, Python).

BENCH_SCRIPT=bench/pages_profile.py bench/pg.sh run [-- /dashboard/ /figures/drilldown/?rate=start_rate]
``--explain`` adds the plans of the slowest statements; ``--cprofile`` the Python functions by own time.
"""

import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # sets Django up
from django.test import Client

from tiaodu.accounts.models import User
from tiaodu.core.dates import local_today
from tiaodu.core.periods import format_period, previous_period


def main() -> None:
    paths = [a for a in sys.argv[1:] if a.startswith("/")] or [
        "/dashboard/",
        "/figures/drilldown/?rate=start_rate&part=numerator",
    ]
    admin = User.objects.get(username="bench_city")
    period = format_period(previous_period(local_today().replace(day=1)))
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)
    for path in paths:
        url = f"{path}{'&' if '?' in path else '?'}period={period}&region={run.CITY}"
        client.get(url)  # warm-up
        with run.Statements() as captured:
            started = time.perf_counter()
            response = client.get(url)
            total = (time.perf_counter() - started) * 1000
        sql = sum(q["time"] for q in captured.captured) * 1000
        print(f"\n{url}: {response.status_code}, {total:.0f} ms, {len(captured.captured)} statements, {sql:.0f} ms SQL")
        slowest = sorted(captured.captured, key=lambda q: -q["time"])
        for q in slowest[:8]:
            print(f"  {q['time'] * 1000:7.1f} ms  {q['sql'][:300]}")
        if "--cprofile" in sys.argv:
            profile = cProfile.Profile()
            profile.runcall(client.get, url)
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        if "--explain" in sys.argv:
            for q in [q for q in slowest if run.is_select(q["sql"])][:3]:
                print(run.explain(path, [q]))


if __name__ == "__main__":
    main()
