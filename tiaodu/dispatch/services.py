"""Dispatch meetings: schedule, put projects on the agenda, record decisions, hand out tasks on the spot
(ledger problems through ``problems.services``), mark held. Keyword-only, scoped, attributed."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW, user_can
from tiaodu.core.services import require_scope, save_attributed
from tiaodu.orgs.models import Official, Organisation
from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.models import Problem, ProblemCategory, validate_attachment
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

from .choices import AgendaReason, MeetingStatus
from .models import (
    AgendaItem,
    InspectionTour,
    Meeting,
    MeetingTask,
    SiteVisit,
    TourCriterion,
    TourScore,
    VisitFinding,
    VisitPhoto,
)


def _visible(actor, obj, field: str) -> None:
    if obj is not None and not user_can(actor, VIEW, obj):
        raise ValidationError({field: _("您无权在该范围内进行此操作。")}, code="out_of_scope")


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    region: Region,
    title: str,
    date: datetime.date,
    kind: str,
    level: str,
    chair: Official | None = None,
    attendees=(),
    place: str = "",
) -> Meeting:
    """安排调度会: an administrator of the region schedules a meeting."""
    meeting = Meeting(
        region=region,
        title=(title or "").strip(),
        date=date,
        kind=kind,
        level=level,
        chair=chair,
        place=place,
        created_by=actor,
    )
    require_scope(actor, meeting, field="region")
    _visible(actor, chair, "chair")
    for organisation in attendees:
        _visible(actor, organisation, "attendees")
    save_attributed(meeting, actor=actor)
    meeting.attendees.set(attendees)
    return meeting


def _changeable(actor, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("region").get(pk=meeting.pk)
    require_scope(actor, meeting)
    return meeting


@transaction.atomic
def agenda_add(*, actor, meeting: Meeting, project: Project, reason: str = AgendaReason.OTHER) -> AgendaItem:
    """上会: put a project on the agenda (once per meeting)."""
    meeting = _changeable(actor, meeting)
    _visible(actor, project, "project")
    if not project.region.path.startswith(meeting.region.path):
        raise ValidationError({"project": _("该项目不在本次会议的调度范围内。")}, code="project_outside")
    item = AgendaItem(meeting=meeting, project=project, reason=reason, position=meeting.items.count() + 1)
    save_attributed(item, actor=actor)
    return item


@transaction.atomic
def agenda_record_decisions(*, actor, item: AgendaItem, decisions: str) -> AgendaItem:
    """议定事项: what the meeting decided on the project."""
    item = AgendaItem.objects.select_related("meeting__region").get(pk=item.pk)
    require_scope(actor, item)
    decisions = (decisions or "").strip()
    if not decisions:
        raise ValidationError({"decisions": _("请填写议定事项。")}, code="required")
    item.decisions = decisions
    save_attributed(item, actor=actor, reason=_("议定事项"))
    return item


@transaction.atomic
def meeting_assign_task(
    *,
    actor,
    meeting: Meeting,
    project: Project | None,
    category: ProblemCategory,
    description: str,
    department: Organisation,
    deadline: datetime.date,
    item: AgendaItem | None = None,
) -> MeetingTask:
    """现场交办: a problem found at the meeting, recorded and assigned at once at the meeting's level."""
    meeting = _changeable(actor, meeting)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("议题不属于本次会议。")}, code="item_mismatch")
    if project is None and item is not None:
        project = item.project
    problem = problem_services.problem_record(
        actor=actor,
        source=ProblemSource.MEETING,
        category=category,
        description=description,
        project=project,
        region=None if project else meeting.region,
        found_on=meeting.date,
    )
    problem = problem_services.problem_assign(
        actor=actor,
        problem=problem,
        department=department,
        deadline=deadline,
        level=meeting.level,
        comment=str(_("{meeting}现场交办")).format(meeting=meeting),
    )
    task = MeetingTask(meeting=meeting, item=item, problem=problem)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def meeting_mark_held(*, actor, meeting: Meeting) -> Meeting:
    meeting = _changeable(actor, meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("会议已标记为已召开。"), code="already_held")
    meeting.status = MeetingStatus.HELD
    save_attributed(meeting, actor=actor, reason=_("已召开"))
    return meeting


def previous_meeting(meeting: Meeting, user) -> Meeting | None:
    """The last meeting of the same region and kind before this one, in the user's scope."""
    return (
        Meeting.objects.restrict(user, VIEW)
        .filter(region=meeting.region, kind=meeting.kind, date__lt=meeting.date)
        .order_by("-date", "-pk")
        .first()
    )


def task_problems(meeting: Meeting, user):
    return (
        Problem.objects.restrict(user, VIEW)
        .filter(meeting_task__meeting=meeting)
        .select_related("project", "department", "category")
    )


# ---- site visits -----------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *, actor, region: Region, date: datetime.date, leaders, projects, notes: str = "", photos=()
) -> SiteVisit:
    """登记现场调研: who (leaders), when, which project sites, notes and photos."""
    leaders, projects = list(leaders or ()), list(projects or ())
    visit = SiteVisit(region=region, date=date, notes=(notes or "").strip(), created_by=actor)
    require_scope(actor, visit, field="region")
    errors = {}
    if date and date > local_today():
        errors["date"] = _("调研日期不能晚于今天。")
    if not leaders:
        errors["leaders"] = _("请选择调研领导。")
    if not projects:
        errors["projects"] = _("请选择调研项目。")
    for project in projects:
        if not project.region.path.startswith(region.path) or not user_can(actor, VIEW, project):
            errors["projects"] = _("项目“{project}”不在本次调研的区划内。").format(project=project.name)
    for leader in leaders:
        if not user_can(actor, VIEW, leader):
            errors["leaders"] = _("您无权在该范围内进行此操作。")
    photo_errors = []
    for upload in photos or ():
        try:
            validate_attachment(upload)
        except ValidationError as error:
            photo_errors.extend(error.messages)
    if photo_errors:
        errors["photos"] = photo_errors
    if errors:
        raise ValidationError(errors, code="invalid")
    save_attributed(visit, actor=actor)
    visit.leaders.set(leaders)
    visit.projects.set(projects)
    for upload in photos or ():
        VisitPhoto.objects.create(visit=visit, file=upload, name=upload.name[:200])
    return visit


@transaction.atomic
def visit_add_problem(
    *, actor, visit, project: Project, category: ProblemCategory, description: str, proposed_department=None
):
    """调研发现问题: a problem found at one of the visited sites goes into the ledger, linked to the visit."""
    visit = SiteVisit.objects.select_related("region").get(pk=visit.pk)
    require_scope(actor, visit)
    if project is None or not visit.projects.filter(pk=project.pk).exists():
        raise ValidationError({"project": _("请选择本次调研的项目。")}, code="project_not_visited")
    problem = problem_services.problem_record(
        actor=actor,
        source=ProblemSource.SITE_VISIT,
        category=category,
        description=description,
        project=project,
        found_on=visit.date,
        proposed_department=proposed_department,
    )
    return VisitFinding.objects.create(visit=visit, problem=problem)


# ---- inspection tours ------------------------------------------------------------------------------


@transaction.atomic
def tour_create(
    *, actor, region: Region, title: str, year: int, quarter: int, date: datetime.date, projects, criteria
) -> InspectionTour:
    """安排拉练观摩: the projects to visit and the criteria ``[(name, weight, max_score), …]`` to score them on."""
    projects, criteria = list(projects or ()), list(criteria or ())
    tour = InspectionTour(
        region=region, title=(title or "").strip(), year=year, quarter=quarter, date=date, created_by=actor
    )
    require_scope(actor, tour, field="region")
    errors = {}
    if not projects:
        errors["projects"] = _("请选择观摩项目。")
    for project in projects:
        if not project.region.path.startswith(region.path) or not user_can(actor, VIEW, project):
            errors["projects"] = _("项目“{project}”不在本次观摩的区划内。").format(project=project.name)
    if not criteria:
        errors["criteria"] = _("请至少设置一个评分项。")
    names = [name for name, _weight, _max in criteria]
    if len(set(names)) != len(names):
        errors["criteria"] = _("评分项名称不能重复。")
    if errors:
        raise ValidationError(errors, code="invalid")
    save_attributed(tour, actor=actor)
    tour.projects.set(projects)
    for name, weight, max_score in criteria:
        criterion = TourCriterion(tour=tour, name=name, weight=weight, max_score=max_score)
        try:
            criterion.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {"criteria": _("评分项“{name}”：{error}").format(name=name, error="；".join(error.messages))}
            ) from None
        save_attributed(criterion, actor=actor)
    return tour


def plain(value: Decimal) -> str:
    """A decimal as people write it: 50, 12.5 (never 5E+1)."""
    return format(value.normalize(), "f")


def can_score(user, tour: InspectionTour) -> bool:
    """Scorers: the administrators and leaders who can see the tour (owners never do)."""
    return user_can(user, VIEW, tour)


@transaction.atomic
def tour_score(*, actor, tour: InspectionTour, project: Project, criterion: TourCriterion, score) -> TourScore:
    """评分: one scorer's score of a project on a criterion, between 0 and the criterion's full score."""
    tour = InspectionTour.objects.select_related("region").get(pk=tour.pk)
    if not can_score(actor, tour):
        raise ValidationError(_("您无权在该范围内进行此操作。"), code="out_of_scope")
    if criterion.tour_id != tour.pk or not tour.projects.filter(pk=project.pk).exists():
        raise ValidationError(_("评分项或项目不属于本次观摩。"), code="mismatch")
    try:
        score = Decimal(str(score).strip())
    except (ArithmeticError, ValueError):
        score = None
    if score is None or not score.is_finite():
        raise ValidationError({"score": _("得分应为数字。")}, code="not_a_number")
    if score < 0 or score > criterion.max_score:
        raise ValidationError(
            {
                "score": _("“{criterion}”的得分应在 0 到 {max} 之间，不能为 {score}。").format(
                    criterion=criterion.name, max=plain(criterion.max_score), score=plain(score)
                )
            },
            code="out_of_range",
        )
    record = TourScore.objects.filter(criterion=criterion, project=project, scorer=actor).first() or TourScore(
        criterion=criterion, project=project, scorer=actor
    )
    record.score = score
    save_attributed(record, actor=actor)
    return record
