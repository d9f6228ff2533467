"""Figures are exact and traceable: counties add up to the city, every numerator is its drill-down list,
and the figures as locked stay what they were after later corrections."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiaodu.accounts.choices import Role
from tiaodu.figures.selectors import RATES, FigureQuery, RateValue, drilldown, figures, ranking
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Nature, Stage
from tiaodu.reports import services as report_services
from tiaodu.testing import OrganisationFactory, ProjectFactory, UserFactory, admin_of, region, system_user

pytestmark = pytest.mark.django_db
D = datetime.date
COUNTIES = ["140427", "140428", "140403"]


def test_rate_rounding_half_up_as_in_the_brief():
    assert RateValue("start_rate", "开工率", 1038, 1141, False).rate == Decimal("91.0")
    assert RateValue("start_rate", "开工率", 25, 30, False).rate == Decimal("83.3")
    assert RateValue("x", "x", 1, 8, False).rate == Decimal("12.5")
    assert RateValue("x", "x", 1, 0, False).rate is None
    assert RateValue("x", "x", Decimal("12300"), Decimal("15974.03"), True).as_json() == {
        "numerator": "12300.00",
        "denominator": "15974.03",
        "rate": "77.0",
    }


project_spec = st.fixed_dictionaries(
    {
        "county": st.sampled_from(COUNTIES),
        "nature": st.sampled_from([Nature.NEW, Nature.CONTINUED]),
        "start_month": st.one_of(st.none(), st.integers(min_value=1, max_value=9)),
        "plan": st.integers(min_value=100, max_value=5000),
        "months": st.lists(st.integers(min_value=0, max_value=300), min_size=0, max_size=6),
        "commission_planned": st.booleans(),
        "levels": st.sets(st.sampled_from([KeyLevel.PROVINCE, KeyLevel.CITY]), min_size=1),
    }
)


def _build(specs):
    actor = system_user()
    city = region("140400")
    lists = {
        level: project_services.key_list_create(actor=actor, region=city, year=2025, level=level)
        for level in (KeyLevel.PROVINCE, KeyLevel.CITY)
    }
    for index, spec in enumerate(specs):
        start = D(2025, spec["start_month"], 3) if spec["start_month"] else None
        project = ProjectFactory(
            actor=actor,
            region=region(spec["county"]),
            name=f"项目{index}",
            total_investment=Decimal("100000"),
            stage=Stage.CONSTRUCTION if start else Stage.PRELIMINARY,
            actual_start_date=start,
            planned_commissioning_date=D(2025, 11, 30) if spec["commission_planned"] else D(2027, 6, 30),
        )
        for level in spec["levels"]:
            project_services.key_list_add_project(
                key_list=lists[level],
                project=project,
                actor=actor,
                annual_plan=Decimal(spec["plan"]),
                nature=spec["nature"],
            )
        if start:
            for offset, amount in enumerate(spec["months"]):
                month = start.month + offset
                if month > 9:
                    break
                report = report_services.report_save(
                    actor=actor,
                    project=project,
                    period=D(2025, month, 1),
                    investment_month=Decimal(amount),
                    milestones=["resumed"] if offset == 0 else [],
                )
                report_services.report_submit(report=report, actor=actor)
    for key_list in lists.values():
        if key_list.entries.exists():
            project_services.key_list_publish(key_list=key_list, actor=actor)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(specs=st.lists(project_spec, min_size=1, max_size=8))
def test_counties_add_up_to_the_city_and_numerators_are_their_drilldowns(specs):
    with transaction.atomic():
        _build(specs)
        user = admin_of(region("140400"), username="fig_city")
        for period in (D(2025, 4, 1), D(2025, 9, 1)):
            for level in (None, KeyLevel.CITY):
                query = FigureQuery(period=period, region=region("140400"), level=level)
                city = figures(user, query, with_previous_year=False)
                counties = [
                    figures(
                        user, FigureQuery(period=period, region=region(code), level=level), with_previous_year=False
                    )
                    for code in COUNTIES
                ]
                for key in RATES:
                    assert city.rates[key].numerator == sum(c.rates[key].numerator for c in counties), key
                    assert city.rates[key].denominator == sum(c.rates[key].denominator for c in counties), key
                    rows = list(drilldown(user, query, key, "numerator"))
                    if RATES[key].money_field:
                        assert sum((r.ytd for r in rows), Decimal(0)) == city.rates[key].numerator
                    else:
                        assert len(rows) == city.rates[key].numerator
                    assert len(list(drilldown(user, query, key, "denominator"))) == (
                        city.rates[key].denominator if not RATES[key].money_field else city.total
                    )
                ranks = ranking(user, query, "start_rate")
                assert sum(r.value.denominator for r in ranks) == city.rates["start_rate"].denominator
                # A project on two lists counts once when no level is chosen.
                if level is None:
                    assert city.total == len(specs)
        transaction.set_rollback(True)


def test_as_locked_figures_survive_a_correction():
    owner_org = OrganisationFactory(region=region("140427"))
    owner = UserFactory(grants=[(Role.OWNER, owner_org)])
    city_admin = admin_of(region("140400"))
    project = ProjectFactory(
        owner=owner_org, stage=Stage.CONSTRUCTION, actual_start_date=D(2025, 3, 1), total_investment=Decimal("50000")
    )
    key_list = project_services.key_list_create(
        actor=city_admin, region=region("140400"), year=2025, level=KeyLevel.CITY
    )
    project_services.key_list_add_project(
        key_list=key_list, project=project, actor=city_admin, annual_plan=Decimal("10000"), nature=Nature.NEW
    )
    project_services.key_list_publish(key_list=key_list, actor=city_admin)
    report = report_services.report_save(
        actor=owner, project=project, period="2025-05", investment_month=Decimal("2500")
    )
    report_services.report_submit(report=report, actor=owner)
    report_services.month_lock(actor=city_admin, region=region("140400"), period="2025-05")
    report_services.report_correct(report=report, actor=city_admin, reason="核减", investment_month=Decimal("2000"))
    query = FigureQuery(period=D(2025, 5, 1), region=region("140400"))
    locked = figures(city_admin, FigureQuery(period=D(2025, 5, 1), region=region("140400"), as_of_lock=True))
    current = figures(city_admin, query)
    assert locked.rates["investment_completion_rate"].as_json() == {
        "numerator": "2500.00",
        "denominator": "10000.00",
        "rate": "25.0",
    }
    assert current.rates["investment_completion_rate"].as_json()["rate"] == "20.0"
    assert locked.lock is not None and current.lock is None
    assert [
        r.ytd
        for r in drilldown(
            city_admin,
            FigureQuery(period=D(2025, 5, 1), as_of_lock=True, region=region("140400")),
            "investment_completion_rate",
            "numerator",
        )
    ] == [Decimal("2500.00")]
