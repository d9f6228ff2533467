"""The demo city's investment attraction (招商引资): teams and about 150 leads in every stage.

Called at the very end of ``generator.load_demo`` — after every other demo module, so that the
chains the chains demo creates for 长治经开区 exist and leads there are linked to their chain and
segment (looked up by region and name; left empty when the chains are not there).

It plans with one ``random.Random(ATTRACTION_SEED)`` against today's date, then carries the plan
out through the services (``team_save``, ``lead_create``, ``lead_advance``, ``lead_sign``,
``lead_add_funds``, ``lead_create_project``, ``lead_link_project``, ``lead_terminate``), so every
move is recorded and attributed. By design some leads are in each 三未 alarm (signed more than six
months ago and not landed; landed more than six months ago and not started; started and past the
planned production date), a few have a 增资, a few are terminated. Leads that have started are
linked to registry projects that are under construction or producing (their start and
commissioning then come from the registry); leads that landed recently get a new registry project.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from . import catalog as C

ATTRACTION_SEED = 20251124
LEAD_COUNT = 150
# Fates (weights): how far a lead gets; "late" ones sit in a 三未 alarm.
FATES = (
    ("lead", 14),
    ("negotiating", 14),
    ("signed", 12),
    ("signed_late", 10),
    ("landed", 10),
    ("landed_late", 8),
    ("started", 14),
    ("started_late", 8),
    ("producing", 14),
    ("capacity", 8),
    ("terminated", 8),
)
CHAINS = {
    "高端装备制造产业链": ("原材料", "关键部件、系统总成", "智能煤机、工程机械"),
    "新能源汽车产业链": ("车用原材料", "零部件", "系统总成", "整车", "配套基础设施"),
    "LED产业链": ("材料", "装备", "芯片", "封装", "应用"),
    "光伏产业链": ("多晶硅", "拉棒", "切片", "电池", "组件", "光伏发电"),
}
JINGKAI = "140472"
INVESTORS = (
    ("深圳", "比亚迪", "other_province"),
    ("宁德", "时代新能源", "other_province"),
    ("无锡", "先导智能", "other_province"),
    ("厦门", "三安光电", "other_province"),
    ("西安", "隆基绿能", "other_province"),
    ("太原", "山西建投", "local"),
    ("晋城", "兰花科创", "local"),
    ("北京", "中车装备", "other_province"),
    ("上海", "华谊新材料", "other_province"),
    ("香港", "华润置业", "abroad"),
    ("新加坡", "丰益国际", "abroad"),
    ("郑州", "宇通重工", "other_province"),
    ("杭州", "海康智造", "other_province"),
    ("苏州", "协鑫科技", "other_province"),
    ("天津", "中环半导体", "other_province"),
)
SUBJECTS = (
    ("industry", "高端装备零部件"),
    ("industry", "新材料"),
    ("industry", "智能制造产业园"),
    ("energy", "分布式光伏"),
    ("energy", "储能电站"),
    ("industry", "新能源汽车零部件"),
    ("agriculture", "农产品精深加工"),
    ("services", "现代物流园"),
    ("tourism", "文旅康养"),
    ("industry", "LED芯片封装"),
    ("industry", "煤机再制造"),
    ("services", "数字经济产业园"),
)
SOURCES = (
    ("by_business", 30),
    ("resident", 20),
    ("exhibition", 15),
    ("agency", 10),
    ("online", 5),
    ("chain", 15),
    ("other", 5),
)
TERMINATION_REASONS = ("投资方战略调整，项目不再推进", "用地条件不满足，投资方撤回", "双方未就优惠政策达成一致")


def _months_ago(today: dt.date, months: int, rng: random.Random) -> dt.date:
    return today - dt.timedelta(days=months * 30 + rng.randint(0, 25))


class _Attraction:
    def __init__(self, loader, say):
        self.loader, self.say = loader, say
        self.rng = random.Random(ATTRACTION_SEED)

    def run(self) -> None:
        from tiaodu.attraction import services
        from tiaodu.core.dates import local_today
        from tiaodu.projects.models import Project

        rng, today, actor = self.rng, local_today(), self.loader.actor
        regions = {code: self.loader.regions[code] for code, *_r in C.COUNTIES + C.ZONES if code in self.loader.regions}
        shorts = {code: short for code, _n, short, _w in C.COUNTIES + C.ZONES}
        services.ensure_default_rules(self.loader.regions[C.CITY_CODE])
        self.say(f"招商引资（attraction）：{LEAD_COUNT} 个招商项目……")

        teams: dict[str, list] = {}
        for code, region in regions.items():
            names = (
                ["先进制造招商专班", "新能源招商专班"] if code in dict((z[0], z) for z in C.ZONES) else ["产业招商专班"]
            )
            teams[code] = [services.team_save(actor=actor, region=region, name=f"{shorts[code]}{n}") for n in names]

        chains = self._chains(regions.get(JINGKAI))
        # Registry projects that started, per region, for leads that have started (their facts come from there).
        started_projects: dict[str, list] = {}
        for project in (
            Project.objects.filter(
                region__code__in=list(regions),
                stage__in=["construction", "operating", "capacity"],
                lead__isnull=True,
                owner__credit_code__isnull=False,
            )
            .select_related("owner", "region")
            .order_by("pk")
        ):
            started_projects.setdefault(project.region.code, []).append(project)

        codes = list(regions)
        weights = [5 if code in (C.GAOXIN, JINGKAI) else 2 for code in codes]
        fates = [f for f, _w in FATES]
        fate_weights = [w for _f, w in FATES]
        users = getattr(self.loader, "users", {})
        responsible = {C.HUGUAN: users.get("county_admin"), C.GAOXIN: users.get("zone_admin")}
        increases = 0
        counts: dict[str, int] = {}
        for index in range(LEAD_COUNT):
            code = rng.choices(codes, weights=weights)[0]
            fate = fates[index] if index < len(fates) else rng.choices(fates, weights=fate_weights)[0]
            wants_project = fate.startswith(("started", "producing", "capacity"))
            project = None
            if wants_project:
                pool = started_projects.get(code) or []
                if fate == "started_late":
                    pool = [p for p in pool if p.stage == "construction"]
                elif fate in ("producing",):
                    pool = [p for p in pool if p.stage in ("operating", "capacity")]
                elif fate == "capacity":
                    pool = [p for p in pool if p.stage == "capacity"] or [p for p in pool if p.stage == "operating"]
                else:
                    pool = [p for p in pool if p.stage == "construction"]
                if not pool:
                    fate = "landed"
                else:
                    project = pool[0]
                    started_projects[code].remove(project)
            city, investor, origin = INVESTORS[rng.randrange(len(INVESTORS))]
            sector, subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
            region = regions[code]
            name = project.name if project else f"{investor}{shorts[code]}{subject}项目"
            intended = Decimal(rng.choice((3000, 5000, 8000, 12000, 20000, 30000, 50000, 80000, 120000)))
            chain, segment = None, None
            if code == JINGKAI and chains:
                chain_obj, segments = chains[rng.randrange(len(chains))]
                chain, segment = chain_obj, (rng.choice(segments) if segments else None)
            # Dates, backwards from the stage's fact.
            if project is not None:
                started_on = project.actual_start_date
                landed_on = started_on - dt.timedelta(days=rng.randint(15, 90))
                signed_on = landed_on - dt.timedelta(days=rng.randint(20, 120))
            elif fate == "signed_late":
                signed_on = _months_ago(today, rng.randint(7, 14), rng)
            elif fate == "landed_late":
                landed_on = _months_ago(today, rng.randint(7, 11), rng)
                signed_on = landed_on - dt.timedelta(days=rng.randint(20, 90))
            elif fate == "landed":
                landed_on = today - dt.timedelta(days=rng.randint(10, 150))
                signed_on = landed_on - dt.timedelta(days=rng.randint(20, 90))
            else:
                signed_on = today - dt.timedelta(days=rng.randint(10, 160))
            negotiating_on = signed_on - dt.timedelta(days=rng.randint(15, 90))
            registered_on = negotiating_on - dt.timedelta(days=rng.randint(10, 120))
            if fate in ("lead", "negotiating", "terminated"):
                registered_on = today - dt.timedelta(days=rng.randint(5, 300))
                negotiating_on = registered_on + dt.timedelta(days=rng.randint(5, 60))
            planned = None
            if project is not None:
                planned = project.planned_commissioning_date
                if fate == "started_late":
                    planned = today - dt.timedelta(days=rng.randint(20, 200))
                elif fate == "started":
                    planned = today + dt.timedelta(days=rng.randint(60, 400))
            team = rng.choice(teams[code])
            lead = services.lead_create(
                actor=actor,
                name=name[:200],
                investor=f"{city}{investor}集团有限公司" if origin != "abroad" else f"{investor}（{city}）有限公司",
                investor_origin=origin,
                source=rng.choices([s for s, _w in SOURCES], weights=[w for _s, w in SOURCES])[0],
                sector=project.sector if project else sector,
                chain=chain,
                segment=segment,
                intended_investment=project.total_investment if project else intended,
                region=region,
                team=team,
                responsible=responsible.get(code),
                planned_production_date=planned,
                registered_on=registered_on,
            )
            counts[fate] = counts.get(fate, 0) + 1
            if fate == "lead":
                continue
            if negotiating_on <= today:
                services.lead_advance(actor=actor, lead=lead, to_stage="negotiating", on=min(negotiating_on, today))
            if fate == "negotiating":
                continue
            if fate == "terminated":
                services.lead_terminate(
                    actor=actor,
                    lead=lead,
                    reason=rng.choice(TERMINATION_REASONS),
                    on=min(today, negotiating_on + dt.timedelta(days=rng.randint(10, 60))),
                )
                continue
            amount = (lead.intended_investment * Decimal(rng.choice(("0.8", "0.9", "1", "1", "1.1")))).quantize(
                Decimal("1")
            )
            if rng.random() < 0.3:
                services.lead_sign(actor=actor, lead=lead, signed_on=signed_on, kind="framework", amount=amount)
                contract_on = signed_on + dt.timedelta(days=rng.randint(5, 20))
                if fate.startswith("signed") or contract_on < landed_on:
                    services.lead_sign(
                        actor=actor, lead=lead, signed_on=min(contract_on, today), kind="contract", amount=amount
                    )
            else:
                services.lead_sign(actor=actor, lead=lead, signed_on=signed_on, kind="contract", amount=amount)
            if fate.startswith("signed"):
                continue
            company = project.owner if project else self._company(region, name, code)
            services.lead_advance(
                actor=actor,
                lead=lead,
                to_stage="landed",
                on=landed_on,
                company=company,
                standard_land=rng.random() < 0.6,
                land_area=Decimal(rng.choice((30, 50, 80, 120, 200, 350))),
                commitment_system=rng.random() < 0.5,
                agent=rng.choice(("王建军", "李晓燕", "张志强", "赵丽娟", "刘海涛")),
            )
            if project is None:
                if fate == "landed":
                    services.lead_create_project(actor=actor, lead=lead)
                continue
            services.lead_link_project(actor=actor, lead=lead, project=project)
            paid = Decimal("0")
            for _entry in range(rng.randint(1, 4)):
                day = signed_on + dt.timedelta(days=rng.randint(5, max(6, (today - signed_on).days - 1)))
                part = (amount * Decimal(rng.choice(("0.05", "0.1", "0.15", "0.2")))).quantize(Decimal("1"))
                if paid + part > amount:
                    break
                services.lead_add_funds(actor=actor, lead=lead, on=min(day, today), amount=part)
                paid += part
            if fate in ("producing", "capacity") and increases < 6:
                services.lead_sign(
                    actor=actor,
                    lead=lead,
                    signed_on=min(today, started_on + dt.timedelta(days=rng.randint(30, 200))),
                    kind="increase",
                    amount=(amount * Decimal("0.2")).quantize(Decimal("1")),
                )
                increases += 1
        self.backdate()
        summary = "，".join(f"{k} {v}" for k, v in sorted(counts.items()))
        self.say(f"招商项目已载入：{summary}；增资 {increases} 个。")

    def _chains(self, zone) -> list:
        """The chains of 长治经开区 and their segments, when the chains demo created them."""
        if zone is None:
            return []
        from tiaodu.chains.models import Chain

        found = []
        for chain in Chain.objects.filter(region=zone, name__in=list(CHAINS)).prefetch_related("segments"):
            wanted = CHAINS[chain.name]
            found.append((chain, [s for s in chain.segments.all() if s.name in wanted]))
        return sorted(found, key=lambda pair: pair[0].name)

    def _company(self, region, name: str, code: str):
        """A newly registered company for a lead that landed without a registry project yet."""
        from tiaodu.core.validators import uscc_check_character
        from tiaodu.orgs.models import Organisation
        from tiaodu.orgs.services import organisation_create

        stem = name.replace("项目", "")[:40]
        company_name = f"{stem}有限公司"
        existing = Organisation.objects.filter(region=region, name=company_name).first()
        if existing is not None:
            return existing
        while True:
            body = f"91{code}MA{self.rng.randrange(10**7):07d}"
            credit = body + uscc_check_character(body)
            if not Organisation.objects.filter(credit_code=credit).exists():
                break
        return organisation_create(
            actor=self.loader.actor, name=company_name, kind="enterprise", region=region, credit_code=credit
        )

    def backdate(self) -> None:
        """Demo only: each workflow step and field-history record dated when it happened (the services
        stamped now): a lead's record at the latest stage date it shows, a signing on its date, a
        payment on its day, the teams and alarm rules a month before the zone's first lead."""
        from django.utils import timezone

        from tiaodu.attraction.models import AlarmRule, AttractionTeam, FundsEntry, Lead, LeadEvent, Signing

        from .reports_demo import _update_many

        now = timezone.now()

        def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
            return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))), now)

        rows = [(pk, at(day, 10)) for pk, day in LeadEvent.objects.values_list("pk", "effective_date")]
        _update_many(LeadEvent, ["at"], rows)

        # A lead's history: each record at the latest stage date it holds, a minute after the one before.
        History = Lead.history.model
        dates = ["registered_on", "negotiating_on", "signed_on", "landed_on", "started_on", "producing_on"]
        dates += ["capacity_on", "terminated_on"]
        rows, last = [], {}
        for history_id, pk, *days in History.objects.order_by("id", "history_id").values_list(
            "history_id", "id", *dates
        ):
            stamp = at(max(day for day in days if day), 9, 30)
            if pk in last and stamp <= last[pk]:
                stamp = min(last[pk] + dt.timedelta(minutes=1), now)
            last[pk] = stamp
            rows.append((history_id, stamp))
        _update_many(History, ["history_date"], rows)
        rows = [
            (pk, at(day, 9, 30), last.get(pk, at(day, 9, 30)))
            for pk, day in Lead.objects.values_list("pk", "registered_on")
        ]
        _update_many(Lead, ["created_at", "updated_at"], rows)

        for model, field, hour in ((Signing, "signed_on", 11), (FundsEntry, "on", 15)):
            stamps = {pk: at(day, hour) for pk, day in model.objects.values_list("pk", field)}
            _update_many(model, ["created_at", "updated_at"], [(pk, s, s) for pk, s in stamps.items()])
            history = model.history.model
            rows = [(hid, stamps[pk]) for hid, pk in history.objects.values_list("history_id", "id")]
            _update_many(history, ["history_date"], rows)

        # Teams and rules: set up a month before the first lead of their region (or of the city).
        first = min(Lead.objects.values_list("registered_on", flat=True), default=None)
        if first is None:
            return
        setup = at(first - dt.timedelta(days=30), 9)
        for model in (AttractionTeam, AlarmRule):
            model.objects.update(created_at=setup, updated_at=setup)
            model.history.model.objects.update(history_date=setup)


def load_attraction(plan, loader, say) -> None:
    """Teams and leads of the demo city (see the module's docstring). Runs last: it links to the chains."""
    _Attraction(loader, say).run()
