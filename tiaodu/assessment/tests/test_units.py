"""Schemes of departments, whole-year actuals, and a source registered by another app."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiaodu.assessment import services, sources
from tiaodu.assessment.choices import IndicatorKind, UnitKind
from tiaodu.assessment.selectors import compute_result


@pytest.mark.django_db
def test_a_scheme_of_departments(assessment_world):
    from tiaodu.problems.testing import add_problems

    w = add_problems(assessment_world)
    resolution = services.indicator_save(
        actor=w.city_admin,
        region=w.city,
        name="问题办结率",
        unit="%",
        kind=IndicatorKind.COMPUTED,
        source="problem_resolution_rate",
    )
    # 开工率 has no figure per department: refused for a scheme of departments, said why.
    with pytest.raises(ValidationError) as error:
        services.scheme_save(
            actor=w.city_admin,
            region=w.city,
            year=2025,
            name="部门考核",
            unit_kind=UnitKind.DEPARTMENT,
            units=[w.department_org],
            items=[{"indicator": w.start_rate, "weight": "100"}],
        )
    assert "不能用于考核部门" in " ".join(error.value.messages)
    # A county is not a department.
    with pytest.raises(ValidationError):
        services.scheme_save(
            actor=w.city_admin,
            region=w.city,
            year=2025,
            name="部门考核",
            unit_kind=UnitKind.DEPARTMENT,
            units=[w.county_a],
            items=[{"indicator": resolution, "weight": "100"}],
        )
    scheme = services.scheme_save(
        actor=w.city_admin,
        region=w.city,
        year=2025,
        name="部门考核",
        unit_kind=UnitKind.DEPARTMENT,
        units=[w.department_org, w.dept_b_org],
        items=[{"indicator": resolution, "weight": "60"}, {"indicator": w.growth, "weight": "40"}],
    )
    actual = services.actual_save(
        actor=w.stats, indicator=w.growth, department=w.dept_b_org, year=2025, month=6, value="7"
    )
    assert actual.region == w.county_b and actual.department == w.dept_b_org
    services.actual_accept(actor=w.city_admin, actual=services.actual_submit(actor=w.stats, actual=actual))
    data = compute_result(scheme, 6).as_json()
    rows = {row["label"]: row for row in data["rows"]}
    b = rows[w.dept_b_org.name]
    assert b["cells"][0]["value"] == "0" and "group=department" in b["cells"][0]["link"]
    assert b["cells"][1]["value"] == "7"
    assert sorted(row["rank"] for row in data["rows"]) == [1, 2]


@pytest.mark.django_db
def test_december_reads_the_whole_year_actual(assessment_world):
    w = assessment_world
    for month, value in ((12, "5"), (0, "11")):
        a = services.actual_save(
            actor=w.stats, indicator=w.growth, region=w.county_a, year=2025, month=month, value=value
        )
        services.actual_accept(actor=w.city_admin, actual=services.actual_submit(actor=w.stats, actual=a))
    row = next(r for r in compute_result(w.scheme, 12).as_json()["rows"] if r["code"] == w.county_a.code)
    assert row["cells"][2]["value"] == "11"


@pytest.mark.django_db
def test_a_source_registered_with_one_function(assessment_world):
    w = assessment_world

    def signed(unit, year, through_month):
        return Decimal(len(unit.name) * 100), f"/signed/{unit.code}/{year}-{through_month}/"

    sources.register("test_signed", "签约金额", "万元", signed)
    try:
        signed_amount = services.indicator_save(
            actor=w.city_admin,
            region=w.city,
            name="签约金额",
            unit="万元",
            kind=IndicatorKind.COMPUTED,
            source="test_signed",
        )
        scheme = services.scheme_save(
            actor=w.city_admin,
            region=w.city,
            year=2025,
            name="招商考核",
            units=[w.county_a],
            items=[{"indicator": signed_amount, "weight": "100"}],
        )
        services.targets_set(
            actor=w.city_admin, scheme=scheme, values={(scheme.items.get(), scheme.units.get()): "600"}
        )
        cell = compute_result(scheme, 6).as_json()["rows"][0]["cells"][0]
        assert cell["value"] == "300" and cell["link"] == f"/signed/{w.county_a.code}/2025-6/"
        assert cell["points"] == "50.00"
    finally:
        del sources.SOURCES["test_signed"]


@pytest.mark.django_db
def test_adjustments_count_from_their_date(assessment_world):
    w = assessment_world
    services.adjustment_add(
        actor=w.city_admin,
        scheme=w.scheme,
        unit=w.unit_a,
        kind="deduction",
        points="4",
        reason="十月通报",
        on=datetime.date(2025, 10, 8),
    )

    def row(month):
        rows = compute_result(w.scheme, month).as_json()["rows"]
        return next(r for r in rows if r["code"] == w.county_a.code)

    assert row(6)["deduction"] == "0.00" and row(10)["deduction"] == "4.00"
