"""The demo zone's industrial chains (产业链链长制): 长治经开区's four chains as the domain brief gives them.

高端装备制造 (原材料 → 关键部件、系统总成 → 智能煤机、工程机械; 2 masters, 1 core, 36 firms; 50 亿元 in
2022, target 100 亿元 in 2025), 新能源汽车 (15 firms), LED (20 firms; 56 亿元 in 2022, target over 100 亿元
in 2025) and 光伏 (6 firms). Some segments are deliberately thin: the gaps targeted attraction aims at.
The enterprises are registered through the services with valid-shaped unified social credit codes;
some of the zone's demo projects are linked to the chain they build. Deterministic
(``random.Random(CHAINS_SEED)``), a few seconds; called after the other demo parts. Adds the login
``jingkai_admin`` (开发区管理员，长治经开区).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from tiaodu.core.dates import local_today
from tiaodu.core.validators import uscc_check_character

ZONE_CODE = "140472"
CHAINS_SEED = 20251201
LOGIN = ("jingkai_admin", "长治经开区管委会 孙伟", "开发区管理员（长治经开区）")

M, C_, E = "master", "core", "member"

# name, segments (name, roles of its firms), name stems, project keywords, outputs (year, actual, target), department
CHAINS = (
    (
        "高端装备制造产业链",
        (
            ("原材料", [E]),
            ("关键部件、系统总成", [C_] + [E] * 16),
            ("智能煤机、工程机械", [M, M] + [E] * 16),
        ),
        ("煤机装备", "液压科技", "精密铸造", "齿轮传动", "重型机械", "智能装备", "电气控制", "矿山机械", "特钢材料"),
        ("装备", "机械", "煤机"),
        ((2022, 500000, 480000), (2023, 612000, 620000), (2024, 748000, 760000), (2025, 905000, 1000000)),
        "工业和信息化局",
    ),
    (
        "新能源汽车产业链",
        (
            ("车用原材料", [E]),
            ("零部件", [C_] + [E] * 6),
            ("系统总成", [E] * 3),
            ("整车", [M] + [E] * 2),
            ("配套基础设施", [E]),
        ),
        ("汽车零部件", "动力电池", "电驱科技", "汽车电子", "新能源汽车", "充电设施", "轻量化材料"),
        ("新能源汽车", "汽车", "电池"),
        ((2023, 86000, 90000), (2024, 132000, 150000), (2025, 188000, 220000)),
        "工业和信息化局",
    ),
    (
        "LED产业链",
        (
            ("材料", [E] * 3),
            ("装备", [E]),
            ("芯片", [C_, E]),
            ("封装", [M] + [E] * 7),
            ("应用", [E] * 6),
        ),
        ("光电科技", "半导体材料", "照明科技", "显示技术", "蓝宝石材料", "光电装备", "智能照明"),
        ("光电", "LED", "半导体"),
        ((2022, 560000, 550000), (2023, 671000, 680000), (2024, 812000, 830000), (2025, 968000, 1050000)),
        "工业和信息化局",
    ),
    (
        "光伏产业链",
        (
            ("多晶硅", []),
            ("拉棒", [E]),
            ("切片", [E]),
            ("电池", [M, E]),
            ("组件", [E, E]),
            ("光伏发电", []),
        ),
        ("光伏科技", "硅材料", "新能源科技", "电力科技"),
        ("光伏", "新能源", "储能"),
        ((2024, 96000, 120000), (2025, 158000, 200000)),
        "发展改革局",
    ),
)

BRANDS = (
    "潞宝",
    "晋锐",
    "上党",
    "太行",
    "漳泽",
    "华晟",
    "恒拓",
    "鑫源",
    "德众",
    "博瑞",
    "泰丰",
    "中晋",
    "瑞驰",
    "宏达",
    "沁新",
    "天脊",
    "金鼎",
    "卓远",
    "凯盛",
    "正和",
    "元创",
    "辰星",
    "启航",
    "晟通",
    "联创",
    "汇川",
    "昊天",
    "安泰",
    "盛源",
    "天成",
    "精工",
    "睿达",
    "华普",
    "中科",
    "晶能",
    "耀华",
    "光宇",
    "明辉",
    "鼎盛",
    "永安",
    "国瑞",
    "隆鑫",
    "北辰",
    "科达",
    "嘉泰",
    "利民",
    "新源",
    "聚力",
    "蓝天",
    "晋阳",
    "合盛",
    "通达",
    "华阳",
    "丰源",
    "润华",
    "锦程",
    "佳禾",
    "恒信",
    "兴晋",
    "清源",
    "宇航",
    "东方",
    "龙腾",
    "信达",
    "弘毅",
    "致远",
    "众成",
    "创新",
    "银河",
    "长鑫",
    "兆丰",
    "晨光",
    "海纳",
    "泓泰",
    "冠宇",
    "卓越",
    "坤元",
    "昌盛",
    "明德",
    "智联",
    "普瑞",
    "鸿运",
)
PLACES = ("山西", "长治", "长治经开区")
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check(body: str) -> str:
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


class _Stamps:
    """Demo only: the day each record this part created stands for; ``apply`` moves its time stamps
    (``created_at``/``updated_at`` and its history records, which the services stamped now) there."""

    def __init__(self):
        self.days: dict[type, dict[int, dt.date]] = {}

    def add(self, obj, day: dt.date) -> None:
        self.days.setdefault(type(obj), {})[obj.pk] = day

    def apply(self) -> None:
        now = timezone.now()
        for model, days in self.days.items():
            when = {
                pk: min(timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))), now) for pk, day in days.items()
            }
            for pk, stamp in when.items():
                model.objects.filter(pk=pk).update(created_at=stamp, updated_at=stamp)
            history = model.history.model
            for history_id, pk in history.objects.filter(id__in=list(when)).values_list("history_id", "id"):
                history.objects.filter(history_id=history_id).update(history_date=when[pk])


class _Chains:
    def __init__(self, actor, say):
        self.actor = actor
        self.say = say
        self.rng = random.Random(CHAINS_SEED)

    def credit_code(self) -> str:
        while True:
            body = "MA" + "".join(self.rng.choice(USCC_CHARS) for _ in range(6))
            first17 = "91" + ZONE_CODE + body + _org_check(body)
            code = first17 + uscc_check_character(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def firm_name(self, stems) -> str:
        while True:
            place = self.rng.choice(PLACES)
            ending = "股份有限公司" if self.rng.random() < 0.2 else "有限公司"
            name = f"{place}{self.rng.choice(BRANDS)}{self.rng.choice(stems)}{ending}"
            if name not in self.names:
                self.names.add(name)
                return name

    def run(self, zone) -> dict:
        from tiaodu.chains import services
        from tiaodu.orgs.choices import OrganisationKind
        from tiaodu.orgs.models import Official, Organisation
        from tiaodu.orgs.services import organisation_create
        from tiaodu.projects.models import Project

        self.codes = set(Organisation.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
        self.names = set(Organisation.objects.filter(region=zone).values_list("name", flat=True))
        officials = list(Official.objects.filter(region=zone, is_active=True).order_by("pk"))
        departments = {
            o.name: o
            for o in Organisation.objects.filter(region=zone, dissolved_on__isnull=True).exclude(
                kind=OrganisationKind.ENTERPRISE
            )
        }
        projects = list(Project.objects.filter(region=zone).order_by("pk").only("pk", "name", "created_at"))
        used_projects: set[int] = set()
        today = local_today()
        stamps = _Stamps()
        summary = {"chains": 0, "enterprises": 0, "projects": 0}
        for index, (name, segments, stems, keywords, outputs, department_name) in enumerate(CHAINS):
            department = self._department(departments, zone, department_name)
            leader = officials[index % len(officials)] if officials else None
            chain = services.chain_create(
                actor=self.actor,
                region=zone,
                name=name,
                leader=leader,
                department=department,
                description=f"{zone.short_name or zone.name}{name}，实行链长制，链长牵头、部门协同、强链补链延链。",
                segments=[segment for segment, _roles in segments],
            )
            # Set up under 链长制 three to four years ago, one chain a season after the other.
            established = today - dt.timedelta(days=1400 - 90 * index)
            stamps.add(chain, established)
            for segment in chain.segments.all():
                stamps.add(segment, established)
            summary["chains"] += 1
            by_name = {s.name: s for s in chain.segments.all()}
            for segment_name, roles in segments:
                for role in roles:
                    org = organisation_create(
                        actor=self.actor,
                        name=self.firm_name(stems),
                        kind=OrganisationKind.ENTERPRISE,
                        region=zone,
                        credit_code=self.credit_code(),
                        address=f"长治经济技术开发区{self.rng.choice(('漳泽路', '太行北路', '长兴路', '南外环路'))}"
                        f"{self.rng.randint(1, 399)}号",
                    )
                    # Masters and cores were there when the chain was set up; the others joined since.
                    joined = established
                    if role == E:
                        joined += dt.timedelta(days=self.rng.randint(0, (today - established).days - 1))
                    member = services.member_add(
                        actor=self.actor,
                        chain=chain,
                        segment=by_name[segment_name],
                        organisation=org,
                        role=role,
                        joined_on=joined,
                    )
                    stamps.add(org, joined - dt.timedelta(days=self.rng.randint(30, 400)))
                    stamps.add(member, joined)
                    summary["enterprises"] += 1
            for year, actual, target in outputs:
                output = services.output_set(
                    actor=self.actor, chain=chain, year=year, actual=Decimal(actual), target=Decimal(target)
                )
                # The year's figure is reported in January of the next year (a target early in its own).
                stamps.add(output, dt.date(year + 1, 1, 20) if actual else dt.date(year, 2, 15))
            fits = [p for p in projects if p.pk not in used_projects and any(k in p.name for k in keywords)][:4]
            segment_list = list(by_name.values())
            for number, project in enumerate(fits):
                used_projects.add(project.pk)
                link = services.project_link(
                    actor=self.actor,
                    chain=chain,
                    project=project,
                    segment=segment_list[(number + 1) % len(segment_list)],
                )
                stamps.add(link, max(established, timezone.localtime(project.created_at).date()))
                summary["projects"] += 1
        stamps.apply()
        return summary

    def _department(self, departments, zone, wanted):
        from tiaodu.orgs.choices import OrganisationKind
        from tiaodu.orgs.services import organisation_create

        for name, org in departments.items():
            if name.endswith(wanted):
                return org
        name = f"{zone.name}{wanted}"
        org = organisation_create(actor=self.actor, name=name, kind=OrganisationKind.DEPARTMENT, region=zone)
        departments[name] = org
        return org


def load_chains(plan, loader, say) -> dict:
    """Give 长治经开区 its four industrial chains and the ``jingkai_admin`` login (see the module)."""
    from tiaodu.accounts.choices import Role
    from tiaodu.accounts.models import User
    from tiaodu.accounts.services import grant_add, user_create
    from tiaodu.regions.models import Region

    zone = Region.objects.filter(code=ZONE_CODE).first()
    if zone is None:
        say("未找到长治经开区，跳过产业链（no zone 140472: chains skipped）。")
        return {"chains": 0, "enterprises": 0, "projects": 0}
    say("[chains] 长治经开区产业链（industrial chains）：高端装备制造、新能源汽车、LED、光伏……")
    summary = _Chains(loader.actor, say).run(zone)
    if not User.objects.filter(username=LOGIN[0]).exists():
        from .generator import PASSWORD

        user = user_create(actor=None, username=LOGIN[0], password=PASSWORD, display_name=LOGIN[1])
        grant_add(actor=None, user=user, role=Role.ADMIN, region=zone)
    return summary
