"""Where a selector's time goes: its statements, and its Python functions by own time.

BENCH_SCRIPT=bench/selectors_profile.py bench/pg.sh run [-- figures ranking]
"""

import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # sets Django up

from tiaodu.accounts.models import User
from tiaodu.core.dates import local_today
from tiaodu.core.periods import previous_period
from tiaodu.figures.selectors import FigureQuery, figures, ranking
from tiaodu.regions.models import Region


def main() -> None:
    names = [a for a in sys.argv[1:] if not a.startswith("-")] or ["figures", "ranking"]
    admin = User.objects.get(username="bench_city")
    city = Region.objects.get(code=run.CITY)
    query = FigureQuery(period=previous_period(local_today().replace(day=1)), region=city)
    calls = {
        "figures": lambda: figures(run.fresh(admin), query),
        "ranking": lambda: ranking(run.fresh(admin), query, "investment_completion_rate"),
    }
    for name in names:
        fn = calls[name]
        times = []
        for _ in range(23):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        print(f"\n{name}: median {statistics.median(times[3:]):.2f} ms of 20 calls")
        with run.Statements() as captured:
            started = time.perf_counter()
            fn()
            total = (time.perf_counter() - started) * 1000
        sql = sum(q["time"] for q in captured.captured) * 1000
        print(f"\n{name}: {total:.1f} ms, {len(captured.captured)} statements, {sql:.1f} ms SQL")
        for q in captured.captured:
            print(f"  {q['time'] * 1000:7.2f} ms  {q['sql'][:250]}")
        if "--explain" in sys.argv:
            slowest = max((q for q in captured.captured if run.is_select(q["sql"])), key=lambda q: q["time"])
            print(run.explain(name, [slowest]))
        if "--cprofile" in sys.argv:
            profile = cProfile.Profile()
            profile.runcall(fn)
            pstats.Stats(profile).sort_stats("cumtime").print_stats(30)


if __name__ == "__main__":
    main()
