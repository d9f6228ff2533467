"""The demo's problem ledger, loaded in isolation on a small city (the full demo takes minutes)."""

from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from tiaodu.accounts.choices import Role
from tiaodu.demo import catalog as C
from tiaodu.demo import problems_demo
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.problems.choices import ProblemStatus
from tiaodu.problems.models import Problem, ProblemEvent
from tiaodu.projects.choices import Stage
from tiaodu.testing import OrganisationFactory, ProjectFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def _small_city():
    city, huguan, zhangzi = region(C.CITY_CODE), region(C.HUGUAN), region("140428")
    orgs = {}
    for _key, name, short in C.CITY_DEPARTMENTS:
        orgs[name] = OrganisationFactory(name=name, short_name=short, region=city, kind=OrganisationKind.DEPARTMENT)
    for county in (huguan, zhangzi):
        for _key, dept, _short in C.COUNTY_DEPARTMENTS:
            OrganisationFactory(name=f"{county.name}{dept}", region=county, kind=OrganisationKind.DEPARTMENT)
    owner_org = OrganisationFactory(name=C.DEMO_OWNER_NAME, region=huguan)
    orgs[owner_org.name] = owner_org
    users = {
        "city_admin": UserFactory(username="city_admin", grants=[(Role.ADMIN, city)]),
        "county_admin": UserFactory(username="county_admin", grants=[(Role.ADMIN, huguan)]),
        "department": UserFactory(username="department", grants=[(Role.DEPARTMENT, orgs["长治市自然资源局"])]),
        "owner": UserFactory(username="owner", grants=[(Role.OWNER, owner_org)]),
    }
    ProjectFactory(name="演示项目业主", region=huguan, owner=owner_org, stage=Stage.CONSTRUCTION)
    for index in range(5):
        ProjectFactory(name=f"演示项目{index}", region=huguan if index % 2 else zhangzi)
    regions = {r.code: r for r in (city, huguan, zhangzi)}
    return SimpleNamespace(regions=regions, users=users, orgs=orgs)


def _load(monkeypatch, loader):
    monkeypatch.setattr(problems_demo, "PROBLEM_COUNT", 80)
    monkeypatch.setattr(problems_demo.C, "COUNTIES", tuple(c for c in C.COUNTIES if c[0] in (C.HUGUAN, "140428")))
    monkeypatch.setattr(problems_demo.C, "ZONES", ())
    problems_demo.load_problems(None, loader, lambda message: None)


def test_every_state_with_history_in_the_past_and_deterministic(monkeypatch):
    loader = _small_city()
    with transaction.atomic():
        _load(monkeypatch, loader)
        first = list(Problem.objects.order_by("pk").values_list("description", "status", "level", "found_on"))
        transaction.set_rollback(True)
    _load(monkeypatch, loader)
    again = list(Problem.objects.order_by("pk").values_list("description", "status", "level", "found_on"))
    assert first == again, "the demo is deterministic"
    statuses = Counter(Problem.objects.values_list("status", flat=True))
    assert set(statuses) == set(ProblemStatus.values), statuses
    levels = Counter(Problem.objects.values_list("level", flat=True))
    assert levels["city"] and levels["province"], levels
    assert Problem.objects.overdue().exists()
    assert Problem.objects.filter(project__isnull=True, source="complaint").exists()
    assert ProblemEvent.objects.filter(kind="sent_back").exists()
    now = timezone.now()
    # Every workflow step is dated when it happened (not when the demo ran), in order.
    for problem in Problem.objects.prefetch_related("events"):
        stamps = [event.at for event in sorted(problem.events.all(), key=lambda e: e.pk)]
        assert stamps == sorted(stamps), problem.pk
        assert stamps[0].date() <= problem.found_on + timezone.timedelta(days=1)
    assert not ProblemEvent.objects.filter(at__gt=now).exists()
    closed = Problem.objects.filter(status="closed")
    assert all(p.resolution_days == (p.closed_on - p.found_on).days for p in closed)


def test_dispatch_demo_meetings_visits_and_a_tour(monkeypatch):
    from tiaodu.demo import dispatch_demo
    from tiaodu.dispatch.models import InspectionTour, Meeting, MeetingTask, SiteVisit, TourScore, VisitFinding
    from tiaodu.testing import OfficialFactory

    loader = _small_city()
    for index in range(3):
        OfficialFactory(name=f"市领导{index}", region=region(C.CITY_CODE))
    for index in range(8):
        ProjectFactory(name=f"在建项目{index}", region=region(C.HUGUAN), stage=Stage.CONSTRUCTION)
    leader = UserFactory(username="leader", grants=[(Role.LEADER, region(C.CITY_CODE))])
    loader.users["leader"] = leader
    monkeypatch.setattr(dispatch_demo, "VISITS", 10)
    dispatch_demo.load_dispatch(None, loader, lambda message: None)
    meetings = Meeting.objects.order_by("date")
    assert meetings.count() == 14 and meetings.last().date > timezone.localdate()
    assert meetings.filter(status="held").count() == 13
    assert MeetingTask.objects.exists() and meetings.first().items.exclude(decisions="").exists()
    assert SiteVisit.objects.count() == 10 and VisitFinding.objects.exists()
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert {"assigned", "answered", "closed"} <= statuses
    tour = InspectionTour.objects.get()
    assert TourScore.objects.filter(criterion__tour=tour).count() == 3 * tour.projects.count() * 4
    assert not ProblemEvent.objects.filter(at__gt=timezone.now()).exists()
