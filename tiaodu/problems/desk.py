"""The leader's desk (领导工作台): a 包联 leader's projects with stage, investment progress, open and overdue
problems — the page a leader opens on a phone before a site visit.

Reads only, through the user's scope: the projects are ``Project.objects.restrict(user, VIEW)`` whose
包联领导 is the official, and their problems counted in SQL (one query for the whole list).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from tiaodu.core.scoping import VIEW
from tiaodu.orgs.models import Official
from tiaodu.projects.choices import KeyListStatus
from tiaodu.projects.models import KeyListEntry, Project
from tiaodu.reports.models import MonthlyReport

from .choices import ProblemStatus
from .models import Problem, overdue_q

MONEY = DecimalField(max_digits=18, decimal_places=2)


def desk_officials(user):
    """The officials whose desk the user may open: every official in scope (leaders read everything in scope)."""
    return Official.objects.restrict(user, VIEW).select_related("organisation").order_by("region__code", "name")


def own_official(user) -> Official | None:
    return Official.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None


def _count(problems, field="project"):
    return Coalesce(
        Subquery(
            problems.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def desk_projects(user, official: Official, today: datetime.date):
    """The official's projects in the user's scope, with this year's plan and progress and problem counts."""
    year = today.year
    latest = MonthlyReport.objects.counted().filter(project=OuterRef("pk"), period__year=year).order_by("-period")
    plan = (
        KeyListEntry.objects.filter(
            project=OuterRef("pk"), key_list__year=year, key_list__status=KeyListStatus.PUBLISHED
        )
        .order_by("-annual_plan")
        .values("annual_plan")[:1]
    )
    problems = Problem.objects.restrict(user, VIEW)
    unsolved = problems.filter(~Q(status=ProblemStatus.CLOSED))
    return (
        Project.objects.restrict(user, VIEW)
        .filter(leader=official)
        .select_related("region", "owner")
        .annotate(
            ytd=Subquery(latest.values("ytd")[:1], output_field=MONEY),
            last_period=Subquery(latest.values("period")[:1]),
            progress_pct=Subquery(latest.values("progress_pct")[:1]),
            annual_plan=Subquery(plan, output_field=MONEY),
            open_problems=_count(unsolved),
            overdue_problems=_count(unsolved.filter(overdue_q(today))),
        )
        .order_by("-overdue_problems", "-open_problems", "region__code", "name")
    )


def completion(ytd, plan) -> Decimal | None:
    """投资完成率 of one project: YTD ÷ annual plan, one decimal, rounded half up."""
    if not plan or ytd is None:
        return None
    return (Decimal(ytd) * 100 / Decimal(plan)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def next_meeting(user, official: Official, project_ids, today: datetime.date):
    """The next dispatch meeting in scope that the official chairs or that has one of their projects on the agenda."""
    from django.apps import apps

    if not apps.is_installed("tiaodu.dispatch"):
        return None
    Meeting = apps.get_model("dispatch", "Meeting")
    return (
        Meeting.objects.restrict(user, VIEW)
        .filter(date__gte=today)
        .filter(Q(chair=official) | Q(items__project_id__in=project_ids))
        .order_by("date", "pk")
        .first()
    )
