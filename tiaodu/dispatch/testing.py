"""Test helpers: a county-B dispatch meeting added to the shared ``world`` (after ``add_problems``)."""

import datetime
from decimal import Decimal

from tiaodu.problems.testing import add_problems, category, png

from . import services
from .choices import AgendaReason, MeetingKind


def add_meetings(w):
    """Give ``w`` a meeting of county B (an agenda item, a task on the spot) a site visit and a tour. Idempotent."""
    add_problems(w)
    if getattr(w, "meeting_b", None) is not None:
        return w
    w.meeting_b = services.meeting_schedule(
        actor=w.admin_b,
        region=w.county_b,
        title="长子县重点项目周调度会",
        date=datetime.date(2025, 6, 10),
        kind=MeetingKind.WEEKLY,
        level="county",
        attendees=[w.dept_b_org],
    )
    w.item_b = services.agenda_add(
        actor=w.admin_b, meeting=w.meeting_b, project=w.project_b, reason=AgendaReason.OVERDUE
    )
    w.task_b = services.meeting_assign_task(
        actor=w.admin_b,
        meeting=w.meeting_b,
        item=w.item_b,
        project=None,
        category=category("资金"),
        description="长子县乙项目配套资金限期到位",
        department=w.dept_b_org,
        deadline=datetime.date(2025, 6, 30),
    )
    w.visit_b = services.visit_record(
        actor=w.admin_b,
        region=w.county_b,
        date=datetime.date(2025, 6, 5),
        leaders=[w.official_b],
        projects=[w.project_b],
        notes="长子县乙项目现场调研",
        photos=[png("长子调研.png")],
    )
    w.photo_b = w.visit_b.photos.get()
    w.tour_b = services.tour_create(
        actor=w.admin_b,
        region=w.county_b,
        title="长子县二季度拉练观摩",
        year=2025,
        quarter=2,
        date=datetime.date(2025, 6, 20),
        projects=[w.project_b],
        criteria=[("形象进度", Decimal(100), Decimal(100))],
    )
    services.tour_score(
        actor=w.admin_b, tour=w.tour_b, project=w.project_b, criterion=w.tour_b.criteria.get(), score=Decimal(88)
    )
    return w
