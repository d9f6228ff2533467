"""Chain map timing: 5,000 enterprises in industrial chains across a province, then one chain's map page and JSON.

    TIAODU_DATA_DIR=bench/out/chains .venv/bin/tiaodu migrate
    TIAODU_DATA_DIR=bench/out/chains .venv/bin/python bench/chains.py --enterprises 5000

Run it against the province data set of the reports benchmark (``bench/generate.py``, same
TIAODU_DATA_DIR) to add the chains to it — registry projects of each region are then linked to its
chains — or against a freshly migrated database (chains and enterprises only). Every city and zone
of 山西省 gets four chains of five segments; the enterprises are spread over them unevenly (the
largest chain holds about a tenth of them). Prints the median server time (Django test client,
in-process, a province administrator) of the chain page and its map JSON for a typical chain and
for the largest one. Not a test. Target: ≤ 200 ms median on SQLite and PostgreSQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from tiaodu.accounts.choices import Role  # noqa: E402
from tiaodu.accounts.models import Grant, User  # noqa: E402
from tiaodu.chains.models import Chain, ChainProject, Member, Output, Segment  # noqa: E402
from tiaodu.orgs.choices import OrganisationKind  # noqa: E402
from tiaodu.orgs.models import Organisation  # noqa: E402
from tiaodu.projects.models import Project  # noqa: E402
from tiaodu.regions.models import Region  # noqa: E402

PROVINCE = "140000"
CHAINS = (
    ("高端装备制造产业链", ("原材料", "关键部件", "系统总成", "整机", "服务")),
    ("新能源汽车产业链", ("车用原材料", "零部件", "系统总成", "整车", "配套基础设施")),
    ("LED产业链", ("材料", "装备", "芯片", "封装", "应用")),
    ("光伏产业链", ("多晶硅", "拉棒", "切片", "电池", "组件")),
)
ROLES = ("master", "core") + ("member",) * 18


def build(total: int) -> None:
    if Chain.objects.filter(name__startswith="bench-").exists():
        print("chains already built, reusing them")
        return
    province = Region.objects.get(code=PROVINCE)
    hosts = list(
        Region.objects.filter(path__startswith=province.path, level__in=["city", "zone"]).order_by("code")
    ) or [province]
    chains = [
        Chain(name=f"bench-{host.code}-{name}", region=host, gap_threshold=3)
        for host in hosts
        for name, _segments in CHAINS
    ]
    with transaction.atomic():
        Chain.objects.bulk_create(chains, batch_size=500)
        chains = list(Chain.objects.filter(name__startswith="bench-").select_related("region").order_by("pk"))
        names = dict(CHAINS)
        segments = [
            Segment(chain=chain, name=name, position=i)
            for chain in chains
            for i, name in enumerate(names[chain.name.split("-", 2)[2]], start=1)
        ]
        Segment.objects.bulk_create(segments, batch_size=1000)
        by_chain: dict[int, list[int]] = {}
        for pk, chain_id in Segment.objects.filter(chain__in=chains).order_by("position").values_list("pk", "chain_id"):
            by_chain.setdefault(chain_id, []).append(pk)
        # The largest chain (the first) holds a tenth; the rest are spread evenly.
        big = total // 10
        shares = [big] + [(total - big) // (len(chains) - 1)] * (len(chains) - 1)
        shares[-1] += total - sum(shares)
        orgs, plan = [], []
        for chain, share in zip(chains, shares, strict=True):
            for n in range(share):
                orgs.append(
                    Organisation(
                        name=f"bench-{chain.pk}-{n}企业有限公司", kind=OrganisationKind.ENTERPRISE, region=chain.region
                    )
                )
                plan.append((chain, by_chain[chain.pk][(n * 7) % 5 if n % 11 else 1], ROLES[n % len(ROLES)]))
        Organisation.objects.bulk_create(orgs, batch_size=1000)
        org_ids = list(
            Organisation.objects.filter(name__startswith="bench-").order_by("pk").values_list("pk", flat=True)
        )
        Member.objects.bulk_create(
            [
                Member(chain=chain, segment_id=segment, organisation_id=org, role=role)
                for (chain, segment, role), org in zip(plan, org_ids, strict=True)
            ],
            batch_size=1000,
        )
        Output.objects.bulk_create(
            [Output(chain=c, year=y, actual=100000 + y, target=120000 + y) for c in chains for y in range(2021, 2026)],
            batch_size=1000,
        )
        links = []
        for chain in chains:
            projects = Project.objects.filter(region__path__startswith=chain.region.path).values_list("pk", flat=True)
            for i, pk in enumerate(projects[:10]):
                links.append(ChainProject(chain=chain, project_id=pk, segment_id=by_chain[chain.pk][i % 5]))
        ChainProject.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    print(
        f"built {len(chains)} chains, {Member.objects.count()} enterprises in chains, "
        f"{ChainProject.objects.count()} chain projects, {Project.objects.count()} projects in the database"
    )


def admin() -> User:
    user, created = User.objects.get_or_create(username="bench-chains-admin")
    if created:
        Grant.objects.create(user=user, role=Role.ADMIN, region=Region.objects.get(code=PROVINCE))
    return user


def median_ms(client: Client, url: str, runs: int) -> tuple[float, int]:
    client.get(url)  # warm
    times, size = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    build(args.enterprises)
    client = Client()
    client.force_login(admin())
    chains = list(Chain.objects.filter(name__startswith="bench-").order_by("pk"))
    largest, typical = chains[0], chains[len(chains) // 2]
    print(f"database: {connection.vendor}")
    for label, chain in (("typical", typical), ("largest", largest)):
        members = Member.objects.filter(chain=chain).count()
        for kind, url in (
            ("page", reverse("chains:chain_detail", args=[chain.pk])),
            ("map JSON", reverse("chains:chain_map_json", args=[chain.pk])),
        ):
            ms, size = median_ms(client, url, args.runs)
            print(f"{label} chain ({members} enterprises) {kind}: median {ms:.1f} ms ({size // 1024} KB)")
    ms, size = median_ms(client, reverse("chains:chain_list"), args.runs)
    print(f"chain list ({len(chains)} chains): median {ms:.1f} ms ({size // 1024} KB)")


if __name__ == "__main__":
    main()
