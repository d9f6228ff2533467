"""Reminders: projects not reported by the deadline, reports waiting too long for review; the bell, the emails."""

import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tiaodu.accounts.choices import Role
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.core.periods import next_period
from tiaodu.core.scoping import user_grants
from tiaodu.reports import selectors, services
from tiaodu.reports.models import ReportingRule
from tiaodu.reports.tasks import send_report_reminders
from tiaodu.testing import UserFactory, admin_of, region

from .test_pages import make_loop

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop():
    return make_loop()


def day_after_deadline(loop, day=6) -> datetime.date:
    """A day of the month after the reported one."""
    return next_period(loop.period).replace(day=day)


def submit_at(loop, moment: datetime.datetime, project=None):
    project = project or loop.project
    report = services.report_save(actor=loop.owner, project=project, period=loop.period, investment_month=Decimal(1))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return services.report_submit(report=report, actor=loop.owner)


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def overdue_names(user, today):
    return {project.name for project in selectors.reminders(user, today).overdue}


def due_for(user, today) -> dict:
    """Project name → the month it is late for."""
    return {project.name: project.due_period for project in selectors.reminders(user, today).overdue}


def test_owner_is_reminded_after_the_deadline_only(loop):
    after = day_after_deadline(loop)
    assert overdue_names(loop.owner, after) == {loop.project.name, loop.planned.name}
    assert {p.due_period for p in selectors.reminders(loop.owner, after).overdue} == {loop.period}
    # On the deadline day the month is not late yet (the month before may be).
    assert due_for(loop.owner, day_after_deadline(loop, day=5)).get(loop.project.name) != loop.period
    draft = services.report_save(actor=loop.owner, project=loop.project, period=loop.period)
    assert loop.project.name in overdue_names(loop.owner, after)  # a draft is not submitted
    services.report_submit(report=draft, actor=loop.owner)
    assert overdue_names(loop.owner, after) == {loop.planned.name}
    assert overdue_names(loop.county_admin, after) == set()  # reminders of kind (a) go to the owner


def test_the_citys_deadline_day_counts(loop):
    ReportingRule.objects.create(region=loop.city, deadline_day=10)
    for day, late in ((6, False), (10, False), (11, True)):
        assert (due_for(loop.owner, day_after_deadline(loop, day=day)).get(loop.project.name) == loop.period) is late


def test_reviewers_are_reminded_of_reports_waiting_past_the_review_time(loop):
    today = local_today()
    report = submit_at(loop, at(today))
    other_county = admin_of(region("140428"))
    for days, expected in ((0, False), (3, False), (4, True)):
        waiting = selectors.reminders(loop.county_admin, today + datetime.timedelta(days=days)).waiting
        assert (report in waiting) is expected, days
    later = today + datetime.timedelta(days=4)
    assert report in selectors.reminders(loop.city_admin, later).waiting
    assert selectors.reminders(other_county, later).waiting == []
    assert selectors.reminders(loop.owner, later).waiting == []  # owners do not review
    ReportingRule.objects.create(region=loop.city, review_days=1)
    assert report in selectors.reminders(loop.county_admin, today + datetime.timedelta(days=2)).waiting
    services.report_accept(report=report, actor=loop.county_admin)
    assert selectors.reminders(loop.county_admin, later).waiting == []


def test_the_bell_counts_and_links_to_the_reminders_page(loop):
    submit_at(loop, at(local_today() - datetime.timedelta(days=10)))
    client = client_for(loop.county_admin)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="bell"' in body and reverse("reports:bell") in body  # the count comes after the page
    bell = client.get(reverse("reports:bell")).content.decode()
    assert reverse("reports:reminders") in bell and 'data-testid="bell-count">1<' in bell
    page = client.get(reverse("reports:reminders")).content.decode()
    assert loop.project.name in page and "超过审核时限的月报" in page
    owner_page = client_for(loop.owner).get(reverse("reports:bell"))
    expected = selectors.reminder_count(loop.owner, local_today())
    assert expected == selectors.reminders(loop.owner, local_today()).count
    if expected:
        assert f'data-testid="bell-count">{expected}<' in owner_page.content.decode()


def test_the_bell_costs_at_most_two_queries(loop, django_assert_max_num_queries):
    today = day_after_deadline(loop)
    for user in (loop.owner, loop.county_admin, loop.city_admin):
        user_grants(user)  # loaded once per request anyway
        with django_assert_max_num_queries(2):
            selectors.reminder_count(user, today)
    nobody = UserFactory(grants=[(Role.LEADER, loop.city)])
    user_grants(nobody)
    with django_assert_max_num_queries(0):
        assert selectors.reminder_count(nobody, today) == 0


def test_the_task_emails_each_user_with_reminders(loop):
    today = day_after_deadline(loop)
    submit_at(loop, at(today - datetime.timedelta(days=10)))
    loop.owner.email = "owner@example.cn"
    loop.owner.save()
    loop.county_admin.email = "county@example.cn"
    loop.county_admin.save()
    UserFactory(username="calm", email="calm@example.cn", grants=[(Role.LEADER, loop.city)])  # nothing to remind
    # the city administrator has reminders too, but no address: no email
    result = send_report_reminders.call(today=today.isoformat())
    assert result == {"sent": 2}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"owner@example.cn", "county@example.cn"}
    owner_mail = by_address["owner@example.cn"]
    assert "1 条" in owner_mail.subject and loop.planned.name in owner_mail.body
    assert loop.project.name not in owner_mail.body
    county_mail = by_address["county@example.cn"]
    assert loop.project.name in county_mail.body and "审核时限" in county_mail.body
    assert "http://127.0.0.1:8000/reports/reminders/" in county_mail.body  # TIAODU_SITE_URL + the page


def test_remind_command_dry_run_lists_and_sends_nothing(loop):
    today = day_after_deadline(loop)
    loop.owner.email = "owner@example.cn"
    loop.owner.save()
    out = io.StringIO()
    call_command("remind", "--dry-run", "--date", today.isoformat(), stdout=out)
    text = out.getvalue()
    assert "owner@example.cn" in text and "overdue=2" in text and "1 email(s)" in text
    assert mail.outbox == [] and not DBTaskResult.objects.exists()


def test_remind_command_queues_the_task(loop):
    out = io.StringIO()
    call_command("remind", stdout=out)
    assert "queued send_report_reminders" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("send_report_reminders") and mail.outbox == []
    with pytest.raises(CommandError):
        call_command("remind", "--date", "2025-13-01")
