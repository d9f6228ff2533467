"""Background work of investment attraction (django-tasks): the daily 三未 check.

Run daily by ``tiaodu attraction_alarms`` (cron), never on page load. Linked leads are first brought
up to date from their registry projects (开工/投产/达产 as the registry records them); then each lead
in alarm notifies its responsible person (or, without one, its team leader and the administrators of
its county): a notice keyed by lead and rule, so a lead is notified once per rule however often the
check runs.
"""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.notices.services import notify_many

from .models import Lead
from .selectors import alarm_days, alarms_all
from .services import lead_sync_from_project


def recipients(lead: Lead) -> list:
    if lead.responsible_id:
        return [lead.responsible]
    people = []
    if lead.team_id and lead.team.leader_id and lead.team.leader.user_id:
        people.append(lead.team.leader.user)
    people += list(
        get_user_model().objects.filter(is_active=True, grants__role=Role.ADMIN, grants__region=lead.region).distinct()
    )
    return people


def notify_alarm(lead: Lead, rule, today: datetime.date) -> list:
    text = _("【{rule}】{lead}：{describe}，已超期 {days} 天。").format(
        rule=rule.name, lead=lead.name, describe=rule.describe(), days=alarm_days(lead, rule, today)
    )
    return notify_many(
        recipients=recipients(lead),
        kind="attraction_alarm",
        text=text,
        link=reverse("attraction:lead_detail", args=[lead.pk]),
        target=lead,
        key=f"attraction:{lead.pk}:rule:{rule.pk}",
    )


def sync_projects(actor=None) -> int:
    moved = 0
    for lead in Lead.objects.filter(project__isnull=False).exclude(stage="terminated").select_related("project"):
        before = lead.stage
        if lead_sync_from_project(actor=actor, lead=lead).stage != before:
            moved += 1
    return moved


def check_alarms(today: datetime.date) -> dict:
    synced = sync_projects()
    leads = notices = 0
    for lead, rule in alarms_all(today):
        leads += 1
        notices += len(notify_alarm(lead, rule, today))
    return {"synced": synced, "alarms": leads, "notices": notices}


@task()
def check_attraction_alarms(today: str | None = None) -> dict:
    """Bring linked leads up to date from the registry and notify the people of each lead in a 三未 alarm.

    ``today`` (``YYYY-MM-DD``) defaults to the local date; returns counts.
    """
    return check_alarms(datetime.date.fromisoformat(today) if today else local_today())
