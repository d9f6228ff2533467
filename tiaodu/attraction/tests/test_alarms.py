"""三未 alarms: rule logic with dates, the list and its counts, notifications once, turning an alarm into a problem."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tiaodu.attraction import selectors, services
from tiaodu.attraction.models import AlarmProblem, AlarmRule
from tiaodu.attraction.tasks import check_alarms
from tiaodu.attraction.testing import lead, signed_lead
from tiaodu.core.dates import local_today
from tiaodu.notices.models import Notice
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.testing import category
from tiaodu.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()
D = datetime.timedelta


def _rule(city, name):
    return AlarmRule.objects.get(city=city, name=name)


def test_defaults_created_on_first_use_and_edited_by_the_city(lead_world):
    w = lead_world
    AlarmRule.objects.all().delete()  # as for a city looked at for the first time
    names = [r.name for r in selectors.rules_for(w.admin_a)]
    assert names == ["签而未落", "落而未投", "投而未产"]
    assert [r.name for r in selectors.rules_for(w.admin_b)] == names  # the same city's rules, made once
    rule = _rule(w.city, "签而未落")
    with pytest.raises(ValidationError):
        services.alarm_rule_save(
            actor=w.admin_a,
            city=w.city,
            name="签而未落",
            kind="months",
            from_stage="signed",
            to_stage="landed",
            months=3,
            rule=rule,
        )
    with pytest.raises(ValidationError):
        services.alarm_rule_save(
            actor=w.city_admin,
            city=w.city,
            name="倒序",
            kind="months",
            from_stage="landed",
            to_stage="signed",
            months=3,
        )
    with pytest.raises(ValidationError):
        services.alarm_rule_save(
            actor=w.city_admin,
            city=w.city,
            name="无月数",
            kind="months",
            from_stage="landed",
            to_stage="started",
            months=None,
        )
    services.alarm_rule_save(
        actor=w.city_admin,
        city=w.city,
        name="签而未落",
        kind="months",
        from_stage="signed",
        to_stage="landed",
        months=9,
        rule=rule,
    )
    rule.refresh_from_db()
    assert rule.months == 9


def test_rule_logic_with_dates(world):
    w = world
    signed_7 = signed_lead(w, w.admin_a, region=w.county_a, name="七个月", signed_on=selectors.months_before(TODAY, 7))
    signed_6 = signed_lead(
        w, w.admin_a, region=w.county_a, name="刚满六个月", signed_on=selectors.months_before(TODAY, 6)
    )
    signed_5 = signed_lead(w, w.admin_a, region=w.county_a, name="五个月", signed_on=selectors.months_before(TODAY, 5))
    company = OrganisationFactory(region=w.county_a)
    landed = signed_lead(
        w,
        w.admin_a,
        region=w.county_a,
        name="已落地",
        signed_on=selectors.months_before(TODAY, 20),
        planned_production_date=TODAY - D(1),
    )
    services.lead_advance(
        actor=w.admin_a, lead=landed, to_stage="landed", on=selectors.months_before(TODAY, 19), company=company
    )
    terminated = signed_lead(
        w, w.admin_a, region=w.county_a, name="已终止", signed_on=selectors.months_before(TODAY, 9)
    )
    services.lead_terminate(actor=w.admin_a, lead=terminated, reason="撤资")
    started = signed_lead(
        w, w.admin_a, region=w.county_a, name="已开工", signed_on=TODAY - D(300), planned_production_date=TODAY - D(10)
    )
    services.lead_advance(
        actor=w.admin_a,
        lead=started,
        to_stage="started",
        on=TODAY - D(200),
        company=OrganisationFactory(region=w.county_a),
    )
    not_due = signed_lead(
        w, w.admin_a, region=w.county_a, name="未到期", signed_on=TODAY - D(300), planned_production_date=TODAY
    )
    services.lead_advance(
        actor=w.admin_a,
        lead=not_due,
        to_stage="started",
        on=TODAY - D(200),
        company=OrganisationFactory(region=w.county_a),
    )
    selectors.rules_for(w.admin_a)
    signed_rule, landed_rule, started_rule = (_rule(w.city, n) for n in ("签而未落", "落而未投", "投而未产"))
    rows = list(selectors.alarm_rows(w.admin_a, TODAY))
    pairs = {(lead_id, rule_id) for lead_id, rule_id, _o in rows}
    assert pairs == {(signed_7.pk, signed_rule.pk), (landed.pk, landed_rule.pk), (started.pk, started_rule.pk)}
    assert signed_6.pk not in {r[0] for r in rows} and signed_5.pk not in {r[0] for r in rows}
    # Days outstanding: past the months allowed, or past the planned production date; most first.
    alarms = selectors.hydrate_alarms(rows, {r.pk: r for r in AlarmRule.objects.all()}, TODAY)
    days = {a.lead.pk: a.days for a in alarms}
    assert days[started.pk] == 10
    assert days[landed.pk] == (selectors.months_before(TODAY, 6) - selectors.months_before(TODAY, 19)).days
    assert [a.days for a in alarms] == sorted((a.days for a in alarms), reverse=True)
    # Tomorrow the lead signed six months ago is in alarm too.
    tomorrow = {r[0] for r in selectors.alarm_rows(w.admin_a, TODAY + D(2))}
    assert signed_6.pk in tomorrow
    # Filters and counts.
    only = selectors.alarm_rows(w.admin_a, TODAY, selectors.AlarmFilter(rule=signed_rule))
    assert [r[0] for r in only] == [signed_7.pk]
    counts = selectors.alarm_counts(w.admin_a, TODAY)
    assert counts["total"] == 3 and counts["by_region"] == [{"key": w.county_a.pk, "label": "壶关县", "count": 3}]
    # Another county sees none of them.
    assert not list(selectors.alarm_rows(w.admin_b, TODAY) or [])
    # Changing the rule changes the alarms at once (computed, not stored).
    services.alarm_rule_save(
        actor=w.city_admin,
        city=w.city,
        name="签而未落",
        kind="months",
        from_stage="signed",
        to_stage="landed",
        months=8,
        rule=signed_rule,
    )
    assert signed_7.pk not in {r[0] for r in selectors.alarm_rows(w.admin_a, TODAY)}


def test_notifications_sent_once_per_lead_and_rule(lead_world):
    w = lead_world
    services.lead_update(actor=w.admin_a, lead=w.lead_a, responsible=w.admin_a)
    selectors.rules_for(w.city_admin)
    first = check_alarms(TODAY)
    # A's responsible person (签而未落), A's county administrator for the lead with nobody named (落而未投),
    # and B's county administrator.
    assert first["alarms"] == 3 and first["notices"] == 3
    assert Notice.objects.filter(recipient=w.admin_a, kind="attraction_alarm").count() == 2
    assert Notice.objects.filter(recipient=w.admin_b, kind="attraction_alarm").count() == 1
    assert check_alarms(TODAY)["notices"] == 0
    assert check_alarms(TODAY + D(1))["notices"] == 0


def test_command_dry_run_and_queue(lead_world):
    selectors.rules_for(lead_world.city_admin)
    out = io.StringIO()
    call_command("attraction_alarms", "--dry-run", stdout=out)
    assert "签而未落" in out.getvalue() and "3 alarm(s)" in out.getvalue()
    out = io.StringIO()
    call_command("attraction_alarms", stdout=out)
    assert "queued check_attraction_alarms" in out.getvalue()
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("attraction_alarms", "--date", "2025-13-01")


def test_alarm_to_problem_once(lead_world):
    w = lead_world
    rule = selectors.rules_for(w.admin_a).get(name="签而未落")
    problem = services.alarm_to_problem(
        actor=w.admin_a,
        lead=w.lead_a,
        rule=rule,
        category=category("其他"),
        department=w.dept_a_org,
        deadline=TODAY + D(15),
    )
    assert problem.region == w.county_a and problem.department == w.dept_a_org and problem.status == "assigned"
    assert "签而未落" in problem.description and w.lead_a.name in problem.description
    assert problem.source == ProblemSource.ATTRACTION_ALARM and problem.get_source_display() == "三未预警"
    assert AlarmProblem.objects.get(lead=w.lead_a, rule=rule).problem == problem
    with pytest.raises(ValidationError):
        services.alarm_to_problem(
            actor=w.admin_a,
            lead=w.lead_a,
            rule=rule,
            category=category("其他"),
            department=w.dept_a_org,
            deadline=TODAY + D(15),
        )
    # Not in alarm: refused.
    fresh = lead(w, w.admin_a, region=w.county_a, name="新线索")
    with pytest.raises(ValidationError):
        services.alarm_to_problem(
            actor=w.admin_a,
            lead=fresh,
            rule=rule,
            category=category("其他"),
            department=w.dept_a_org,
            deadline=TODAY + D(15),
        )
    # Another county's administrator cannot.
    with pytest.raises(ValidationError):
        services.alarm_to_problem(
            actor=w.admin_a,
            lead=w.lead_b,
            rule=rule,
            category=category("其他"),
            department=w.dept_a_org,
            deadline=TODAY + D(15),
        )
    assert Decimal(1)
