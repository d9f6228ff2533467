"""Figures: exact, each number equal to its drill-down; signed amounts count the first signing and increases only."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiaodu.attraction import selectors, services
from tiaodu.attraction.testing import lead
from tiaodu.core.dates import local_today
from tiaodu.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()


def start_day() -> datetime.date:
    return TODAY - datetime.timedelta(days=700)


# Each planned lead: (county A or B, days before today it signed or None, signings, landed?, started?, funds)
planned = st.lists(
    st.tuples(
        st.booleans(),
        st.one_of(st.none(), st.integers(min_value=40, max_value=690)),
        st.lists(
            st.tuples(st.sampled_from(["framework", "contract", "increase"]), st.integers(min_value=1, max_value=9000)),
            min_size=1,
            max_size=3,
        ),
        st.booleans(),
        st.booleans(),
        st.integers(min_value=0, max_value=500),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=planned)
def test_numbers_equal_their_drilldowns_and_county_sums(world, plan):
    w = world
    expected_amount = Decimal("0")
    created = []
    for index, (in_a, signed_days, signings, landed, started, funds) in enumerate(plan):
        region = w.county_a if in_a else w.county_b
        item = lead(
            w,
            w.admin_a if in_a else w.admin_b,
            region=region,
            name=f"项目{len(created)}-{index}",
            registered_on=TODAY - datetime.timedelta(days=695),
        )
        created.append(item)
        if signed_days is None:
            continue
        actor = w.admin_a if in_a else w.admin_b
        first = TODAY - datetime.timedelta(days=signed_days)
        first_kind = signings[0][0] if signings[0][0] != "increase" else "contract"
        services.lead_sign(actor=actor, lead=item, signed_on=first, kind=first_kind, amount=Decimal(signings[0][1]))
        expected_amount += Decimal(signings[0][1])
        for offset, (kind, amount) in enumerate(signings[1:], start=1):
            services.lead_sign(
                actor=actor,
                lead=item,
                signed_on=first + datetime.timedelta(days=offset),
                kind=kind,
                amount=Decimal(amount),
            )
            if kind == "increase":
                expected_amount += Decimal(amount)
        if landed:
            services.lead_advance(
                actor=actor,
                lead=item,
                to_stage="landed",
                on=first + datetime.timedelta(days=5),
                company=OrganisationFactory(region=region),
            )
            if started:
                services.lead_advance(
                    actor=actor, lead=item, to_stage="started", on=first + datetime.timedelta(days=10)
                )
        if funds:
            services.lead_add_funds(
                actor=actor, lead=item, on=first + datetime.timedelta(days=3), amount=Decimal(funds)
            )
    query = selectors.AttractionQuery(start=start_day(), end=TODAY)
    totals = selectors.figure_totals(w.city_admin, query)
    assert totals["amount"] == expected_amount
    assert totals["amount"] == selectors.signed_amount(region=w.city, start=start_day(), end=TODAY)
    assert totals["funds"] == selectors.funds_in_place(region=w.city, start=start_day(), end=TODAY)
    for key, measure in selectors.MEASURES.items():
        rows = selectors.drilldown(w.city_admin, query, key)
        if measure.sum_field:
            assert sum((getattr(r, measure.sum_field) for r in rows), Decimal("0")) == totals[key], key
        else:
            assert rows.count() == totals[key], key
    for group in selectors.GROUPS:
        table = selectors.figure_table(w.city_admin, query, group)
        for key in selectors.MEASURES:
            assert sum((row[key] for row in table), 0) == totals[key], (group, key)
        for row in table:
            assert selectors.drilldown(w.city_admin, query, "signed", group, row["key"]).count() == row["signed"]
            if row["landing_rate"] is not None:
                assert row["landing_rate"] == selectors.rate(row["landed"], row["signed"])
    # A county administrator's totals are its own county's part.
    own = selectors.figure_totals(w.admin_a, query)
    assert own["amount"] == selectors.signed_amount(region=w.county_a, start=start_day(), end=TODAY)
    for item in created:
        item.delete()


def test_headline_example_and_series(world):
    w = world
    company = OrganisationFactory(region=w.county_a)
    for index in range(3):
        item = lead(
            w, w.admin_a, region=w.county_a, name=f"落地{index}", registered_on=TODAY - datetime.timedelta(days=200)
        )
        services.lead_sign(
            actor=w.admin_a,
            lead=item,
            signed_on=TODAY - datetime.timedelta(days=150),
            kind="contract",
            amount=Decimal("100000"),
        )
        if index < 2:
            services.lead_advance(
                actor=w.admin_a,
                lead=item,
                to_stage="landed",
                on=TODAY - datetime.timedelta(days=100 - index * 60),
                company=company if index else OrganisationFactory(region=w.county_a),
            )
    query = selectors.AttractionQuery(start=TODAY - datetime.timedelta(days=180), end=TODAY, region=w.county_a)
    totals = selectors.figure_totals(w.admin_a, query)
    assert (totals["signed"], totals["amount"], totals["landed"], totals["landing_rate"]) == (
        3,
        Decimal("300000"),
        2,
        Decimal("66.7"),
    )
    series = selectors.landed_series(w.admin_a, query)
    assert series[0]["count"] == 0 and series[-1]["count"] == 2
    assert [p["count"] for p in series] == sorted(p["count"] for p in series)
