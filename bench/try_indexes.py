"""What the proposed indexes would buy, with the application code as it is: measured, then rolled back.

    TIAODU_DATABASE_URL=… .venv/bin/python bench/try_indexes.py [--repeat 5]

In one transaction: times the operations, creates the indexes proposed in ``bench/README.md``
(and ANALYZE), times them again, then rolls everything back, so the bench database keeps the
schema of the migrations. ``bench/sqlite.sh run`` / ``bench/pg.sh run`` style environment needed
(the PostgreSQL cluster must be running: ``bench/pg.sh run`` stops it at the end, so start it by hand
or run this through ``BENCH_SCRIPT=bench/try_indexes.py bench/pg.sh run``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # sets Django up
from django.db import connection, transaction

from tiaodu.accounts.models import User
from tiaodu.core.dates import local_today
from tiaodu.core.periods import previous_period
from tiaodu.figures.selectors import FigureQuery, figures, ranking
from tiaodu.regions.models import Region
from tiaodu.reports import services as report_services

try:  # the reminders are being written by others: measured when they exist
    from tiaodu.reports.selectors import reminder_count
except ImportError:  # pragma: no cover
    reminder_count = None

INDEXES = {
    # The report lookups of the figure base (latest counted ytd, reported, resumed) answered from the index alone.
    "bench_report_cover": "CREATE INDEX bench_report_cover ON reports_monthlyreport "
    "(project_id, period, status, ytd, investment_month)",
    # "Stage as of the month": the newest transition up to a date, read backwards from the index, no sort.
    "bench_transition_asof": "CREATE INDEX bench_transition_asof ON projects_stagetransition "
    "(project_id, effective_date, at, id, to_state)",
    # The reminder bell: submitted reports waiting for review, without scanning every report.
    "bench_report_waiting": "CREATE INDEX bench_report_waiting ON reports_monthlyreport (submitted_at) "
    "WHERE status = 'submitted'",
    # "As locked" figures: the higher-list check per snapshot row.
    "bench_snapshot_project": "CREATE INDEX bench_snapshot_project ON figures_figuresnapshotrow (lock_id, project_id)",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    city = Region.objects.get(code=run.CITY)
    admin = User.objects.get(username="bench_city")
    period = previous_period(local_today().replace(day=1))
    query = FigureQuery(period=period, region=city)
    locked_query = FigureQuery(period=period, region=city, as_of_lock=True)
    ops = {
        "figures": lambda: figures(run.fresh(admin), query),
        "ranking": lambda: ranking(run.fresh(admin), query, "investment_completion_rate"),
        "drilldown": lambda: run.drilldown_page(admin, query),
        "1 month locked": lambda: figures(run.fresh(admin), locked_query, with_previous_year=False),
    }
    if reminder_count is not None:
        ops["reminder bell"] = lambda: reminder_count(run.fresh(admin), local_today())
    print(f"{connection.vendor}: load average {os.getloadavg()[0]:.1f}; median of {args.repeat} runs (ms)")
    with transaction.atomic():
        report_services.month_lock(actor=run.fresh(admin), region=city, period=period, note="bench")
        before = {name: run.measure(fn, args.repeat, args.warmup)["median"] for name, fn in ops.items()}
        with connection.cursor() as cursor:
            for name, sql in INDEXES.items():
                started = dt.datetime.now()
                cursor.execute(sql)
                print(f"  created {name} in {(dt.datetime.now() - started).total_seconds():.1f}s")
            cursor.execute("ANALYZE")
        after = {name: run.measure(fn, args.repeat, args.warmup)["median"] for name, fn in ops.items()}
        transaction.set_rollback(True)
    print(f"{'':<16} {'now':>9} {'indexed':>9}")
    for name in ops:
        print(f"{name:<16} {before[name]:>9.1f} {after[name]:>9.1f}   ×{before[name] / after[name]:.1f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
