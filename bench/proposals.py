"""What the proposals of ``bench/README.md`` would buy, measured on the bench data without touching ``tiaodu/``.

    BENCH_SCRIPT=bench/proposals.py bench/sqlite.sh run [-- --repeat 5]
    BENCH_SCRIPT=bench/proposals.py bench/pg.sh run [-- --repeat 5]

1. Query shape, built here from the app's own ``figure_base`` and ``RATES`` (checked to give the same
   numbers as ``figures()``):
   - "stage once": the rates in one aggregate and the stage counts in a ``GROUP BY stage`` query,
     so the stage-as-of subquery runs once per entry instead of once per stage (7×);
   - "+ region's lists": also keep only the lists kept by the region, its counties and its
     ancestors (a city's projects are on its own lists and the province's share it keeps), so the
     database starts from ~2 lists instead of every list of the province.
2. Indexes: created in a transaction, measured, rolled back (the database keeps the schema of the
   migrations). The month is locked in the same transaction, for the "as locked" figures.
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
from django.db.models import Count, Q

from tiaodu.accounts.models import User
from tiaodu.core.dates import local_today
from tiaodu.core.periods import previous_period
from tiaodu.figures.selectors import RATES, FigureQuery, figure_base, figures, ranking
from tiaodu.projects.choices import Stage
from tiaodu.regions.models import Region
from tiaodu.reports import services as report_services

try:  # the reminders are being written by others: measured when they exist
    from tiaodu.reports.selectors import reminder_count
except ImportError:  # pragma: no cover
    reminder_count = None

INDEXES = {
    # The report lookups of the figure base (latest counted ytd, reported, resumed) answered from the index.
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


def numbers(user, query: FigureQuery, *, own_lists: bool) -> dict:
    """``figures()``'s numbers for one month, with the stage counted in its own GROUP BY."""
    base = figure_base(user, query)
    if own_lists and query.region is not None:
        codes = query.region.ancestor_codes()
        base = base.filter(
            Q(key_list__region__path__startswith=query.region.path) | Q(key_list__region__code__in=codes)
        )
    aggregates = {"total": Count("pk"), "reported_n": Count("pk", filter=Q(reported=True))}
    for rate in RATES.values():
        aggregates.update(rate.aggregates())
    row = base.aggregate(**aggregates)
    stages = dict(base.order_by().values_list("stage").annotate(n=Count("pk")))
    row.update({f"stage__{s}": stages.get(s, 0) for s in Stage.values})
    return row


def both_years(user, query: FigureQuery, *, own_lists: bool = False) -> list[dict]:
    before = FigureQuery(period=query.period.replace(year=query.period.year - 1), region=query.region)
    return [numbers(run.fresh(user), q, own_lists=own_lists) for q in (query, before)]


def as_numbers(result) -> dict:
    row = {"total": result.total, "reported_n": result.reported}
    for key, value in result.rates.items():
        row[f"{key}__n"], row[f"{key}__d"] = value.numerator, value.denominator
    row.update({f"stage__{s}": n for s, n in result.stages.items()})
    return row


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

    print(f"{connection.vendor}: load average {os.getloadavg()[0]:.1f}; median of {args.repeat} runs (ms)")
    result = figures(run.fresh(admin), query)
    want = [as_numbers(result), as_numbers(result.previous_year)]
    for own_lists in (False, True):
        got = both_years(admin, query, own_lists=own_lists)
        assert got == want, f"different numbers (own_lists={own_lists}):\n{got}\n{want}"
    shapes = {
        "figures, as is": lambda: figures(run.fresh(admin), query),
        "stage once": lambda: both_years(admin, query),
        "+ region's lists": lambda: both_years(admin, query, own_lists=True),
    }
    for name, fn in shapes.items():
        print(f"  {name:<18} {run.measure(fn, args.repeat, args.warmup)['median']:9.1f}")

    ops = {
        "figures": lambda: figures(run.fresh(admin), query),
        "figures reshaped": lambda: both_years(admin, query, own_lists=True),
        "ranking": lambda: ranking(run.fresh(admin), query, "investment_completion_rate"),
        "drilldown": lambda: run.drilldown_page(admin, query),
        "1 month locked": lambda: figures(run.fresh(admin), locked_query, with_previous_year=False),
    }
    if reminder_count is not None:
        ops["reminder bell"] = lambda: reminder_count(run.fresh(admin), local_today())
    with transaction.atomic():
        report_services.month_lock(actor=run.fresh(admin), region=city, period=period, note="bench")
        before = {name: run.measure(fn, args.repeat, args.warmup)["median"] for name, fn in ops.items()}
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # the lock's rows: check their foreign keys now, not at commit
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, sql in INDEXES.items():
                started = dt.datetime.now()
                cursor.execute(sql)
                print(f"  created {name} in {(dt.datetime.now() - started).total_seconds():.1f}s")
            cursor.execute("ANALYZE")
        after = {name: run.measure(fn, args.repeat, args.warmup)["median"] for name, fn in ops.items()}
        transaction.set_rollback(True)
    print(f"{'':<18} {'now':>9} {'indexed':>9}")
    for name in ops:
        print(f"{name:<18} {before[name]:>9.1f} {after[name]:>9.1f}   ×{before[name] / after[name]:.1f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
