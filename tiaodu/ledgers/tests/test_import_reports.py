"""Importing a month's reports: many projects at once, the opening balance (期初数) and the YTD check."""

import datetime
from decimal import Decimal

import pytest

from tiaodu.ledgers.importers import import_reports
from tiaodu.projects.choices import Stage
from tiaodu.reports.choices import ReportStatus
from tiaodu.reports.models import MonthlyReport, OpeningBalance
from tiaodu.testing import ProjectFactory

from . import builders

JULY = datetime.date(2025, 7, 1)
HEADER = [
    "序号",
    "项目代码",
    "项目名称",
    "本月完成投资",
    "1-7月累计完成投资",
    "开工以来累计完成投资",
    "形象进度",
    "形象进度（%）",
]


def ledger(*rows):
    return builders.xlsx([["壶关县2025年7月重点项目调度表"], ["单位：万元"], HEADER, *rows])


@pytest.fixture
def fresh(world):
    """A project of A started in 2024 that has never reported in Tiaodu (a county starting mid-year)."""
    return ProjectFactory(name="壶关县新接入项目", region=world.county_a, stage=Stage.CONSTRUCTION)


@pytest.mark.django_db
def test_mid_year_start_becomes_an_opening_balance(world, fresh):
    content = ledger([1, fresh.code, fresh.name, 100, 700, 2000, "主体施工", "45%"])
    preview = import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=JULY, dry_run=True)
    assert preview.ok, preview.problems.lines()
    assert preview.counts["create"] == 1
    assert not MonthlyReport.objects.filter(project=fresh).exists()
    assert not OpeningBalance.objects.filter(project=fresh).exists()

    result = import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=JULY)
    assert result.written
    opening = OpeningBalance.objects.get(project=fresh)
    assert (opening.period, opening.ytd, opening.since_start) == (datetime.date(2025, 6, 1), 600, 1900)
    report = MonthlyReport.objects.get(project=fresh, period=JULY)
    assert (report.investment_month, report.ytd, report.since_start) == (100, 700, 2000)
    assert report.progress_pct == Decimal("45.0") and report.status == ReportStatus.SUBMITTED
    assert report.history.first().history_user == world.admin_a

    again = import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=JULY)
    assert again.ok and again.counts == {"create": 0, "update": 0, "unchanged": 1}


@pytest.mark.django_db
def test_ytd_is_checked_against_the_months_in_tiaodu(world):
    """壶关县另一项目 reported 700 in May; July's 1-7月累计 must be 700 + July's figure."""
    project = world.project_a2
    wrong = ledger([1, project.code, project.name, 50, 800, None, "", None])
    result = import_reports(actor=world.admin_a, content=wrong, filename="a.xlsx", period=JULY)
    assert not result.ok
    assert result.problems.lines() == [
        '第4行「1-7月累计完成投资」"800"：与调度系统不一致：按已填报的月份（及期初数）计算应为750.00万元'
    ]
    assert not MonthlyReport.objects.filter(project=project, period=JULY).exists()
    right = ledger([1, project.code, project.name, 50, 750, None, "", None])
    result = import_reports(actor=world.admin_a, content=right, filename="a.xlsx", period=JULY)
    assert result.ok and result.written
    assert MonthlyReport.objects.get(project=project, period=JULY).ytd == 750


@pytest.mark.django_db
def test_many_projects_and_every_error(world, fresh):
    rows = [
        [1, fresh.code, fresh.name, 100, 700, 2000, "", None],
        [2, None, "不存在的项目", 10, None, None, "", None],
        [3, world.project_b.code, "别的县的项目", 10, None, None, "", None],
        [4, None, world.project_a.name, 10, None, None, "", None],  # 前期: not started, cannot invest
        [5, None, world.project_a2.name, "十", None, None, "", "150%"],
    ]
    result = import_reports(actor=world.admin_a, content=ledger(*rows), filename="a.xlsx", period=JULY)
    lines = result.problems.lines()
    assert any(line.startswith('第5行「项目名称」"不存在的项目"：找不到该项目') for line in lines)
    assert any(line.startswith(f'第6行「项目代码」"{world.project_b.code}"：找不到') for line in lines)
    assert any(line.startswith("第7行") and "尚未开工" in line for line in lines)
    assert '第8行「本月完成投资」"十"：应为数字' in lines
    assert '第8行「形象进度（%）」"150%"：百分比应在0到100之间' in lines
    assert not result.written
    assert not MonthlyReport.objects.filter(period=JULY).exists()
    assert not OpeningBalance.objects.exists()


@pytest.mark.django_db
def test_a_locked_month_is_refused(world):
    project = world.project_a2
    content = ledger([1, project.code, project.name, 999, None, None, "", None])
    result = import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=datetime.date(2025, 5, 1))
    assert not result.ok and "已锁定" in result.problems.lines()[0]
    assert MonthlyReport.objects.get(project=project, period=datetime.date(2025, 5, 1)).investment_month == 700


@pytest.mark.django_db
def test_an_owner_imports_its_own_projects_only(world):
    """A project owner's clerk may fill its own project's month, not another's."""
    project = world.project_a  # 前期, owned by owner_org_a
    content = ledger([1, project.code, project.name, 0, None, None, "办理用地手续", None])
    result = import_reports(actor=world.owner_a, content=content, filename="a.xlsx", period=JULY, region=world.county_a)
    assert result.ok, result.problems.lines()
    assert MonthlyReport.objects.get(project=project, period=JULY).progress_text == "办理用地手续"
    other = ledger([1, world.project_a2.code, world.project_a2.name, 0, None, None, "", None])
    result = import_reports(actor=world.owner_a, content=other, filename="a.xlsx", period=JULY, region=world.county_a)
    assert not result.ok


@pytest.mark.django_db
def test_a_returned_report_reimported_unchanged_is_resubmitted(world, fresh):
    """The county re-imports its ledger after a return without touching the row: the report goes back for review."""
    from tiaodu.reports.models import ReportEvent
    from tiaodu.reports.services import report_return

    content = ledger([1, fresh.code, fresh.name, 100, 700, 2000, "主体施工", "45%"])
    assert import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=JULY).written
    report = MonthlyReport.objects.get(project=fresh, period=JULY)
    report_return(report=report, actor=world.city_admin, reason="请补充形象进度照片")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    preview = import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=JULY, dry_run=True)
    assert preview.counts == {"create": 0, "update": 1, "unchanged": 0}
    assert "重新提交" in preview.outcomes[0].changes
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED  # a preview changes nothing

    result = import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=JULY)
    assert result.written and result.counts == {"create": 0, "update": 1, "unchanged": 0}
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.investment_month == 100
    assert ReportEvent.objects.filter(report=report).order_by("-pk").first().from_state == ReportStatus.RETURNED

    # Saved as drafts only (--no-submit): a returned report is left for the clerk to submit.
    report_return(report=report, actor=world.city_admin, reason="再次核实")
    kept = import_reports(actor=world.admin_a, content=content, filename="a.xlsx", period=JULY, submit=False)
    assert kept.counts == {"create": 0, "update": 0, "unchanged": 1}
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
