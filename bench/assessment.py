"""Assessment timing on the province-scale bench database (see bench/README.md).

    .venv/bin/python bench/assessment.py [--source bench/out/bench.sqlite3]

Copies the bench's SQLite database (the original is never modified), migrates the copy, builds a
scheme of every county and zone of the province (开工率, 投资完成率, 问题办结率 computed; 工业投资增速
entered, with accepted actuals; weights 30/30/20/20), then prints the median time to recompute the
province's year (``compute_result``) and the median server time of the result table page. Not a test.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default=str(ROOT / "bench/out/bench.sqlite3"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="reuse the copy made by an earlier run")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="use the configured database as it is (BENCH_SCRIPT=bench/assessment.py bench/pg.sh run -- --in-place)",
    )
    args = parser.parse_args()
    source = Path(args.source)
    if not args.in_place:
        target_dir = ROOT / "bench/out/assessment"
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / "bench.sqlite3"
        import sqlite3

        # A consistent copy through SQLite's backup (the WAL included), never touching the original.
        if not (args.reuse and target.exists()):
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
                src.backup(dst)
        os.environ["TIAODU_DATABASE_URL"] = f"sqlite:///{target}"
        os.environ.setdefault("TIAODU_DATA_DIR", str(target_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db.models import Count, Max
    from django.test import Client
    from django.urls import reverse

    from tiaodu.accounts.models import User
    from tiaodu.assessment import services
    from tiaodu.assessment.models import Scheme
    from tiaodu.assessment.selectors import compute_result
    from tiaodu.figures.models import FigureTotal
    from tiaodu.orgs.models import Organisation
    from tiaodu.regions.models import Region

    call_command("migrate", verbosity=0)
    import datetime

    from tiaodu.core.dates import local_today

    finished = (local_today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    last = FigureTotal.objects.filter(period__lte=finished).aggregate(m=Max("period"))["m"]
    busiest = (
        FigureTotal.objects.filter(period=last).values("region__path").annotate(n=Count("pk")).order_by("-n").first()
    )
    province = Region.objects.get(code=busiest["region__path"].split("/")[0])
    actor, _created = User.objects.get_or_create(username="bench_assessment", defaults={"is_superuser": True})
    actor.is_superuser, actor.is_staff = True, True
    actor.save()
    units = list(Region.objects.filter(path__startswith=province.path, level__in=["county", "zone"]).order_by("path"))
    scheme = Scheme.objects.filter(region=province, year=last.year, name="bench").first()
    if scheme is None:
        department = Organisation.objects.filter(
            region=province, kind="department"
        ).first() or Organisation.objects.create(name="bench统计局", region=province, kind="department")

        def indicator(name, kind, **extra):
            return services.indicator_save(
                actor=actor, region=province, name=f"bench{name}", unit="%", kind=kind, **extra
            )

        items = [
            (indicator("开工率", "computed", source="start_rate"), "30"),
            (indicator("投资完成率", "computed", source="investment_completion_rate"), "30"),
            (indicator("问题办结率", "computed", source="problem_resolution_rate"), "20"),
            (indicator("工业投资增速", "entered", department=department), "20"),
        ]
        scheme = services.scheme_save(
            actor=actor,
            region=province,
            year=last.year,
            name="bench",
            units=units,
            items=[{"indicator": i, "weight": w} for i, w in items],
        )
        growth = items[3][0]
        started = time.perf_counter()
        for number, region in enumerate(units):
            a = services.actual_save(
                actor=actor,
                indicator=growth,
                region=region,
                year=last.year,
                month=last.month,
                value=Decimal(number % 25),
            )
            services.actual_accept(actor=actor, actual=services.actual_submit(actor=actor, actual=a))
        print(f"set-up: {len(units)} units, actuals entered in {time.perf_counter() - started:.1f} s")
    print(f"province {province.name}, {len(units)} counties and zones, through {last:%Y-%m}")
    compute_result(scheme, last.month)  # warm-up
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        compute_result(scheme, last.month)
        times.append(time.perf_counter() - started)
    print(
        f"recompute a province's year (compute_result): median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms (target ≤ 5 s)"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(actor)
    url = reverse("assessment:result", args=[scheme.pk])
    client.get(url, {"month": last.month})  # warm-up
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        response = client.get(url, {"month": last.month})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print(f"result table page: median {statistics.median(times) * 1000:.0f} ms server time (target ≤ 200 ms)")


if __name__ == "__main__":
    main()
