"""Importing a department's sheet of actuals: all rows or none, every problem by row and column."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tiaodu.assessment.imports import import_actuals
from tiaodu.assessment.models import Actual
from tiaodu.conftest import client_for


def sheet(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["2025年1–7月考核实绩"])
    ws.write_row(1, 0, ["考核指标", "所在县区", "实绩值", "备注"])
    for number, row in enumerate(rows, start=2):
        ws.write_row(number, 0, row)
    book.close()
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_good_sheet_is_imported_and_submitted(assessment_world):
    w = assessment_world
    content = sheet([["工业投资增速", "壶关县", 9.5, ""], ["规上工业企业数", "长子县", 57, "新增2家"]])
    checked = import_actuals(
        actor=w.stats, content=content, filename="a.xlsx", year=2025, month=7, region=w.city, dry_run=True
    )
    assert checked.ok and not checked.written and not Actual.objects.filter(month=7).exists()
    result = import_actuals(actor=w.stats, content=content, filename="a.xlsx", year=2025, month=7, region=w.city)
    assert result.ok and result.written and result.counts["create"] == 2
    actuals = Actual.objects.filter(month=7)
    assert {a.status for a in actuals} == {"submitted"}
    assert actuals.get(region=w.county_b).note == "新增2家"


@pytest.mark.django_db
def test_a_bad_sheet_writes_nothing_and_says_every_problem(assessment_world):
    w = assessment_world
    content = sheet(
        [
            ["工业投资增速", "壶关县", 9.5, ""],
            ["开工率", "壶关县", 80, ""],
            ["规上工业企业数", "长子县", -4, ""],
            ["规上工业企业数", "不存在县", 4, ""],
            ["税收", "壶关县", 4, ""],
            ["工业投资增速", "长子县", "很多", ""],
        ]
    )
    result = import_actuals(actor=w.stats, content=content, filename="a.xlsx", year=2025, month=7, region=w.city)
    text = "\n".join(str(p) for p in result.problems)
    assert not result.ok and not result.written
    assert not Actual.objects.filter(month=7).exists()
    assert "第4行" in text and "不能填报实绩" in text
    assert "第5行" in text and "超出合理范围" in text
    assert "第6行「所在县区」" in text
    assert "第7行「考核指标」" in text
    assert "第8行「实绩值」" in text


@pytest.mark.django_db
def test_import_page_and_api(assessment_world):
    w = assessment_world
    stats = client_for(w.stats)
    page = stats.get(reverse("assessment:actual_import")).content.decode()
    assert reverse("ledgers:import_actuals") in page and "?kind=actuals" in page
    # The page's form goes through the ledger pages: upload, preview every row, confirm.
    bad = SimpleUploadedFile("a.xlsx", sheet([["开工率", "壶关县", 80, ""]]))
    response = stats.post(
        reverse("ledgers:import_actuals"), {"file": bad, "year": 2025, "month": 7, "region": w.city.pk}
    )
    assert response.status_code == 302
    preview = stats.get(response["Location"]).content.decode()
    assert "不能填报实绩" in preview and 'data-testid="confirm"' not in preview
    good = SimpleUploadedFile("a.xlsx", sheet([["工业投资增速", "壶关县", 9.5, ""]]))
    response = stats.post(
        reverse("ledgers:import_actuals"), {"file": good, "year": 2025, "month": 5, "region": w.city.pk}
    )
    preview = stats.get(response["Location"]).content.decode()
    assert 'data-testid="confirm"' in preview and "2025年1–5月" in preview
    assert not Actual.objects.filter(month=5).exists()
    stats.post(response["Location"] + "confirm/")
    assert Actual.objects.get(month=5).status == "submitted"
    good = SimpleUploadedFile("a.xlsx", sheet([["工业投资增速", "壶关县", 9.5, ""]]))
    response = stats.post("/api/assessment-actuals/import/", {"file": good, "year": 2025, "month": 7})
    assert response.status_code == 200 and response.json()["counts"]["create"] == 1
    assert Actual.objects.get(month=7).status == "submitted"
    # Another county's administrator cannot enter a county's actuals this way either.
    other = client_for(w.admin_a)
    again = SimpleUploadedFile("a.xlsx", sheet([["工业投资增速", "长子县", 3, ""]]))
    response = other.post("/api/assessment-actuals/import/", {"file": again, "year": 2025, "month": 8})
    assert response.status_code == 400 and not Actual.objects.filter(month=8).exists()
