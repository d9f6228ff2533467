"""Shared fixtures: two counties of 长治市 with their people and projects, to test scope both ways."""

from decimal import Decimal

import pytest
from django.test import Client

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Stage
from tiaodu.reports import services as report_services
from tiaodu.testing import (
    PASSWORD,
    OfficialFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
    admin_of,
    region,
    system_user,
)


@pytest.fixture(autouse=True)
def _today_when_the_test_runs(request, monkeypatch):
    """A test module's ``TODAY`` is the day its test runs, not the day the module was collected.

    Modules write ``TODAY = local_today()`` and build dates from it, in tests and their helpers. A
    run crossing midnight in Asia/Shanghai (16:00 UTC) would otherwise compare the services' new
    today with the tests' old one: a "future" date is no longer in the future, overdue counts are
    off by one. Anything derived from ``TODAY`` is to be computed inside the test, not beside it.
    """
    if request.module is not None and hasattr(request.module, "TODAY"):
        monkeypatch.setattr(request.module, "TODAY", local_today())


@pytest.fixture
def world(db):
    """长治市 with 壶关县 (A) and 长子县 (B): admins, a leader, an owner, a department, projects and lists.

    Everything a test of scope needs: for each kind of object, one in A and one in B.
    """
    city, county_a, county_b = region("140400"), region("140427"), region("140428")
    w = type("World", (), {})()
    w.city, w.county_a, w.county_b = city, county_a, county_b
    w.city_admin = admin_of(city, username="city_admin")
    w.admin_a = admin_of(county_a, username="admin_a")
    w.admin_b = admin_of(county_b, username="admin_b")
    w.department_org = OrganisationFactory(name="长治市自然资源局", region=city, kind=OrganisationKind.DEPARTMENT)
    w.department = UserFactory(username="dept", grants=[(Role.DEPARTMENT, w.department_org)])
    w.leader = UserFactory(username="leader", grants=[(Role.LEADER, city)])
    w.owner_org_a = OrganisationFactory(name="壶关测试新材料有限公司", region=county_a)
    w.owner_a = UserFactory(username="owner_a", grants=[(Role.OWNER, w.owner_org_a)])
    w.org_b = OrganisationFactory(name="长子县测试能源有限公司", region=county_b)
    w.official_b = OfficialFactory(
        name="乙县长",
        title="县长",
        region=county_b,
        organisation=OrganisationFactory(name="长子县人民政府", region=county_b, kind=OrganisationKind.GOVERNMENT),
    )
    w.project_a = ProjectFactory(name="壶关县甲项目", region=county_a, owner=w.owner_org_a, stage=Stage.PRELIMINARY)
    w.project_a2 = ProjectFactory(name="壶关县另一项目", region=county_a, stage=Stage.CONSTRUCTION)
    w.project_b = ProjectFactory(
        name="长子县乙项目", region=county_b, owner=w.org_b, stage=Stage.CONSTRUCTION, leader=w.official_b
    )
    actor = system_user()
    w.city_list = project_services.key_list_create(actor=actor, region=city, year=2025, level=KeyLevel.CITY)
    w.entry_a = project_services.key_list_add_project(
        key_list=w.city_list, project=w.project_a, actor=actor, annual_plan=Decimal("3000")
    )
    w.entry_b = project_services.key_list_add_project(
        key_list=w.city_list, project=w.project_b, actor=actor, annual_plan=Decimal("5000")
    )
    w.list_b = project_services.key_list_create(actor=actor, region=county_b, year=2025, level=KeyLevel.COUNTY)
    project_services.key_list_add_project(
        key_list=w.list_b, project=w.project_b, actor=actor, annual_plan=Decimal("5000")
    )
    project_services.key_list_publish(key_list=w.city_list, actor=actor)
    project_services.key_list_publish(key_list=w.list_b, actor=actor)
    # A month of reports in both counties, the city's lock of it, and a later submitted report of B.
    w.report_a = report_services.report_save(
        actor=actor, project=w.project_a2, period="2025-05", investment_month=Decimal("700")
    )
    report_services.report_submit(report=w.report_a, actor=actor)
    w.report_b = report_services.report_save(
        actor=actor, project=w.project_b, period="2025-05", investment_month=Decimal("900")
    )
    report_services.report_submit(report=w.report_b, actor=actor)
    w.lock = report_services.month_lock(actor=actor, region=city, period="2025-05")
    w.report_b_june = report_services.report_save(
        actor=actor, project=w.project_b, period="2025-06", investment_month=Decimal("300")
    )
    report_services.report_submit(report=w.report_b_june, actor=actor)
    return w


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def client_as():
    return client_for


@pytest.fixture
def problem_world(world):
    """``world`` with problems in both counties, county departments and a notice (tiaodu.problems.testing)."""
    from tiaodu.problems.testing import add_problems

    return add_problems(world)


@pytest.fixture
def dispatch_world(problem_world):
    """``problem_world`` with a dispatch meeting of county B (tiaodu.dispatch.testing)."""
    from tiaodu.dispatch.testing import add_meetings

    return add_meetings(problem_world)
