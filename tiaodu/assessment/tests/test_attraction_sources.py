"""签约金额 and 到位资金 as computed indicators: the attraction figures' numbers, per county, year to date."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from tiaodu.assessment.sources import SOURCES
from tiaodu.attraction import selectors as attraction
from tiaodu.attraction import services as attraction_services
from tiaodu.attraction.testing import add_leads
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.core.periods import period_end

pytestmark = pytest.mark.django_db


def test_signed_amount_and_funds_in_place_are_the_attraction_figures(assessment_world):
    w = add_leads(assessment_world)
    signed_on = w.lead_a.signed_on
    attraction_services.lead_add_funds(actor=w.admin_a, lead=w.lead_a, on=signed_on, amount=Decimal("1234.5"))
    units = [w.county_a, w.county_b]
    checked = 0
    for year in {signed_on.year, local_today().year}:
        for month in range(1, 13):
            start, end = datetime.date(year, 1, 1), period_end(datetime.date(year, month, 1))
            for code, selector in (
                ("signed_amount", attraction.signed_amount),
                ("funds_in_place", attraction.funds_in_place),
            ):
                values = SOURCES[code].values(units, year, month, within=w.city)
                for unit in units:
                    value, link = values[unit]
                    assert value == selector(region=unit, start=start, end=end), (code, unit, year, month)
                    checked += value > 0
    assert checked > 0  # some months carry the signings and the funds, not only zeros
    # The link opens the rows behind the number, and they add up to it.
    value, link = SOURCES["signed_amount"].values([w.county_a], signed_on.year, 12, within=w.city)[w.county_a]
    response = client_for(w.city_admin).get(link)
    assert response.status_code == 200
    params = parse_qs(urlsplit(link).query)
    assert params["measure"] == ["amount"] and params["key"] == [str(w.county_a.pk)]
    rows = list(response.context["object_list"])
    assert sum(row.counted_amount for row in rows) == value > 0
