"""The problem workflow: record → assign (交办) → start (签收) → answer (办结) → close (销号) or send back;
escalate county → city → province.

Every step is a keyword-only service taking the acting user: validated, scoped, saved with an
attributed history record, recorded as a ``ProblemEvent``, and the people concerned are notified
(``tiaodu.notices``) once the transaction commits.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW, is_unrestricted, user_can, user_grants
from tiaodu.core.services import require_scope, save_attributed
from tiaodu.notices.services import notify_many
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Organisation
from tiaodu.projects.models import Project
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import LEVEL_ORDER, AttachmentStage, CoordinationLevel, ProblemEventKind, ProblemSource, ProblemStatus
from .models import Problem, ProblemAttachment, ProblemCategory, ProblemEvent, validate_attachment

DEPARTMENT_KINDS = (OrganisationKind.DEPARTMENT, OrganisationKind.GOVERNMENT, OrganisationKind.INSTITUTION)
# The coordination level an administrator's region can act at.
REGION_LEVEL_RANK = {RegionLevel.COUNTY: 0, RegionLevel.ZONE: 0, RegionLevel.CITY: 1, RegionLevel.PROVINCE: 2}
OPEN_STATES = (ProblemStatus.OPEN, ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS, ProblemStatus.ANSWERED)

# ---- who may do what -----------------------------------------------------------------------------


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


def can_coordinate(user, problem: Problem) -> bool:
    """An administrator whose region covers the problem and sits at (or above) its coordination level.

    A county administrator assigns and closes county-level problems; once escalated to the city,
    only the city's (or the province's) administrators do.
    """
    if is_unrestricted(user):
        return True
    if not getattr(user, "is_active", False):
        return False
    needed = level_rank(problem.level)
    for grant in user_grants(user):
        if grant.role != Role.ADMIN:
            continue
        if (
            problem.region.path.startswith(grant.region.path)
            and REGION_LEVEL_RANK.get(grant.region.level, -1) >= needed
        ):
            return True
    return False


def is_department_member(user, organisation: Organisation | None) -> bool:
    if organisation is None or not getattr(user, "is_active", False):
        return False
    return any(g.role == Role.DEPARTMENT and g.organisation_id == organisation.pk for g in user_grants(user))


def can_answer(user, problem: Problem) -> bool:
    """The responsible department's people answer; a coordinating administrator may answer on its behalf."""
    return is_department_member(user, problem.department) or can_coordinate(user, problem)


def department_users(organisation: Organisation | None):
    if organisation is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True, grants__role=Role.DEPARTMENT, grants__organisation=organisation)
        .distinct()
    )


def coordinators(problem: Problem, level: str | None = None):
    """The administrators who coordinate ``problem`` at ``level``: the admins of its region's ancestor at that level."""
    level = level or problem.level
    codes = problem.region.path.strip("/").split("/")
    regions = Region.objects.filter(code__in=codes)
    wanted = {
        CoordinationLevel.COUNTY: [RegionLevel.COUNTY, RegionLevel.ZONE],
        CoordinationLevel.CITY: [RegionLevel.CITY],
        CoordinationLevel.PROVINCE: [RegionLevel.PROVINCE],
    }[level]
    return (
        get_user_model()
        .objects.filter(is_active=True, grants__role=Role.ADMIN, grants__region__in=regions.filter(level__in=wanted))
        .distinct()
    )


def _refuse_unless(condition: bool, message, code: str) -> None:
    if not condition:
        raise ValidationError(message, code=code)


def _locked(problem: Problem) -> Problem:
    # Lock the problem row only: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("region", "project", "department")
        .get(pk=problem.pk)
    )


def _event(problem: Problem, actor, kind: str, *, from_state: str, comment: str = "", **extra) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=problem.status,
        comment=comment,
        **extra,
    )


def _link(problem: Problem) -> str:
    return reverse("problems:problem_detail", args=[problem.pk])


def _notify(recipients, problem: Problem, kind: str, text, *, key: str = "", exclude=None) -> None:
    people = [u for u in recipients if exclude is None or u.pk != exclude.pk]
    notify_many(recipients=people, kind=kind, text=str(text), link=_link(problem), target=problem, key=key)


def _label(problem: Problem) -> str:
    where = problem.project.name if problem.project_id else problem.region.name
    return f"{problem.number}（{where}）{problem}"


def _attach(problem: Problem, actor, files, stage: str) -> None:
    errors = []
    for upload in files or ():
        try:
            validate_attachment(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors}, code="attachment")
    for upload in files or ():
        ProblemAttachment.objects.create(
            problem=problem, stage=stage, file=upload, name=upload.name[:200], size=upload.size, uploaded_by=actor
        )


def _check_department(actor, department: Organisation | None, field: str) -> None:
    if department is None:
        return
    if department.kind not in DEPARTMENT_KINDS:
        raise ValidationError({field: _("责任单位应为政府部门、人民政府/管委会或事业单位。")}, code="not_a_department")
    if not department.is_active:
        raise ValidationError({field: _("该单位已撤销或合并，请选择承继单位。")}, code="dissolved")
    if not Organisation.objects.restrict(actor, VIEW).filter(pk=department.pk).exists():
        raise ValidationError({field: _("您无权在该范围内进行此操作。")}, code="out_of_scope")


# ---- record --------------------------------------------------------------------------------------


@transaction.atomic
def problem_record(
    *,
    actor,
    source: str,
    category: ProblemCategory,
    description: str,
    project: Project | None = None,
    region: Region | None = None,
    found_on: datetime.date | None = None,
    proposed_department: Organisation | None = None,
    proposed_deadline: datetime.date | None = None,
    attachments=(),
    report=None,
) -> Problem:
    """登记问题: anyone who can see the project (or the region) records a problem on it."""
    description = (description or "").strip()
    if project is not None:
        project = Project.objects.select_related("region", "owner").get(pk=project.pk)
        if region is not None and region.pk != project.region_id:
            raise ValidationError({"region": _("问题所在区划应与项目所在区划一致。")}, code="region_mismatch")
        region = project.region
        if not user_can(actor, VIEW, project):
            raise ValidationError({"project": _("您无权在该范围内进行此操作。")}, code="out_of_scope")
    if region is None:
        raise ValidationError({"project": _("请选择项目，或者（无项目时）选择所在区划。")}, code="no_place")
    if category is not None and not category.is_active:
        raise ValidationError({"category": _("该问题类别已停用。")}, code="category_inactive")
    problem = Problem(
        project=project,
        region=region,
        source=source,
        category=category,
        description=description,
        found_on=found_on or local_today(),
        proposed_department=proposed_department,
        proposed_deadline=proposed_deadline,
        report=report,
        created_by=actor,
    )
    require_scope(actor, problem, action=VIEW, field="project" if project else "region")
    _check_department(actor, proposed_department, "proposed_department")
    save_attributed(problem, actor=actor)
    _attach(problem, actor, attachments, AttachmentStage.RECORD)
    _event(problem, actor, ProblemEventKind.RECORDED, from_state="")
    _notify(
        coordinators(problem),
        problem,
        "problem_recorded",
        _("新问题待交办：{problem}").format(problem=_label(problem)),
        exclude=actor,
    )
    return problem


_ITEM_SPLIT = re.compile(r"(?:\r?\n)+|[；;]\s*")
_ITEM_NUMBER = re.compile(r"^\s*(?:[（(]?\d{1,2}[)）.、．]|[一二三四五六七八九十]+[、.．]|[①-⑩])\s*")


def split_problem_text(text: str) -> list[str]:
    """The separate problems in a report's "存在问题": one per line or per "；", numbering removed."""
    items = []
    for part in _ITEM_SPLIT.split(text or ""):
        item = _ITEM_NUMBER.sub("", part).strip().rstrip("。；;，, ")
        if item and item not in ("无", "暂无", "没有", "无问题"):
            items.append(item)
    return items


@transaction.atomic
def problems_from_report(*, actor, report, category: ProblemCategory) -> list[Problem]:
    """转为问题: the problems met in a monthly report become ledger problems, one per item, in one step."""
    from tiaodu.reports.models import MonthlyReport

    report = MonthlyReport.objects.select_related("project__region").get(pk=report.pk)
    require_scope(actor, report, action=VIEW)
    items = split_problem_text(report.problems_text)
    if not items:
        raise ValidationError(_("该月报没有填写存在的问题。"), code="no_problems")
    if Problem.objects.filter(report=report).exists():
        raise ValidationError(_("该月报的问题已转入问题清单。"), code="already_converted")
    found_on = min(local_today(), (report.submitted_at and timezone.localdate(report.submitted_at)) or local_today())
    return [
        problem_record(
            actor=actor,
            source=ProblemSource.OWNER_REPORT,
            category=category,
            description=item,
            project=report.project,
            found_on=found_on,
            report=report,
        )
        for item in items
    ]


# ---- assign, start, answer -----------------------------------------------------------------------


@transaction.atomic
def problem_assign(
    *,
    actor,
    problem: Problem,
    department: Organisation,
    deadline: datetime.date,
    level: str | None = None,
    comment: str = "",
) -> Problem:
    """交办: a coordinating administrator gives the problem to a department with a deadline and a level.

    Also re-assigns a problem already assigned (another department or deadline) until it is answered.
    """
    problem = _locked(problem)
    require_scope(actor, problem)
    _refuse_unless(
        problem.status in (ProblemStatus.OPEN, ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS),
        _("该问题当前为“{status}”，不能交办。").format(status=problem.get_status_display()),
        "not_assignable",
    )
    level = level or problem.level
    if level not in CoordinationLevel.values:
        raise ValidationError({"level": _("未知的协调层级。")}, code="bad_level")
    if level_rank(level) < level_rank(problem.level):
        raise ValidationError(
            {"level": _("问题已提级到{level}协调，不能降级交办。").format(level=problem.get_level_display())},
            code="level_down",
        )
    if department is None:
        raise ValidationError({"department": _("请选择责任单位。")}, code="required")
    if deadline is None:
        raise ValidationError({"deadline": _("请填写办理时限。")}, code="required")
    before = problem.status
    problem.level = level
    _refuse_unless(
        can_coordinate(actor, problem),
        _("{level}协调的问题须由{level}管理员交办。").format(level=problem.get_level_display()),
        "not_coordinator",
    )
    _check_department(actor, department, "department")
    previous_department = problem.department
    problem.department = department
    problem.deadline = deadline
    problem.status = ProblemStatus.ASSIGNED
    problem.assigned_at = timezone.now()
    problem.assigned_by = actor
    problem.send_back_reason = ""
    save_attributed(problem, actor=actor, reason=comment)
    _event(
        problem,
        actor,
        ProblemEventKind.ASSIGNED,
        from_state=before,
        comment=comment,
        department=department,
        deadline=deadline,
    )
    text = _("交办给{department}，限{deadline}前办结：{problem}").format(
        department=department, deadline=deadline.isoformat(), problem=_label(problem)
    )
    _notify(department_users(department), problem, "problem_assigned", text, exclude=actor)
    if previous_department is not None and previous_department.pk != department.pk:
        _notify(
            department_users(previous_department),
            problem,
            "problem_reassigned",
            _("问题已改交{department}办理：{problem}").format(department=department, problem=_label(problem)),
            exclude=actor,
        )
    return problem


@transaction.atomic
def problem_start(*, actor, problem: Problem) -> Problem:
    """签收: the responsible department acknowledges the assignment and starts working on it."""
    problem = _locked(problem)
    require_scope(actor, problem, action=VIEW)
    _refuse_unless(
        is_department_member(actor, problem.department) or can_coordinate(actor, problem),
        _("该问题未交办给您的单位。"),
        "not_your_department",
    )
    _refuse_unless(
        problem.status == ProblemStatus.ASSIGNED,
        _("只有已交办、尚未签收的问题可以签收，该问题当前为“{status}”。").format(status=problem.get_status_display()),
        "not_assigned",
    )
    problem.status = ProblemStatus.IN_PROGRESS
    save_attributed(problem, actor=actor, validate_constraints=False)
    _event(problem, actor, ProblemEventKind.STARTED, from_state=ProblemStatus.ASSIGNED)
    return problem


@transaction.atomic
def problem_answer(
    *, actor, problem: Problem, answer: str, answered_on: datetime.date | None = None, attachments=()
) -> Problem:
    """办结: the responsible department says what it did, with evidence; the assigner then closes or sends back."""
    problem = _locked(problem)
    require_scope(actor, problem, action=VIEW)
    _refuse_unless(can_answer(actor, problem), _("该问题未交办给您的单位，不能办结。"), "not_your_department")
    _refuse_unless(
        problem.status in (ProblemStatus.ASSIGNED, ProblemStatus.IN_PROGRESS),
        _("只有已交办或办理中的问题可以办结，该问题当前为“{status}”。").format(status=problem.get_status_display()),
        "not_in_progress",
    )
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写办理情况。")}, code="required")
    answered_on = answered_on or local_today()
    if answered_on > local_today() or answered_on < problem.found_on:
        raise ValidationError({"answered_on": _("办结日期应在发现日期和今天之间。")}, code="bad_date")
    before = problem.status
    problem.status = ProblemStatus.ANSWERED
    problem.answer = answer
    problem.answered_on = answered_on
    problem.answered_by = actor
    save_attributed(problem, actor=actor, validate_constraints=False)
    _attach(problem, actor, attachments, AttachmentStage.ANSWER)
    _event(problem, actor, ProblemEventKind.ANSWERED, from_state=before, comment=answer)
    recipients = list(coordinators(problem))
    if problem.assigned_by_id:
        recipients.insert(0, problem.assigned_by)
    _notify(
        recipients,
        problem,
        "problem_answered",
        _("{department}已办结，待销号：{problem}").format(
            department=problem.department or "—", problem=_label(problem)
        ),
        exclude=actor,
    )
    return problem


# ---- close, send back, escalate ------------------------------------------------------------------


def _coordinating(actor, problem: Problem, verb) -> None:
    require_scope(actor, problem)
    _refuse_unless(
        can_coordinate(actor, problem),
        _("{level}协调的问题须由{level}管理员{verb}。").format(level=problem.get_level_display(), verb=verb),
        "not_coordinator",
    )


@transaction.atomic
def problem_close(*, actor, problem: Problem, comment: str = "", closed_on: datetime.date | None = None) -> Problem:
    """销号: the assigner accepts the answer; the problem counts as solved from ``closed_on``."""
    problem = _locked(problem)
    _coordinating(actor, problem, _("销号"))
    _refuse_unless(
        problem.status == ProblemStatus.ANSWERED,
        _("问题尚未办结，不能销号（当前为“{status}”）。").format(status=problem.get_status_display()),
        "not_answered",
    )
    closed_on = closed_on or local_today()
    if closed_on > local_today() or (problem.answered_on and closed_on < problem.answered_on):
        raise ValidationError({"closed_on": _("销号日期应在办结日期和今天之间。")}, code="bad_date")
    problem.status = ProblemStatus.CLOSED
    problem.closed_on = closed_on
    problem.closed_by = actor
    problem.resolution_days = (closed_on - problem.found_on).days
    save_attributed(problem, actor=actor, reason=comment, validate_constraints=False)
    _event(problem, actor, ProblemEventKind.CLOSED, from_state=ProblemStatus.ANSWERED, comment=comment)
    _notify(
        department_users(problem.department),
        problem,
        "problem_closed",
        _("问题已销号：{problem}").format(problem=_label(problem)),
        exclude=actor,
    )
    return problem


@transaction.atomic
def problem_send_back(*, actor, problem: Problem, reason: str) -> Problem:
    """退回重办: the answer is not enough; back to the department, in progress, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回必须说明原因。")}, code="reason_required")
    problem = _locked(problem)
    _coordinating(actor, problem, _("退回"))
    _refuse_unless(
        problem.status == ProblemStatus.ANSWERED,
        _("只有已办结、待销号的问题可以退回，该问题当前为“{status}”。").format(status=problem.get_status_display()),
        "not_answered",
    )
    problem.status = ProblemStatus.IN_PROGRESS
    problem.send_back_reason = reason
    save_attributed(problem, actor=actor, reason=reason, validate_constraints=False)
    _event(problem, actor, ProblemEventKind.SENT_BACK, from_state=ProblemStatus.ANSWERED, comment=reason)
    _notify(
        department_users(problem.department),
        problem,
        "problem_sent_back",
        _("办结被退回，请重新办理（{reason}）：{problem}").format(reason=reason, problem=_label(problem)),
        exclude=actor,
    )
    return problem


@transaction.atomic
def problem_escalate(*, actor, problem: Problem, reason: str) -> Problem:
    """提级协调: the level cannot solve it; the next level up (county → city → province) takes it over.

    The problem goes back to 待交办 at the new level, keeping its department, deadline and history,
    and the administrators of that level are notified.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("提级协调必须说明原因。")}, code="reason_required")
    problem = _locked(problem)
    _coordinating(actor, problem, _("提级"))
    _refuse_unless(problem.status != ProblemStatus.CLOSED, _("问题已销号，不能提级。"), "closed")
    _refuse_unless(problem.level != CoordinationLevel.PROVINCE, _("问题已在省级协调，不能再提级。"), "top_level")
    before_state, before_level = problem.status, problem.level
    problem.level = LEVEL_ORDER[level_rank(problem.level) + 1]
    problem.status = ProblemStatus.OPEN
    save_attributed(problem, actor=actor, reason=reason, validate_constraints=False)
    _event(
        problem,
        actor,
        ProblemEventKind.ESCALATED,
        from_state=before_state,
        comment=reason,
        from_level=before_level,
        to_level=problem.level,
    )
    text = _("问题提级至{level}协调（{reason}）：{problem}").format(
        level=problem.get_level_display(), reason=reason, problem=_label(problem)
    )
    _notify(coordinators(problem), problem, "problem_escalated", text, exclude=actor)
    _notify(department_users(problem.department), problem, "problem_escalated", text, exclude=actor)
    return problem


def warn_deadline(*, problem: Problem, today: datetime.date) -> list:
    """临期提醒: tell the responsible department the deadline is near; once per problem and deadline."""
    from tiaodu.notices.services import notify_many

    days = (problem.deadline - today).days
    if days == 0:
        text = _("今天到期，请抓紧办结：{problem}").format(problem=_label(problem))
    else:
        text = _("还有 {days} 天到期（{deadline}），请抓紧办结：{problem}").format(
            days=days, deadline=problem.deadline.isoformat(), problem=_label(problem)
        )
    return notify_many(
        recipients=department_users(problem.department),
        kind="problem_deadline",
        text=str(text),
        link=_link(problem),
        target=problem,
        key=f"problem:{problem.pk}:deadline:{problem.deadline.isoformat()}",
    )


# ---- categories ------------------------------------------------------------------------------------


def can_edit_categories(user) -> bool:
    """The category list is shared by the whole city: kept by city (or province) administrators."""
    if is_unrestricted(user):
        return True
    return any(
        g.role == Role.ADMIN and g.region.level in (RegionLevel.CITY, RegionLevel.PROVINCE) for g in user_grants(user)
    )


@transaction.atomic
def category_save(
    *,
    actor,
    name: str,
    group: str,
    sort_order: int = 100,
    is_active: bool = True,
    category: ProblemCategory | None = None,
) -> ProblemCategory:
    """Add or change a problem category (问题类别). A category in use is deactivated, never deleted."""
    if not can_edit_categories(actor):
        raise ValidationError(_("问题类别由市级管理员维护。"), code="not_city_admin")
    category = category or ProblemCategory()
    category.name = (name or "").strip()
    category.group = group
    category.sort_order = sort_order
    category.is_active = is_active
    save_attributed(category, actor=actor)
    return category
