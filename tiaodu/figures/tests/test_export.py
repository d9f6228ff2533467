"""The figures page as an .xlsx ledger: each county's parts and rates as ``ranking`` has them, the 合计 row
the region's own ``figures()`` (not a sum of rates), and nothing outside the user's scope."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.figures.selectors import RATES, FigureQuery, figures, ranking

from .test_series import JULY, figure_city_fixture  # noqa: F401  (the fixture figure_city)

pytestmark = pytest.mark.django_db
FIGURES = reverse("figures:figures")


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_number(value):
    return None if value is None else Decimal(str(value))


def test_export_matches_ranking_and_figures(figure_city):
    w = figure_city
    client = client_for(w.city_admin)
    page = client.get(FIGURES, {"period": "2025-07", "region": w.city.code})
    assert "export=xlsx" in page.context["export_url"]
    rows = sheet_rows(client.get(page.context["export_url"]))
    assert rows[0][0] == "长治市2025年7月重点项目调度指标（截至7月底）"
    assert rows[1][0] == "单位：个、万元、%"
    assert rows[2][2] == "开工率" and rows[3][2] == "计划新开工项目数"  # the group over its parts
    query = FigureQuery(period=JULY, region=w.city)
    data = {row[1]: row for row in rows[4:] if row[0] not in (None, "合计")}
    total = next(row for row in rows if row[0] == "合计")
    whole = figures(w.city_admin, query, with_previous_year=False)
    for offset, key in enumerate(RATES):
        column = 2 + offset * 3
        for item in ranking(w.city_admin, query, key):
            line = data[item.region.name]
            assert as_number(line[column]) == Decimal(item.value.denominator)
            assert as_number(line[column + 1]) == Decimal(item.value.numerator)
            assert as_number(line[column + 2]) == item.value.rate
        value = whole.rates[key]
        assert as_number(total[column]) == Decimal(value.denominator)
        assert as_number(total[column + 1]) == Decimal(value.numerator)
        assert as_number(total[column + 2]) == value.rate
    assert {"壶关县", "长子县"} <= set(data)


def test_a_county_exports_only_its_own(figure_city):
    w = figure_city
    rows = sheet_rows(client_for(w.admin_a).get(FIGURES, {"period": "2025-07", "export": "xlsx"}))
    names = {row[1] for row in rows[4:] if row[0] not in (None, "合计")}
    assert names == {"壶关县"}


def test_a_bad_question_is_a_message_not_a_file(figure_city):
    response = client_for(figure_city.city_admin).get(FIGURES, {"period": "2025-13", "export": "xlsx"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
