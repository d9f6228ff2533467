"""Background work of the monthly loop: the reminder emails (django-tasks, database backend)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from tiaodu.core.dates import local_today

from .selectors import Reminders, reminders


def collect_reminders(today: datetime.date):
    """Every active user with an email address and something to be reminded of, with the reminders."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")
    for user in users:
        found = reminders(user, today)
        if found.count:
            yield user, found


def reminder_email(user, found: Reminders, today: datetime.date) -> tuple[str, str]:
    """The subject and text of one user's reminder email, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("【调度】您有 {count} 条月度调度提醒").format(count=found.count)
        link = settings.SITE_URL + reverse("reports:reminders")
        body = render_to_string(
            "reports/email/reminders.txt", {"user": user, "reminders": found, "today": today, "link": link}
        )
    return subject, body


@task()
def send_report_reminders(today: str | None = None) -> dict:
    """Email each user their reminders: projects not reported by the deadline, reports waiting for review.

    ``today`` (``YYYY-MM-DD``) defaults to the local date; returns how many emails were sent.
    """
    day = datetime.date.fromisoformat(today) if today else local_today()
    sent = 0
    for user, found in collect_reminders(day):
        subject, body = reminder_email(user, found, day)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return {"sent": sent}
