"""Province-scale bench data for Tiaodu: 山西省 (140000), its 11 cities and their counties and zones.

Run against a freshly migrated, empty database (``tiaodu migrate`` has loaded the regions)::

    TIAODU_DATABASE_URL=postgres://… .venv/bin/python bench/generate.py --projects 100000 --months 36

What it writes (all deterministic from ``--seed``; the same arguments and the same "today" give
the same rows):

- owner organisations (about one per 30 projects), each in a county or zone;
- projects spread over the counties and zones, with realistic sector / nature mixes, planned and
  actual dates, and a stage consistent with those dates (谋划 → 前期 → 在建 → 投产 → 达产, plus
  停缓建 and 退库), and one ``StageTransition`` per stage move, dated by the fact behind it;
- for each city and each year touched by the reporting window, the published provincial-level
  list (the city's share of it) and the city list, with each project's listed nature (新建 the year
  it is due to start, 续建 after) and annual planned investment;
- monthly reports for the ``--months`` months ending with the current month: every started project
  on a list of that year, until it is commissioned or suspended; ``ytd`` and ``since_start`` are
  computed here exactly as ``reports.services.recompute_totals`` would (opening balances included,
  for projects already under way before the window); statuses mostly accepted / submitted, the
  last finished month partly still under review, the current month mostly not yet filled;
- logins: ``bench_city`` (administrator of 太原市), ``bench_county`` (administrator of 清徐县),
  ``bench_owner`` (owner of the organisation of ``bench_due_project``, a continued project with no
  report yet for the current month: what ``run.py`` submits).

This is bench data, not user data: it bypasses the services and the history tables (no
``Historical*`` rows, no ``ReportEvent`` rows) and writes straight into the tables, with COPY on
PostgreSQL and ``executemany`` on SQLite, with explicit primary keys. Only the three logins and
their grants go through ``tiaodu.accounts.services``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from tiaodu.accounts import services as account_services  # noqa: E402
from tiaodu.accounts.choices import Role  # noqa: E402
from tiaodu.core.dates import local_today  # noqa: E402
from tiaodu.figures.rollup import rollup_rebuild  # noqa: E402
from tiaodu.orgs.models import Organisation  # noqa: E402
from tiaodu.projects.models import KeyList, KeyListEntry, Project, StageTransition  # noqa: E402
from tiaodu.regions.models import Region  # noqa: E402
from tiaodu.reports.models import MonthlyReport, OpeningBalance  # noqa: E402

PROVINCE = "140000"
CITY_ADMIN_REGION = "140100"  # 太原市
COUNTY_ADMIN_REGION = "140121"  # 清徐县
SEED = 20261123

# Relative size of each city (roughly its share of the province's fixed-asset investment).
CITY_WEIGHT = {
    "140100": 2.2,  # 太原
    "140200": 1.0,  # 大同
    "140300": 0.5,  # 阳泉
    "140400": 1.1,  # 长治
    "140500": 0.9,  # 晋城
    "140600": 0.6,  # 朔州
    "140700": 1.0,  # 晋中
    "140800": 1.0,  # 运城
    "140900": 0.7,  # 忻州
    "141000": 0.9,  # 临汾
    "141100": 0.9,  # 吕梁
}
SECTORS = (
    ("industry", 30, "C"),
    ("energy", 12, "D"),
    ("infrastructure", 18, "G"),
    ("agriculture", 9, "A"),
    ("tourism", 6, "R"),
    ("services", 8, "L"),
    ("social", 10, "Q"),
    ("ecology", 5, "N"),
    ("other", 2, ""),
)
CAPACITY_SECTORS = {"industry", "energy", "agriculture"}
NAME_WORDS = {
    "industry": ("新材料", "高端装备制造", "煤化工", "LED芯片", "光伏组件", "新能源汽车零部件", "精密铸造", "特种钢材"),
    "energy": ("光伏发电", "风电场", "抽水蓄能电站", "煤矿智能化改造", "储能电站", "氢能综合利用", "热电联产"),
    "infrastructure": ("城市快速路", "高速公路连接线", "供水管网改造", "物流园", "污水处理厂", "城市更新", "综合管廊"),
    "agriculture": ("现代农业产业园", "高标准农田", "设施蔬菜基地", "中药材种植加工", "肉牛养殖", "小米深加工"),
    "tourism": ("文旅康养小镇", "景区提质升级", "古城保护利用", "太行山旅游公路", "研学基地"),
    "services": ("商贸综合体", "数字经济产业园", "冷链物流中心", "科创中心", "会展中心"),
    "social": ("人民医院新院区", "中学新校区", "养老服务中心", "保障性住房", "体育中心", "职业技术学院"),
    "ecology": ("汾河流域生态修复", "矿山生态修复", "国土绿化", "固废综合利用", "湿地公园"),
    "other": ("综合开发", "配套设施"),
}
PHASES = ("", "", "", "一期", "二期", "三期")
ORG_WORDS = ("鑫", "晋", "泰", "华", "宏", "瑞", "恒", "丰", "源", "达", "盛", "龙", "诚", "汇", "博", "安", "兴", "昌")
ORG_KINDS = ("科技", "能源", "建设投资", "实业", "新材料", "农业开发", "文化旅游", "环保", "物流", "装备制造")
PROGRESS = ("土方及基础施工", "主体施工", "设备安装", "装修收尾", "联合试运转")
PROBLEMS = ("用地手续待办理", "资金到位不足", "环评审批待批复", "电力接入待协调", "施工许可待办理")
# Seasonal weight of investment by calendar month (the winter stop in Shanxi: Dec–Feb).
SEASON = (0.25, 0.3, 0.8, 1.05, 1.15, 1.2, 1.1, 1.1, 1.15, 1.05, 0.75, 0.4)
START_MONTH_WEIGHTS = (1, 2, 14, 20, 18, 14, 10, 8, 7, 5, 2, 1)
LEVEL_MIX = ((("city",), 87), (("province",), 6), (("province", "city"), 7))
USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---- months as integers ----------------------------------------------------------------------


def mi_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def date_of_mi(mi: int, day: int = 1) -> dt.date:
    return dt.date(mi // 12, mi % 12 + 1, day)


def month_end(mi: int) -> dt.date:
    return date_of_mi(mi + 1) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    mi = mi_of(day) + months
    last = month_end(mi).day
    return date_of_mi(mi, min(day.day, last))


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


# ---- the plan, in memory -----------------------------------------------------------------------


@dataclass
class P:
    """One project as generated (dates, stage history, lists, reports are derived from it)."""

    id: int
    region_id: int
    region_code: str
    city_code: str
    owner_id: int
    name: str
    sector: str
    industry: str
    nature: str
    total: int  # cents
    registered: dt.date
    preliminary: dt.date | None
    planned_start: dt.date
    planned_commissioning: dt.date
    start: dt.date | None = None
    commissioning: dt.date | None = None
    capacity: dt.date | None = None
    suspended: dt.date | None = None
    withdrawn: dt.date | None = None
    continued: bool = False  # under construction before the window
    levels: tuple[str, ...] = ()
    list_years: list[int] = field(default_factory=list)
    code: str | None = None
    in_statistics: bool = False


class Generator:
    def __init__(self, projects: int, months: int, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.n_projects = projects
        self.today = today
        self.current = mi_of(today)
        self.window = list(range(self.current - months + 1, self.current + 1))
        self.w0 = self.window[0]
        self.years = sorted({mi // 12 for mi in self.window})
        self.counts: dict[str, int] = {}

    # -- regions and owners ---------------------------------------------------------------------

    def load_regions(self) -> None:
        rows = list(
            Region.objects.filter(path__startswith=f"{PROVINCE}/").values("id", "code", "name", "level", "path")
        )
        if not rows:
            raise SystemExit("No regions under 140000: run `tiaodu migrate` first.")
        self.cities = {r["code"]: r for r in rows if r["level"] == "city"}
        self.units = [r for r in rows if r["level"] in ("county", "zone")]
        self.units.sort(key=lambda r: r["code"])
        by_city: dict[str, list[dict]] = {}
        for unit in self.units:
            unit["city"] = unit["path"].strip("/").split("/")[1]
            by_city.setdefault(unit["city"], []).append(unit)
        weights = []
        for unit in self.units:
            share = CITY_WEIGHT[unit["city"]] / len(by_city[unit["city"]])
            factor = 2.5 if unit["level"] == "zone" else self.rng.uniform(0.5, 1.6)
            weights.append(share * factor)
        total = sum(weights)
        self.unit_weights = [w / total for w in weights]
        self.unit_cum = list(_accumulate(self.unit_weights))
        say(f"{len(self.cities)} cities, {len(self.units)} counties and zones under 山西省")

    def pick_unit(self) -> dict:
        return self.units[min(bisect.bisect(self.unit_cum, self.rng.random()), len(self.units) - 1)]

    def build_owners(self, first_id: int, fmt_dt) -> list[tuple]:
        rng = self.rng
        n_owners = max(len(self.units) * 3, self.n_projects // 30)
        self.owners_of: dict[int, list[int]] = {}
        rows = []
        used_names: set[tuple[int, str]] = set()
        used_codes: set[str] = set()
        created = fmt_dt(dt.datetime(2020, 1, 1, 2, tzinfo=dt.UTC))
        oid = first_id
        for index, unit in enumerate(self.units):
            count = max(3, round(n_owners * self.unit_weights[index]))
            short = _short(unit["name"])
            for _ in range(count):
                # Enterprises (most owners, including the local investment groups) and public institutions.
                kind = rng.choices(("enterprise", "lgfv", "institution"), (85, 10, 5))[0]
                for attempt in range(30):
                    if kind == "enterprise":
                        tail = str(attempt) if attempt >= 10 else ""
                        name = (
                            f"山西{rng.choice(ORG_WORDS)}{rng.choice(ORG_WORDS)}{tail}{rng.choice(ORG_KINDS)}有限公司"
                        )
                    elif kind == "lgfv":
                        name = f"{short}{rng.choice(('城乡建设投资', '交通投资', '文旅投资', '水务投资'))}集团有限公司"
                    else:
                        name = f"{short}{rng.choice(('人民医院', '第一中学', '职业中学', '疾控中心', '水利服务中心'))}"
                    if attempt >= 5 and kind != "enterprise":
                        name = f"{name}（{attempt}）"
                    if (unit["id"], name) not in used_names:
                        break
                used_names.add((unit["id"], name))
                while True:
                    body = f"91{unit['code']}" + "".join(rng.choice(USCC) for _ in range(9))
                    if body not in used_codes:
                        used_codes.add(body)
                        break
                rows.append(
                    (
                        oid,
                        created,
                        created,
                        name,
                        "",
                        "institution" if kind == "institution" else "enterprise",
                        body + _uscc_check(body),
                        "",
                        "",
                        "",
                        None,
                        None,
                        unit["id"],
                        None,
                    )
                )
                self.owners_of.setdefault(unit["id"], []).append(oid)
                oid += 1
        say(f"{len(rows)} owner organisations")
        return rows

    # -- projects -------------------------------------------------------------------------------

    def build_projects(self, first_id: int) -> list[P]:
        rng = self.rng
        today = self.today
        w0_date = date_of_mi(self.w0)
        year_weights = [sum(1 for mi in self.window if mi // 12 == y) for y in self.years]
        sector_names = [s[0] for s in SECTORS]
        sector_weights = [s[1] for s in SECTORS]
        industries = {s[0]: s[2] for s in SECTORS}
        serial: dict[tuple[int, str], int] = {}
        projects = []
        for index in range(self.n_projects):
            unit = self.pick_unit()
            owners = self.owners_of[unit["id"]]
            owner = owners[int(len(owners) * rng.random() ** 2)]
            sector = rng.choices(sector_names, sector_weights)[0]
            nature = rng.choices(("new", "expansion", "renovation"), (78, 14, 8))[0]
            total = int(min(max(math.exp(rng.gauss(math.log(25000), 1.05)), 800), 3_000_000)) * 100
            duration = rng.randint(34, 64)  # planned months from start to commissioning (key projects: about 3–5 years)
            continued = rng.random() < 0.8
            if continued:
                start = add_months(w0_date, -rng.randint(1, 20)).replace(day=rng.randint(1, 28))
                planned_start = start - dt.timedelta(days=rng.randint(0, 60))
                registered = planned_start - dt.timedelta(days=rng.randint(120, 420))
            else:
                entry_year = rng.choices(self.years, year_weights)[0]
                month = rng.choices(range(1, 13), START_MONTH_WEIGHTS)[0]
                planned_start = dt.date(entry_year, month, rng.randint(1, 28))
                if planned_start < w0_date:
                    planned_start = w0_date.replace(day=rng.randint(1, 28))
                registered = planned_start - dt.timedelta(days=rng.randint(60, 420))
                fate = rng.random()
                if fate < 0.84:
                    start = planned_start + dt.timedelta(days=rng.randint(-20, 45))
                elif fate < 0.91:
                    start = add_months(planned_start, rng.randint(5, 12))
                else:
                    start = None
                if start is not None and (start > today or start < w0_date):
                    start = None if start > today else w0_date.replace(day=start.day)
            planned_commissioning = add_months(planned_start, duration)
            preliminary = registered + dt.timedelta(days=rng.randint(20, 100))
            if start is not None and preliminary >= start:
                preliminary = start - dt.timedelta(days=rng.randint(1, 15))
            if preliminary > today or (start is None and rng.random() < 0.4):
                preliminary = None  # still in the planning pool (谋划库)
            p = P(
                id=first_id + index,
                region_id=unit["id"],
                region_code=unit["code"],
                city_code=unit["city"],
                owner_id=owner,
                name=f"{_short(unit['name'])}{rng.choice(NAME_WORDS[sector])}{rng.choice(PHASES)}项目",
                sector=sector,
                industry=industries[sector],
                nature=nature,
                total=total,
                registered=registered,
                preliminary=preliminary,
                planned_start=planned_start,
                planned_commissioning=planned_commissioning,
                start=start,
                continued=continued,
            )
            if start is not None:
                actual = add_months(start, duration + rng.randint(-2, 6))
                if actual <= today:
                    p.commissioning = actual
                    if sector in CAPACITY_SECTORS and rng.random() < 0.5:
                        capacity = add_months(actual, rng.randint(4, 14))
                        if capacity <= today:
                            p.capacity = capacity
                elif rng.random() < 0.03:
                    suspended = add_months(start, rng.randint(2, 20))
                    if suspended <= today:
                        p.suspended = suspended
                p.in_statistics = rng.random() < 0.88
            elif rng.random() < 0.25:
                withdrawn = registered + dt.timedelta(days=rng.randint(150, 700))
                if withdrawn <= today:
                    p.withdrawn = withdrawn
            if p.preliminary is not None:
                year = p.preliminary.year
                key = (year, p.region_code)
                serial[key] = serial.get(key, 0) + 1
                dept, kind = rng.randint(1, 99), rng.choice(("01", "02", "03"))
                p.code = f"{year}-{p.region_code}-{dept:02d}-{kind}-{serial[key]:05d}{rng.choice(USCC)}"
            p.levels = rng.choices([m[0] for m in LEVEL_MIX], [m[1] for m in LEVEL_MIX])[0]
            # On the lists from its first year in the window to the year it is commissioned,
            # suspended or withdrawn.
            first = self.years[0] if continued else max(self.years[0], planned_start.year)
            last = self.years[-1]
            for end in (p.commissioning, p.suspended, p.withdrawn):
                if end is not None:
                    last = min(last, end.year)
            p.list_years = [y for y in self.years if first <= y <= last]
            projects.append(p)
        self.projects = projects
        say(
            f"{len(projects)} projects: {sum(p.start is not None for p in projects)} started, "
            f"{sum(p.commissioning is not None for p in projects)} commissioned, "
            f"{sum(p.suspended is not None for p in projects)} suspended, "
            f"{sum(p.withdrawn is not None for p in projects)} withdrawn"
        )
        return projects

    def project_rows(self, actor_id: int, fmt_dt) -> list[tuple]:
        rows = []
        for p in self.projects:
            stage, since, previous = "planning", p.registered, ""
            for on, to in self.moves(p):
                if to in ("suspended", "withdrawn"):
                    previous = stage
                stage, since = to, on
            created = fmt_dt(dt.datetime.combine(p.registered, dt.time(2, 0), tzinfo=dt.UTC))
            completion = p.commissioning - dt.timedelta(days=10) if p.commissioning else None
            if completion is not None and completion < p.start:
                completion = p.start
            rows.append(
                (
                    p.id,
                    created,
                    created,
                    p.code,
                    p.name,
                    "",
                    p.sector,
                    p.industry,
                    p.nature,
                    money(p.total),
                    "",
                    p.planned_start,
                    p.planned_commissioning - dt.timedelta(days=30),
                    p.planned_commissioning,
                    p.start,
                    completion,
                    p.commissioning,
                    p.capacity,
                    p.in_statistics,
                    "",
                    stage,
                    since,
                    previous,
                    actor_id,
                    None,
                    p.owner_id,
                    p.region_id,
                    None,
                    None,
                )
            )
        return rows

    @staticmethod
    def moves(p: P) -> list[tuple[dt.date, str]]:
        moves = []
        if p.preliminary is not None:
            moves.append((p.preliminary, "preliminary"))
        if p.start is not None:
            moves.append((p.start, "construction"))
        if p.commissioning is not None:
            moves.append((p.commissioning, "operating"))
        if p.capacity is not None:
            moves.append((p.capacity, "capacity"))
        if p.suspended is not None:
            moves.append((p.suspended, "suspended"))
        if p.withdrawn is not None:
            moves.append((p.withdrawn, "withdrawn"))
        moves.sort()
        return moves

    def transition_rows(self, first_id: int, actor_id: int, fmt_dt) -> list[tuple]:
        rows = []
        tid = first_id
        for p in self.projects:
            state = ""
            for on, to in [(p.registered, "planning"), *self.moves(p)]:
                at = fmt_dt(dt.datetime.combine(on, dt.time(3, 0), tzinfo=dt.UTC) + dt.timedelta(days=p.id % 4))
                rows.append((tid, at, state, to, "", on, actor_id, p.id))
                state = to
                tid += 1
        return rows

    # -- lists, plans and reports ---------------------------------------------------------------

    def build_lists(self, first_id: int, actor_id: int, fmt_dt) -> list[tuple]:
        self.list_ids: dict[tuple[str, int, str], int] = {}
        rows = []
        lid = first_id
        for code in sorted(self.cities):
            city = self.cities[code]
            for year in self.years:
                for level in ("province", "city"):
                    published = fmt_dt(dt.datetime(year, 2, 20, 2, tzinfo=dt.UTC))
                    created = fmt_dt(dt.datetime(year - 1, 12, 10, 2, tzinfo=dt.UTC))
                    word = "省级重点工程项目" if level == "province" else "市级重点项目"
                    rows.append(
                        (
                            lid,
                            created,
                            published,
                            year,
                            level,
                            f"{city['name']}{year}年{word}",
                            "published",
                            published,
                            "",
                            actor_id,
                            city["id"],
                        )
                    )
                    self.list_ids[(code, year, level)] = lid
                    lid += 1
        return rows

    def build_money(self, fmt_dt, first_entry: int, first_opening: int, first_report: int, actor_id: int):
        """Annual plans, opening balances and monthly reports, computed together (ytd / since-start exact)."""
        rng = self.rng
        current, last_done = self.current, self.current - 1
        w0 = self.w0
        entries, openings = [], []
        by_month: dict[int, list[tuple]] = {mi: [] for mi in self.window}
        eid = first_entry
        oid = first_opening
        self.due_candidates: list[tuple[int, int, int]] = []  # (reports, project id, owner id)
        for p in self.projects:
            start_mi = mi_of(p.start) if p.start else None
            stop_mi = current
            if p.commissioning is not None:
                stop_mi = min(stop_mi, mi_of(p.commissioning))
            if p.suspended is not None:
                stop_mi = min(stop_mi, mi_of(p.suspended) - 1)
            duration = max(1, mi_of(p.planned_commissioning) - mi_of(p.planned_start))
            since = 0
            ytd = 0
            if p.continued and start_mi is not None and start_mi < w0 and p.list_years:
                elapsed = w0 - start_mi
                since = int(p.total * min(0.85, elapsed / duration * rng.uniform(0.6, 0.95)))
                months_this_year = min(w0 % 12, elapsed)  # months of the opening's year already worked
                ytd = min(since, int(since * months_this_year / elapsed * rng.uniform(0.8, 1.2)))
                created = fmt_dt(dt.datetime.combine(date_of_mi(w0), dt.time(2), tzinfo=dt.UTC))
                openings.append((oid, created, created, date_of_mi(w0 - 1), money(ytd), money(since), p.id))
                oid += 1
            year_of_ytd = (w0 - 1) // 12
            n_reports = 0
            for year in p.list_years:
                # The annual plan: the remaining investment over the remaining months, with noise.
                year_first, year_last = year * 12, year * 12 + 11
                if year != year_of_ytd:
                    ytd, year_of_ytd = 0, year
                remaining = max(p.total - (since - ytd), 0)
                if start_mi is None or start_mi > year_last:
                    plan = int(p.total * rng.uniform(0.05, 0.2))
                else:
                    from_mi = max(start_mi, year_first)
                    planned_end = max(mi_of(p.planned_commissioning), from_mi + 1)
                    months_left = max(1, planned_end - from_mi + 1)
                    active = max(1, min(year_last, planned_end) - from_mi + 1)
                    plan = int(remaining * min(1.0, active / months_left * rng.uniform(0.85, 1.3)))
                plan = max(plan // 10000 * 10000, 10000)
                nature = (
                    "continued"
                    if (p.start is not None and p.start < dt.date(year, 1, 1)) or (p.continued)
                    else p.nature
                )
                created = fmt_dt(dt.datetime(year, 2, 18, 2, tzinfo=dt.UTC))
                for level in p.levels:
                    entries.append(
                        (
                            eid,
                            created,
                            created,
                            nature,
                            money(plan),
                            "",
                            self.list_ids[(p.city_code, year, level)],
                            p.id,
                        )
                    )
                    eid += 1
                if start_mi is None:
                    continue
                first_mi = max(year_first, start_mi, w0)
                last_mi = min(year_last, stop_mi)
                if first_mi > last_mi:
                    continue
                # The year's actual investment: the plan times a completion factor, spread by season
                # over the months the project is active that year (only those in the window are reported).
                active_first = max(year_first, start_mi)
                season_all = sum(SEASON[mi % 12] for mi in range(active_first, year_last + 1))
                weights = [SEASON[mi % 12] * rng.uniform(0.5, 1.5) for mi in range(first_mi, last_mi + 1)]
                scale = (
                    plan
                    * rng.uniform(0.6, 1.1)
                    / season_all
                    * (sum(SEASON[mi % 12] for mi in range(first_mi, last_mi + 1)) / sum(weights))
                )
                resumed_done = not (p.start < dt.date(year, 1, 1))
                for offset, mi in enumerate(range(first_mi, last_mi + 1)):
                    if mi == current and rng.random() >= 0.12:
                        continue  # the current month: most owners have not filled it yet
                    amount = (
                        0
                        if (mi % 12 in (0, 1, 11) and rng.random() < 0.3) or rng.random() < 0.04
                        else int(weights[offset] * scale)
                    )
                    amount = amount // 100 * 100
                    cap = p.total if mi == stop_mi and p.commissioning is not None else int(p.total * 0.97)
                    amount = max(0, min(amount, cap - since))
                    since += amount
                    ytd += amount
                    milestones = []
                    if mi == start_mi:
                        milestones.append("started")
                    if not resumed_done and amount > 0:
                        milestones.append("resumed")
                        resumed_done = True
                    if p.commissioning is not None and mi == mi_of(p.commissioning):
                        milestones.append("commissioned")
                    pct = min(100.0, round((mi - start_mi + 1) / duration * 100, 1))
                    # Status: older months reviewed; the last finished month partly under review or
                    # missing; the current month a few drafts and early submissions.
                    r = rng.random()
                    if mi == current:
                        status = "draft" if r < 0.8 else "submitted"
                    elif mi == last_done:
                        if r < 0.04:
                            since -= amount
                            ytd -= amount
                            continue  # not reported yet (本月尚未提交)
                        status = (
                            "accepted"
                            if r < 0.70
                            else "submitted"
                            if r < 0.95
                            else "returned"
                            if r < 0.975
                            else "draft"
                        )
                    else:
                        status = "accepted" if r < 0.97 else "submitted" if r < 0.995 else "returned"
                    by_month[mi].append(
                        (
                            p.id,
                            amount,
                            ytd,
                            since,
                            status,
                            ",".join(milestones),
                            pct,
                            PROBLEMS[p.id % len(PROBLEMS)] if r > 0.985 else "",
                        )
                    )
                    n_reports += 1
            if (
                p.continued
                and p.city_code == CITY_ADMIN_REGION
                and p.start is not None
                and stop_mi == current
                and self.years[-1] in p.list_years
                and not (by_month[current] and by_month[current][-1][0] == p.id)
            ):
                self.due_candidates.append((n_reports, p.id, p.owner_id))
        # Report rows in the order they arrive in real life: month by month.
        reports = []
        rid = first_report
        for mi in self.window:
            period = date_of_mi(mi)
            base = dt.datetime.combine(month_end(mi), dt.time(2), tzinfo=dt.UTC)
            for project_id, amount, ytd, since, status, milestones, pct, problems in by_month[mi]:
                created_at = base + dt.timedelta(days=1 + project_id % 5, minutes=project_id % 600)
                if mi == current:
                    created_at = dt.datetime.combine(self.today, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(
                        days=1 + project_id % 5
                    )
                submitted = status != "draft"
                reviewed = status in ("accepted", "returned")
                created = fmt_dt(created_at)
                reports.append(
                    (
                        rid,
                        created,
                        created,
                        period,
                        status,
                        money(amount),
                        money(ytd),
                        money(since),
                        PROGRESS[min(4, int(pct // 20))],
                        f"{pct:.1f}",
                        milestones,
                        problems,
                        created if submitted else None,
                        fmt_dt(created_at + dt.timedelta(days=2)) if reviewed else None,
                        "数据与台账不一致，请核实后重新提交" if status == "returned" else "",
                        False,
                        "",
                        project_id,
                        actor_id if reviewed else None,
                        None,
                    )
                )
                rid += 1
            by_month[mi] = []
        return entries, openings, reports


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def _short(name: str) -> str:
    for suffix in ("示范区", "开发区", "风景名胜区"):
        if name.endswith(suffix):
            return name[: -len(suffix)][:4]
    return name[:-1] if len(name) > 2 else name


def _uscc_check(first17: str) -> str:
    from tiaodu.core.validators import uscc_check_character

    return uscc_check_character(first17)


# ---- writing ---------------------------------------------------------------------------------


class Writer:
    """Bulk insert with explicit ids: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self):
        self.vendor = connection.vendor
        if self.vendor not in ("postgresql", "sqlite"):
            raise SystemExit(f"unsupported database {self.vendor}")
        connection.ensure_connection()
        self.raw = connection.connection

    def fmt_dt(self, value: dt.datetime) -> str:
        value = value.astimezone(dt.UTC)
        if self.vendor == "sqlite":
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.strftime("%Y-%m-%d %H:%M:%S+00")

    def insert(self, model, columns: list[str], rows, batch: int = 50_000) -> int:
        table = model._meta.db_table
        started = time.perf_counter()
        count = 0
        if self.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in columns)
            with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                chunk = []
                for row in rows:
                    chunk.append("\t".join(_pg_text(v) for v in row))
                    count += 1
                    if len(chunk) >= batch:
                        copy.write("\n".join(chunk) + "\n")
                        chunk = []
                if chunk:
                    copy.write("\n".join(chunk) + "\n")
        else:
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
            cursor = self.raw.cursor()
            chunk = []
            for row in rows:
                chunk.append(tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row))
                count += 1
                if len(chunk) >= batch:
                    cursor.executemany(sql, chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)
            cursor.close()
        say(f"  {table}: {count} rows in {time.perf_counter() - started:.1f}s")
        return count

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
            return cursor.fetchone()[0]


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


# The columns of each table, in the order the row tuples are built above.
COLUMNS = {
    Organisation: "id created_at updated_at name short_name kind credit_code address contact_person phone "
    "established_on dissolved_on region_id successor_id",
    Project: "id created_at updated_at code name address sector industry nature total_investment construction_content "
    "planned_start_date planned_completion_date planned_commissioning_date actual_start_date actual_completion_date "
    "actual_commissioning_date capacity_date in_statistics task_force stage stage_since previous_stage created_by_id "
    "leader_id owner_id region_id responsible_department_id service_agent_id",
    StageTransition: "id at from_state to_state comment effective_date actor_id project_id",
    KeyList: "id created_at updated_at year level title status published_at note published_by_id region_id",
    KeyListEntry: "id created_at updated_at nature annual_plan note key_list_id project_id",
    OpeningBalance: "id created_at updated_at period ytd since_start project_id",
    MonthlyReport: "id created_at updated_at period status investment_month ytd since_start progress_text progress_pct "
    "milestones problems_text submitted_at reviewed_at return_reason is_correction correction_reason project_id "
    "reviewed_by_id submitted_by_id",
}


def columns(model) -> list[str]:
    names = COLUMNS[model].split()
    known = {f.column for f in model._meta.concrete_fields}
    assert set(names) == known, (model, set(names) ^ known)
    return names


def verify_totals(sample: int, seed: int) -> None:
    """The generated ytd / since-start are what ``recompute_totals`` computes: it must change nothing."""
    if not sample:
        return
    from tiaodu.reports.services import recompute_totals

    started = time.perf_counter()
    updates: list[str] = []

    def count_updates(execute, sql, params, many, context):
        if sql.startswith("UPDATE"):
            updates.append(sql)
        return execute(sql, params, many, context)

    ids = sorted(set(MonthlyReport.objects.values_list("project_id", flat=True).distinct()))
    picked = random.Random(seed).sample(ids, min(sample, len(ids)))
    changed = []
    with connection.execute_wrapper(count_updates):
        for pk in picked:
            with transaction.atomic():
                before = len(updates)
                recompute_totals(Project.objects.get(pk=pk))
                if len(updates) > before:
                    changed.append(pk)
                transaction.set_rollback(True)
    if changed:
        raise SystemExit(f"recompute_totals would change the totals of projects {changed[:10]}")
    seconds = time.perf_counter() - started
    say(f"verified: recompute_totals leaves the totals of {len(picked)} sampled projects unchanged ({seconds:.1f}s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--verify", type=int, default=200, help="projects whose totals are checked against the app")
    args = parser.parse_args()
    started = time.perf_counter()
    if Project.objects.exists():
        raise SystemExit("The database already has projects: generate into a freshly migrated database.")
    today = local_today()
    gen = Generator(args.projects, args.months, args.seed, today)
    writer = Writer()
    say(
        f"{connection.vendor}: {args.projects} projects, {args.months} months "
        f"({date_of_mi(gen.window[0]):%Y-%m} … {date_of_mi(gen.window[-1]):%Y-%m}), "
        f"list years {gen.years}, seed {args.seed}"
    )
    gen.load_regions()

    # A login first (through the services): the actor recorded on the bench rows.
    with transaction.atomic():
        system = account_services.user_create(actor=None, username="bench_system", password=None, display_name="bench")
    fmt = writer.fmt_dt

    org_rows = gen.build_owners(writer.next_id(Organisation), fmt)
    gen.build_projects(writer.next_id(Project))
    say(f"planned organisations and projects in {time.perf_counter() - started:.1f}s")
    if writer.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-2000000")
    with transaction.atomic():
        if writer.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        writer.insert(Organisation, columns(Organisation), org_rows)
        writer.insert(Project, columns(Project), gen.project_rows(system.id, fmt))
        writer.insert(
            StageTransition,
            columns(StageTransition),
            gen.transition_rows(writer.next_id(StageTransition), system.id, fmt),
        )
        writer.insert(KeyList, columns(KeyList), gen.build_lists(writer.next_id(KeyList), system.id, fmt))
        t0 = time.perf_counter()
        entries, openings, reports = gen.build_money(
            fmt, writer.next_id(KeyListEntry), writer.next_id(OpeningBalance), writer.next_id(MonthlyReport), system.id
        )
        say(
            f"computed {len(entries)} list entries, {len(openings)} opening balances, {len(reports)} reports "
            f"in {time.perf_counter() - t0:.1f}s"
        )
        writer.insert(KeyListEntry, columns(KeyListEntry), entries)
        del entries
        writer.insert(OpeningBalance, columns(OpeningBalance), openings)
        writer.insert(MonthlyReport, columns(MonthlyReport), reports)
        del reports
        if writer.vendor == "postgresql":
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(),
                    [Organisation, Project, StageTransition, KeyList, KeyListEntry, OpeningBalance, MonthlyReport],
                ):
                    cursor.execute(sql)

    # The logins the bench acts as.
    with transaction.atomic():
        city = Region.objects.get(code=CITY_ADMIN_REGION)
        county = Region.objects.get(code=COUNTY_ADMIN_REGION)
        city_admin = account_services.user_create(
            actor=None, username="bench_city", password=None, display_name="太原市发改委"
        )
        account_services.grant_add(actor=None, user=city_admin, role=Role.ADMIN, region=city)
        county_admin = account_services.user_create(
            actor=None, username="bench_county", password=None, display_name="清徐县发改局"
        )
        account_services.grant_add(actor=None, user=county_admin, role=Role.ADMIN, region=county)
        gen.due_candidates.sort(key=lambda c: (-c[0], c[1]))
        if gen.due_candidates:
            _n, project_id, owner_id = gen.due_candidates[0]
            owner = account_services.user_create(
                actor=None, username="bench_owner", password=None, display_name="项目单位"
            )
            account_services.grant_add(
                actor=None, user=owner, role=Role.OWNER, organisation=Organisation.objects.get(pk=owner_id)
            )
            say(f"bench_owner owns the due project {project_id} ({_n} reports so far)")
    verify_totals(args.verify, args.seed)
    # The rows were written around the services: compute the figure rows (FigureRow) the way
    # `tiaodu rollup rebuild` does.
    t0 = time.perf_counter()
    rows = rollup_rebuild()
    say(f"figure rows (rollup): {rows} in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"ANALYZE in {time.perf_counter() - t0:.1f}s")
    say(f"done in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
