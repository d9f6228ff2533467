"""The monthly loop through the services: fill → submit → return → resubmit → accept → lock → correct."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiaodu.accounts.choices import Role
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Nature, Stage
from tiaodu.reports import services
from tiaodu.reports.choices import ReportEventKind, ReportStatus
from tiaodu.reports.models import MonthlyReport
from tiaodu.testing import OrganisationFactory, ProjectFactory, UserFactory, admin_of, region

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people():
    owner_org = OrganisationFactory(region=region("140427"), name="壶关某能源公司")
    return {
        "owner": UserFactory(username="owner", grants=[(Role.OWNER, owner_org)]),
        "county": admin_of(region("140427"), username="county"),
        "city": admin_of(region("140400"), username="city"),
        "org": owner_org,
    }


@pytest.fixture
def project(people):
    return ProjectFactory(
        owner=people["org"],
        stage=Stage.CONSTRUCTION,
        actual_start_date=D(2025, 3, 10),
        total_investment=Decimal("10000"),
    )


def test_the_whole_loop(people, project):
    owner, county, city = people["owner"], people["county"], people["city"]
    march = services.report_save(
        actor=owner,
        project=project,
        period="2025-03",
        investment_month=Decimal("800"),
        progress_text="土方开挖",
        progress_pct=Decimal("5"),
        milestones=["started"],
    )
    assert march.status == ReportStatus.DRAFT and march.ytd == 800 and march.since_start == 800
    services.report_submit(report=march, actor=owner)
    with pytest.raises(ValidationError):
        services.report_save(actor=owner, project=project, period="2025-03", investment_month=Decimal("900"))
    with pytest.raises(ValidationError):
        services.report_return(report=march, actor=county, reason="  ")
    services.report_return(report=march, actor=county, reason="投资数与统计数据不符")
    march.refresh_from_db()
    assert march.status == ReportStatus.RETURNED and march.return_reason == "投资数与统计数据不符"
    services.report_save(
        actor=owner,
        project=project,
        period="2025-03",
        investment_month=Decimal("750"),
        progress_text="土方开挖完成",
        milestones="started",
    )
    services.report_submit(report=march, actor=owner)
    services.report_accept(report=march, actor=county)
    april = services.report_save(actor=owner, project=project, period="2025-04", investment_month=Decimal("1200.5"))
    assert (april.ytd, april.since_start) == (Decimal("1950.50"), Decimal("1950.50"))
    services.report_submit(report=april, actor=owner)
    services.report_accept(report=april, actor=county)

    with pytest.raises(ValidationError):  # a county cannot lock the city's month
        services.month_lock(actor=county, region=region("140400"), period="2025-03")
    services.month_lock(actor=city, region=region("140400"), period="2025-03")
    with pytest.raises(ValidationError):
        services.report_save(actor=owner, project=project, period="2025-03", investment_month=Decimal("1"))
    with pytest.raises(ValidationError):
        services.report_correct(report=march, actor=county, reason="", investment_month=Decimal("700"))
    corrected = services.report_correct(
        report=march, actor=county, reason="统计局核定数", investment_month=Decimal("700")
    )
    assert corrected.is_correction and corrected.correction_reason == "统计局核定数" and corrected.ytd == 700
    april.refresh_from_db()
    assert april.ytd == Decimal("1900.50")  # later months follow the correction
    kinds = list(march.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        ReportEventKind.SAVED,
        ReportEventKind.SUBMITTED,
        ReportEventKind.RETURNED,
        ReportEventKind.SAVED,
        ReportEventKind.SUBMITTED,
        ReportEventKind.ACCEPTED,
        ReportEventKind.CORRECTED,
    ]
    assert march.history.count() >= 6


def test_owner_cannot_review_and_strangers_cannot_report(people, project):
    report = services.report_save(
        actor=people["owner"], project=project, period="2025-05", investment_month=Decimal("1")
    )
    services.report_submit(report=report, actor=people["owner"])
    with pytest.raises(ValidationError):
        services.report_accept(report=report, actor=people["owner"])
    other_county = admin_of(region("140428"))
    with pytest.raises(ValidationError):
        services.report_accept(report=report, actor=other_county)
    other_owner = UserFactory(grants=[(Role.OWNER, OrganisationFactory(region=region("140427")))])
    with pytest.raises(ValidationError):
        services.report_save(actor=other_owner, project=project, period="2025-06", investment_month=Decimal("1"))
    assert not MonthlyReport.objects.filter(period=D(2025, 6, 1)).exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"period": "2025-13"}, "period"),
        ({"period": "2099-01"}, "period"),
        ({"period": "2025-02", "investment_month": Decimal("5")}, "investment_month"),  # not started yet in February
        ({"period": "2025-04", "investment_month": Decimal("-5")}, "investment_month"),
        ({"period": "2025-04", "investment_month": Decimal("10001")}, "investment_month"),  # over the total
        ({"period": "2025-04", "milestones": ["flying"]}, "milestones"),
    ],
)
def test_bad_reports_write_nothing(people, project, kwargs, field):
    kwargs.setdefault("investment_month", Decimal("1"))
    before = MonthlyReport.objects.count(), MonthlyReport.history.count()
    with pytest.raises(ValidationError) as excinfo:
        services.report_save(actor=people["owner"], project=project, **kwargs)
    assert field in excinfo.value.error_dict
    assert (MonthlyReport.objects.count(), MonthlyReport.history.count()) == before


def test_opening_balance_makes_the_first_month_right(people, project):
    services.opening_balance_set(
        actor=people["county"], project=project, period="2025-06", ytd=Decimal("3000"), since_start=Decimal("4500")
    )
    july = services.report_save(
        actor=people["owner"], project=project, period="2025-07", investment_month=Decimal("500")
    )
    assert (july.ytd, july.since_start) == (Decimal("3500"), Decimal("5000"))
    january = services.report_save(
        actor=people["owner"], project=project, period="2026-01", investment_month=Decimal("100")
    )
    assert (january.ytd, january.since_start) == (Decimal("100"), Decimal("5100"))


def test_month_lock_keeps_the_figure_base(people, project):
    from tiaodu.figures.models import FigureSnapshotRow

    key_list = project_services.key_list_create(
        actor=people["city"], region=region("140400"), year=2025, level=KeyLevel.CITY
    )
    project_services.key_list_add_project(
        key_list=key_list, project=project, actor=people["city"], annual_plan=Decimal("4000"), nature=Nature.NEW
    )
    project_services.key_list_publish(key_list=key_list, actor=people["city"])
    report = services.report_save(
        actor=people["owner"], project=project, period="2025-04", investment_month=Decimal("1000")
    )
    services.report_submit(report=report, actor=people["owner"])
    lock = services.month_lock(actor=people["city"], region=region("140400"), period="2025-04")
    row = FigureSnapshotRow.objects.get(lock=lock)
    assert (row.ytd, row.annual_plan, row.started, row.reported, row.nature) == (
        Decimal("1000"),
        Decimal("4000"),
        True,
        True,
        Nature.NEW,
    )
