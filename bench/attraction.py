"""三未 alarm list timing: N generated leads (default 20,000) across 长治市's counties and zones.

    TIAODU_DATA_DIR=bench/out/attraction .venv/bin/python bench/attraction.py --leads 20000

Migrates the database if needed, writes the leads once (bulk, demo-style: the timing is about
reading, so the bench data skips the services' per-row history), then requests the alarm list
page through ``django.test.Client`` as the city administrator and as a county administrator and
prints the median and 90th-percentile server time of ``--repeat`` requests after ``--warmup``,
with the number of alarms. Also times the alarm list's .xlsx export and the figures page. Not a test.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from tiaodu.accounts.choices import Role  # noqa: E402
from tiaodu.accounts.models import User  # noqa: E402
from tiaodu.accounts.services import grant_add  # noqa: E402
from tiaodu.attraction.choices import PIPELINE, STAGE_DATE_FIELD  # noqa: E402
from tiaodu.attraction.models import AttractionTeam, FundsEntry, Lead, Signing  # noqa: E402
from tiaodu.attraction.services import ensure_default_rules  # noqa: E402
from tiaodu.core.dates import local_today  # noqa: E402
from tiaodu.core.validators import uscc_check_character  # noqa: E402
from tiaodu.orgs.models import Organisation  # noqa: E402
from tiaodu.regions.models import Region  # noqa: E402

CITY = "140400"
TAG = "bench-attraction"


def generate(n: int) -> None:
    city = Region.objects.get(code=CITY)
    counties = list(Region.objects.filter(parent=city, level__in=["county", "zone"]).order_by("code"))
    rng = random.Random(7)
    today = local_today()
    teams = [
        AttractionTeam.objects.create(region=county, name=f"{county.name}{TAG}专班{i}")
        for county in counties
        for i in range(2)
    ]
    companies = []
    for index in range(500):
        county = counties[index % len(counties)]
        body = f"91{county.code}MB{index:07d}"
        companies.append(
            Organisation(
                name=f"{TAG}企业{index}",
                kind="enterprise",
                region=county,
                credit_code=body + uscc_check_character(body),
            )
        )
    companies = Organisation.objects.bulk_create(companies)
    leads = []
    for index in range(n):
        team = teams[rng.randrange(len(teams))]
        reached = rng.choices(range(len(PIPELINE)), weights=[15, 15, 20, 15, 15, 12, 8])[0]
        day = today - datetime.timedelta(days=rng.randint(200, 1500))
        dates = {}
        for stage in PIPELINE[: reached + 1]:
            dates[STAGE_DATE_FIELD[stage]] = min(day, today)
            day += datetime.timedelta(days=rng.randint(20, 260))
        lead = Lead(
            name=f"{TAG}项目{index}",
            investor=f"投资方{index % 997}",
            sector=rng.choice(["industry", "energy", "services"]),
            intended_investment=Decimal(rng.randint(1000, 200000)),
            region=team.region,
            team=team,
            stage=PIPELINE[reached],
            planned_production_date=today + datetime.timedelta(days=rng.randint(-400, 400)),
            company=companies[rng.randrange(len(companies))] if "landed_on" in dates else None,
            **dates,
        )
        leads.append(lead)
    leads = Lead.objects.bulk_create(leads, batch_size=2000)
    signings = [
        Signing(
            lead=lead,
            signed_on=lead.signed_on,
            kind="contract",
            amount=lead.intended_investment,
            counted_amount=lead.intended_investment,
        )
        for lead in leads
        if lead.signed_on
    ]
    Signing.objects.bulk_create(signings, batch_size=2000)
    funds = [
        FundsEntry(lead=lead, on=lead.started_on, amount=lead.intended_investment / 10)
        for lead in leads
        if lead.started_on
    ]
    FundsEntry.objects.bulk_create(funds, batch_size=2000)
    ensure_default_rules(city)


def timed(client, url, repeat, warmup):
    times = []
    for run in range(warmup + repeat):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if run >= warmup:
            times.append(elapsed)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    existing = Lead.objects.filter(name__startswith=TAG).count()
    if existing != args.leads:
        if existing:
            sys.exit(f"the database holds {existing} bench leads, not {args.leads}: use a fresh TIAODU_DATA_DIR")
        started = time.perf_counter()
        with transaction.atomic():
            generate(args.leads)
        print(f"generated {args.leads} leads in {time.perf_counter() - started:.1f} s")
    city_admin, created = User.objects.get_or_create(username="bench_attraction_city")
    if created:
        grant_add(actor=None, user=city_admin, role=Role.ADMIN, region=Region.objects.get(code=CITY))
    county_admin, created = User.objects.get_or_create(username="bench_attraction_county")
    if created:
        grant_add(actor=None, user=county_admin, role=Role.ADMIN, region=Region.objects.get(code="140427"))
    print(f"database: {connection.vendor}; leads: {Lead.objects.count()}; today {local_today()}")
    for label, user in (("city admin", city_admin), ("county admin", county_admin)):
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        for name, url in (
            ("alarm list", "/attraction/alarms/"),
            ("alarm list, one rule", "/attraction/alarms/?rule=1"),
            ("alarm list page 40", "/attraction/alarms/?page=40"),
            ("alarm export .xlsx", "/attraction/alarms/?export=xlsx"),
            ("figures", "/attraction/figures/?start=2023-01-01"),
        ):
            repeat = args.repeat if "export" not in name else max(3, args.repeat // 5)
            median, p90, response = timed(client, url, repeat, args.warmup)
            extra = ""
            if "counts" in (response.context or {}):
                extra = f"  alarms: {response.context['counts']['total']}"
            print(f"{label:13} {name:22} median {median:7.1f} ms   p90 {p90:7.1f} ms{extra}")


if __name__ == "__main__":
    main()
