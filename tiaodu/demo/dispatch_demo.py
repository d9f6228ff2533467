"""The demo city's dispatch work: a year of city dispatch meetings (agenda, decisions, tasks on the spot,
most of them solved since), site visits by the city's leaders with the problems they found, and last
quarter's inspection tour scored by three people. Called after ``problems_demo``, through the services,
deterministic (``random.Random(DISPATCH_SEED)``); the problems' history is moved to the planned dates.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from . import catalog as C
from .problems_demo import ANSWERS, CATEGORY_DEPARTMENT, PROJECT_PROBLEMS, _Problems

DISPATCH_SEED = 20251124
MEETING_WEEKS = 4  # a city meeting every four weeks over the last year
VISITS = 40
DECISIONS = (
    "会议明确由{department}牵头，{days}日内拿出解决方案，县区配合做好群众工作。",
    "会议要求项目单位加快施工组织，{department}做好要素保障，下次会议汇报进展。",
    "会议议定：专班每周调度一次，{department}限期完成相关手续。",
)
CRITERIA = (("形象进度", 40), ("投资完成", 30), ("要素保障", 20), ("安全文明施工", 10))


class _Dispatch(_Problems):
    def __init__(self, plan, loader, say):
        super().__init__(plan, loader, say)
        self.rng = random.Random(DISPATCH_SEED)

    def run(self) -> None:
        from django.db.models import Max

        from tiaodu.core.dates import local_today
        from tiaodu.dispatch import services
        from tiaodu.notices.models import Notice
        from tiaodu.orgs.models import Official
        from tiaodu.problems import services as problem_services
        from tiaodu.problems.models import Problem, ProblemCategory, ProblemEvent
        from tiaodu.projects.choices import Stage
        from tiaodu.projects.models import Project

        today = local_today()
        self.read(today)
        rng = self.rng
        city = self.loader.regions[C.CITY_CODE]
        users = self.loader.users
        admin, department_user = users["city_admin"], users["department"]
        categories = {c.name: c for c in ProblemCategory.objects.all()}
        projects = list(
            Project.objects.filter(
                region__path__startswith=city.path, stage__in=[Stage.PRELIMINARY, Stage.CONSTRUCTION]
            )
            .select_related("region")
            .order_by("pk")
        )
        leaders = list(Official.objects.filter(region=city, is_active=True).order_by("pk"))
        before = {
            "problem": Problem.objects.aggregate(m=Max("pk"))["m"] or 0,
            "history": Problem.history.aggregate(m=Max("history_id"))["m"] or 0,
            "notice": Notice.objects.aggregate(m=Max("pk"))["m"] or 0,
        }
        self.steps = {}
        departments = [d for d in self.city_departments.values()]

        def solve(problem, assigned_on, answerer):
            """Work a problem assigned on ``assigned_on`` through to the end its plan allows by today."""
            steps = self.steps[problem.pk]
            fate = rng.random()
            answered = assigned_on + dt.timedelta(days=rng.randint(5, 40))
            if fate < 0.15 or answered >= today:
                return
            problem = problem_services.problem_start(actor=answerer, problem=problem)
            steps.append(self.next(steps, assigned_on + dt.timedelta(days=1)))
            problem = problem_services.problem_answer(
                actor=answerer, problem=problem, answer=rng.choice(ANSWERS), answered_on=answered
            )
            steps.append(self.next(steps, answered))
            if fate < 0.25:
                return
            closed = min(answered + dt.timedelta(days=rng.randint(0, 6)), today)
            problem_services.problem_close(actor=admin, problem=problem, comment="核实无误，同意销号", closed_on=closed)
            steps.append(self.next(steps, closed))

        # 1. City dispatch meetings, every four weeks over the last year, and the next one.
        self.say("调度会议、现场调研、拉练观摩（dispatch meetings, site visits, inspection tour）……")
        day = today - dt.timedelta(weeks=52)
        number = 0
        while day < today:
            number += 1
            meeting = services.meeting_schedule(
                actor=admin,
                region=city,
                title=f"全市重点项目第{number}次调度会",
                date=day,
                kind="weekly",
                level="city",
                chair=rng.choice(leaders) if leaders else None,
                attendees=rng.sample(departments, k=min(5, len(departments))),
                place="市政府第一会议室",
            )
            for project in rng.sample(projects, k=min(rng.randint(3, 5), len(projects))):
                item = services.agenda_add(
                    actor=admin,
                    meeting=meeting,
                    project=project,
                    reason=rng.choice(["lagging", "overdue", "escalated", "late_report", "other"]),
                )
                category = self.pick((("用地", 3), ("资金", 3), ("手续审批", 2), ("水电气暖", 2), ("施工", 1)))
                department = self.city_departments.get(CATEGORY_DEPARTMENT[category]) or departments[0]
                services.agenda_record_decisions(
                    actor=admin,
                    item=item,
                    decisions=rng.choice(DECISIONS).format(
                        department=department.short_name or department.name, days=rng.choice((7, 10, 15))
                    ),
                )
                if rng.random() < 0.7:
                    deadline = day + dt.timedelta(days=rng.choice((10, 15, 20, 30)))
                    task = services.meeting_assign_task(
                        actor=admin,
                        meeting=meeting,
                        item=item,
                        project=None,
                        category=categories[category],
                        description=rng.choice(PROJECT_PROBLEMS[category]).format(
                            n=rng.choice((800, 2000)), k=rng.randint(3, 20)
                        ),
                        department=department,
                        deadline=deadline,
                    )
                    steps = []
                    steps.append(self.next(steps, day))
                    steps.append(self.next(steps, day))
                    self.steps[task.problem_id] = steps
                    answerer = (
                        department_user if problem_services.is_department_member(department_user, department) else admin
                    )
                    solve(task.problem, day, answerer)
            services.meeting_mark_held(actor=admin, meeting=meeting)
            day += dt.timedelta(weeks=MEETING_WEEKS)
        upcoming = services.meeting_schedule(
            actor=admin,
            region=city,
            title=f"全市重点项目第{number + 1}次调度会",
            date=today + dt.timedelta(days=3),
            kind="weekly",
            level="city",
            chair=leaders[0] if leaders else None,
            place="市政府第一会议室",
        )
        from tiaodu.dispatch.selectors import propose_agenda

        for proposal in propose_agenda(upcoming, admin, today)[:6]:
            services.agenda_add(actor=admin, meeting=upcoming, project=proposal.project, reason=proposal.reason)

        # 2. Site visits by the city's leaders, with the problems they found.
        for _ in range(VISITS):
            day = today - dt.timedelta(days=rng.randint(1, 360))
            visited = rng.sample(projects, k=min(rng.randint(1, 4), len(projects)))
            visit = services.visit_record(
                actor=admin,
                region=city,
                date=day,
                leaders=rng.sample(leaders, k=min(rng.randint(1, 3), len(leaders))),
                projects=visited,
                notes="深入项目一线，现场查看施工进度，听取项目单位汇报，协调解决困难问题。",
            )
            for project in visited:
                if rng.random() < 0.5:
                    continue
                category = self.pick((("用地", 3), ("资金", 3), ("手续审批", 2), ("水电气暖", 2), ("施工", 2)))
                finding = services.visit_add_problem(
                    actor=admin,
                    visit=visit,
                    project=project,
                    category=categories[category],
                    description=rng.choice(PROJECT_PROBLEMS[category]).format(
                        n=rng.choice((600, 1500)), k=rng.randint(2, 15)
                    ),
                )
                steps = []
                steps.append(self.next(steps, day))
                self.steps[finding.problem_id] = steps
                department = self.city_departments.get(CATEGORY_DEPARTMENT[category]) or departments[0]
                if rng.random() < 0.9:
                    assigned_on = min(day + dt.timedelta(days=rng.randint(0, 3)), today)
                    problem = problem_services.problem_assign(
                        actor=admin,
                        problem=finding.problem,
                        department=department,
                        deadline=day + dt.timedelta(days=rng.choice((15, 30, 45))),
                    )
                    steps.append(self.next(steps, assigned_on))
                    answerer = (
                        department_user if problem_services.is_department_member(department_user, department) else admin
                    )
                    solve(problem, assigned_on, answerer)

        # 3. Last quarter's inspection tour, scored by three people.
        quarter_end = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
        quarter = (quarter_end.month - 1) // 3 + 1
        building = [p for p in projects if p.stage == Stage.CONSTRUCTION]
        toured = rng.sample(building, k=min(12, len(building)))
        tour = services.tour_create(
            actor=admin,
            region=city,
            title=f"{quarter_end.year}年第{quarter}季度重点项目拉练观摩",
            year=quarter_end.year,
            quarter=quarter,
            date=quarter_end - dt.timedelta(days=10),
            projects=toured,
            criteria=[(name, Decimal(weight), Decimal(100)) for name, weight in CRITERIA],
        )
        for scorer in (admin, users["leader"], department_user):
            for project in toured:
                base = rng.randint(70, 95)
                for criterion in tour.criteria.all():
                    services.tour_score(
                        actor=scorer,
                        tour=tour,
                        project=project,
                        criterion=criterion,
                        score=Decimal(max(50, min(100, base + rng.randint(-8, 8)))),
                    )
        self.backdate(before, ProblemEvent, Problem, Notice)


def load_dispatch(plan, loader, say) -> None:
    _Dispatch(plan, loader, say).run()
