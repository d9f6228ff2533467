"""Exports in the exchange layout: they look like the ledgers users send, and they import back unchanged."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from tiaodu.ledgers.columns import PROJECT_COLUMNS, REPORT_COLUMNS
from tiaodu.ledgers.exports import annotated_xlsx, export_project_list, export_reports, template_xlsx
from tiaodu.ledgers.importers import import_projects, import_reports
from tiaodu.ledgers.reading import read_ledger
from tiaodu.projects.choices import KeyLevel

from . import builders


def _sheet(content, index=0):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[index]


@pytest.mark.django_db
def test_project_list_layout_and_round_trip(world):
    title, content = export_project_list(world.city_admin, year=2025, level=KeyLevel.CITY, region=world.city)
    assert title == "长治市2025年市级重点项目表"
    sheet = _sheet(content)
    assert sheet["A1"].value == title and "A1:O1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "单位：万元"
    assert sheet["A3"].value == "序号" and sheet["J3"].value == "投资情况"
    assert sheet["J4"].value == "总投资" and sheet["K4"].value == "2025年计划投资"
    assert sheet.freeze_panes == "A5"
    assert sheet.page_setup.orientation == "landscape"
    names = [sheet.cell(row=r, column=3).value for r in (5, 6)]
    assert names == [world.project_a.name, world.project_b.name]
    assert sheet["J5"].value == 10000 and sheet["J5"].number_format == "#,##0.00"
    assert sheet["A7"].value == "合计" and sheet["K7"].value == "=SUM(K5:K6)"
    # Empty cells are not written; one conditional format draws the borders of the data rows.
    rules = {str(rng.sqref): rule for rng in sheet.conditional_formatting for rule in rng.rules}
    assert list(rules) == ["A5:O6"] and rules["A5:O6"].dxf.border.left.style == "thin"
    # What a county administrator exports holds only its county.
    _title, own = export_project_list(world.admin_a, year=2025, level=KeyLevel.CITY, region=world.county_a)
    text = " ".join(str(c.value) for row in _sheet(own).iter_rows() for c in row if c.value)
    assert world.project_a.name in text and world.project_b.name not in text
    # Round trip: the export imports back with nothing to change.
    result = import_projects(
        actor=world.city_admin, content=content, filename="x.xlsx", year=2025, level=KeyLevel.CITY, dry_run=True
    )
    assert result.ok, result.problems.lines()
    assert result.counts == {"create": 0, "update": 0, "unchanged": 2}


@pytest.mark.django_db
def test_report_ledger_layout_and_round_trip(world):
    period = datetime.date(2025, 6, 1)
    title, content = export_reports(world.city_admin, period=period, region=world.city)
    assert title == "长治市2025年重点项目6月份调度情况表（截至6月底）"
    sheet = _sheet(content)
    headers = [c.value for c in sheet[4]]
    assert "本月完成投资" in headers and "1-6月累计完成投资" in headers
    assert sheet["G3"].value == "完成投资"
    ledger = read_ledger(content, "x.xlsx", REPORT_COLUMNS)
    assert {"investment_month", "ytd", "since_start"} <= set(ledger.columns)
    assert [r.values["name"] for r in ledger.rows] == [world.project_b.name]
    result = import_reports(actor=world.city_admin, content=content, filename="x.xlsx", period=period, dry_run=True)
    assert result.ok, result.problems.lines()
    assert result.counts == {"create": 0, "update": 0, "unchanged": 1}


@pytest.mark.django_db
def test_templates_have_drop_downs_and_read_back(world):
    content = template_xlsx("projects", region=world.city, year=2025, period=datetime.date(2025, 7, 1))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 4
    options = workbook.worksheets[1]
    assert options.sheet_state == "hidden"
    assert "壶关县" in [c.value for c in options["A"]]
    assert sheet["A5"].value == "示例"
    ledger = read_ledger(content, "t.xlsx", PROJECT_COLUMNS)
    assert ledger.rows == []  # the example row is skipped
    assert {"name", "owner", "total_investment", "annual_plan", "region", "sector", "nature"} <= set(ledger.columns)
    content = template_xlsx("reports", region=world.county_a, year=2025, period=datetime.date(2025, 7, 1))
    ledger = read_ledger(content, "t.xlsx", REPORT_COLUMNS)
    assert {"investment_month", "ytd", "since_start", "progress_pct"} <= set(ledger.columns)


@pytest.mark.django_db
def test_annotated_error_file_marks_the_bad_cells(world):
    rows = [
        ["项目名称", "建设单位", "行业类别", "建设性质", "总投资", "年度计划投资"],
        ["好项目", "某公司", "能源", "新建", 100, 10],
        ["坏项目", "某公司", "能源", "新建", "很多", 10],
    ]
    result = import_projects(
        actor=world.admin_a, content=builders.xlsx(rows), filename="a.xlsx", year=2025, level=KeyLevel.COUNTY
    )
    assert not result.ok
    workbook = openpyxl.load_workbook(io.BytesIO(annotated_xlsx(result.ledger, result.problems)))
    sheet = workbook.worksheets[0]
    bad = sheet["E3"]
    assert bad.value == "很多" and bad.comment is not None and "应为数字" in bad.comment.text
    assert bad.fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["E2"].comment is None
    assert "第3行" in sheet["G3"].value
    assert workbook.worksheets[1]["A2"].value == '第3行「总投资」"很多"：应为数字'


def test_money_stays_exact_through_an_export():
    """A total written as a float by XlsxWriter reads back as the same Decimal."""
    amount = Decimal("12345678.91")
    rows = [["项目名称", "建设单位", "总投资", "年度计划投资"], ["甲", "某", float(amount), 0.1]]
    ledger = read_ledger(builders.xlsx(rows), "a.xlsx", PROJECT_COLUMNS)
    from tiaodu.ledgers.values import to_money

    assert to_money(ledger.rows[0].values["total_investment"]) == amount


@pytest.mark.django_db
def test_every_list_export_prints_like_a_ledger(world):
    """core.exports.table_to_xlsx (the lists' ?export=xlsx) gets the same print setup, layout unchanged."""
    from django.urls import reverse

    from tiaodu.conftest import client_for

    response = client_for(world.admin_a).get(reverse("projects:project_list"), {"export": "xlsx"})
    sheet = _sheet(response.content)
    assert sheet["B2"].value == "项目代码"  # the layout others rely on
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$2:$2"


@pytest.mark.django_db
def test_the_attraction_chain_and_assessment_templates_read_back_whole(world):
    from tiaodu.assessment.imports import ACTUAL_COLUMNS
    from tiaodu.attraction.imports import LEAD_COLUMNS
    from tiaodu.chains.imports import ENTERPRISE_COLUMNS
    from tiaodu.chains.testing import add_chains

    add_chains(world)
    period = datetime.date(2025, 7, 1)
    for kind, columns, listed in [
        ("leads", LEAD_COLUMNS, "壶关新材料产业链"),
        ("enterprises", ENTERPRISE_COLUMNS, "加工"),
        ("actuals", ACTUAL_COLUMNS, "壶关县"),
    ]:
        content = template_xlsx(kind, region=world.county_a, year=2025, period=period)
        ledger = read_ledger(content, "t.xlsx", columns)
        assert ledger.rows == [], kind  # only the example row, which is skipped
        assert set(ledger.columns) == {c.key for c in columns}, kind  # every column the import reads
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        assert workbook.worksheets[0].data_validations.dataValidation, kind
        assert listed in [c.value for column in workbook.worksheets[1].iter_cols() for c in column], kind
