"""Background work of the problem ledger: warning departments of approaching deadlines (django-tasks).

Run daily by ``tiaodu problem_deadlines`` (cron), never on page load. A warning is a notice keyed by
the problem and its deadline, so a repeated check never notifies twice for the same deadline, and a
new deadline (after re-assignment) is warned about again.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django_tasks import task

from tiaodu.core.dates import local_today

from .choices import ProblemStatus
from .models import Problem
from .services import warn_deadline


def warning_days() -> int:
    return settings.TIAODU_PROBLEM_DEADLINE_WARNING_DAYS


def problems_due(today: datetime.date, days: int | None = None):
    """Problems with a department working on them whose deadline is today or within ``days`` days."""
    days = warning_days() if days is None else days
    return (
        Problem.objects.filter(
            Q(status__in=[ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS]),
            deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=days),
            department__isnull=False,
        )
        .select_related("department", "project", "region")
        .order_by("deadline", "pk")
    )


def check_deadlines(today: datetime.date) -> dict:
    problems = 0
    notices = 0
    for problem in problems_due(today):
        sent = warn_deadline(problem=problem, today=today)
        problems += 1
        notices += len(sent)
    return {"problems": problems, "notices": notices}


@task()
def check_problem_deadlines(today: str | None = None) -> dict:
    """Notify each responsible department of its problems whose deadline is within the warning days.

    ``today`` (``YYYY-MM-DD``) defaults to the local date; returns how many problems and notices.
    """
    return check_deadlines(datetime.date.fromisoformat(today) if today else local_today())
