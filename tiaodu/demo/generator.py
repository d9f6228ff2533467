"""The demo city: 长治市 (140400), its counties and two zones, about 400 key projects and two years of lists.

Two halves:

- ``build_plan(today)`` is pure Python (no database): from one ``random.Random(SEED)`` it draws the
  organisations, officials, projects with their dated histories and the yearly lists. Same ``today``,
  same plan, byte for byte; no choice depends on time, ``hash()`` or set order.
- ``load_demo()`` carries the plan out through the services (``organisation_create``,
  ``project_create``, ``project_change_stage``, ``key_list_publish`` …) acting as the ``city_admin``
  login, so every object has its history and every stage move its transition, in one transaction.
  It does nothing if the demo is already there.

Services stamp records with the current time; at the end the loader moves the stamps of the records
*it* created to the dates of the events they stand for (demo only, see ``_Loader.backdate``).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tiaodu.core.validators import uscc_check_character
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.projects.choices import KeyLevel, Nature, Sector, Stage

from . import catalog as C

SEED = 20250701
PASSWORD = "tiaodu-demo"

# Final stages of the demo projects (400 in all).
STAGE_TARGETS: tuple[tuple[str, int], ...] = (
    (Stage.PLANNING, 42),
    (Stage.PRELIMINARY, 62),
    (Stage.CONSTRUCTION, 184),
    (Stage.OPERATING, 62),
    (Stage.CAPACITY, 30),
    (Stage.SUSPENDED, 12),
    (Stage.WITHDRAWN, 8),
)
# Which stage the side states were entered from.
SUSPENDED_FROM = (Stage.PRELIMINARY,) * 4 + (Stage.CONSTRUCTION,) * 8
WITHDRAWN_FROM = (Stage.PLANNING,) * 3 + (Stage.PRELIMINARY,) * 2 + (Stage.CONSTRUCTION,) + (Stage.SUSPENDED,) * 2
# Share of projects taken over already under construction (续建, from the old ledger), by final stage.
DIRECT_SHARE = {
    Stage.CONSTRUCTION: 30,
    Stage.OPERATING: 50,
    Stage.CAPACITY: 70,
    Stage.SUSPENDED: 30,
    Stage.WITHDRAWN: 30,
}

LIST_SIZES = {KeyLevel.PROVINCE: 60, KeyLevel.CITY: 220, KeyLevel.COUNTY: 25}
SETUP_DAYS_BACK = 790  # the registry was set up a little over two years before today

STAGE_REASONS = {
    Stage.PRELIMINARY: "启动前期工作，办理立项备案",
    Stage.CONSTRUCTION: "项目开工建设",
    Stage.OPERATING: "项目建成投产",
    Stage.CAPACITY: "达到设计产能",
}

INDUSTRIAL_KINDS = ("coal_chem", "new_mat", "led", "led_pv", "equipment", "nev")
CAPACITY_SECTORS = (Sector.INDUSTRY, Sector.ENERGY, Sector.AGRICULTURE)
TASK_FORCES = {
    Sector.INDUSTRY: "重大产业项目推进专班",
    Sector.ENERGY: "能源项目推进专班",
    Sector.INFRASTRUCTURE: "重大基础设施项目专班",
    Sector.AGRICULTURE: "乡村振兴项目专班",
    Sector.TOURISM: "文旅康养项目专班",
    Sector.SERVICES: "现代服务业项目专班",
    Sector.SOCIAL: "民生工程推进专班",
    Sector.ECOLOGY: "生态保护修复专班",
}

# The demo logins: username, display name, role as a person reads it, role, region code or organisation name.
LOGINS: tuple[tuple[str, str, str, str, str], ...] = (
    ("city_admin", "市发改委 赵明", "市级管理员（市发改委）", "admin", C.CITY_CODE),
    ("county_admin", "壶关县发改局 李娟", "县级管理员（壶关县发改局）", "admin", C.HUGUAN),
    ("zone_admin", "长治高新区管委会 王磊", "开发区管理员（长治高新区）", "admin", C.GAOXIN),
    ("jingkai_admin", "长治经开区管委会 孙伟", "开发区管理员（长治经开区）", "admin", "140472"),
    ("department", "市自然资源局 陈静", "行业部门（市自然资源局）", "department", "长治市自然资源局"),
    ("owner", "晶辉光电 刘洋", "项目单位（业主）", "owner", C.DEMO_OWNER_NAME),
    ("leader", f"{C.LEADER_LOGIN_OFFICIAL}（副市长）", "包联领导（副市长）", "leader", C.CITY_CODE),
)

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


# ---- the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    name: str  # also the key the plan refers to it by (unique in the plan)
    short_name: str
    kind: str
    region: str
    credit_code: str
    address: str
    contact_person: str
    phone: str
    established_on: dt.date | None = None


@dataclass(frozen=True)
class OfficialSpec:
    name: str
    title: str
    organisation: str
    region: str
    login: str = ""


@dataclass(frozen=True)
class Step:
    """One service call in a project's life: ``create``, a ``stage`` move, or an ``update`` of fields."""

    kind: str
    on: dt.date
    at: dt.time
    stage: str = ""
    reason: str = ""
    code: str = ""
    fields: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ProjectSpec:
    index: int
    kind: str
    name: str
    owner: str
    region: str
    address: str
    sector: str
    industry: str
    nature: str
    total_investment: Decimal
    construction_content: str
    planned_start_date: dt.date
    planned_completion_date: dt.date
    planned_commissioning_date: dt.date
    actual_start_date: dt.date | None  # known at registration: taken over under construction
    in_statistics: bool  # at registration
    leader: str | None
    responsible_department: str | None
    task_force: str
    service_agent: str | None
    steps: tuple[Step, ...]

    @property
    def final_stage(self) -> str:
        return [s.stage for s in self.steps if s.kind != "update"][-1]

    @property
    def registered_on(self) -> dt.date:
        return self.steps[0].on

    def stage_on(self, day: dt.date) -> str | None:
        """The stage the project was in at the end of ``day`` (``None`` before it was registered)."""
        current = None
        for step in self.steps:
            if step.kind != "update" and step.on <= day:
                current = step.stage
        return current

    def date_of(self, stage: str) -> dt.date | None:
        for step in self.steps:
            if step.kind != "update" and step.stage == stage:
                return step.on
        return None

    @property
    def started_on(self) -> dt.date | None:
        return self.actual_start_date or self.date_of(Stage.CONSTRUCTION)

    @property
    def code(self) -> str:
        return next((s.code for s in self.steps if s.code), "")


@dataclass(frozen=True)
class EntrySpec:
    project: int
    nature: str
    annual_plan: Decimal
    note: str
    on: dt.date
    at: dt.time


@dataclass(frozen=True)
class ListSpec:
    region: str
    year: int
    level: str
    created_on: dt.date
    published_on: dt.date | None  # None: left as a draft (编制中)
    entries: tuple[EntrySpec, ...]


@dataclass(frozen=True)
class DemoPlan:
    today: dt.date
    setup: dt.date
    organisations: tuple[OrgSpec, ...]
    officials: tuple[OfficialSpec, ...]
    projects: tuple[ProjectSpec, ...]
    lists: tuple[ListSpec, ...]


def build_plan(today: dt.date) -> DemoPlan:
    """The whole demo city as data, for ``today`` (no database access)."""
    return _PlanBuilder(today).build()


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def _round_money(value: int) -> int:
    if value >= 100000:
        return (value + 50) // 100 * 100
    if value >= 10000:
        return (value + 5) // 10 * 10
    return value


class _PlanBuilder:
    def __init__(self, today: dt.date):
        self.rng = random.Random(SEED)
        self.today = today
        self.last_day = today - _days(1)  # facts end yesterday, so no time stamp is ahead of the clock
        # The registry was set up a little over two years ago, and at least a quarter before last year's lists.
        self.setup = min(today - _days(SETUP_DAYS_BACK), dt.date(today.year - 2, 10, 1))
        self.year = today.year
        self.orgs: list[OrgSpec] = []
        self.org_names: set[str] = set()
        self.credit_codes: set[str] = set()
        self.brands: set[str] = {C.DEMO_OWNER_SHORT[:2]}
        self.people: set[str] = {C.MAYOR[0], *(name for name, _t, _s in C.CITY_LEADERS)}
        self.enterprises: dict[tuple[str, str], list[str]] = {}
        self.hospitals: dict[str, list[str]] = {}
        self.project_codes: set[str] = set()
        self.project_names: set[str] = set()
        self.regions = {code: (code, name, short) for code, name, short, _n in C.COUNTIES + C.ZONES}

    # -- small draws --------------------------------------------------------------------------

    def between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + _days(self.rng.randint(0, max((end - start).days, 0)))

    def office_time(self) -> dt.time:
        minutes = 8 * 60 + 30 + self.rng.randint(0, 9 * 60)
        return dt.time(minutes // 60, minutes % 60)

    def seasonal(self, year: int) -> dt.date:
        month = self.rng.choices(range(1, 13), weights=C.START_MONTH_WEIGHTS)[0]
        return dt.date(year, month, self.rng.randint(1, 28))

    def person(self) -> str:
        while True:
            name = self.rng.choice(C.SURNAMES) + self.rng.choice(C.GIVEN)
            if name not in self.people:
                self.people.add(name)
                return name

    def phone(self) -> str:
        return f"0355-{self.rng.randint(2000000, 8999999)}"

    def credit_code(self, kind: str, region: str) -> str:
        prefix = {OrganisationKind.ENTERPRISE: "91", OrganisationKind.INSTITUTION: "12"}.get(kind, "11")
        while True:
            if kind == OrganisationKind.ENTERPRISE and self.rng.random() < 0.6:
                body = "MA" + "".join(self.rng.choice(_USCC_CHARS) for _ in range(6))
            else:
                body = "".join(self.rng.choice("0123456789") for _ in range(8))
            first17 = prefix + region + body + _org_code_check(body)
            code = first17 + uscc_check_character(first17)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def add_org(self, name: str, short: str, kind: str, region: str, address: str = "") -> str:
        assert name not in self.org_names, name
        established = None
        if kind == OrganisationKind.ENTERPRISE:
            established = dt.date(
                self.rng.randint(1998, self.year - 4), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
        region_name = self.regions[region][1] if region in self.regions else ""
        self.orgs.append(
            OrgSpec(
                name=name,
                short_name=short,
                kind=kind,
                region=region,
                credit_code=self.credit_code(kind, region),
                address=address or f"山西省长治市{region_name}",
                contact_person=self.person(),
                phone=self.phone(),
                established_on=established,
            )
        )
        self.org_names.add(name)
        return name

    # -- organisations and officials ------------------------------------------------------------

    def build_fixed_orgs(self) -> None:
        self.city_gov = self.add_org(
            "长治市人民政府", "市政府", OrganisationKind.GOVERNMENT, C.CITY_CODE, "山西省长治市潞州区太行东街"
        )
        self.city_depts = {
            key: self.add_org(name, short, OrganisationKind.DEPARTMENT, C.CITY_CODE)
            for key, name, short in C.CITY_DEPARTMENTS
        }
        self.gov: dict[str, str] = {}
        self.county_depts: dict[tuple[str, str], str] = {}
        for code, name, _short, _n in C.COUNTIES:
            self.gov[code] = self.add_org(f"{name}人民政府", f"{name}政府", OrganisationKind.GOVERNMENT, code)
            departments = C.COUNTY_DEPARTMENTS + (C.HUGUAN_EXTRA_DEPARTMENTS if code == C.HUGUAN else ())
            for key, dept, short in departments:
                self.county_depts[(code, key)] = self.add_org(
                    f"{name}{dept}", f"{C.PLACE[code]}{short}", OrganisationKind.DEPARTMENT, code
                )
        for code, name, short, _n in C.ZONES:
            self.gov[code] = self.add_org(f"{name}管理委员会", f"{short}管委会", OrganisationKind.GOVERNMENT, code)
        self.institutions = {
            key: self.add_org(name, short, OrganisationKind.INSTITUTION, C.CITY_CODE)
            for key, name, short in C.CITY_INSTITUTIONS
        }
        self.soes = {
            key: self.add_org(name, short, OrganisationKind.ENTERPRISE, C.CITY_CODE) for key, name, short in C.CITY_SOES
        }
        self.lgfv: dict[str, str] = {}
        for code, name, short, _n in C.COUNTIES + C.ZONES:
            self.lgfv[code] = self.add_org(
                f"{short if code in (C.GAOXIN, '140472') else name}城乡建设投资有限公司",
                f"{C.PLACE[code]}城投",
                OrganisationKind.ENTERPRISE,
                code,
            )
        self.demo_owner = self.add_org(
            C.DEMO_OWNER_NAME,
            C.DEMO_OWNER_SHORT,
            OrganisationKind.ENTERPRISE,
            C.GAOXIN,
            "山西省长治市长治高新区光电产业园",
        )
        self.short_of = {org.name: org.short_name for org in self.orgs}

    def enterprise(self, region: str, field_key: str, endings: tuple[str, ...] = ()) -> str:
        """An enterprise of the field in the region: often one already there, sometimes a new one.

        ``endings``: the short-name endings (光伏, 储能 …) that suit the project, if it matters.
        """
        suffixes = [s for s in C.FIELD_SUFFIXES[field_key] if not endings or s[1] in endings]
        key = (region, field_key, suffixes[0][1] if endings else "")
        pool = self.enterprises.setdefault(key, [])
        chance_new = (1.0, 0.15, 0.08)[len(pool)] if len(pool) < 3 else 0.04
        if pool and self.rng.random() >= chance_new:
            return self.rng.choice(pool)
        elsewhere = [
            name
            for (r, f, e), names in self.enterprises.items()
            if f == key[1] and e == key[2] and r != region and r in self.regions
            for name in names
        ]
        if not pool and elsewhere and self.rng.random() < 0.5:
            # An enterprise of a neighbouring county invests here too.
            chosen = self.rng.choice(elsewhere)
            pool.append(chosen)
            return chosen
        while True:
            brand = self.rng.choice(C.BRAND_FIRST) + self.rng.choice(C.BRAND_SECOND)
            if brand not in self.brands:
                self.brands.add(brand)
                break
        suffix, short_suffix = self.rng.choice(suffixes)
        if region in (C.GAOXIN, "140472"):
            prefix = self.rng.choice(("山西", "长治"))
        else:
            prefix = self.rng.choice(("山西", "长治市", self.regions[region][1]))
        name = self.add_org(f"{prefix}{brand}{suffix}", f"{brand}{short_suffix}", OrganisationKind.ENTERPRISE, region)
        self.short_of[name] = f"{brand}{short_suffix}"
        pool.append(name)
        return name

    def hospital(self, region: str) -> str:
        if region == "140403":
            return self.rng.choice((self.institutions["hospital_city"], self.institutions["hospital_heping"]))
        pool = self.hospitals.setdefault(region, [])
        if len(pool) < 2 and (not pool or self.rng.random() < 0.5):
            name = self.regions[region][1] + ("人民医院" if not pool else "中医医院")
            pool.append(self.add_org(name, name, OrganisationKind.INSTITUTION, region))
            self.short_of[name] = name
            return name
        return self.rng.choice(pool)

    @staticmethod
    def owner_endings(kind: str, stem: str) -> tuple[str, ...]:
        """Which kind of enterprise fits a project: a PV plant is not owned by a 储能 company."""
        if kind in ("led", "led_pv"):
            return ("光伏",) if ("光伏" in stem or "硅" in stem) else ("光电", "半导体")
        if kind == "nev":
            return (
                ("氢能",)
                if "氢" in stem
                else ("汽车部件", "动力")
                if any(w in stem for w in ("部件", "电机", "充换电"))
                else ("新能源汽车", "动力")
            )
        if kind in ("pv", "wind", "storage"):
            return {"pv": ("光伏发电", "新能源"), "wind": ("风电", "新能源"), "storage": ("储能", "新能源")}[kind]
        if kind == "cbm":
            return ("煤层气",)
        if kind in ("tcm", "tcm_process"):
            return ("中药材",)
        if kind in ("millet", "livestock", "veg", "cold_chain"):
            return {
                "millet": ("食品",),
                "livestock": ("牧业",),
                "veg": ("农业", "生态农业"),
                "cold_chain": ("农业", "食品"),
            }[kind]
        if kind == "services":
            for word, ending in (("物流", "物流"), ("电子商务", "电商"), ("数", "数科"), ("科技", "数科")):
                if word in stem:
                    return (ending,)
            return ("商管",)
        return ()

    def owner_for(self, kind: str, region: str, stem: str) -> str:
        rule = C.SUBS[kind].owner
        rnd = self.rng.random()
        endings = self.owner_endings(kind, stem)
        if rule == "chem":
            return self.soes["luan"] if rnd < 0.5 else self.enterprise(region, "chem")
        if rule in ("mat", "led", "equip", "nev", "agri"):
            return self.enterprise(region, rule, endings)
        if rule == "tour":
            return self.soes["tourism"] if rnd < 0.3 else self.enterprise(region, "tour")
        if rule == "services":
            return self.lgfv[region] if rnd < 0.25 else self.enterprise(region, "services", endings)
        if rule == "gas":
            return self.soes["luan"] if rnd < 0.35 else self.enterprise(region, "gas", endings)
        if rule == "energy":
            return self.soes["energy"] if rnd < 0.3 else self.enterprise(region, "energy", endings)
        if rule.startswith("soe:"):
            return self.soes[rule[4:]]
        if rule == "traffic":
            return self.soes["traffic"] if rnd < 0.5 else self.lgfv[region]
        if rule == "water":
            return self.soes["water"] if rnd < 0.4 else self.lgfv[region]
        if rule == "lgfv":
            return self.lgfv[region]
        if rule == "gov":
            return self.gov[region]
        if rule == "hospital":
            return self.hospital(region)
        if rule == "dept:zrzy":
            return self.county_depts.get((region, "zrzy"), self.gov[region])
        raise ValueError(rule)

    def build_officials(self) -> list[OfficialSpec]:
        officials = [OfficialSpec(C.MAYOR[0], C.MAYOR[1], self.city_gov, C.CITY_CODE)]
        self.sector_leader: dict[str, str] = {}
        for name, title, sectors in C.CITY_LEADERS:
            login = "leader" if name == C.LEADER_LOGIN_OFFICIAL else ""
            officials.append(OfficialSpec(name, title, self.city_gov, C.CITY_CODE, login))
            for sector in sectors:
                self.sector_leader[sector] = name
        self.county_leaders: dict[str, tuple[str, str]] = {}
        for code, name, _short, _n in C.COUNTIES + C.ZONES:
            if code in (C.GAOXIN, "140472"):
                titles = ("管委会主任", "管委会副主任")
            elif name.endswith("区"):
                titles = ("区长", "副区长")
            else:
                titles = ("县长", "常务副县长")
            chief, deputy = self.person(), self.person()
            officials.append(OfficialSpec(chief, titles[0], self.gov[code], code))
            officials.append(OfficialSpec(deputy, titles[1], self.gov[code], code))
            self.county_leaders[code] = (chief, deputy)
        return officials

    # -- projects ------------------------------------------------------------------------------

    def allot_kinds(self) -> list[tuple[str, str]]:
        """(region, kind) for every project: each region's count split by its profile, largest remainder first."""
        skeleton: list[tuple[str, str]] = []
        for code, _name, _short, count in C.COUNTIES + C.ZONES:
            profile = C.PROFILES[code]
            weight = sum(w for _k, w in profile)
            shares = [(count * w // weight, -(count * w % weight), i) for i, (_k, w) in enumerate(profile)]
            allotted = [s[0] for s in shares]
            for _base, _rem, i in sorted(shares, key=lambda s: (s[1], s[2]))[: count - sum(allotted)]:
                allotted[i] += 1
            kinds = [kind for (kind, _w), n in zip(profile, allotted, strict=True) for _ in range(n)]
            self.rng.shuffle(kinds)
            skeleton.extend((code, kind) for kind in kinds)
        return skeleton

    def assign_stages(self, skeleton: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """(final stage, stage a side state was entered from) per project."""
        n = len(skeleton)
        capacity_count = dict(STAGE_TARGETS)[Stage.CAPACITY]
        capable = [i for i, (_r, kind) in enumerate(skeleton) if C.SUBS[kind].sector in CAPACITY_SECTORS]
        capacity = set(self.rng.sample(capable, capacity_count))
        rest = [i for i in range(n) if i not in capacity]
        self.rng.shuffle(rest)
        targets: list[tuple[str, str]] = [("", "")] * n
        for i in capacity:
            targets[i] = (Stage.CAPACITY, "")
        pos = 0
        for stage, count in STAGE_TARGETS:
            if stage == Stage.CAPACITY:
                continue
            for k in range(count):
                via = ""
                if stage == Stage.SUSPENDED:
                    via = SUSPENDED_FROM[k]
                elif stage == Stage.WITHDRAWN:
                    via = WITHDRAWN_FROM[k]
                targets[rest[pos]] = (stage, via)
                pos += 1
        assert pos == len(rest), "STAGE_TARGETS must add up to the number of projects"
        return targets

    def path(self, final: str, via: str, direct: bool) -> tuple[str, list[str]]:
        """The stage a project is registered in and the moves after it."""

        def to(stage: str) -> tuple[str, list[str]]:
            if stage == Stage.PLANNING:
                return Stage.PLANNING, []
            if stage == Stage.PRELIMINARY:
                return (Stage.PRELIMINARY, []) if self.rng.random() < 0.15 else (Stage.PLANNING, [Stage.PRELIMINARY])
            if direct:
                first, moves = Stage.CONSTRUCTION, []
            else:
                first, moves = to(Stage.PRELIMINARY)
                moves = [*moves, Stage.CONSTRUCTION]
            if stage in (Stage.OPERATING, Stage.CAPACITY):
                moves.append(Stage.OPERATING)
            if stage == Stage.CAPACITY:
                moves.append(Stage.CAPACITY)
            return first, moves

        if final == Stage.SUSPENDED:
            first, moves = to(via)
            return first, [*moves, Stage.SUSPENDED]
        if final == Stage.WITHDRAWN:
            if via == Stage.SUSPENDED:
                first, moves = to(Stage.CONSTRUCTION)
                return first, [*moves, Stage.SUSPENDED, Stage.WITHDRAWN]
            first, moves = to(via)
            return first, [*moves, Stage.WITHDRAWN]
        return to(final)

    def dates(self, first: str, moves: list[str]) -> tuple[dt.date, dt.date | None, list[dt.date]]:
        """Registration date, start date and the date of each move, all in the past and in order."""
        span = (self.last_day - self.setup).days
        y = self.year
        for _attempt in range(5000):
            start: dt.date | None = None
            if first == Stage.CONSTRUCTION:
                start = self.seasonal(self.rng.choice((y - 4, y - 3, y - 3, y - 2, y - 2)))
                if start > min(dt.date(y - 2, 11, 30), self.setup + _days(60)):
                    continue
                registered = max(self.setup + _days(self.rng.randint(0, 90)), start + _days(self.rng.randint(10, 45)))
            elif not moves or moves == [Stage.WITHDRAWN]:
                registered = self.setup + _days(self.rng.randint(0, span - (150 if moves else 10)))
            elif self.rng.random() < 0.75:
                registered = self.setup + _days(self.rng.randint(0, 110))
            else:
                registered = self.setup + _days(self.rng.randint(0, span // 2))
            previous, dates, ok = registered, [], True
            for stage in moves:
                if stage == Stage.PRELIMINARY:
                    day = previous + _days(self.rng.randint(20, 300))
                elif stage == Stage.CONSTRUCTION:
                    candidate = previous + _days(self.rng.randint(45, 450))
                    day = self.seasonal(candidate.year)
                    if day < previous + _days(45):
                        day = self.seasonal(candidate.year + 1)
                    start = day
                elif stage == Stage.OPERATING:
                    assert start is not None
                    day = max(start + _days(self.rng.randint(270, 720)), previous + _days(self.rng.randint(20, 120)))
                elif stage == Stage.CAPACITY:
                    day = previous + _days(self.rng.randint(60, 360))
                else:  # suspended, withdrawn
                    day = previous + _days(self.rng.randint(30, 400))
                if day > self.last_day:
                    ok = False
                    break
                dates.append(day)
                previous = day
            if ok:
                return registered, start, dates
        raise RuntimeError("could not place a project's history before today")  # pragma: no cover

    def project_code(self, year: int, region: str, kind: str, owner: str, total: int) -> str:
        owner_kind = next(o.kind for o in self.orgs if o.name == owner)
        if owner_kind != OrganisationKind.ENTERPRISE or owner in self.lgfv.values():
            tt = "01"  # 审批: government investment
        elif total >= 100000 and kind in ("coal_chem", "wind", "pumped", "cbm", "grid"):
            tt = "02"  # 核准
        else:
            tt = "03"  # 备案
        while True:
            code = f"{year}-{region}-{C.SUBS[kind].dd}-{tt}-{self.rng.randint(0, 999999):06d}"
            if code not in self.project_codes:
                self.project_codes.add(code)
                return code

    def unique_name(self, name: str, ending: str) -> str:
        candidate = f"{name}{ending}"
        phase = 0
        while candidate in self.project_names:
            candidate = f"{name}（{C.ORDINALS[phase]}期）{ending}"
            phase += 1
        self.project_names.add(candidate)
        return candidate

    def build_project(self, index: int, region: str, kind: str, final: str, via: str) -> ProjectSpec:
        rng = self.rng
        sub = C.SUBS[kind]
        reaches_construction = final in (Stage.CONSTRUCTION, Stage.OPERATING, Stage.CAPACITY) or via in (
            Stage.CONSTRUCTION,
            Stage.SUSPENDED,
        )
        direct = reaches_construction and rng.randint(1, 100) <= DIRECT_SHARE.get(final, 0)
        if direct:
            nature = Nature.CONTINUED if rng.random() < 0.85 else Nature.EXPANSION
        else:
            nature = rng.choices((Nature.NEW, Nature.EXPANSION, Nature.RENOVATION), weights=(72, 18, 10))[0]
        first, moves = self.path(final, via, direct)
        registered, start, move_dates = self.dates(first, moves)

        made = C.make_project(kind, rng, self.regions[region], nature, self.used_sites)
        if region == C.GAOXIN and kind == "led" and self.demo_owner_left:
            owner = self.demo_owner  # the ``owner`` login's enterprise: LED chips in the 高新区
            self.demo_owner_left -= 1
        else:
            owner = self.owner_for(kind, region, made.stem)
        owner_short = self.short_of.get(owner, owner)
        stem = made.stem
        if kind in INDUSTRIAL_KINDS:
            by_owner = rng.random() < 0.6 or owner == self.demo_owner
            stem = f"{owner_short if by_owner else self.regions[region][2]}{stem}"
        elif kind == "hospital":
            stem = f"{owner}{stem}"
        ending = made.ending
        if nature in (Nature.EXPANSION, Nature.RENOVATION) and not any(
            word in stem + ending for word in ("改", "扩", "提质", "提升", "新建")
        ):
            ending = ("扩建" if nature == Nature.EXPANSION else "改造") + ending
        name = self.unique_name(stem, ending)
        total = _round_money(max(made.total, 1500))
        total_investment = Decimal(total)
        if rng.random() < 0.25:
            total_investment += Decimal(rng.randint(1, 99)) / 100

        # Planned dates (targets, may lie in the future) and duration by size.
        planned_start = start + _days(rng.randint(-75, 20)) if start else registered + _days(rng.randint(90, 540))
        months = (
            rng.randint(10, 18)
            if total < 10000
            else rng.randint(12, 24)
            if total < 50000
            else rng.randint(18, 36)
            if total < 200000
            else rng.randint(24, 48)
        )
        planned_completion = planned_start + _days(months * 30)
        planned_commissioning = planned_completion + _days(
            rng.randint(0, 60) if sub.sector in (Sector.INDUSTRY, Sector.ENERGY, Sector.AGRICULTURE) else 0
        )

        # The national code: given with the first move out of planning, or at registration.
        code_step = -1 if first == Stage.PLANNING else 0  # index into [create, *moves]; -1: none yet
        if first == Stage.PLANNING and moves and moves[0] != Stage.WITHDRAWN:
            code_step = 1
        elif first == Stage.PLANNING and rng.random() < 0.25:
            code_step = 0  # some projects in planning already have a code
        main_dates = [registered, *move_dates]
        code = ""
        if code_step >= 0:
            code_year = main_dates[code_step].year
            if direct and start:
                code_year = rng.choice((start.year - 1, start.year))
            code = self.project_code(code_year, region, kind, owner, total)

        statistics = reaches_construction and rng.random() < 0.88
        steps: list[Step] = []
        last_stamp: tuple[dt.date, dt.time] | None = None

        def stamp(day: dt.date) -> dt.time:
            nonlocal last_stamp
            at = self.office_time()
            if last_stamp and last_stamp[0] == day and at <= last_stamp[1]:
                minutes = min(last_stamp[1].hour * 60 + last_stamp[1].minute + rng.randint(5, 40), 23 * 60 + 59)
                at = dt.time(minutes // 60, minutes % 60)
            last_stamp = (day, at)
            return at

        create_reason = "续建项目，由原项目台账转入" if first == Stage.CONSTRUCTION else "登记项目"
        steps.append(
            Step(
                "create",
                registered,
                stamp(registered),
                stage=first,
                reason=create_reason,
                code=code if code_step == 0 else "",
            )
        )
        for i, (stage, day) in enumerate(zip(moves, move_dates, strict=True)):
            if stage == Stage.SUSPENDED:
                reason = rng.choice(C.SUSPEND_REASONS)
            elif stage == Stage.WITHDRAWN:
                reason = rng.choice(C.WITHDRAW_REASONS)
            else:
                reason = STAGE_REASONS[stage]
            steps.append(
                Step("stage", day, stamp(day), stage=stage, reason=reason, code=code if code_step == i + 1 else "")
            )
            following = move_dates[i + 1] if i + 1 < len(move_dates) else self.last_day + _days(1)
            if stage == Stage.CONSTRUCTION and statistics:
                entered = min(day + _days(rng.randint(10, 75)), following - _days(1), self.last_day)
                entered = max(entered, day)
                steps.append(
                    Step(
                        "update",
                        entered,
                        stamp(entered),
                        reason="纳入固定资产投资统计库",
                        fields=(("in_statistics", True),),
                    )
                )
            if stage == Stage.OPERATING and rng.random() < 0.7:
                assert start is not None
                completed = max(start + _days(1), day - _days(rng.randint(0, 30)))
                steps.append(
                    Step("update", day, stamp(day), reason="竣工验收", fields=(("actual_completion_date", completed),))
                )

        return ProjectSpec(
            index=index,
            kind=kind,
            name=name,
            owner=owner,
            region=region,
            address=made.address,
            sector=sub.sector,
            industry=sub.industry,
            nature=nature,
            total_investment=total_investment,
            construction_content=made.content,
            planned_start_date=planned_start,
            planned_completion_date=planned_completion,
            planned_commissioning_date=planned_commissioning,
            actual_start_date=start if direct else None,
            in_statistics=direct and statistics,
            leader=None,
            responsible_department=None,
            task_force="",
            service_agent=None,
            steps=tuple(steps),
        )

    def assign_responsibility(self, projects: list[ProjectSpec]) -> list[ProjectSpec]:
        """包联: a leader for most projects, a department, sometimes a task force and a service agent."""
        rng = self.rng
        biggest = sorted(projects, key=lambda p: (-p.total_investment, p.index))[:6]
        mayor_led = {p.index for p in biggest}
        result = []
        for p in projects:
            sub = C.SUBS[p.kind]
            total = p.total_investment
            city_led = p.index in mayor_led or total >= 100000 or (total >= 30000 and rng.random() < 0.3)
            if p.owner == self.demo_owner:
                city_led = True  # the chain's flagship enterprise is looked after by the city
            chief, deputy = self.county_leaders[p.region]
            if p.index in mayor_led:
                leader = C.MAYOR[0]
            elif city_led:
                leader = self.sector_leader[p.sector]
            elif rng.random() < 0.88:
                leader = chief if total >= 20000 else deputy
            else:
                leader = None
            county_dept = self.county_depts.get((p.region, sub.dept))
            if city_led:
                department = self.city_depts[sub.dept]
            elif county_dept and rng.random() < 0.8:
                department = county_dept
            elif p.region in (C.GAOXIN, "140472") and rng.random() < 0.5:
                department = self.gov[p.region]
            elif rng.random() < 0.55:
                department = self.county_depts.get((p.region, "fgj"), self.gov[p.region])
            else:
                department = self.city_depts[sub.dept]
            if rng.random() < 0.04:
                department = self.city_depts["zrzy"]  # land questions are the 自然资源局's
            if rng.random() < 0.04:
                department = None
            task_force = ""
            if (city_led and total >= 100000 and rng.random() < 0.5) or rng.random() < 0.08:
                if p.kind == "taihang":
                    task_force = "太行一号旅游公路建设专班"
                elif p.owner == self.soes["luan"]:
                    task_force = "潞安化工项目服务专班"
                elif p.kind in ("led", "led_pv"):
                    task_force = "光电产业链专班"
                else:
                    task_force = ("市" if city_led else self.regions[p.region][2]) + TASK_FORCES[p.sector]
            agent = self.city_depts["spj"] if rng.random() < 0.3 else None
            result.append(
                replace(p, leader=leader, responsible_department=department, task_force=task_force, service_agent=agent)
            )
        return result

    # -- lists ---------------------------------------------------------------------------------

    def build_lists(self, projects: list[ProjectSpec]) -> list[ListSpec]:
        rng = self.rng
        plans: dict[tuple[int, int], tuple[str, Decimal, str]] = {}

        def entry_terms(p: ProjectSpec, year: int, day: dt.date) -> tuple[str, Decimal, str]:
            key = (p.index, year)
            if key not in plans:
                stage = p.stage_on(day)
                started = p.started_on
                before_year = started is not None and started < dt.date(year, 1, 1)
                nature = Nature.CONTINUED if before_year else (p.nature if p.nature != Nature.CONTINUED else Nature.NEW)
                commissioning_year = p.planned_commissioning_date.year == year
                if stage in (Stage.PLANNING, Stage.PRELIMINARY):
                    share, note = rng.randint(10, 30), "计划年内开工"
                elif stage == Stage.OPERATING:
                    share, note = rng.randint(3, 10), "计划年内达产"
                elif commissioning_year:
                    share, note = rng.randint(10, 30), "计划年内投产"
                else:
                    share, note = rng.randint(20, 45), ""
                plan = (p.total_investment * share / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
                plans[key] = (nature, max(plan, Decimal(1)), note)
            return plans[key]

        def listable(p: ProjectSpec, year: int, day: dt.date, *, county: bool) -> bool:
            if p.registered_on > day:
                return False
            withdrawn = p.date_of(Stage.WITHDRAWN)
            if withdrawn and withdrawn.year <= year:
                return False
            stage = p.stage_on(day)
            if stage in (Stage.PRELIMINARY, Stage.CONSTRUCTION):
                return True
            if stage == Stage.PLANNING:
                # A project still being planned is listed when its preliminary work or its start is due that year.
                moved = p.date_of(Stage.PRELIMINARY) or p.date_of(Stage.CONSTRUCTION)
                return county or bool(moved and moved.year == year)
            capacity = p.date_of(Stage.CAPACITY)
            return stage == Stage.OPERATING and bool(capacity and capacity.year == year)

        def pick(candidates: list[ProjectSpec], size: int, spread: tuple[int, int], cap: int) -> list[ProjectSpec]:
            scored = [(min(p.total_investment, cap) * rng.randint(*spread), p.index, p) for p in candidates]
            scored.sort(key=lambda s: (-s[0], s[1]))
            return sorted((p for _s, _i, p in scored[:size]), key=lambda p: p.index)

        lists: list[ListSpec] = []
        for year in (self.year - 1, self.year):
            created = min(dt.date(year, 1, 15), self.last_day)
            specs = [(C.CITY_CODE, KeyLevel.PROVINCE), (C.CITY_CODE, KeyLevel.CITY)]
            specs += [(code, KeyLevel.COUNTY) for code in C.COUNTY_LIST_REGIONS]
            for region, level in specs:
                county = level == KeyLevel.COUNTY
                pool = [
                    p
                    for p in projects
                    if (not county or p.region == region) and listable(p, year, created, county=county)
                ]
                if level == KeyLevel.PROVINCE:
                    chosen = pick(pool, LIST_SIZES[level], (70, 130), 10**9)
                elif level == KeyLevel.CITY:
                    chosen = pick(pool, LIST_SIZES[level], (50, 150), 300000)
                else:
                    started_first = [p for p in pool if p.stage_on(created) != Stage.PLANNING]
                    chosen = pick(started_first, LIST_SIZES[level], (30, 300), 10**9)
                    if len(chosen) < LIST_SIZES[level]:
                        planning = [p for p in pool if p.stage_on(created) == Stage.PLANNING]
                        chosen += pick(planning, LIST_SIZES[level] - len(chosen), (30, 300), 10**9)
                        chosen.sort(key=lambda p: p.index)
                published = {
                    KeyLevel.PROVINCE: dt.date(year, 3, 12),
                    KeyLevel.CITY: dt.date(year, 2, 26),
                    KeyLevel.COUNTY: dt.date(year, 3, 18),
                }[level]
                published = max(min(published, self.last_day), created)
                draft = year == self.year and level == KeyLevel.COUNTY and region == C.DRAFT_COUNTY_LIST_REGION
                entries = []
                for p in chosen:
                    nature, plan, note = entry_terms(p, year, created)
                    on = min(created + _days(rng.randint(0, 25)), published)
                    entries.append(EntrySpec(p.index, nature, plan, note, on, self.office_time()))
                entries.sort(key=lambda e: (e.on, e.at, e.project))
                lists.append(ListSpec(region, year, level, created, None if draft else published, tuple(entries)))
        return lists

    # -- all of it -----------------------------------------------------------------------------

    def build(self) -> DemoPlan:
        self.build_fixed_orgs()
        officials = self.build_officials()
        self.used_sites: dict[str, int] = {}
        skeleton = self.allot_kinds()
        targets = self.assign_stages(skeleton)
        self.demo_owner_left = C.DEMO_OWNER_PROJECTS
        projects = [
            self.build_project(index, region, kind, final, via)
            for index, ((region, kind), (final, via)) in enumerate(zip(skeleton, targets, strict=True))
        ]
        if self.demo_owner_left:
            raise RuntimeError("the demo owner got too few projects; give 长治高新区 more LED projects")
        projects = self.assign_responsibility(projects)
        lists = self.build_lists(projects)
        return DemoPlan(
            today=self.today,
            setup=self.setup,
            organisations=tuple(self.orgs),
            officials=tuple(officials),
            projects=tuple(projects),
            lists=tuple(lists),
        )


# ---- the summary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


@dataclass(frozen=True)
class DemoSummary:
    """What the demo city holds (counted in the database under 长治市)."""

    regions: int
    organisations: int
    officials: int
    projects: int
    stages: tuple[tuple[str, int], ...]  # (stage value, count) in stage order
    lists: int
    published_lists: int
    entries: int
    logins: tuple[DemoLogin, ...]
    created: bool = field(default=False, compare=False)  # loaded by this call (False: it was already there)
    seconds: float = field(default=0.0, compare=False)

    @property
    def stage_counts(self) -> dict[str, int]:
        return dict(self.stages)

    def lines(self) -> list[str]:
        stages = "，".join(f"{Stage(stage).label} {count}" for stage, count in self.stages)
        return [
            f"区划（regions）：{self.regions} 个（长治市及所辖县区、开发区）",
            f"单位（organisations）：{self.organisations} 个；领导（officials）：{self.officials} 名",
            f"项目（projects）：{self.projects} 个 —— {stages}",
            f"重点项目名单（key-project lists）：{self.lists} 份，其中已发布 {self.published_lists} 份、"
            f"编制中 {self.lists - self.published_lists} 份；名单项目（entries）{self.entries} 条",
        ]


def summarize() -> DemoSummary:
    """Count what the database holds for the demo city."""
    from tiaodu.accounts.models import User
    from tiaodu.orgs.models import Official, Organisation
    from tiaodu.projects.choices import KeyListStatus
    from tiaodu.projects.models import KeyList, KeyListEntry, Project
    from tiaodu.regions.models import Region

    city = Region.objects.filter(code=C.CITY_CODE).first()
    prefix = city.path if city else "-"
    by_stage = Counter(Project.objects.filter(region__path__startswith=prefix).values_list("stage", flat=True))
    lists = KeyList.objects.filter(region__path__startswith=prefix)
    logins = []
    for username, _display, role, _role_value, _scope in LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        grant = user.grants.select_related("region", "organisation").first()
        if grant is None:
            scope = "—"
        elif grant.organisation_id:
            scope = grant.organisation.name
        else:
            scope = f"{grant.region.label}（{grant.region.code}）"
        logins.append(DemoLogin(username, role, scope))
    return DemoSummary(
        regions=Region.objects.filter(path__startswith=prefix).count(),
        organisations=Organisation.objects.filter(region__path__startswith=prefix).count(),
        officials=Official.objects.filter(region__path__startswith=prefix).count(),
        projects=sum(by_stage.values()),
        stages=tuple((stage, by_stage[stage]) for stage in Stage.values if by_stage[stage]),
        lists=lists.count(),
        published_lists=lists.filter(status=KeyListStatus.PUBLISHED).count(),
        entries=KeyListEntry.objects.filter(key_list__in=lists).count(),
        logins=tuple(logins),
    )


# ---- loading -------------------------------------------------------------------------------------


class DemoError(Exception):
    """The demo cannot be loaded into this database (the message says why, in Chinese)."""


def load_demo(*, stdout=None) -> DemoSummary:
    """Fill the configured database with the demo city, unless it is already there.

    ``stdout``: where progress lines go (a file or a management command's ``self.stdout``).
    """
    from django.db import transaction

    from tiaodu.accounts.models import User
    from tiaodu.core.dates import local_today

    def say(message: str) -> None:
        if stdout is not None:
            # A management command's OutputWrapper ends lines itself; a plain stream does not.
            stdout.write(message if hasattr(stdout, "style_func") else message + "\n")

    began = time.monotonic()
    if User.objects.filter(username=LOGINS[0][0]).exists():
        say("演示数据已存在，未作改动（demo already loaded, nothing changed）。")
        return replace(summarize(), created=False, seconds=time.monotonic() - began)
    plan = build_plan(local_today())
    say(
        f"已生成演示方案（plan）：{len(plan.organisations)} 个单位，{len(plan.projects)} 个项目，"
        f"{len(plan.lists)} 份名单。"
    )
    from tiaodu.core.queries import hold_off_autovacuum
    from tiaodu.figures.rollup import rollup_deferred

    # The figure rows are refreshed once per project and year rather than after every service call.
    with transaction.atomic(), rollup_deferred():
        hold_off_autovacuum()  # its statistics, taken meanwhile, would say the tables are empty
        loader = _Loader(plan, say)
        loader.run()
        # The monthly reports, their reviews, the month locks and a correction (see reports_demo).
        from .reports_demo import load_reports

        load_reports(plan, loader, say)
        # The problem ledger: a year of problems in every state (see problems_demo).
        from .problems_demo import load_problems

        load_problems(plan, loader, say)
        # Dispatch meetings, site visits and an inspection tour (see dispatch_demo).
        from .dispatch_demo import load_dispatch

        load_dispatch(plan, loader, say)
        # 长治经开区's industrial chains (see chains_demo).
        from .chains_demo import load_chains

        load_chains(plan, loader, say)

        # A year's assessment of the counties and zones (see assessment_demo).
        from .assessment_demo import load_assessment

        load_assessment(plan, loader, say)

        # Investment attraction (see attraction_demo). Keep it last: its leads in 长治经开区 are linked to
        # the chains (and segments) the chains demo creates, looked up by name.
        from .attraction_demo import load_attraction

        load_attraction(plan, loader, say)
    return replace(summarize(), created=True, seconds=time.monotonic() - began)


class _Loader:
    """Carries a ``DemoPlan`` out through the services, then backdates what it created."""

    def __init__(self, plan: DemoPlan, say):
        self.plan = plan
        self.say = say
        self.reference: list[tuple[Any, int]] = []  # (model, pk) of users, grants, zones, orgs, officials

    def run(self) -> None:
        from django.contrib.auth import get_user_model

        from tiaodu.accounts.choices import Role
        from tiaodu.accounts.services import grant_add, user_create
        from tiaodu.regions.models import Region

        User = get_user_model()
        city = Region.objects.filter(code=C.CITY_CODE).first()
        if city is None:
            raise DemoError(
                "区划数据中没有长治市（140400），请先执行 migrate 加载全国行政区划。"
                "(regions not loaded: run migrate first)"
            )
        self.regions = {r.code: r for r in Region.objects.filter(path__startswith=city.path)}
        missing = [code for code, *_rest in C.COUNTIES if code not in self.regions]
        if missing:
            raise DemoError(f"区划数据缺少长治市所辖县区：{', '.join(missing)}。")

        # 1. The loader's own login first: it acts as the city administrator (users are made by the system).
        self.say("[1/7] 创建演示账号（logins）……")
        self.users: dict[str, Any] = {}
        self._user(LOGINS[0], user_create)
        grant = grant_add(actor=None, user=self.users["city_admin"], role=Role.ADMIN, region=city)
        self.reference.append((type(grant), grant.pk))
        self.actor = User.objects.get(pk=self.users["city_admin"].pk)

        # 2. Zones.
        self.say("[2/7] 设立功能区（zones）：长治高新区、长治经开区……")
        self._zones(city)

        # 3. Organisations.
        self.say(f"[3/7] 登记单位（organisations）：{len(self.plan.organisations)} 个……")
        self._organisations()

        # 4. The other logins and their grants; the officials (one of them is the leader login).
        for login in LOGINS[1:]:
            self._user(login, user_create)
        for username, _display, _role, role, scope in LOGINS:
            if username == "city_admin":
                continue
            if role in (Role.ADMIN, Role.LEADER):
                grant = grant_add(actor=None, user=self.users[username], role=role, region=self.regions[scope])
            else:
                grant = grant_add(actor=None, user=self.users[username], role=role, organisation=self.orgs[scope])
            self.reference.append((type(grant), grant.pk))
        self.say(f"[4/7] 登记领导（officials）：{len(self.plan.officials)} 名……")
        self._officials()

        # 5. Projects and their stage moves, in date order per project; withdrawals wait for the lists.
        self.say(f"[5/7] 登记项目并逐步推进阶段（projects）：{len(self.plan.projects)} 个……")
        self._projects()

        # 6. Lists.
        self.say(f"[6/7] 编制并发布重点项目名单（key-project lists）：{len(self.plan.lists)} 份……")
        self._lists()
        self._withdrawals()

        # 7. Dates.
        self.say("[7/7] 按实际发生日期整理历史记录（backdating the demo's history）……")
        self.backdate()

    # -- steps ---------------------------------------------------------------------------------

    def _user(self, login, user_create) -> None:
        username, display, *_rest = login
        user = user_create(actor=None, username=username, password=PASSWORD, display_name=display)
        self.users[username] = user
        self.reference.append((type(user), user.pk))

    def _zones(self, city) -> None:
        from tiaodu.regions.services import region_create_zone

        for code, name, short, _n in C.ZONES:
            if code in self.regions:
                # Demo-only: a zone someone already created is reused rather than failing the load.
                continue
            zone = region_create_zone(actor=self.actor, city=city, code=code, name=name, short_name=short)
            self.regions[code] = zone
            self.reference.append((type(zone), zone.pk))

    def _organisations(self) -> None:
        from tiaodu.orgs.services import organisation_create

        self.orgs: dict[str, Any] = {}
        for spec in self.plan.organisations:
            org = organisation_create(
                actor=self.actor,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                credit_code=spec.credit_code,
                region=self.regions[spec.region],
                address=spec.address,
                contact_person=spec.contact_person,
                phone=spec.phone,
                established_on=spec.established_on,
            )
            self.orgs[spec.name] = org
            self.reference.append((type(org), org.pk))

    def _officials(self) -> None:
        from tiaodu.orgs.services import official_create

        self.officials: dict[str, Any] = {}
        for spec in self.plan.officials:
            official = official_create(
                actor=self.actor,
                name=spec.name,
                title=spec.title,
                organisation=self.orgs[spec.organisation],
                region=self.regions[spec.region],
                user=self.users.get(spec.login) if spec.login else None,
            )
            self.officials[spec.name] = official
            self.reference.append((type(official), official.pk))

    def _projects(self) -> None:
        from tiaodu.projects.services import project_create

        self.project_pk: dict[int, int] = {}
        self.pending: list[tuple[int, Step]] = []
        for number, spec in enumerate(self.plan.projects, start=1):
            create = spec.steps[0]
            project = project_create(
                actor=self.actor,
                stage=create.stage,
                stage_since=create.on,
                reason=create.reason,
                code=create.code or None,
                name=spec.name,
                owner=self.orgs[spec.owner],
                region=self.regions[spec.region],
                address=spec.address,
                sector=spec.sector,
                industry=spec.industry,
                nature=spec.nature,
                total_investment=spec.total_investment,
                construction_content=spec.construction_content,
                planned_start_date=spec.planned_start_date,
                planned_completion_date=spec.planned_completion_date,
                planned_commissioning_date=spec.planned_commissioning_date,
                actual_start_date=spec.actual_start_date,
                in_statistics=spec.in_statistics,
                leader=self.officials[spec.leader] if spec.leader else None,
                responsible_department=self.orgs[spec.responsible_department] if spec.responsible_department else None,
                task_force=spec.task_force,
                service_agent=self.orgs[spec.service_agent] if spec.service_agent else None,
            )
            self.project_pk[spec.index] = project.pk
            for step in spec.steps[1:]:
                if step.kind == "stage" and step.stage == Stage.WITHDRAWN:
                    # Applied after the lists, so a project withdrawn this year can be on last year's list.
                    self.pending.append((spec.index, step))
                    continue
                project = self._apply(project, step)
            if number % 100 == 0:
                self.say(f"      …… {number} 个")

    def _apply(self, project, step: Step):
        from tiaodu.projects.services import project_change_stage, project_update

        if step.kind == "stage":
            transition = project_change_stage(
                project=project,
                actor=self.actor,
                to_stage=step.stage,
                date=step.on,
                reason=step.reason,
                code=step.code or None,
            )
            return transition.project
        return project_update(project=project, actor=self.actor, reason=step.reason, **dict(step.fields))

    def _lists(self) -> None:
        from tiaodu.projects.models import Project
        from tiaodu.projects.services import key_list_add_project, key_list_create, key_list_publish

        projects = Project.objects.select_related("region").in_bulk(list(self.project_pk.values()))
        self.list_pk: list[int] = []
        self.entry_pk: dict[tuple[int, int], int] = {}
        for number, spec in enumerate(self.plan.lists):
            key_list = key_list_create(
                actor=self.actor, region=self.regions[spec.region], year=spec.year, level=spec.level
            )
            self.list_pk.append(key_list.pk)
            for entry in spec.entries:
                created = key_list_add_project(
                    key_list=key_list,
                    project=projects[self.project_pk[entry.project]],
                    actor=self.actor,
                    annual_plan=entry.annual_plan,
                    nature=entry.nature,
                    note=entry.note,
                )
                self.entry_pk[(number, entry.project)] = created.pk
            if spec.published_on is not None:
                key_list_publish(key_list=key_list, actor=self.actor)

    def _withdrawals(self) -> None:
        from tiaodu.projects.models import Project

        for index, step in self.pending:
            self._apply(Project.objects.get(pk=self.project_pk[index]), step)

    # -- dates ---------------------------------------------------------------------------------

    def backdate(self) -> None:
        """Demo only: move the time stamps of the records this load created to the dates they stand for.

        The services stamp transitions and history records with the current time, which is right
        for real use. A demo built in one go would read as if everything happened today, so here,
        and nowhere else, the loader rewrites ``history_date`` (django-simple-history),
        ``StageTransition.at``, ``created_at``/``updated_at`` and ``published_at`` of its own records
        with explicit queryset updates, at office hours in Asia/Shanghai.
        """
        from django.utils import timezone

        from tiaodu.accounts.models import User
        from tiaodu.projects.models import KeyList, KeyListEntry, Project, StageTransition

        tz = timezone.get_default_timezone()
        now = timezone.now()

        def when(day: dt.date, at: dt.time) -> dt.datetime:
            return min(dt.datetime.combine(day, at, tzinfo=tz), now)

        # Reference data: set up on the first working morning of the registry, a few records a minute.
        setup = dt.datetime.combine(self.plan.setup, dt.time(9, 0), tzinfo=tz)
        for i, (model, pk) in enumerate(self.reference):
            stamp = min(setup + dt.timedelta(seconds=15 * i), now)
            model.history.filter(id=pk).update(history_date=stamp)
            concrete = {f.name for f in model._meta.concrete_fields}
            values = {name: stamp for name in ("created_at", "updated_at") if name in concrete}
            if model is User:
                values["date_joined"] = stamp
            if values:
                model.objects.filter(pk=pk).update(**values)

        # Projects: one history record per service call, one transition per stage step, in order.
        HistoricalProject = Project.history.model
        by_project: dict[int, list[dt.datetime]] = {}
        moves_by_project: dict[int, list[tuple[dt.datetime, dt.date]]] = {}
        for spec in self.plan.projects:
            pk = self.project_pk[spec.index]
            by_project[pk] = [when(s.on, s.at) for s in spec.steps]
            moves_by_project[pk] = [(when(s.on, s.at), s.on) for s in spec.steps if s.kind != "update"]
        records = list(HistoricalProject.objects.filter(id__in=by_project).order_by("id", "history_id"))
        position: Counter[int] = Counter()
        for record in records:
            record.history_date = by_project[record.id][position[record.id]]
            position[record.id] += 1
        if any(position[pk] != len(stamps) for pk, stamps in by_project.items()):
            raise DemoError("项目历史记录数与计划不符（history records do not match the plan）。")
        HistoricalProject.objects.bulk_update(records, ["history_date"], batch_size=500)
        transitions = list(StageTransition.objects.filter(project_id__in=by_project).order_by("project_id", "pk"))
        position.clear()
        for transition in transitions:
            stamp, day = moves_by_project[transition.project_id][position[transition.project_id]]
            if transition.effective_date != day:
                raise DemoError("阶段变更记录与计划不符（transitions do not match the plan）。")
            transition.at = stamp
            position[transition.project_id] += 1
        StageTransition.objects.bulk_update(transitions, ["at"], batch_size=500)
        projects = list(Project.objects.filter(pk__in=by_project))
        for project in projects:
            project.created_at = by_project[project.pk][0]
            project.updated_at = by_project[project.pk][-1]
        Project.objects.bulk_update(projects, ["created_at", "updated_at"], batch_size=500)

        # Lists: created in mid-January, entries added over the following weeks, then published.
        HistoricalList = KeyList.history.model
        HistoricalEntry = KeyListEntry.history.model
        entry_stamps: dict[int, dt.datetime] = {}
        for number, spec in enumerate(self.plan.lists):
            pk = self.list_pk[number]
            created = when(spec.created_on, dt.time(9, 10))
            published = when(spec.published_on, dt.time(16, 0)) if spec.published_on else None
            stamps = [created] + ([published] if published else [])
            for record, stamp in zip(HistoricalList.objects.filter(id=pk).order_by("history_id"), stamps, strict=True):
                HistoricalList.objects.filter(history_id=record.history_id).update(history_date=stamp)
            KeyList.objects.filter(pk=pk).update(
                created_at=created,
                updated_at=published or created,
                **({"published_at": published} if published else {}),
            )
            for entry in spec.entries:
                stamp = max(when(entry.on, entry.at), created)
                if published:
                    stamp = min(stamp, published - dt.timedelta(minutes=5))
                entry_stamps[self.entry_pk[(number, entry.project)]] = stamp
        entry_records = list(HistoricalEntry.objects.filter(id__in=entry_stamps))
        for record in entry_records:
            record.history_date = entry_stamps[record.id]
        HistoricalEntry.objects.bulk_update(entry_records, ["history_date"], batch_size=500)
        entries = list(KeyListEntry.objects.filter(pk__in=entry_stamps))
        for entry in entries:
            entry.created_at = entry.updated_at = entry_stamps[entry.pk]
        KeyListEntry.objects.bulk_update(entries, ["created_at", "updated_at"], batch_size=500)
