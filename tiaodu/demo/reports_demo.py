"""The demo city's monthly dispatch reports (月度调度填报), reviews, month locks and one correction.

Called at the end of ``generator.load_demo``, inside its transaction, after the projects and lists.
Like the generator it has two halves:

- planning (no database writes): from one ``random.Random(REPORTS_SEED)`` it draws, for every
  project due in every reporting month, what its owner reports (investment on a seasonal S-curve
  against the entry's annual plan, progress text and %, milestones, problems) and when each
  workflow step happens (saved, submitted, returned and resubmitted, accepted), then when the city
  locks each month and which locked month a reviewer corrects;
- carrying it out through the services (``report_save``, ``report_submit``, ``report_return``,
  ``report_accept``, ``report_correct``, ``month_lock``, ``opening_balance_set``), every step in
  the order of its planned time across all projects, so that each month's lock keeps the figures
  as they stood then. The services stamp the current time; at the end the stamps of what this
  module created are moved to the planned times (demo only, see ``_Reports.backdate``).

Reporting months: at least ``MIN_MONTHS`` months before the current one, from January of last
year when that covers them (so the months of last year add up to its year-to-date), otherwise
from exactly ``MIN_MONTHS`` months back; the lists of a third year are then added here.

A project is due in a month when it is on a published list of that year. A project not started
by the month's end reports its preliminary work with no investment. A project already under way
before its first reported month brings its ledger totals as an opening balance (期初数).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from tiaodu.projects.choices import KeyLevel, Nature, Stage
from tiaodu.reports.choices import Milestone

from . import catalog as C

REPORTS_SEED = 20250805
MIN_MONTHS = 18
# The demo city keeps the default reporting rule (``ReportingRule``: the 5th of the following month,
# 3 days to review); there is no service to set a rule, so the demo does not create one.
DEADLINE_DAY = 5
REVIEW_DAYS = 3
LOCK_LAG = 3  # month X is locked in the middle of month X+3: the last two months stay open

# Share of a year's investment by month: the northern winter stop (mid-December to March), a pickup
# in March and the peak from May to October.
SEASON = {1: 0.5, 2: 1.0, 3: 5.5, 4: 9.0, 5: 11.0, 6: 12.0, 7: 11.5, 8: 11.5, 9: 12.0, 10: 11.5, 11: 8.5, 12: 3.5}
RESUME_MONTHS = ((2, 10), (3, 66), (4, 19), (5, 5))  # when continued projects resume after the winter stop

RETURN_REASONS = ("本月投资与统计直报数据不一致", "形象进度描述过于笼统", "缺少现场照片说明")
CORRECTION_REASON = "按统计部门核定数据更正"

# Kinds of project (catalog.SUBS keys) → the vocabulary of their progress reports.
FAMILY = {
    **dict.fromkeys(
        ("coal_chem", "new_mat", "led", "led_pv", "equipment", "nev", "tcm_process", "millet", "cold_chain"), "factory"
    ),
    "pv": "pv",
    "wind": "wind",
    "cbm": "cbm",
    **dict.fromkeys(("pumped", "storage", "grid"), "energy"),
    **dict.fromkeys(("road", "taihang", "urban_road"), "road"),
    **dict.fromkeys(("water", "heating", "sewage"), "pipe"),
    **dict.fromkeys(("school", "hospital", "elderly", "housing", "sports", "services", "old_comm"), "building"),
    **dict.fromkeys(("tcm", "farmland", "livestock", "veg"), "farm"),
    **dict.fromkeys(("zhuozhang", "mine", "greening"), "eco"),
    "tour": "tour",
}
BUILDING_FAMILIES = ("factory", "building", "tour")  # those that report 主体完工
# Five phases by physical progress (below 15 %, 40 %, 70 %, 90 %, then the rest), two phrasings each.
PHASES: dict[str, tuple[tuple[str, str], ...]] = {
    "factory": (
        ("场地平整及土方开挖", "厂房桩基及基础施工"),
        ("主厂房基础及设备基础施工", "综合楼、主厂房钢筋混凝土结构施工"),
        ("主厂房钢结构吊装及屋面围护施工", "辅助车间主体封顶，主厂房墙面围护施工"),
        ("生产设备进场安装", "公辅工程管线敷设及设备安装"),
        ("生产线单机调试", "设备联动试车，准备竣工验收"),
    ),
    "pv": (
        ("场区道路及场地平整施工", "光伏支架桩基施工"),
        ("光伏支架安装，升压站土建施工", "支架安装及集电线路施工"),
        ("光伏组件安装", "组件安装，升压站电气设备安装"),
        ("逆变器、箱变安装及集电线路敷设", "升压站设备安装调试"),
        ("分批并网调试", "全容量并网准备"),
    ),
    "wind": (
        ("风机道路及吊装平台施工", "风机基础开挖"),
        ("风机基础浇筑", "风机基础施工，升压站土建施工"),
        ("风机塔筒及机舱吊装", "风机吊装，集电线路施工"),
        ("集电线路架设，升压站设备安装", "已吊装风机单机调试"),
        ("风机并网调试", "全部风机并网准备"),
    ),
    "cbm": (
        ("井场及道路建设", "钻前工程施工"),
        ("钻井施工", "钻井及固井作业"),
        ("压裂及排采施工", "集输管线敷设"),
        ("集气站建设", "集输管网安装"),
        ("试采调试", "投运准备"),
    ),
    "energy": (
        ("场地平整及临建设施施工", "施工道路及基础开挖"),
        ("主体基础施工", "设备基础及主体工程施工"),
        ("主体工程施工", "主要设备到货安装"),
        ("电气设备安装", "设备安装及管线敷设"),
        ("系统调试", "试运行准备"),
    ),
    "road": (
        ("征地拆迁及清表", "路基土石方施工"),
        ("路基填筑及桥涵桩基施工", "桥梁下部结构施工"),
        ("桥梁上部结构架设，路基防护施工", "路基边坡防护及涵洞施工"),
        ("路面基层施工", "沥青路面摊铺"),
        ("交安设施及绿化施工", "附属工程收尾，准备交工验收"),
    ),
    "pipe": (
        ("管线测量放线及沟槽开挖", "站区场地平整"),
        ("主干管网铺设", "泵站（换热站）基础施工"),
        ("管网铺设及检查井砌筑", "站房主体施工"),
        ("站内设备安装及管道试压", "管网连通及设备安装"),
        ("系统调试", "试运行准备"),
    ),
    "building": (
        ("基坑开挖及支护", "桩基施工"),
        ("地下室结构施工", "主体结构施工"),
        ("主体结构封顶，二次结构砌筑", "主体结构施工至顶层"),
        ("内外装饰装修及安装工程", "机电设备安装及室外配套施工"),
        ("室外工程及绿化，准备竣工验收", "设备调试及竣工验收准备"),
    ),
    "farm": (
        ("土地平整及基础设施建设", "灌溉管网及田间道路施工"),
        ("种植（养殖）设施基础施工", "土地整理及设施基础施工"),
        ("大棚（圈舍）主体施工", "配套道路、水电施工"),
        ("设备安装及附属设施建设", "种苗（种畜）引进及设备安装"),
        ("配套设施完善，准备投产", "试运营"),
    ),
    "eco": (
        ("工程测量及清表", "施工便道及场地准备"),
        ("河道清淤及堤防施工", "边坡治理及土方整形"),
        ("生态护岸及截污管网施工", "覆土及植被恢复"),
        ("绿化种植及附属设施建设", "湿地及景观工程施工"),
        ("养护及收尾工程", "竣工验收准备"),
    ),
    "tour": (
        ("场地平整及基础施工", "游客中心基础施工"),
        ("游客中心主体施工", "景区道路及栈道施工"),
        ("主体结构封顶，景观工程施工", "民宿及配套设施主体施工"),
        ("装饰装修及设备安装", "景观绿化及亮化工程"),
        ("试运营准备", "配套设施完善，准备开业"),
    ),
}
PRELIMINARY_ITEMS = (
    "项目备案（核准）",
    "用地预审与选址意见",
    "环境影响评价",
    "节能审查",
    "建设用地规划许可",
    "土地出让",
    "建设工程规划许可",
    "施工图设计及审查",
    "施工招标",
    "施工许可",
)
PROBLEMS = (
    "项目建设用地指标尚未落实，需协调自然资源部门解决",
    "施工用电增容手续办理进度较慢，需供电部门加快办理",
    "银行贷款审批周期长，项目资金压力较大",
    "施工图审查意见尚未全部回复",
    "临时用地手续办理中",
    "地方配套资金未及时到位",
    "征地拆迁涉及少数群众诉求，需属地政府协调",
    "主要设备供货周期延长，影响安装进度",
    "施工用水、燃气接入手续待办理",
    "环保督察期间部分土方作业受限",
)
LAG_PROBLEMS = (
    "项目资本金未足额到位，银行贷款审批滞后，投资进度明显落后于年度计划",
    "征地拆迁未完成，主体工程无法全面展开，投资进度滞后",
    "施工单位组织不力，现场人员、机械投入不足，已约谈施工单位",
    "设计方案调整，部分单体暂缓施工，年度投资计划完成困难",
)
WINTER_TEXTS = (
    "冬季停工，现场做好防冻保温和安全巡查，同步开展设备采购招标",
    "冬季停工期间，开展施工图深化设计和材料询价",
    "春节前后停工，施工人员返乡，现场留守人员做好看护",
    "冬季停工，组织编制复工方案，落实复工人员和机械",
)
IDLE_TEXTS = (
    "本月以材料进场和技术准备为主，未形成实物工作量",
    "受设计变更影响，本月现场暂停施工，未完成投资",
    "本月开展工程结算审核，未发生新增投资",
    "受连续降雨影响，现场以安全检查和排水为主，未形成投资",
)
DONE_TEXTS = (
    "项目已建成，本月开展工程结算和竣工资料整理，无新增投资",
    "项目已投入运营，本月开展设备运行维护，无新增投资",
    "主体工程已完工，本月办理竣工验收相关手续",
)

FAMILY_WORDS = {"factory": "车间", "building": "楼", "tour": "游客中心"}


def add_months(period: dt.date, n: int) -> dt.date:
    index = period.year * 12 + period.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(period: dt.date) -> dt.date:
    return add_months(period, 1) - dt.timedelta(days=1)


def reporting_months(today: dt.date) -> list[dt.date]:
    """The months the demo reports: ≥ ``MIN_MONTHS`` before the current one, from last January if that covers them."""
    current = today.replace(day=1)
    first = add_months(current, -MIN_MONTHS)
    if first.year == today.year - 1:
        first = dt.date(today.year - 1, 1, 1)
    months, period = [], first
    while period < current:
        months.append(period)
        period = add_months(period, 1)
    return months


def _money(value: float) -> Decimal:
    """An amount as owners report it: whole 万元 from 100 up, one decimal below."""
    if value <= 0:
        return Decimal(0)
    step = Decimal("1") if value >= 100 else Decimal("0.1")
    return Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP)


# ---- the plan --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """What an owner types into a month's report."""

    investment: Decimal
    text: str
    pct: Decimal | None
    milestones: tuple[str, ...] = ()
    problems: str = ""


@dataclass
class ReportPlan:
    project: int  # pk
    period: dt.date
    fill: Fill  # as finally submitted
    first: Fill | None = None  # as first submitted, before a return
    return_reason: str = ""
    steps: list[tuple[str, dt.datetime]] = field(default_factory=list)  # (save|submit|return|accept|correct, when)
    correction: Decimal | None = None  # corrected month value, after the lock
    since_start: Decimal = Decimal(0)  # planned, for head-room checks


@dataclass
class ProjectFacts:
    pk: int
    kind: str
    name: str
    owner: int
    region: str
    total: Decimal
    nature: str
    registered: dt.date
    start: dt.date | None
    completed: dt.date | None
    commissioned: dt.date | None
    capacity: dt.date | None
    suspended: dt.date | None
    suspend_reason: str
    planned_start: dt.date | None
    planned_completion: dt.date | None


class _Reports:
    def __init__(self, plan, loader, say):
        from django.utils import timezone

        self.plan = plan
        self.loader = loader
        self.say = say
        self.rng = random.Random(REPORTS_SEED)
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = timezone.localtime(self.now).date()
        # Facts end yesterday (as in the generator): the same date gives the same reports, whatever the hour.
        self.yesterday = self.today - dt.timedelta(days=1)
        self.limit = dt.datetime.combine(self.today, dt.time(0, 0), tzinfo=self.tz)
        self.months = reporting_months(self.today)
        self.current = self.today.replace(day=1)
        self.last = self.months[-1]

    # -- small draws -------------------------------------------------------------------------------

    def office(self, day: dt.date, after: dt.datetime | None = None) -> dt.datetime:
        """A time in office hours (Asia/Shanghai) on ``day``: 08:30–16:30, or up to 17:45 when after ``after``.

        When ``after`` leaves no time that day, the step moves to the next working morning.
        """
        minutes = 8 * 60 + 30 + self.rng.randint(0, 8 * 60)
        stamp = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=self.tz)
        if after is not None and stamp <= after:
            stamp = after + dt.timedelta(minutes=self.rng.randint(5, 50))
            if stamp.astimezone(self.tz).time() > dt.time(17, 45):
                morning = self.workday(stamp.astimezone(self.tz).date() + dt.timedelta(days=1))
                stamp = dt.datetime.combine(morning, dt.time(8, 30), tzinfo=self.tz)
                stamp += dt.timedelta(minutes=self.rng.randint(0, 90))
        return stamp

    @staticmethod
    def workday(day: dt.date) -> dt.date:
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day

    @staticmethod
    def workday_before(day: dt.date) -> dt.date:
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        return day

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def person(self) -> str:
        return self.rng.choice(C.SURNAMES) + self.rng.choice(C.GIVEN)

    # -- reading what the generator made ------------------------------------------------------------

    def read(self) -> None:
        from tiaodu.projects.choices import KeyListStatus
        from tiaodu.projects.models import KeyListEntry, Project, StageTransition

        kinds = {self.loader.project_pk[spec.index]: spec.kind for spec in self.plan.projects}
        pks = sorted(kinds)
        suspended: dict[int, tuple[dt.date, str]] = {}
        for project_id, day, comment in StageTransition.objects.filter(
            project_id__in=pks, to_state=Stage.SUSPENDED
        ).values_list("project_id", "effective_date", "comment"):
            suspended.setdefault(project_id, (day, comment))
        registered = {self.loader.project_pk[spec.index]: spec.registered_on for spec in self.plan.projects}
        self.projects: dict[int, ProjectFacts] = {}
        for row in (
            Project.objects.filter(pk__in=pks)
            .order_by("pk")
            .values(
                "pk",
                "name",
                "owner_id",
                "region__code",
                "total_investment",
                "nature",
                "actual_start_date",
                "actual_completion_date",
                "actual_commissioning_date",
                "capacity_date",
                "planned_start_date",
                "planned_completion_date",
            )
        ):
            pk = row["pk"]
            stop = suspended.get(pk)
            self.projects[pk] = ProjectFacts(
                pk=pk,
                kind=kinds[pk],
                name=row["name"],
                owner=row["owner_id"],
                region=row["region__code"],
                total=row["total_investment"],
                nature=row["nature"],
                registered=registered[pk],
                start=row["actual_start_date"],
                completed=row["actual_completion_date"],
                commissioned=row["actual_commissioning_date"],
                capacity=row["capacity_date"],
                suspended=stop[0] if stop else None,
                suspend_reason=stop[1] if stop else "",
                planned_start=row["planned_start_date"],
                planned_completion=row["planned_completion_date"],
            )
        # (project, year) → annual plan and nature, from the published lists of the city (the same on every list).
        self.entries: dict[tuple[int, int], tuple[Decimal, str]] = {}
        rows = (
            KeyListEntry.objects.filter(project_id__in=pks, key_list__status=KeyListStatus.PUBLISHED)
            .order_by("project_id", "key_list__year", "pk")
            .values_list("project_id", "key_list__year", "annual_plan", "nature")
        )
        for project_id, year, plan, nature in rows:
            known = self.entries.get((project_id, year))
            if known is None or plan > known[0]:
                self.entries[(project_id, year)] = (plan, nature)

    # -- the third year's lists ---------------------------------------------------------------------

    def extra_year_lists(self) -> None:
        """Demo only: the generator lists two years; when the reporting months reach into a third, list it here.

        Built the generator's way (provincial and city lists of the projects in preliminary work or
        under construction when the list was drawn up), through the services, but without county lists,
        and without projects withdrawn since: ``key_list_add_project`` refuses a project that is
        withdrawn *now*, although it was a live project that year.
        """
        from tiaodu.projects.models import KeyList, Project
        from tiaodu.projects.services import key_list_add_project, key_list_create, key_list_publish

        self.list_stamps: list[tuple[int, dt.datetime, dt.datetime, dict[int, dt.datetime]]] = []
        years = sorted({m.year for m in self.months})
        listed = set(
            KeyList.objects.filter(region=self.loader.regions[C.CITY_CODE]).values_list("year", flat=True).distinct()
        )
        missing = [y for y in years if y not in listed]
        if not missing:
            return
        rng = self.rng
        objects = Project.objects.select_related("region").in_bulk(list(self.loader.project_pk.values()))
        for year in missing:
            created = max(dt.date(year, 1, 15), self.plan.setup + dt.timedelta(days=100))
            published = created + dt.timedelta(days=20)
            self.say(f"      补充 {year} 年省级、市级重点项目名单（third year's lists）……")
            for level, size, spread, cap in (
                (KeyLevel.PROVINCE, 60, (70, 130), 10**9),
                (KeyLevel.CITY, 220, (50, 150), 300000),
            ):
                pool = []
                for spec in self.plan.projects:
                    project = objects[self.loader.project_pk[spec.index]]
                    if spec.registered_on > created or project.stage == Stage.WITHDRAWN:
                        continue
                    stage = spec.stage_on(created)
                    moved = spec.date_of(Stage.PRELIMINARY) or spec.date_of(Stage.CONSTRUCTION)
                    if stage in (Stage.PRELIMINARY, Stage.CONSTRUCTION) or (
                        stage == Stage.PLANNING and moved and moved.year == year
                    ):
                        pool.append(spec)
                scored = sorted(
                    ((min(p.total_investment, cap) * rng.randint(*spread), p.index, p) for p in pool),
                    key=lambda s: (-s[0], s[1]),
                )
                chosen = sorted((p for _s, _i, p in scored[:size]), key=lambda p: p.index)
                key_list = key_list_create(
                    actor=self.loader.actor, region=self.loader.regions[C.CITY_CODE], year=year, level=level
                )
                stamps: dict[int, dt.datetime] = {}
                for spec in chosen:
                    started = spec.started_on
                    before_year = started is not None and started < dt.date(year, 1, 1)
                    nature = (
                        Nature.CONTINUED
                        if before_year
                        else (spec.nature if spec.nature != Nature.CONTINUED else Nature.NEW)
                    )
                    share = rng.randint(10, 30) if spec.stage_on(created) != Stage.CONSTRUCTION else rng.randint(20, 45)
                    plan = (spec.total_investment * share / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
                    entry = key_list_add_project(
                        key_list=key_list,
                        project=objects[self.loader.project_pk[spec.index]],
                        actor=self.loader.actor,
                        annual_plan=max(plan, Decimal(1)),
                        nature=nature,
                    )
                    stamps[entry.pk] = self.office(created + dt.timedelta(days=rng.randint(0, 15)))
                key_list_publish(key_list=key_list, actor=self.loader.actor)
                self.list_stamps.append(
                    (
                        key_list.pk,
                        dt.datetime.combine(created, dt.time(9, 10), tzinfo=self.tz),
                        dt.datetime.combine(published, dt.time(16, 0), tzinfo=self.tz),
                        stamps,
                    )
                )

    # -- what is reported ---------------------------------------------------------------------------

    def plan_values(self) -> None:
        """Every due report's values, project by project, month by month."""
        self.reports: dict[tuple[int, dt.date], ReportPlan] = {}
        self.openings: dict[int, tuple[dt.date, Decimal, Decimal]] = {}  # project → (period, ytd, since start)
        self.lagging: set[tuple[int, int]] = set()
        for pk, p in self.projects.items():
            due = [m for m in self.months if (pk, m.year) in self.entries]
            if due:
                self.plan_project(p, due)

    def plan_project(self, p: ProjectFacts, due: list[dt.date]) -> None:
        rng = self.rng
        first_due = due[0]
        years = sorted({m.year for m in due})
        # The ledger before Tiaodu: what was invested before the first year simulated here.
        sim_start = dt.date(first_due.year, 1, 1)
        base = Decimal(0)
        if p.start and p.start < sim_start:
            elapsed = (sim_start.year - p.start.year) * 12 + sim_start.month - p.start.month
            if p.planned_start and p.planned_completion:
                duration = max(10, (p.planned_completion - p.planned_start).days // 30)
            else:
                duration = 24
            fraction = min(0.9, elapsed / duration * rng.uniform(0.6, 1.0))
            if p.commissioned and p.commissioned < sim_start:
                fraction = rng.uniform(0.85, 0.95)
            future = sum(self.entries[(p.pk, y)][0] for y in years) * Decimal("1.1")
            room = p.total * Decimal("0.98") - future
            base = max(Decimal(0), min(p.total * Decimal(repr(fraction)), room)).quantize(Decimal("1"), ROUND_DOWN)
        cap = (p.total * Decimal("0.995")).quantize(Decimal("0.01"), ROUND_DOWN)
        since = base
        pct_factor = rng.uniform(0.92, 1.12)
        best_pct = Decimal(0)
        main_done = False
        prelim_step = rng.randint(0, 3)
        folded_ytd = Decimal(0)
        for year in years:
            plan, _nature = self.entries[(p.pk, year)]
            amounts, resume, lagging, winter = self.year_amounts(p, year, plan)
            if lagging:
                self.lagging.add((p.pk, year))
            lag_problem = rng.choice(LAG_PROBLEMS) if lagging else ""
            ytd = Decimal(0)
            for month in range(1, 13):
                period = dt.date(year, month, 1)
                if period >= self.current:
                    break
                amount = amounts.get(month, Decimal(0))
                if since + amount > cap:
                    amount = max(Decimal(0), cap - since).quantize(Decimal("0.1"), ROUND_DOWN)
                since += amount
                ytd += amount
                if period < first_due:
                    folded_ytd += amount  # before Tiaodu: part of the opening balance
                    continue
                if period not in due:
                    continue
                started = p.start is not None and p.start <= month_end(period)
                pct = None
                if started:
                    raw = Decimal(repr(min(99.0, float(since / p.total) * 100 * pct_factor)))
                    done = (p.completed and p.completed <= month_end(period)) or (
                        p.commissioned and p.commissioned <= month_end(period)
                    )
                    value = Decimal(100) if done else raw
                    best_pct = max(best_pct, value.quantize(Decimal("0.1"), ROUND_HALF_UP))
                    pct = best_pct
                milestones = []
                if p.start and (p.start.year, p.start.month) == (year, month) and p.start >= first_due:
                    milestones.append(Milestone.STARTED)
                if resume == month and amount > 0:
                    milestones.append(Milestone.RESUMED)
                family = FAMILY[p.kind]
                if (
                    pct is not None
                    and pct >= 60
                    and not main_done
                    and family in BUILDING_FAMILIES
                    and not (p.completed and p.completed <= month_end(period))
                ):
                    milestones.append(Milestone.MAIN_STRUCTURE)
                    main_done = True
                for day, milestone in (
                    (p.completed, Milestone.COMPLETED),
                    (p.commissioned, Milestone.COMMISSIONED),
                    (p.capacity, Milestone.CAPACITY),
                ):
                    if day and (day.year, day.month) == (year, month):
                        milestones.append(milestone)
                if milestones and Milestone.MAIN_STRUCTURE in milestones and Milestone.COMPLETED in milestones:
                    milestones.remove(Milestone.MAIN_STRUCTURE)
                text = self.text(p, period, amount, pct, milestones, resume, winter, lagging, prelim_step)
                if not started:
                    prelim_step += rng.choice((0, 1, 1))
                problems = ""
                if lagging and started:
                    problems = lag_problem
                elif rng.random() < 0.09:
                    problems = rng.choice(PROBLEMS)
                self.reports[(p.pk, period)] = ReportPlan(
                    project=p.pk,
                    period=period,
                    fill=Fill(amount, text, pct, tuple(milestones), problems),
                    since_start=since,
                )
        opening_since = base + (folded_ytd if first_due.month > 1 else Decimal(0))
        if opening_since > 0:
            period = add_months(first_due, -1)
            if first_due.month > 1:
                opening_ytd = folded_ytd
            elif p.start and p.start.year == period.year:
                opening_ytd = base  # started last year: all of it was last year's
            else:
                # The ledger's total of the year before the first reported January.
                opening_ytd = (base * Decimal(repr(rng.uniform(0.2, 0.45)))).quantize(Decimal("1"), ROUND_DOWN)
            self.openings[p.pk] = (period, opening_ytd, opening_since)

    def year_amounts(
        self, p: ProjectFacts, year: int, plan: Decimal
    ) -> tuple[dict[int, Decimal], int | None, bool, bool]:
        """Month → investment for one listed year; the resumption month; lagging; works through the winter."""
        rng = self.rng
        resume = None
        winter = False
        lagging = False
        if p.start is None or p.start > dt.date(year, 12, 31):
            return {}, None, False, False
        continued = p.start < dt.date(year, 1, 1)
        operating = p.commissioned is not None and p.commissioned < dt.date(year, 1, 1)
        if continued and not operating:
            winter = rng.random() < 0.2  # indoor works (equipment installation) go on through the winter
            resume = rng.choices([m for m, _w in RESUME_MONTHS], weights=[w for _m, w in RESUME_MONTHS])[0]
        if p.suspended and p.suspended < dt.date(year, 1, 1):
            return {}, None, False, False
        # A few projects lag far behind their plan (not the biggest: one of them would sink the city's figure).
        lagging = not operating and plan < 100000 and rng.random() < 0.06
        weights: dict[int, float] = {}  # the shape of the year: start, winter stop, suspension, commissioning
        natural = 0.0  # the season from the start on: a project started late in the year does less of its plan
        running = 0.0  # the shape as if never suspended: a suspension loses the rest of the year
        for month in range(1, 13):
            first, last = dt.date(year, month, 1), month_end(dt.date(year, month, 1))
            if p.start > last:
                continue
            w = SEASON[month]
            if p.start >= first:
                w *= max(0.25, (last.day - p.start.day + 1) / last.day)
            natural += w
            if resume and month < resume:
                w = SEASON[month] * 0.5 if winter else 0.0
            if p.commissioned and p.commissioned.year == year and p.commissioned < first:
                w *= 0.3  # finishing works and retention payments after commissioning
            running += w
            if p.suspended and p.suspended <= last:
                if p.suspended < first:
                    w = 0.0
                else:
                    w *= p.suspended.day / last.day
            weights[month] = w
        total_weight = sum(weights.values())
        if total_weight <= 0:
            return {}, resume, lagging, winter
        realised = rng.uniform(0.15, 0.4) if lagging else min(1.3, max(0.75, rng.gauss(1.04, 0.12)))
        share = 1.0 if continued else min(1.0, natural / (0.75 * sum(SEASON.values())))
        target = float(plan) * realised * share * total_weight / running
        amounts = {}
        start_month = p.start.month if p.start.year == year else None
        for month, w in weights.items():
            if w <= 0:
                continue
            value = target * w / total_weight * rng.uniform(0.75, 1.25)
            if month not in (resume, start_month) and rng.random() < 0.04:
                value = 0.0  # an occasional month with nothing done
            if month in (resume, start_month):
                value = max(value, float(plan) * 0.01, 1.0)
            amounts[month] = _money(value)
        return amounts, resume, lagging, winter

    def text(self, p, period, amount, pct, milestones, resume, winter, lagging, prelim_step) -> str:
        rng = self.rng
        month = period.month
        end = month_end(period)
        prefix = f"截至{month}月底，"
        if p.suspended and p.suspended <= end:
            reason = p.suspend_reason or "项目停缓建"
            follow = rng.choice(("现场已做好安全防护", "项目单位正积极协调复工条件", "属地政府正在协调解决"))
            return f"{prefix}项目处于停缓建状态（{reason}），{follow}。"
        if p.start is None or p.start > end:
            done = PRELIMINARY_ITEMS[: min(prelim_step + 1, len(PRELIMINARY_ITEMS) - 1)]
            doing = PRELIMINARY_ITEMS[min(prelim_step + 1, len(PRELIMINARY_ITEMS) - 1)]
            status = rng.choice(("申报材料已报送", "技术审查中", "专家评审已完成，待批复", "正在补充完善材料"))
            return f"{prefix}已完成{'、'.join(done[-2:])}，正在办理{doing}（{status}），力争早日开工。"
        family = FAMILY[p.kind]
        if (p.completed and p.completed <= end) or (p.commissioned and p.commissioned <= end):
            if amount == 0:
                return f"{prefix}{rng.choice(DONE_TEXTS)}。"
            if p.capacity and p.capacity <= end:
                return f"{prefix}项目已达产运行，本月完成技改配套及尾款支付。"
            return f"{prefix}项目已建成投产，本月开展配套工程收尾和产能爬坡，产能利用率约{rng.randint(55, 90)}%。"
        if amount == 0:
            if resume and month < resume and month in (1, 2, 12, 3):
                return f"{prefix}{rng.choice(WINTER_TEXTS)}。"
            return f"{prefix}{rng.choice(IDLE_TEXTS)}。"
        stage = 0 if pct is None else sum(1 for bound in (15, 40, 70, 90) if pct >= bound)
        phrase = rng.choice(PHASES[family][stage])
        workers = int(min(1200, 15 + math.sqrt(float(amount)) * rng.uniform(5, 9)))
        machines = max(2, workers // rng.randint(8, 14))
        crew = f"现场施工人员{workers}人、机械设备{machines}台（套）"
        if Milestone.STARTED in milestones:
            lead = f"项目于{month}月{p.start.day}日正式开工，{phrase}"
        elif Milestone.RESUMED in milestones:
            lead = f"项目于{month}月{rng.randint(1, 20)}日全面复工，{phrase}"
        elif Milestone.MAIN_STRUCTURE in milestones:
            lead = f"主体工程完工，转入{PHASES[family][min(stage + 1, 4)][0]}"
        else:
            lead = phrase
        if winter and month in (1, 2, 12):
            indoor = "室内设备安装和装饰装修" if family in BUILDING_FAMILIES else "设备安装调试和材料储备"
            lead = f"冬季室外作业停止，{indoor}持续推进"
        tail = "，投资进度滞后于年度计划" if lagging else ""
        return f"{prefix}{lead}；{crew}{tail}。"

    # -- when it is reported --------------------------------------------------------------------------

    def plan_workflow(self) -> None:
        """The dates of each report's steps, the locks and the correction."""
        rng = self.rng
        by_period: dict[dt.date, list[ReportPlan]] = defaultdict(list)
        for report in self.reports.values():
            by_period[report.period].append(report)
        self.max_since_of: dict[int, Decimal] = {}
        for report in self.reports.values():
            known = self.max_since_of.get(report.project, Decimal(0))
            self.max_since_of[report.project] = max(known, report.since_start)

        # The latest month: some owners have not reported, a few left a draft, a few wait for review
        # beyond the review time, a few were sent back and have not resubmitted yet.
        order = sorted(by_period[self.last], key=lambda r: r.project)
        rng.shuffle(order)
        n = len(order)
        cut = [round(n * 0.10), round(n * 0.05), max(4, round(n * 0.03)), 3]
        groups, at = [], 0
        for size in cut:
            groups.append({r.project for r in order[at : at + size]})
            at += size
        missing, drafts, waiting, still_returned = groups
        for project in sorted(missing):
            del self.reports[(project, self.last)]

        first_month = self.months[0]
        for period in self.months:
            opens = add_months(period, 1)
            for report in sorted(by_period[period], key=lambda r: r.project):
                if period == self.last and report.project in missing:
                    continue
                if period == self.last and report.project in drafts | waiting | still_returned:
                    self.special_steps(report, report.project in drafts, report.project in waiting)
                    continue
                u = rng.random()
                if u < 0.07:
                    day = month_end(period) - dt.timedelta(days=rng.randint(0, 3))
                elif u < 0.90:
                    day = opens + dt.timedelta(days=rng.randint(0, DEADLINE_DAY - 1))
                else:
                    day = opens + dt.timedelta(days=rng.randint(DEADLINE_DAY, DEADLINE_DAY + 7))  # late
                if period == first_month:
                    day = max(day, opens)  # Tiaodu's first month: reported once the accounts were opened
                saved = self.office(day)
                submitted = saved + dt.timedelta(minutes=rng.randint(3, 40))
                review = self.office(self.workday(day + dt.timedelta(days=rng.randint(0, 3))), submitted)
                steps = [("save", saved), ("submit", submitted)]
                if rng.random() < 0.045:
                    reason = rng.choice(RETURN_REASONS if report.fill.investment > 0 else RETURN_REASONS[1:2])
                    report.return_reason = reason
                    report.first = self.first_version(report, reason)
                    again = self.office(review.date() + dt.timedelta(days=rng.randint(1, 3)))
                    resubmitted = again + dt.timedelta(minutes=rng.randint(5, 40))
                    accepted = self.office(
                        self.workday(again.date() + dt.timedelta(days=rng.randint(0, 2))), resubmitted
                    )
                    steps += [("return", review), ("save", again), ("submit", resubmitted), ("accept", accepted)]
                else:
                    steps.append(("accept", review))
                report.steps = steps
        self.stale = self.pick_stale(
            [
                r
                for r in order
                if r.project not in missing | drafts | waiting | still_returned
                and r.first is None
                and r.steps[1][1] < self.limit
            ]
        )
        # Nothing happens after yesterday: a step planned later has not happened yet (nor anything after it).
        for key in list(self.reports):
            report = self.reports[key]
            kept = []
            for kind, stamp in report.steps:
                if stamp >= self.limit:
                    break
                kept.append((kind, stamp))
            report.steps = kept
            if not kept:
                del self.reports[key]

        # Locks: every month older than the last two, in order, in the middle of the third month after.
        self.locks: list[tuple[dt.date, dt.datetime]] = []
        for period in self.months:
            if period > add_months(self.current, -LOCK_LAG):
                break
            lock_month = add_months(period, LOCK_LAG)
            stamp = self.office(self.workday(lock_month + dt.timedelta(days=rng.randint(9, 15))))
            if stamp >= self.limit:  # due later this month: locked on the last working day instead
                after = self.locks[-1][1] if self.locks else None
                stamp = self.office(self.workday_before(self.yesterday), after)
            self.locks.append((period, stamp))
        self.plan_correction()

    def special_steps(self, report: ReportPlan, draft: bool, waiting: bool) -> None:
        rng = self.rng
        opens = add_months(report.period, 1)
        # Early in a month the windows reach back into the month reported (some report in its last days).
        if draft:
            day = self.between(min(opens, self.yesterday), self.yesterday)
            report.steps = [("save", self.office(day))]
            return
        if waiting:
            # Submitted more than the review time ago and not reviewed yet (the reviewers get a reminder).
            last_day = self.yesterday - dt.timedelta(days=REVIEW_DAYS + 1)
            day = self.between(min(opens, last_day), min(last_day, opens + dt.timedelta(days=DEADLINE_DAY + 5)))
            saved = self.office(day)
            report.steps = [("save", saved), ("submit", saved + dt.timedelta(minutes=rng.randint(3, 60)))]
            return
        # Returned and not resubmitted yet.
        last_day = self.workday_before(self.yesterday - dt.timedelta(days=2))
        day = self.between(min(opens, last_day), min(last_day, opens + dt.timedelta(days=DEADLINE_DAY - 1)))
        saved = self.office(day)
        submitted = saved + dt.timedelta(minutes=rng.randint(3, 60))
        reason = rng.choice(RETURN_REASONS if report.fill.investment > 0 else RETURN_REASONS[1:2])
        report.return_reason = reason
        report.first = self.first_version(report, reason)
        review_day = min(self.workday(day + dt.timedelta(days=rng.randint(1, 2))), self.yesterday)
        review = self.office(review_day, submitted)
        report.steps = [("save", saved), ("submit", submitted), ("return", review)]

    def first_version(self, report: ReportPlan, reason: str) -> Fill:
        """What the owner first submitted, which the reviewer sent back for ``reason``."""
        rng = self.rng
        fill = report.fill
        if reason == RETURN_REASONS[0]:
            p = self.projects[report.project]
            cap = p.total * Decimal("0.995")
            higher = _money(float(fill.investment) * rng.uniform(1.08, 1.3))
            if self.max_since(report.project) + higher - fill.investment <= cap:
                wrong = higher
            else:
                wrong = _money(float(fill.investment) * rng.uniform(0.7, 0.9))
            if wrong == fill.investment:
                wrong = fill.investment + 1
            return Fill(wrong, fill.text, fill.pct, fill.milestones, fill.problems)
        if reason == RETURN_REASONS[1]:
            vague = self.rng.choice(("项目正常推进。", "按计划施工。", "各项工作有序开展。"))
            return Fill(fill.investment, vague, fill.pct, fill.milestones, fill.problems)
        # 缺少现场照片说明: the final text adds the description of the site photos.
        view = rng.choice(("施工现场全景", "主体施工区", "设备安装区", "现场作业面"))
        report.fill = Fill(
            fill.investment,
            f"{fill.text}（现场照片说明：{view}、{rng.choice(('东侧', '西侧', '北侧', '南侧'))}作业面各1张）",
            fill.pct,
            fill.milestones,
            fill.problems,
        )
        return fill

    def max_since(self, project: int) -> Decimal:
        return self.max_since_of[project]

    def pick_stale(self, candidates: list[ReportPlan]) -> ReportPlan | None:
        """数据与上月雷同: one owner copies last month's report unchanged (submitted, awaiting review)."""
        for report in sorted(candidates, key=lambda r: -r.fill.investment):
            before = self.reports.get((report.project, add_months(report.period, -1)))
            if before is None or before.fill.investment <= 0 or before.fill.milestones:
                continue
            cap = self.projects[report.project].total * Decimal("0.995")
            if report.since_start - report.fill.investment + before.fill.investment > cap:
                continue
            report.since_start += before.fill.investment - report.fill.investment
            report.fill = before.fill
            report.steps = [step for step in report.steps if step[0] in ("save", "submit")]  # awaiting review
            return report
        return None

    def plan_correction(self) -> None:
        """One locked month, corrected weeks after its lock by the reviewers, to the statistics bureau's figures."""
        rng = self.rng
        self.correction: tuple[dt.date, list[ReportPlan]] | None = None
        candidates = [
            (period, stamp)
            for period, stamp in self.locks
            if stamp + dt.timedelta(days=12) < self.limit and period.month in (3, 6, 9, 12)
        ] or [(period, stamp) for period, stamp in self.locks if stamp + dt.timedelta(days=3) < self.limit]
        if not candidates:
            return
        period, locked = candidates[-1]
        reports = sorted(
            (r for r in self.reports.values() if r.period == period and r.steps and r.steps[-1][0] == "accept"),
            key=lambda r: (-r.fill.investment, r.project),
        )[:5]
        locked_day = locked.astimezone(self.tz).date()
        day = self.workday_before(min(locked_day + dt.timedelta(days=rng.randint(10, 25)), self.yesterday))
        stamp = self.office(max(day, locked_day + dt.timedelta(days=1)), locked)
        for i, report in enumerate(reports):
            cap = self.projects[report.project].total * Decimal("0.995")
            value = report.fill.investment
            upward = _money(float(value) * rng.uniform(1.05, 1.10))
            if i == 2 and self.max_since(report.project) + upward - value <= cap:
                report.correction = upward
            else:
                report.correction = _money(float(value) * rng.uniform(0.72, 0.88))
            report.steps.append(("correct", stamp + dt.timedelta(minutes=3 * i)))
        self.correction = (period, reports)

    # -- the people who fill and review -------------------------------------------------------------

    def make_people(self) -> None:
        """One filler (填报员) per owner organisation, one reviewer (审核员) per county or zone.

        Demo only: made with ``user_create``/``grant_add`` like the other demo logins, with unusable
        passwords (nobody logs in as them); the ``owner`` login fills its own enterprise's reports and
        ``county_admin``/``zone_admin`` review 壶关县 and 长治高新区.
        """
        from tiaodu.accounts.choices import Role
        from tiaodu.accounts.models import User
        from tiaodu.accounts.services import grant_add, user_create
        from tiaodu.orgs.models import Organisation

        self.people: list[tuple[Any, Any]] = []  # (user, grant) made here, to be backdated
        logins = ["city_admin", "county_admin", "zone_admin", "owner"]
        users = {u.username: u for u in User.objects.filter(username__in=logins)}
        self.city_admin = users["city_admin"]
        owners = sorted({self.projects[r.project].owner for r in self.reports.values()})
        orgs = Organisation.objects.in_bulk(owners)
        demo_owner = users["owner"].grants.get().organisation_id
        self.filler: dict[int, Any] = {}
        for number, org_pk in enumerate(owners, start=1):
            if org_pk == demo_owner:
                self.filler[org_pk] = users["owner"]
                continue
            org = orgs[org_pk]
            user = user_create(
                actor=None,
                username=f"tianbao{number:03d}",
                password=None,
                display_name=f"{org.short_name or org.name} {self.person()}（填报员）",
            )
            grant = grant_add(actor=None, user=user, role=Role.OWNER, organisation=org)
            self.filler[org_pk] = user
            self.people.append((user, grant))
        self.reviewer: dict[str, Any] = {C.HUGUAN: users["county_admin"], C.GAOXIN: users["zone_admin"]}
        for code, name, short, _n in C.COUNTIES + C.ZONES:
            if code in self.reviewer:
                continue
            office = f"{short}管委会经济发展局" if code in (C.GAOXIN, "140472") else f"{name}发改局"
            user = user_create(
                actor=None, username=f"shenhe{code}", password=None, display_name=f"{office} {self.person()}（审核员）"
            )
            grant = grant_add(actor=None, user=user, role=Role.ADMIN, region=self.loader.regions[code])
            self.reviewer[code] = user
            self.people.append((user, grant))

    # -- carrying it out ------------------------------------------------------------------------------

    def run(self) -> None:
        from django.db.models import Max

        from tiaodu.reports import services
        from tiaodu.reports.models import MonthlyReport, OpeningBalance, ReportEvent

        began = time.monotonic()
        self.read()
        self.extra_year_lists()
        if getattr(self, "list_stamps", None):
            self.read()  # the third year's entries
        self.plan_values()
        self.plan_workflow()
        self.make_people()
        planned = time.monotonic() - began

        self.before = {
            "report": MonthlyReport.objects.aggregate(m=Max("pk"))["m"] or 0,
            "history": MonthlyReport.history.aggregate(m=Max("history_id"))["m"] or 0,
            "event": ReportEvent.objects.aggregate(m=Max("pk"))["m"] or 0,
            "opening": OpeningBalance.objects.aggregate(m=Max("pk"))["m"] or 0,
            "opening_history": OpeningBalance.history.aggregate(m=Max("history_id"))["m"] or 0,
        }
        from tiaodu.projects.models import Project

        objects = Project.objects.select_related("region", "owner").in_bulk(list(self.projects))
        city = self.loader.regions[C.CITY_CODE]
        actions: list[tuple[dt.datetime, int, str, Any]] = []
        for report in self.reports.values():
            for index, (kind, stamp) in enumerate(report.steps):
                actions.append((stamp, len(actions), kind, (report, index)))
        # Opening balances: set by the county reviewer a day or two before the project's first report.
        self.opening_times: dict[int, dt.datetime] = {}
        first_step: dict[int, dt.datetime] = {}
        for report in self.reports.values():
            stamp = report.steps[0][1]
            if report.project not in first_step or stamp < first_step[report.project]:
                first_step[report.project] = stamp
        for project in self.openings:
            first = first_step.get(project)
            if first is None:
                continue
            day = first.date() - dt.timedelta(days=self.rng.randint(1, 3))
            stamp = self.office(day)
            self.opening_times[project] = stamp
            actions.append((stamp, len(actions), "opening", project))
        for period, stamp in self.locks:
            actions.append((stamp, len(actions), "lock", period))
        actions.sort(key=lambda a: (a[0], a[1]))

        self.say(
            f"[月报] 逐月填报、审核、锁定（monthly reports）：{len(self.reports)} 份月报，"
            f"{len(self.months)} 个月（{self.months[0]:%Y-%m} 至 {self.last:%Y-%m}），{len(self.locks)} 个锁定月份……"
        )
        handles: dict[tuple[int, dt.date], Any] = {}
        self.lock_pks: list[tuple[int, dt.datetime]] = []
        done = 0
        for stamp, _seq, kind, payload in actions:
            if kind == "opening":
                period, ytd, since = self.openings[payload]
                p = self.projects[payload]
                services.opening_balance_set(
                    actor=self.reviewer[p.region], project=objects[payload], period=period, ytd=ytd, since_start=since
                )
                continue
            if kind == "lock":
                lock = services.month_lock(actor=self.city_admin, region=city, period=payload)
                self.lock_pks.append((lock.pk, stamp))
                continue
            report, index = payload
            p = self.projects[report.project]
            key = (report.project, report.period)
            reviewer = self.reviewer[p.region]
            if kind == "save":
                first_save = index == 0
                fill = report.first if (report.first is not None and first_save) else report.fill
                handles[key] = services.report_save(
                    actor=self.filler[p.owner],
                    project=objects[report.project],
                    period=report.period,
                    investment_month=fill.investment,
                    progress_text=fill.text,
                    progress_pct=fill.pct,
                    milestones=fill.milestones,
                    problems_text=fill.problems,
                )
                done += 1
                if done % 1000 == 0:
                    self.say(f"      …… {done} 份")
            elif kind == "submit":
                services.report_submit(report=handles[key], actor=self.filler[p.owner])
            elif kind == "return":
                services.report_return(report=handles[key], actor=reviewer, reason=report.return_reason)
            elif kind == "accept":
                services.report_accept(report=handles[key], actor=reviewer)
            elif kind == "correct":
                services.report_correct(
                    report=handles[key], actor=reviewer, reason=CORRECTION_REASON, investment_month=report.correction
                )
        executed = time.monotonic() - began - planned
        self.backdate()
        dated = time.monotonic() - began - planned - executed
        late = sum(
            1
            for r in self.reports.values()
            for kind, stamp in r.steps[:2]
            if kind == "submit" and stamp.astimezone(self.tz).date() > add_months(r.period, 1).replace(day=DEADLINE_DAY)
        )
        returned = sum(1 for r in self.reports.values() if any(kind == "return" for kind, _s in r.steps))
        corrected = f"{self.correction[0]:%Y-%m} 更正 {len(self.correction[1])} 份" if self.correction else "无更正"
        self.say(
            f"      月报 {len(self.reports)} 份（退回 {returned}，逾期提交 {late}，"
            f"投资滞后 {len(self.lagging)} 个项目年度），"
            f"期初数 {len(self.opening_times)} 个，锁定 {len(self.locks)} 个月，{corrected}；"
            f"用时：计划 {planned:.1f} 秒，执行 {executed:.1f} 秒，整理日期 {dated:.1f} 秒"
        )

    # -- dates ------------------------------------------------------------------------------------------

    def backdate(self) -> None:
        """Demo only: move the time stamps of what this module created to the planned times.

        The services stamp ``created_at``/``updated_at``, ``submitted_at``, ``reviewed_at``,
        ``ReportEvent.at``, the history records' ``history_date`` and ``MonthLock.locked_at`` with
        the current time, which is right for real use; here, and nowhere else, they are rewritten
        with explicit queryset updates to the times the plan gave each step (office hours, Asia/Shanghai).
        """
        from tiaodu.accounts.models import Grant, User
        from tiaodu.projects.models import KeyList, KeyListEntry
        from tiaodu.reports.models import MonthLock, MonthlyReport, OpeningBalance, ReportEvent

        # Reports: one history record and one event per step, in the order of the steps.
        steps_of = {(r.project, r.period): r.steps for r in self.reports.values()}
        steps_by_pk: dict[int, list[tuple[str, dt.datetime]]] = {}
        rows = []
        for pk, project_id, period in MonthlyReport.objects.filter(pk__gt=self.before["report"]).values_list(
            "pk", "project_id", "period"
        ):
            steps = steps_by_pk[pk] = steps_of[(project_id, period)]
            rows.append((pk, *_stamps(steps, len(steps))[1:]))
        _update_many(MonthlyReport, ["created_at", "updated_at", "submitted_at", "reviewed_at"], rows)
        History = MonthlyReport.history.model
        position: Counter[int] = Counter()
        rows = []
        for history_id, pk in (
            History.objects.filter(history_id__gt=self.before["history"])
            .order_by("id", "history_id")
            .values_list("history_id", "id")
        ):
            position[pk] += 1
            rows.append((history_id, *_stamps(steps_by_pk[pk], position[pk])))
        if any(position[pk] != len(steps) for pk, steps in steps_by_pk.items()):
            from .generator import DemoError

            raise DemoError("月报历史记录数与计划不符（report history does not match the plan）。")
        _update_many(History, ["history_date", "created_at", "updated_at", "submitted_at", "reviewed_at"], rows)
        position.clear()
        rows = []
        for pk, report_id in (
            ReportEvent.objects.filter(pk__gt=self.before["event"])
            .order_by("report_id", "pk")
            .values_list("pk", "report_id")
        ):
            rows.append((pk, steps_by_pk[report_id][position[report_id]][1]))
            position[report_id] += 1
        _update_many(ReportEvent, ["at"], rows)

        # Locks.
        for pk, stamp in self.lock_pks:
            MonthLock.objects.filter(pk=pk).update(locked_at=stamp, created_at=stamp, updated_at=stamp)

        # Opening balances.
        for balance in OpeningBalance.objects.filter(pk__gt=self.before["opening"]).only("pk", "project_id"):
            stamp = self.opening_times[balance.project_id]
            OpeningBalance.objects.filter(pk=balance.pk).update(created_at=stamp, updated_at=stamp)
            OpeningBalance.history.filter(id=balance.pk, history_id__gt=self.before["opening_history"]).update(
                history_date=stamp, created_at=stamp, updated_at=stamp
            )

        # The fillers and reviewers: their accounts were opened a few days before their first step.
        first_act: dict[int, dt.datetime] = {}
        for report in self.reports.values():
            p = self.projects[report.project]
            for kind, stamp in report.steps:
                actor = self.filler[p.owner] if kind in ("save", "submit") else self.reviewer[p.region]
                if actor.pk not in first_act or stamp < first_act[actor.pk]:
                    first_act[actor.pk] = stamp
        for project, stamp in self.opening_times.items():
            actor = self.reviewer[self.projects[project].region]
            if actor.pk not in first_act or stamp < first_act[actor.pk]:
                first_act[actor.pk] = stamp
        earliest = min(first_act.values(), default=self.limit)
        for user, grant in self.people:
            stamp = (first_act.get(user.pk, earliest) - dt.timedelta(days=3)).astimezone(self.tz)
            stamp = stamp.replace(hour=9, minute=self.rng.randint(0, 59))
            User.objects.filter(pk=user.pk).update(date_joined=stamp)
            User.history.filter(id=user.pk).update(history_date=stamp)
            Grant.objects.filter(pk=grant.pk).update(created_at=stamp, updated_at=stamp)
            Grant.history.filter(id=grant.pk).update(history_date=stamp)

        # The third year's lists, if any.
        for pk, created, published, stamps in getattr(self, "list_stamps", []):
            records = list(KeyList.history.filter(id=pk).order_by("history_id"))
            for record, stamp in zip(records, (created, published), strict=True):
                KeyList.history.filter(history_id=record.history_id).update(history_date=stamp)
            KeyList.objects.filter(pk=pk).update(created_at=created, updated_at=published, published_at=published)
            for entry_pk, stamp in stamps.items():
                stamp = min(max(stamp, created), published - dt.timedelta(minutes=5))
                KeyListEntry.objects.filter(pk=entry_pk).update(created_at=stamp, updated_at=stamp)
                KeyListEntry.history.filter(id=entry_pk).update(history_date=stamp)


def _stamps(steps: list[tuple[str, dt.datetime]], count: int) -> tuple:
    """A report's time stamps after its first ``count`` steps: (that step, created, updated, submitted, reviewed)."""
    done = steps[:count]
    return (
        done[-1][1],
        steps[0][1],
        done[-1][1],
        max((s for k, s in done if k == "submit"), default=None),
        max((s for k, s in done if k in ("return", "accept")), default=None),
    )


def _update_many(model, columns: list[str], rows: list[tuple]) -> None:
    """Demo only: ``UPDATE … SET columns WHERE pk = row[0]`` for many rows in one ``executemany``.

    The same as a queryset ``update`` per row (or ``bulk_update``), minus the per-row query building:
    ``bulk_update`` of the ~17,000 history records took half a minute.
    """
    from django.db import connection

    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    params = [
        [f.get_db_prep_value(value, connection) for f, value in zip(fields, row[1:], strict=True)] + [row[0]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def load_reports(plan, loader, say) -> None:
    """Fill, review, lock and correct the demo city's monthly reports (see the module's docstring)."""
    _Reports(plan, loader, say).run()
