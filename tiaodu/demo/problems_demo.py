"""The demo city's problem ledger (问题清单): a few hundred problems over the last year, in every state.

Called at the end of ``generator.load_demo``, after the monthly reports, inside its transaction.
Like the other demo modules it plans first (one ``random.Random(PROBLEMS_SEED)``, no database
writes: what each problem is, where, when it was found, and how far its workflow got by today),
then carries the plan out through the services (``problem_record``, ``problem_assign``,
``problem_start``, ``problem_answer``, ``problem_send_back``, ``problem_close``,
``problem_escalate``, ``problems_from_report``), and finally moves the time stamps the services
wrote (now) to the planned times (demo only, as ``reports_demo`` does).

States by design: open, assigned, in progress, answered, closed (some after a send-back),
escalated to the city (then re-assigned, some solved) and to the province; deadlines in the past
make some of the unsolved ones overdue. About fifteen recent monthly reports' "存在问题" are
turned into ledger problems too.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from . import catalog as C

PROBLEMS_SEED = 20251123
PROBLEM_COUNT = 300
FROM_REPORTS = 15
# How far a problem's workflow gets (weights out of 100).
FATES = (
    ("open", 7),
    ("assigned", 8),
    ("in_progress", 10),
    ("answered", 8),
    ("closed", 45),
    ("sent_back_closed", 8),
    ("city_open", 3),
    ("city_in_progress", 3),
    ("city_closed", 5),
    ("province", 3),
)
DEADLINE_DAYS = (15, 20, 30, 30, 45, 60)

PROJECT_PROBLEMS: dict[str, tuple[str, ...]] = {
    "用地": ("用地指标未落实，影响项目供地", "土地组卷报批滞后，尚未取得用地批复", "林地占用手续未办结，影响场地平整"),
    "规划": ("规划许可证办理滞后", "项目规划设计方案需调整，待规委会审议"),
    "环评": ("环评批复尚未取得，影响开工", "环评报告需补充大气影响专章"),
    "资金": ("项目资本金到位不足，缺口约{n}万元", "专项债资金拨付滞后", "银行贷款审批进度慢，融资缺口{n}万元"),
    "拆迁": ("征地拆迁涉及{k}户未签约", "地上附着物补偿标准存在分歧，影响进场"),
    "手续审批": ("施工许可办理滞后", "节能审查意见未出具", "消防设计审查未通过，需修改设计"),
    "水电气暖": ("施工用电未接入，需架设临时线路", "供水管网未接通", "天然气接入工程滞后", "110千伏配套变电站建设滞后"),
    "施工": ("施工便道未打通", "冬季停工后复工组织不力，施工人员不足", "主要设备到货延迟"),
    "政策": ("企业申请的技改补助政策未兑现", "电价优惠政策落实不到位"),
    "其他": ("项目周边群众反映施工扰民", "项目管理人员变动，对接不畅"),
}
COMPLAINTS: dict[str, tuple[str, ...]] = {
    "大气": ("群众反映{county}一洗煤厂露天堆煤扬尘污染", "{county}建筑工地未落实扬尘防治措施"),
    "水": ("{county}境内浊漳河支流河段存在生活污水直排", "群众反映{county}一养殖场废水外溢"),
    "土壤": ("{county}一废弃厂区存在历史遗留污染土壤", "群众反映{county}一处固体废物非法倾倒"),
    "噪声": ("{county}一搅拌站夜间生产噪声扰民", "群众反映{county}城区施工夜间噪声扰民"),
    "生态": ("{county}一处采石场生态修复不到位", "{county}河道采砂破坏河岸生态"),
}
CATEGORY_WEIGHTS = (
    ("用地", 16),
    ("资金", 14),
    ("手续审批", 12),
    ("水电气暖", 12),
    ("拆迁", 9),
    ("规划", 8),
    ("环评", 8),
    ("施工", 10),
    ("政策", 5),
    ("其他", 6),
)
# The department each category usually goes to (the key of C.CITY_DEPARTMENTS / C.COUNTY_DEPARTMENTS).
CATEGORY_DEPARTMENT = {
    "用地": "zrzy",
    "规划": "zrzy",
    "拆迁": "zrzy",
    "环评": "sthj",
    "大气": "sthj",
    "水": "sthj",
    "土壤": "sthj",
    "噪声": "sthj",
    "生态": "sthj",
    "资金": "czj",
    "手续审批": "spj",
    "水电气暖": "nyj",
    "施工": "zjj",
    "政策": "gxj",
    "其他": "fgw",
}
ANSWERS = (
    "经协调，相关手续已办结，问题已解决",
    "已召开专题协调会，明确责任和时间节点，现已落实",
    "已会同属地政府现场办公，问题已整改到位",
    "已完成审批并出具批复文件",
    "资金已拨付到位，附拨付凭证",
)
SEND_BACK_REASONS = ("办理情况描述不具体，请补充佐证材料", "现场核实尚未整改到位")
ESCALATE_REASONS = ("涉及跨县区协调，县级无法解决", "需市级层面统筹用地指标", "需省级部门审批")


@dataclass
class PlannedProblem:
    project: int | None
    region: str
    source: str
    category: str
    description: str
    found_on: dt.date
    fate: str
    deadline: dt.date
    answered_on: dt.date | None = None
    closed_on: dt.date | None = None
    steps: list[dt.datetime] = field(default_factory=list)  # one per event, in order


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    from django.utils import timezone

    moment = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
    return timezone.make_aware(moment)


class _Problems:
    def __init__(self, plan, loader, say):
        self.plan, self.loader, self.say = plan, loader, say
        self.rng = random.Random(PROBLEMS_SEED)

    # -- planning ------------------------------------------------------------------------------

    def read(self, today: dt.date) -> None:
        from tiaodu.orgs.models import Organisation
        from tiaodu.projects.choices import Stage
        from tiaodu.projects.models import Project

        city = self.loader.regions[C.CITY_CODE]
        self.projects = list(
            Project.objects.filter(region__path__startswith=city.path)
            .exclude(stage=Stage.WITHDRAWN)
            .order_by("pk")
            .values_list("pk", "region__code")
        )
        departments = Organisation.objects.filter(
            region__path__startswith=city.path, kind="department", dissolved_on__isnull=True
        ).select_related("region")
        self.city_departments = {}
        self.county_departments = defaultdict(dict)
        names = {name: key for key, name, _short in C.CITY_DEPARTMENTS}
        for org in departments:
            if org.region.code == C.CITY_CODE:
                if org.name in names:
                    self.city_departments[names[org.name]] = org
            else:
                for key, name, _short in C.COUNTY_DEPARTMENTS + C.HUGUAN_EXTRA_DEPARTMENTS:
                    if org.name.endswith(name):
                        self.county_departments[org.region.code][key] = org
        self.county_names = {code: name for code, name, *_rest in C.COUNTIES + C.ZONES}
        self.today = today

    def pick(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def plan_problems(self) -> list[PlannedProblem]:
        rng, today = self.rng, self.today
        planned = []
        counties = [code for code, *_rest in C.COUNTIES] + [code for code, *_rest in C.ZONES]
        for _ in range(PROBLEM_COUNT):
            fate = self.pick(FATES)
            found = today - dt.timedelta(days=rng.randint(2, 360))
            if rng.random() < 0.08:
                category = rng.choice(list(COMPLAINTS))
                region = rng.choice(counties)
                description = rng.choice(COMPLAINTS[category]).format(county=self.county_names[region])
                project, source = None, "complaint"
            else:
                category = self.pick(CATEGORY_WEIGHTS)
                project, region = rng.choice(self.projects)
                description = rng.choice(PROJECT_PROBLEMS[category]).format(
                    n=rng.choice((500, 1200, 3000, 8000)), k=rng.randint(3, 40)
                )
                source = self.pick((("site_visit", 45), ("meeting", 30), ("inspection_tour", 10), ("owner_report", 15)))
            deadline = found + dt.timedelta(days=rng.choice(DEADLINE_DAYS))
            problem = PlannedProblem(project, region, source, category, description, found, fate, deadline)
            if fate.endswith("closed") or fate == "answered":
                answered = found + dt.timedelta(days=rng.randint(5, 75))
                if answered >= today:
                    problem.fate = "in_progress" if not fate.startswith("city") else "city_in_progress"
                else:
                    problem.answered_on = answered
                    if fate != "answered":
                        closed = answered + dt.timedelta(days=rng.randint(0, 8))
                        problem.closed_on = min(closed, today)
            planned.append(problem)
        planned.sort(key=lambda p: p.found_on)
        return planned

    # -- carrying it out -----------------------------------------------------------------------

    def next(self, steps: list[dt.datetime], day: dt.date) -> dt.datetime:
        """The time of a step on ``day``: office hours, after the previous step, never in the future."""
        from django.utils import timezone

        now = timezone.now()
        stamp = _at(day, self.rng)
        if steps and stamp <= steps[-1]:
            stamp = steps[-1] + dt.timedelta(minutes=self.rng.randint(5, 90))
        if stamp > now:
            stamp = steps[-1] + dt.timedelta(seconds=1) if steps else now - dt.timedelta(hours=1)
        return stamp

    def department_for(self, problem: PlannedProblem, city_level: bool):
        key = CATEGORY_DEPARTMENT[problem.category]
        if not city_level:
            county = self.county_departments.get(problem.region, {})
            if key in county:
                return county[key]
            if key in ("zrzy",) and "zrzy" in county:
                return county["zrzy"]
            if "fgj" in county and key not in self.city_departments:
                return county["fgj"]
        return self.city_departments.get(key) or self.city_departments["fgw"]

    def run(self) -> None:
        from django.db.models import Max

        from tiaodu.core.dates import local_today
        from tiaodu.notices.models import Notice
        from tiaodu.problems import services
        from tiaodu.problems.models import Problem, ProblemCategory, ProblemEvent
        from tiaodu.projects.models import Project
        from tiaodu.regions.models import Region

        self.read(local_today())
        planned = self.plan_problems()
        self.say(f"问题清单（problem ledger）：{len(planned)} 个问题，另有月报转入的问题……")
        before = {
            "problem": Problem.objects.aggregate(m=Max("pk"))["m"] or 0,
            "history": Problem.history.aggregate(m=Max("history_id"))["m"] or 0,
            "notice": Notice.objects.aggregate(m=Max("pk"))["m"] or 0,
        }
        categories = {c.name: c for c in ProblemCategory.objects.all()}
        projects = Project.objects.select_related("region", "owner").in_bulk([p.project for p in planned if p.project])
        regions = {r.code: r for r in Region.objects.filter(code__in={p.region for p in planned})}
        users = self.loader.users
        city_admin, county_admin = users["city_admin"], users["county_admin"]
        department_user = users["department"]
        owner_org = next((o for o in self.loader.orgs.values() if o.name == C.DEMO_OWNER_NAME), None)
        rng = self.rng
        self.steps: dict[int, list[dt.datetime]] = {}

        for item in planned:
            project = projects.get(item.project) if item.project else None
            coordinator = county_admin if item.region == C.HUGUAN else city_admin
            recorder = coordinator
            if project is not None and owner_org is not None and project.owner_id == owner_org.pk:
                recorder = users["owner"]
                item.source = "owner_report"
            problem = services.problem_record(
                actor=recorder,
                source=item.source,
                category=categories[item.category],
                description=item.description,
                project=project,
                region=None if project else regions[item.region],
                found_on=item.found_on,
                proposed_deadline=item.deadline if rng.random() < 0.5 else None,
            )
            steps: list[dt.datetime] = []
            steps.append(self.next(steps, item.found_on))
            if item.fate == "open":
                self.steps[problem.pk] = steps
                continue
            city_level = item.fate.startswith("city") or item.fate == "province"
            department = self.department_for(item, city_level=False)
            assigned_on = min(item.found_on + dt.timedelta(days=rng.randint(0, 3)), self.today)
            problem = services.problem_assign(
                actor=coordinator, problem=problem, department=department, deadline=item.deadline
            )
            steps.append(self.next(steps, assigned_on))
            answerer = department_user if services.is_department_member(department_user, department) else coordinator
            if city_level:
                escalated_on = min(assigned_on + dt.timedelta(days=rng.randint(3, 20)), self.today)
                problem = services.problem_escalate(
                    actor=coordinator, problem=problem, reason=rng.choice(ESCALATE_REASONS[:2])
                )
                steps.append(self.next(steps, escalated_on))
                if item.fate == "province":
                    problem = services.problem_escalate(actor=city_admin, problem=problem, reason=ESCALATE_REASONS[2])
                    steps.append(
                        self.next(steps, min(escalated_on + dt.timedelta(days=rng.randint(2, 15)), self.today))
                    )
                    self.steps[problem.pk] = steps
                    continue
                if item.fate == "city_open":
                    self.steps[problem.pk] = steps
                    continue
                department = self.department_for(item, city_level=True)
                new_deadline = max(item.deadline, escalated_on + dt.timedelta(days=30))
                problem = services.problem_assign(
                    actor=city_admin, problem=problem, department=department, deadline=new_deadline, level="city"
                )
                steps.append(self.next(steps, escalated_on))
                answerer = department_user if services.is_department_member(department_user, department) else city_admin
                coordinator = city_admin
                if item.answered_on is not None and item.answered_on < escalated_on:
                    item.answered_on = min(escalated_on + dt.timedelta(days=rng.randint(3, 30)), self.today)
                    item.closed_on = min(item.answered_on + dt.timedelta(days=rng.randint(0, 5)), self.today)
            if item.fate == "assigned":
                self.steps[problem.pk] = steps
                continue
            started_on = min(assigned_on + dt.timedelta(days=rng.randint(0, 3)), self.today)
            # 签收: the department's login where the demo has one, else the coordinator on its behalf.
            problem = services.problem_start(actor=answerer, problem=problem)
            steps.append(self.next(steps, started_on))
            if item.answered_on is None or item.fate in ("in_progress", "city_in_progress"):
                self.steps[problem.pk] = steps
                continue
            if item.fate == "sent_back_closed":
                first_answer = max(item.found_on, item.answered_on - dt.timedelta(days=rng.randint(5, 15)))
                problem = services.problem_answer(
                    actor=answerer, problem=problem, answer=rng.choice(ANSWERS), answered_on=first_answer
                )
                steps.append(self.next(steps, first_answer))
                problem = services.problem_send_back(
                    actor=coordinator, problem=problem, reason=rng.choice(SEND_BACK_REASONS)
                )
                steps.append(self.next(steps, first_answer + dt.timedelta(days=1)))
            problem = services.problem_answer(
                actor=answerer, problem=problem, answer=rng.choice(ANSWERS), answered_on=item.answered_on
            )
            steps.append(self.next(steps, item.answered_on))
            if item.closed_on is not None and item.fate != "answered":
                problem = services.problem_close(
                    actor=coordinator, problem=problem, comment="核实无误，同意销号", closed_on=item.closed_on
                )
                steps.append(self.next(steps, item.closed_on))
            self.steps[problem.pk] = steps

        self.from_reports(categories, city_admin)
        self.backdate(before, ProblemEvent, Problem, Notice)

    def from_reports(self, categories, actor) -> None:
        """A few recent monthly reports' 存在问题 become ledger problems in one step, as an administrator would."""
        from django.utils import timezone

        from tiaodu.problems import services
        from tiaodu.reports.models import MonthlyReport

        city = self.loader.regions[C.CITY_CODE]
        reports = (
            MonthlyReport.objects.counted()
            .filter(project__region__path__startswith=city.path, submitted_at__isnull=False)
            .exclude(problems_text="")
            .order_by("-period", "project_id")[: FROM_REPORTS * 3]
        )
        chosen = [r for r in reports if services.split_problem_text(r.problems_text)][::3][:FROM_REPORTS]
        for report in chosen:
            for problem in services.problems_from_report(actor=actor, report=report, category=categories["其他"]):
                self.steps[problem.pk] = [timezone.localtime(report.submitted_at) + dt.timedelta(days=1)]

    def backdate(self, before, ProblemEvent, Problem, Notice) -> None:
        """Demo only: the services stamped "now"; move events, history and notices to the plan's times."""
        from collections import Counter

        from .reports_demo import _update_many

        position: Counter[int] = Counter()
        rows = []
        for pk, problem_id in (
            ProblemEvent.objects.filter(problem_id__gt=before["problem"])
            .order_by("problem_id", "pk")
            .values_list("pk", "problem_id")
        ):
            steps = self.steps[problem_id]
            rows.append((pk, steps[min(position[problem_id], len(steps) - 1)]))
            position[problem_id] += 1
        _update_many(ProblemEvent, ["at"], rows)
        History = Problem.history.model
        position.clear()
        rows = []
        for history_id, pk in (
            History.objects.filter(history_id__gt=before["history"])
            .order_by("id", "history_id")
            .values_list("history_id", "id")
        ):
            steps = self.steps[pk]
            rows.append((history_id, steps[min(position[pk], len(steps) - 1)]))
            position[pk] += 1
        _update_many(History, ["history_date"], rows)
        problem_rows = []
        for pk, assigned_at in Problem.objects.filter(pk__gt=before["problem"]).values_list("pk", "assigned_at"):
            steps = self.steps[pk]
            problem_rows.append((pk, steps[0], steps[-1], steps[1] if assigned_at and len(steps) > 1 else None))
        _update_many(Problem, ["created_at", "updated_at", "assigned_at"], problem_rows)
        # Notices: dated with their problem's last step; read unless that step is recent and still open.
        from django.utils import timezone

        now = timezone.now()
        notice_rows = []
        open_states = dict(Problem.objects.filter(pk__gt=before["problem"]).values_list("pk", "status"))
        for pk, target_id in Notice.objects.filter(pk__gt=before["notice"]).values_list("pk", "target_id"):
            last = self.steps.get(target_id, [now])[-1]
            unread = open_states.get(target_id) != "closed" and now - last < dt.timedelta(days=21)
            notice_rows.append((pk, last, None if unread else last))
        _update_many(Notice, ["created_at", "read_at"], notice_rows)


def load_problems(plan, loader, say) -> None:
    """Record and work through the demo city's problems (see the module's docstring)."""
    _Problems(plan, loader, say).run()
