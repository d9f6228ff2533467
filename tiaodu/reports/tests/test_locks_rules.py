"""填报规则: the city administrator sets the deadline and review time; counties read it; bad input is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.reports import selectors, services
from tiaodu.reports.models import ReportingRule

pytestmark = pytest.mark.django_db


def test_city_admin_sets_the_rule_and_the_reminders_follow_it(world):
    w = world
    client = client_for(w.city_admin)
    page = client.get(reverse("reports:locks"))
    assert page.status_code == 200 and reverse("reports:rule_edit", args=[w.city.code]) in page.content.decode()
    url = reverse("reports:rule_edit", args=[w.city.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"deadline_day": "10", "review_days": "5", "reason": "市政府办通知"})
    assert response.status_code == 302
    rule = ReportingRule.objects.get(region=w.city)
    assert (rule.deadline_day, rule.review_days) == (10, 5)
    assert rule.history.first().history_change_reason == "市政府办通知"
    assert rule.history.first().history_user == w.city_admin
    row = next(r for r in selectors.reporting_rules(w.admin_a) if r.region == w.city)
    assert (row.deadline_day, row.is_default, row.can_change) == (10, False, False)


@pytest.mark.parametrize(
    "data, words",
    [
        ({"deadline_day": "31", "review_days": "3"}, "28"),
        ({"deadline_day": "0", "review_days": "3"}, "1"),
        ({"deadline_day": "五", "review_days": "3"}, "整数"),
        ({"deadline_day": "5", "review_days": "90"}, "30"),
        ({"deadline_day": "", "review_days": ""}, "必填"),
    ],
)
def test_bad_rules_are_refused_with_a_message_and_nothing_written(world, data, words):
    w = world
    response = client_for(w.city_admin).post(reverse("reports:rule_edit", args=[w.city.code]), data)
    assert response.status_code == 400 and words in response.content.decode()
    assert not ReportingRule.objects.exists()


def test_county_admin_cannot_change_the_city_rule(world):
    w = world
    assert client_for(w.admin_a).get(reverse("reports:rule_edit", args=[w.city.code])).status_code == 404
    with pytest.raises(ValidationError):
        services.reporting_rule_set(actor=w.admin_a, region=w.city, deadline_day=9, review_days=3)
    with pytest.raises(ValidationError, match="地级市"):
        services.reporting_rule_set(actor=w.city_admin, region=w.county_a, deadline_day=9, review_days=3)
    assert not ReportingRule.objects.exists()
