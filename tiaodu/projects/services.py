"""Writes to the registry: register, edit, move through the stages, keep the yearly lists.

Every function is keyword-only, takes the acting user as ``actor``, validates through the model
(``full_clean``) and the scope, and records who did what: field history via django-simple-history,
stage moves as ``StageTransition`` rows. Views, API views, commands and the demo loader call these.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW, user_can
from tiaodu.core.services import changed_fields, require_scope, save_attributed

from .choices import MAIN_LINE, KeyListStatus, Stage
from .models import KeyList, KeyListEntry, Project, StageTransition, missing_stage_facts

# Fields a user edits on the project form. The stage and its bookkeeping move only through
# ``project_change_stage``; the fact dates may be corrected here, under the same validation.
EDITABLE_FIELDS = (
    "code",
    "name",
    "owner",
    "region",
    "address",
    "sector",
    "industry",
    "nature",
    "total_investment",
    "construction_content",
    "planned_start_date",
    "planned_completion_date",
    "planned_commissioning_date",
    "actual_start_date",
    "actual_completion_date",
    "actual_commissioning_date",
    "capacity_date",
    "in_statistics",
    "leader",
    "responsible_department",
    "task_force",
    "service_agent",
)

# Which stages a project may move to from each stage. A suspended or withdrawn project returns
# to the stage it left (``previous_stage``), handled separately.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.PLANNING: (Stage.PRELIMINARY, Stage.CONSTRUCTION, Stage.WITHDRAWN),
    Stage.PRELIMINARY: (Stage.CONSTRUCTION, Stage.SUSPENDED, Stage.WITHDRAWN),
    Stage.CONSTRUCTION: (Stage.OPERATING, Stage.SUSPENDED, Stage.WITHDRAWN),
    Stage.OPERATING: (Stage.CAPACITY,),
    Stage.CAPACITY: (),
    Stage.SUSPENDED: (Stage.WITHDRAWN,),
    Stage.WITHDRAWN: (),
}

# The field that records the fact a move into a stage establishes; the transition's date goes there.
FACT_DATE_FIELD = {
    Stage.CONSTRUCTION: "actual_start_date",
    Stage.OPERATING: "actual_commissioning_date",
    Stage.CAPACITY: "capacity_date",
}

REASON_REQUIRED = (Stage.SUSPENDED, Stage.WITHDRAWN)


def _require_visible_references(actor, project: Project) -> None:
    """The owner, departments and leader a project points to must be ones the actor can see."""
    errors = {}
    for field in ("owner", "responsible_department", "service_agent", "leader"):
        target = getattr(project, field)
        if target is not None and not user_can(actor, VIEW, target):
            errors[field] = _("所选{field}不在您的权限范围内。").format(
                field=Project._meta.get_field(field).verbose_name
            )
    if errors:
        raise ValidationError(errors, code="out_of_scope")


def _refresh_figures(projects, years=None, regions=()) -> None:
    """What the figures count changed for these projects (and years): refresh their figure rows."""
    from tiaodu.figures.rollup import rollup_refresh  # figures build on projects, not the other way round

    rollup_refresh(projects=projects, years=years, regions=regions)


def allowed_targets(project: Project) -> list[str]:
    """The stages this project can move to next, in the order a user would read them."""
    targets = list(TRANSITIONS[project.stage])
    if project.stage in (Stage.SUSPENDED, Stage.WITHDRAWN) and project.previous_stage:
        targets.insert(0, project.previous_stage)
    return targets


@transaction.atomic
def project_create(
    *, actor, stage: str = Stage.PLANNING, stage_since: datetime.date | None = None, reason: str = "", **fields
) -> Project:
    """Register a project (登记项目), possibly already past planning when its facts are given.

    A project that enters the registry in a later stage (a 续建 project taken over from a ledger)
    must carry every fact that stage needs; its arrival is recorded as a stage transition.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"project_create got unexpected fields: {sorted(unknown)}")
    if stage not in MAIN_LINE:
        raise ValidationError({"stage": _("新登记的项目只能处于谋划、前期、在建、投产或达产阶段。")})
    project = Project(**fields, stage=stage, created_by=actor)
    fact_field = FACT_DATE_FIELD.get(stage)
    # When the stage's date is not known (a project typed in today that began long ago), it stays
    # empty rather than pretending to be today, so its earlier moves can still be recorded.
    project.stage_since = stage_since or (getattr(project, fact_field) if fact_field else None)
    require_scope(actor, project, field="region")
    _require_visible_references(actor, project)
    save_attributed(project, actor=actor, reason=reason)
    StageTransition.objects.create(
        project=project,
        actor=actor,
        from_state="",
        to_state=stage,
        effective_date=project.stage_since or local_today(),
        comment=reason,
    )
    return project


@transaction.atomic
def project_update(*, project: Project, actor, reason: str = "", **fields) -> Project:
    """Edit a project's fields. The stage is not among them: it moves only by ``project_change_stage``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"project_update got unexpected fields: {sorted(unknown)}")
    require_scope(actor, project)
    changes = changed_fields(project, fields)
    if not changes:
        return project
    # The new region (if it changed) must be in scope too.
    require_scope(actor, project, field="region")
    _require_visible_references(actor, project)
    save_attributed(project, actor=actor, reason=reason)
    _refresh_figures([project])
    return project


@transaction.atomic
def project_change_stage(
    *, project: Project, actor, to_stage: str, date: datetime.date, reason: str = "", code: str | None = None
) -> StageTransition:
    """Move a project to another stage (阶段变更), given the dated fact that justifies the move.

    - 前期: the date preliminary work began;
    - 在建: the actual start date (实际开工), and the national project code if it has none yet;
    - 投产: the actual commissioning date (实际投产); 达产: the date capacity was reached;
    - 停缓建 and 退库: the date and a reason; resuming returns to the stage the project left.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    require_scope(actor, project)
    errors: dict[str, list] = {}
    today = local_today()
    if to_stage not in allowed_targets(project):
        raise ValidationError(
            {
                "to_stage": _("项目当前处于“{current}”阶段，不能转入“{target}”。").format(
                    current=project.get_stage_display(),
                    target=Stage(to_stage).label if to_stage in Stage.values else to_stage,
                )
            },
            code="invalid_transition",
        )
    if date is None:
        errors.setdefault("date", []).append(_("请填写发生日期。"))
    elif date > today:
        errors.setdefault("date", []).append(_("发生日期不能晚于今天（{today}）。").format(today=today.isoformat()))
    elif project.stage_since and date < project.stage_since:
        errors.setdefault("date", []).append(
            _("发生日期不能早于项目进入当前阶段的日期（{since}）。").format(since=project.stage_since.isoformat())
        )
    reason = (reason or "").strip()
    if to_stage in REASON_REQUIRED and not reason:
        errors.setdefault("reason", []).append(_("转入“{target}”必须说明原因。").format(target=Stage(to_stage).label))
    if errors:
        raise ValidationError(errors)

    from_stage = project.stage
    resuming = from_stage in (Stage.SUSPENDED, Stage.WITHDRAWN) and to_stage == project.previous_stage
    if code and not project.code:
        project.code = code
    fact_field = FACT_DATE_FIELD.get(to_stage)
    if fact_field and not resuming:
        setattr(project, fact_field, date)
    if to_stage in (Stage.SUSPENDED, Stage.WITHDRAWN):
        if from_stage not in (Stage.SUSPENDED, Stage.WITHDRAWN):
            project.previous_stage = from_stage
    elif resuming:
        project.previous_stage = ""
    project.stage = to_stage
    project.stage_since = date

    missing = missing_stage_facts(project, project.effective_stage)
    if missing:
        raise ValidationError(
            {
                field: _("转入“{target}”须提供{field}。").format(
                    target=Stage(to_stage).label, field=Project._meta.get_field(field).verbose_name
                )
                for field in missing
            },
            code="missing_fact",
        )
    save_attributed(project, actor=actor, reason=reason)
    transition = StageTransition.objects.create(
        project=project,
        actor=actor,
        from_state=from_stage,
        to_state=to_stage,
        effective_date=date,
        comment=reason,
    )
    _refresh_figures([project])
    return transition


def stage_fact_label(to_stage: str) -> str:
    """How the date of a move into ``to_stage`` is called on the form."""
    field = FACT_DATE_FIELD.get(to_stage)
    if field:
        return str(Project._meta.get_field(field).verbose_name)
    return {
        Stage.PRELIMINARY: str(_("前期工作启动日期")),
        Stage.SUSPENDED: str(_("停缓建日期")),
        Stage.WITHDRAWN: str(_("退库日期")),
    }.get(to_stage, str(_("发生日期")))


# ---- key-project lists -------------------------------------------------------------------------


@transaction.atomic
def key_list_create(*, actor, region, year: int, level: str, title: str = "", note: str = "") -> KeyList:
    key_list = KeyList(region=region, year=year, level=level, title=title, note=note)
    require_scope(actor, key_list, field="region")
    if KeyList.objects.filter(region=region, year=year, level=level).exists():
        raise ValidationError(
            _("{region}{year}年的{level}名单已存在。").format(
                region=region, year=year, level=key_list.get_level_display()
            ),
            code="duplicate_list",
        )
    return save_attributed(key_list, actor=actor)


@transaction.atomic
def key_list_add_project(
    *, key_list: KeyList, project: Project, actor, annual_plan: Decimal, nature: str | None = None, note: str = ""
) -> KeyListEntry:
    """Put a project on a list with its annual planned investment (年度计划投资)."""
    require_scope(actor, key_list)
    if not project.region.path.startswith(key_list.region.path):
        raise ValidationError(
            {
                "project": _("项目“{project}”不在{region}范围内，不能列入该名单。").format(
                    project=project, region=key_list.region
                )
            },
            code="project_outside_list_region",
        )
    if project.stage == Stage.WITHDRAWN:
        raise ValidationError({"project": _("已退库的项目不能列入名单。")}, code="withdrawn")
    if KeyListEntry.objects.filter(key_list=key_list, project=project).exists():
        raise ValidationError({"project": _("该项目已在名单中。")}, code="duplicate_entry")
    entry = KeyListEntry(
        key_list=key_list, project=project, annual_plan=annual_plan, nature=nature or project.nature, note=note
    )
    save_attributed(entry, actor=actor)
    _refresh_figures([project], [key_list.year])
    return entry


@transaction.atomic
def key_list_update_entry(*, entry: KeyListEntry, actor, reason: str = "", **fields) -> KeyListEntry:
    require_scope(actor, entry.key_list)
    unknown = set(fields) - {"annual_plan", "nature", "note"}
    if unknown:
        raise TypeError(f"key_list_update_entry got unexpected fields: {sorted(unknown)}")
    if changed_fields(entry, fields):
        save_attributed(entry, actor=actor, reason=reason)
        _refresh_figures([entry.project_id], [entry.key_list.year])
    return entry


@transaction.atomic
def key_list_remove_entry(*, entry: KeyListEntry, actor, reason: str = "") -> None:
    require_scope(actor, entry.key_list)
    entry._history_user = actor
    entry._change_reason = reason
    # Its figure rows go with it: their region's sums are redone with the project's other rows.
    regions = list(entry.figure_rows.order_by().values_list("region", flat=True).distinct())
    entry.delete()
    _refresh_figures([entry.project_id], [entry.key_list.year], regions=regions)


@transaction.atomic
def key_list_publish(*, key_list: KeyList, actor) -> KeyList:
    """Publish a year's list (发布名单): it must hold at least one project."""
    require_scope(actor, key_list)
    if key_list.is_published:
        raise ValidationError(
            _("该名单已于{at}发布。").format(at=timezone.localtime(key_list.published_at).strftime("%Y-%m-%d %H:%M")),
            code="already_published",
        )
    if not key_list.entries.exists():
        raise ValidationError(_("名单中还没有项目，不能发布。"), code="empty_list")
    key_list.status = KeyListStatus.PUBLISHED
    key_list.published_at = timezone.now()
    key_list.published_by = actor
    save_attributed(key_list, actor=actor)
    from tiaodu.figures.rollup import rollup_refresh_list

    rollup_refresh_list(key_list=key_list)
    return key_list
