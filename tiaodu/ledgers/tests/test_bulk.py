"""The bulk path: what it writes equals what the services would, the figure rows equal their definition."""

import datetime
from decimal import Decimal

import pytest

from tiaodu.figures.models import FigureRow
from tiaodu.figures.rollup import rollup_differences
from tiaodu.ledgers.importers import import_projects, import_reports
from tiaodu.projects.choices import KeyLevel, Stage
from tiaodu.projects.models import KeyList, KeyListEntry, Project, StageTransition
from tiaodu.projects.services import key_list_add_project
from tiaodu.reports.choices import ReportEventKind, ReportStatus
from tiaodu.reports.models import MonthlyReport, OpeningBalance, ReportEvent
from tiaodu.reports.services import report_return
from tiaodu.testing import ProjectFactory

from . import builders

JULY = datetime.date(2025, 7, 1)
PROJECT_HEADER = [
    "序号",
    "项目代码",
    "项目名称",
    "所在县区",
    "建设单位",
    "行业类别",
    "建设性质",
    "总投资",
    "年度计划投资",
]
REPORT_HEADER = [
    "序号",
    "项目代码",
    "项目名称",
    "本月完成投资",
    "1-7月累计完成投资",
    "开工以来累计完成投资",
    "形象进度",
]


def _months(year):
    return [datetime.date(year, month, 1) for month in range(1, 13)]


@pytest.mark.django_db
def test_a_bulk_list_import_leaves_the_figures_equal_to_their_definition(world):
    """The city's published list: a listed project's plan changes, a new project joins; the rollup check agrees."""
    rows = [
        [1, world.project_a.code, world.project_a.name, "壶关县", world.project_a.owner.name, "产业/工业", "新建",
         world.project_a.total_investment, 4200],
        [2, None, "壶关县批量新项目", "壶关县", "壶关批量有限公司", "产业/工业", "新建", 9000, 2500],
    ]  # fmt: skip
    content = builders.xlsx([["2025年市级重点项目"], PROJECT_HEADER, *rows])
    result = import_projects(actor=world.city_admin, content=content, filename="p.xlsx", year=2025, level=KeyLevel.CITY)
    assert result.ok and result.written, result.problems.lines()
    assert result.counts == {"create": 1, "update": 1, "unchanged": 0}
    new = Project.objects.get(name="壶关县批量新项目")
    assert new.owner.name == "壶关批量有限公司" and new.stage == Stage.PLANNING
    record = new.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        world.city_admin,
        "台账导入",
    )
    assert new.owner.history.get().history_user == world.city_admin
    assert StageTransition.objects.filter(project=new, to_state=Stage.PLANNING).count() == 1
    city_list = KeyList.objects.get(region=world.city, year=2025, level=KeyLevel.CITY)
    entry = KeyListEntry.objects.get(key_list=city_list, project=world.project_a)
    assert entry.annual_plan == 4200
    assert entry.history.first().history_type == "~"
    assert FigureRow.objects.filter(entry=entry, annual_plan=4200).exists()
    for period in _months(2025):
        assert rollup_differences(period) == []


@pytest.mark.django_db
def test_a_bulk_report_import_leaves_the_figures_equal_to_their_definition(world):
    fresh = ProjectFactory(name="壶关县新接入项目", region=world.county_a, stage=Stage.CONSTRUCTION)
    city_list = KeyList.objects.get(region=world.city, year=2025, level=KeyLevel.CITY)
    key_list_add_project(key_list=city_list, project=fresh, actor=world.city_admin, annual_plan=Decimal(5000))
    content = builders.xlsx([["2025年7月"], REPORT_HEADER, [1, fresh.code, fresh.name, 100, 700, 2000, "主体施工"]])
    result = import_reports(actor=world.admin_a, content=content, filename="r.xlsx", period=JULY)
    assert result.ok and result.written, result.problems.lines()
    report = MonthlyReport.objects.get(project=fresh, period=JULY)
    assert (report.ytd, report.since_start, report.status) == (700, 2000, ReportStatus.SUBMITTED)
    assert report.submitted_by == world.admin_a and report.submitted_at is not None
    assert [e.kind for e in ReportEvent.objects.filter(report=report).order_by("pk")] == [
        ReportEventKind.SAVED,
        ReportEventKind.SUBMITTED,
    ]
    assert report.history.get().history_user == world.admin_a
    assert OpeningBalance.objects.get(project=fresh).history.get().history_type == "+"
    assert FigureRow.objects.filter(project=fresh, period=JULY, ytd=700).exists()
    for period in _months(2025):
        assert rollup_differences(period) == []

    # Returned by the city for a correction, then the corrected ledger is imported again.
    report_return(report=report, actor=world.city_admin, reason="请核实本月完成投资")
    changed = builders.xlsx([["2025年7月"], REPORT_HEADER, [1, fresh.code, fresh.name, 150, 750, 2050, "主体封顶"]])
    result = import_reports(actor=world.admin_a, content=changed, filename="r.xlsx", period=JULY)
    assert result.ok and result.counts == {"create": 0, "update": 1, "unchanged": 0}, result.problems.lines()
    report.refresh_from_db()
    assert (report.investment_month, report.ytd, report.progress_text) == (150, 750, "主体封顶")
    assert report.status == ReportStatus.SUBMITTED
    assert [h.history_type for h in report.history.order_by("history_id")] == ["+", "~", "~"]
    assert FigureRow.objects.filter(project=fresh, period=JULY, ytd=750).exists()
    for period in _months(2025):
        assert rollup_differences(period) == []
