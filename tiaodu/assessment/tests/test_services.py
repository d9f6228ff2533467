"""The assessment's services: every bad input refused with a clear message and nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiaodu.assessment import services
from tiaodu.assessment.choices import ActualStatus, IndicatorKind, ScoringRule
from tiaodu.assessment.models import Actual, PublishedResult, Scheme
from tiaodu.assessment.selectors import compute_result
from tiaodu.figures.selectors import FigureQuery, figures
from tiaodu.problems.selectors import ProblemFigureQuery, figure_table


def _messages(error) -> str:
    return " ".join(error.value.messages)


@pytest.mark.django_db
def test_weights_must_add_up_to_100(assessment_world):
    w = assessment_world
    before = Scheme.objects.count()
    with pytest.raises(ValidationError) as error:
        services.scheme_save(
            actor=w.city_admin,
            region=w.city,
            year=2025,
            name="权重不对",
            units=[w.county_a],
            items=[{"indicator": w.start_rate, "weight": "60"}, {"indicator": w.growth, "weight": "30"}],
        )
    assert "权重之和应为100，当前为90" in _messages(error)
    assert Scheme.objects.count() == before


@pytest.mark.django_db
def test_actual_for_a_computed_indicator_is_refused(assessment_world):
    w = assessment_world
    before = Actual.objects.count()
    with pytest.raises(ValidationError) as error:
        services.actual_save(
            actor=w.city_admin, indicator=w.start_rate, region=w.county_a, year=2025, month=6, value=50
        )
    assert "由系统根据调度数据自动计算，不能填报实绩" in _messages(error)
    assert Actual.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("indicator", "value", "words"), [("firms", "-3", "不小于0"), ("growth", "900", "不大于500")])
def test_value_outside_the_plausible_range_is_refused(assessment_world, indicator, value, words):
    w = assessment_world
    before = Actual.objects.count()
    with pytest.raises(ValidationError) as error:
        services.actual_save(
            actor=w.stats, indicator=getattr(w, indicator), region=w.county_a, year=2025, month=7, value=value
        )
    assert "超出合理范围" in _messages(error) and words in _messages(error)
    assert Actual.objects.count() == before


@pytest.mark.django_db
def test_out_of_scope_units_are_refused(assessment_world):
    w = assessment_world
    from tiaodu.testing import region

    # A county administrator enters nothing for another county; a scheme takes no unit outside its region.
    with pytest.raises(ValidationError) as error:
        services.actual_save(actor=w.admin_a, indicator=w.growth, region=w.county_b, year=2025, month=7, value=3)
    assert "无权" in _messages(error) or "填报" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.scheme_save(
            actor=w.city_admin,
            region=w.city,
            year=2025,
            name="越界",
            units=[region("140105")],
            items=[{"indicator": w.growth, "weight": "100"}],
        )
    assert "不在长治市范围内" in _messages(error)
    with pytest.raises(ValidationError):
        services.scheme_save(
            actor=w.admin_a,
            region=w.city,
            year=2026,
            name="县里定市的方案",
            units=[w.county_a],
            items=[{"indicator": w.growth, "weight": "100"}],
        )
    assert not Scheme.objects.filter(name__in=["越界", "县里定市的方案"]).exists()


@pytest.mark.django_db
def test_only_the_responsible_department_fills(assessment_world):
    w = assessment_world
    with pytest.raises(ValidationError) as error:
        services.actual_save(actor=w.department, indicator=w.growth, region=w.county_a, year=2025, month=7, value=3)
    assert "长治市统计局填报" in _messages(error)


@pytest.mark.django_db
def test_indicator_rules(assessment_world):
    w = assessment_world
    with pytest.raises(ValidationError) as error:
        services.indicator_save(
            actor=w.city_admin, region=w.city, name="税收收入", unit="万元", kind=IndicatorKind.ENTERED
        )
    assert "责任单位" in _messages(error)
    with pytest.raises(ValidationError) as error:
        services.indicator_save(
            actor=w.city_admin, region=w.city, name="某率", unit="%", kind=IndicatorKind.COMPUTED, source="nope"
        )
    assert "计算口径" in _messages(error)
    with pytest.raises(ValidationError):
        services.indicator_save(
            actor=w.city_admin,
            region=w.city,
            name="上下颠倒",
            unit="个",
            kind=IndicatorKind.ENTERED,
            department=w.stats_org,
            min_value=Decimal(10),
            max_value=Decimal(1),
        )


@pytest.mark.django_db
def test_workflow_draft_submit_return_accept(assessment_world):
    w = assessment_world
    actual = services.actual_save(actor=w.stats, indicator=w.growth, region=w.county_a, year=2025, month=7, value="9")
    assert actual.status == ActualStatus.DRAFT
    with pytest.raises(ValidationError):
        services.actual_accept(actor=w.city_admin, actual=actual)  # not submitted yet
    actual = services.actual_submit(actor=w.stats, actual=actual)
    with pytest.raises(ValidationError):
        services.actual_save(actor=w.stats, indicator=w.growth, region=w.county_a, year=2025, month=7, value="8")
    with pytest.raises(ValidationError) as error:
        services.actual_return(actor=w.city_admin, actual=actual, reason=" ")
    assert "退回必须说明原因" in _messages(error)
    with pytest.raises(ValidationError):
        services.actual_accept(actor=w.stats, actual=actual)  # the department does not review itself
    actual = services.actual_return(actor=w.city_admin, actual=actual, reason="口径不对")
    actual = services.actual_save(actor=w.stats, indicator=w.growth, region=w.county_a, year=2025, month=7, value="8")
    services.actual_submit(actor=w.stats, actual=actual)
    actual = services.actual_accept(actor=w.city_admin, actual=actual)
    assert actual.status == ActualStatus.ACCEPTED and actual.value == Decimal(8)
    kinds = list(actual.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["saved", "submitted", "returned", "saved", "submitted", "accepted"]


@pytest.mark.django_db
def test_result_scores_and_ranks(assessment_world):
    w = assessment_world
    data = compute_result(w.scheme, 6).as_json()
    rows = {row["code"]: row for row in data["rows"]}
    a, b = rows[w.county_a.code], rows[w.county_b.code]
    growth_a = a["cells"][2]
    assert growth_a["value"] == "12" and growth_a["points"] == "30.00"  # 25 × min(1.2, 1.5)
    assert "25 × min(12 ÷ 10 = 1.2, 封顶 1.5) = 30" in growth_a["formula"]
    assert growth_a["link"] == f"/assessment/actuals/{w.actuals[('工业投资增速', w.county_a.code)].pk}/"
    # 规上工业企业数 by rank: B (55) first gets 15, A (40) second gets 15 − 5.
    assert b["cells"][3]["points"] == "15.00" and a["cells"][3]["points"] == "10.00"
    assert a["bonus"] == "2.00" and b["deduction"] == "1.50"
    for row in data["rows"]:
        parts = sum(Decimal(c["points"]) for c in row["cells"]) + Decimal(row["bonus"]) - Decimal(row["deduction"])
        assert Decimal(row["total"]) == parts
    assert sorted(row["rank"] for row in data["rows"]) == [1, 2]


@pytest.mark.django_db
def test_computed_values_agree_with_the_figures_pages(assessment_world):
    w = assessment_world
    data = compute_result(w.scheme, 6).as_json()
    for row in data["rows"]:
        county = w.county_a if row["code"] == w.county_a.code else w.county_b
        page = figures(
            w.city_admin, FigureQuery(period=datetime.date(2025, 6, 1), region=county), with_previous_year=False
        )
        assert Decimal(row["cells"][0]["value"]) == page.rates["start_rate"].rate
        assert Decimal(row["cells"][1]["value"]) == page.rates["investment_completion_rate"].rate
        assert "region=" + county.code in row["cells"][1]["link"]


@pytest.mark.django_db
def test_problem_resolution_rate_source(problem_world):
    from tiaodu.assessment.sources import SOURCES

    w = problem_world
    values = SOURCES["problem_resolution_rate"].values([w.county_a, w.county_b], 2025, 6, within=w.city)
    rows = {
        row["key"]: row
        for row in figure_table(
            w.city_admin,
            ProblemFigureQuery(
                datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), datetime.date(2025, 6, 30), w.city
            ),
            "region",
        )
    }
    for county in (w.county_a, w.county_b):
        assert values[county][0] == rows[str(county.pk)]["rate"]
        assert "measure=solved" in values[county][1]
    by_department = SOURCES["problem_resolution_rate"].values([w.dept_b_org], 2025, 6, within=w.city)
    assert by_department[w.dept_b_org][0] == Decimal("0.0")


@pytest.mark.django_db
def test_published_result_is_reproducible_after_a_correction(assessment_world):
    w = assessment_world
    published = services.result_publish(actor=w.city_admin, scheme=w.scheme, month=6)
    before = published.data["rows"]
    with pytest.raises(ValidationError) as error:
        services.result_publish(actor=w.city_admin, scheme=w.scheme, month=6)
    assert "已发布" in _messages(error)
    # A correction after publishing: the actual goes back, is changed and accepted again.
    actual = w.actuals[("工业投资增速", w.county_a.code)]
    actual = services.actual_reopen(actor=w.city_admin, actual=actual, reason="统计局更正")
    actual = services.actual_save(actor=w.stats, indicator=w.growth, region=w.county_a, year=2025, month=6, value="2")
    services.actual_submit(actor=w.stats, actual=actual)
    services.actual_accept(actor=w.city_admin, actual=actual)
    current = compute_result(w.scheme, 6).as_json()["rows"]
    assert current != before
    assert PublishedResult.objects.get(pk=published.pk).data["rows"] == before
    # And a published scheme keeps its units and indicators.
    with pytest.raises(ValidationError):
        services.scheme_save(actor=w.city_admin, scheme=w.scheme, items=[{"indicator": w.growth, "weight": "100"}])


@pytest.mark.django_db
def test_publish_refuses_a_month_not_over(assessment_world):
    w = assessment_world
    scheme = services.scheme_save(
        actor=w.city_admin,
        region=w.city,
        year=2099,
        name="未来",
        units=[w.county_a],
        items=[{"indicator": w.growth, "weight": "100", "rule": ScoringRule.RATIO}],
    )
    with pytest.raises(ValidationError) as error:
        services.result_publish(actor=w.city_admin, scheme=scheme, month=3)
    assert "已结束" in _messages(error)


@pytest.mark.django_db
def test_targets_and_adjustments_validate(assessment_world):
    w = assessment_world
    with pytest.raises(ValidationError) as error:
        services.targets_set(actor=w.city_admin, scheme=w.scheme, values={(w.items["规上工业企业数"], w.unit_a): "-5"})
    assert "超出合理范围" in _messages(error)
    with pytest.raises(ValidationError):
        services.adjustment_add(
            actor=w.city_admin,
            scheme=w.scheme,
            unit=w.unit_a,
            kind="bonus",
            points="0",
            reason="x",
            on=datetime.date(2025, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.adjustment_add(
            actor=w.admin_a,
            scheme=w.scheme,
            unit=w.unit_a,
            kind="bonus",
            points="1",
            reason="自己加分",
            on=datetime.date(2025, 1, 1),
        )


@pytest.mark.django_db
def test_result_is_a_few_queries_whatever_the_units(assessment_world, django_assert_max_num_queries):
    w = assessment_world
    with django_assert_max_num_queries(12):
        compute_result(w.scheme, 6)
