"""Writes of investment attraction: teams, leads and their stage moves, signings, funds, the project link,
termination, the 三未 alarm rules, and turning an alarm into a ledger problem.

Every function is keyword-only, takes the acting user as ``actor``, checks the scope, validates
(``full_clean`` and the cross-object rules here), saves with an attributed history record and writes
a ``LeadEvent`` for each workflow step. A refused step raises ``ValidationError`` and writes nothing.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.core.scoping import VIEW, is_unrestricted, user_can, user_grants
from tiaodu.core.services import changed_fields, require_scope, save_attributed
from tiaodu.orgs.models import Organisation
from tiaodu.projects.choices import Nature
from tiaodu.projects.models import Project
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import PIPELINE, STAGE_DATE_FIELD, AlarmKind, LeadEventKind, LeadStage, SigningKind
from .models import AlarmProblem, AlarmRule, AttractionTeam, FundsEntry, Lead, LeadEvent, Signing
from .selectors import people

LEAD_FIELDS = (
    "name",
    "investor",
    "investor_origin",
    "source",
    "sector",
    "chain",
    "segment",
    "intended_investment",
    "region",
    "team",
    "responsible",
    "description",
    "planned_production_date",
)
# Stages whose facts come from the registry project once the lead is linked to one.
PROJECT_FACTS = {
    LeadStage.STARTED: "actual_start_date",
    LeadStage.PRODUCING: "actual_commissioning_date",
    LeadStage.CAPACITY: "capacity_date",
}


def _event(lead: Lead, actor, kind: str, *, from_state: str, on: datetime.date, comment: str = "") -> LeadEvent:
    return LeadEvent.objects.create(
        lead=lead,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=lead.stage,
        effective_date=on,
        comment=comment,
    )


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update(of=("self",)).select_related("region", "company", "project").get(pk=lead.pk)


def _not_future(value: datetime.date | None, field: str, label) -> None:
    if value is not None and value > local_today():
        raise ValidationError(
            {field: _("{label}不能晚于今天（{today}）。").format(label=label, today=local_today().isoformat())},
            code="future_date",
        )


def _refuse_terminated(lead: Lead) -> None:
    if lead.is_terminated:
        raise ValidationError(_("该招商项目已终止，不能再办理。"), code="terminated")


def _check_references(actor, lead: Lead) -> None:
    """The team, chain and segment a lead points to must be ones the actor can see."""
    errors = {}
    for field in ("team", "chain", "segment"):
        target = getattr(lead, field)
        if target is not None and not user_can(actor, VIEW, target):
            errors[field] = _("所选{field}不在您的权限范围内。").format(field=Lead._meta.get_field(field).verbose_name)
    if lead.responsible_id and not people(actor).filter(pk=lead.responsible_id).exists():
        field = Lead._meta.get_field("responsible").verbose_name
        errors["responsible"] = _("所选{field}不在您的权限范围内。").format(field=field)
    if errors:
        raise ValidationError(errors, code="out_of_scope")


# ---- teams ---------------------------------------------------------------------------------------


@transaction.atomic
def team_save(
    *,
    actor,
    region: Region,
    name: str,
    leader=None,
    contact_person: str = "",
    phone: str = "",
    is_active: bool = True,
    team: AttractionTeam | None = None,
) -> AttractionTeam:
    """设立或修改招商专班."""
    team = team or AttractionTeam()
    if team.pk:
        require_scope(actor, team)
    team.region = region
    team.name = (name or "").strip()
    team.leader = leader
    team.contact_person = contact_person
    team.phone = phone
    team.is_active = is_active
    require_scope(actor, team, field="region")
    if leader is not None and not user_can(actor, VIEW, leader):
        raise ValidationError({"leader": _("所选专班负责人不在您的权限范围内。")}, code="out_of_scope")
    save_attributed(team, actor=actor)
    return team


# ---- leads ---------------------------------------------------------------------------------------


@transaction.atomic
def lead_create(*, actor, registered_on: datetime.date | None = None, **fields) -> Lead:
    """登记线索: a new lead at stage 线索."""
    unknown = set(fields) - set(LEAD_FIELDS)
    if unknown:
        raise TypeError(f"lead_create got unexpected fields: {sorted(unknown)}")
    registered_on = registered_on or local_today()
    _not_future(registered_on, "registered_on", _("线索登记日期"))
    lead = Lead(**fields, registered_on=registered_on, stage=LeadStage.LEAD, created_by=actor)
    if lead.region_id is None:
        raise ValidationError({"region": _("请选择落地区划。")}, code="required")
    if lead.region.level not in (RegionLevel.COUNTY, RegionLevel.ZONE, RegionLevel.CITY):
        raise ValidationError({"region": _("落地区划应为县（市、区）、功能区或市。")}, code="bad_region")
    require_scope(actor, lead, field="region")
    _check_references(actor, lead)
    save_attributed(lead, actor=actor)
    _event(lead, actor, LeadEventKind.CREATED, from_state="", on=registered_on)
    return lead


@transaction.atomic
def lead_update(*, actor, lead: Lead, reason: str = "", **fields) -> Lead:
    """Edit a lead's own data. Stages, dates and landing data move only through the workflow services."""
    unknown = set(fields) - set(LEAD_FIELDS)
    if unknown:
        raise TypeError(f"lead_update got unexpected fields: {sorted(unknown)}")
    lead = _locked(lead)
    require_scope(actor, lead)
    changes = changed_fields(lead, fields)
    if not changes:
        return lead
    require_scope(actor, lead, field="region")
    _check_references(actor, lead)
    save_attributed(lead, actor=actor, reason=reason)
    return lead


def _recount_signings(lead: Lead) -> None:
    """Each lead counts once, at its first signing; a 增资 counts its increase; other signings count nothing."""
    first_seen = False
    for signing in Signing.objects.filter(lead=lead).order_by("signed_on", "pk"):
        if signing.kind == SigningKind.INCREASE:
            counted = signing.amount
        elif not first_seen:
            counted, first_seen = signing.amount, True
        else:
            counted = Decimal("0")
        if signing.counted_amount != counted:
            signing.counted_amount = counted
            signing.save(update_fields=["counted_amount", "updated_at"])


def _add_signing(actor, lead: Lead, *, signed_on, kind: str, amount, note: str = "") -> Signing:
    if signed_on is None:
        raise ValidationError({"signed_on": _("请填写签约日期。")}, code="required")
    _not_future(signed_on, "signed_on", _("签约日期"))
    if kind not in SigningKind.values:
        raise ValidationError({"kind": _("未知的签约类型。")}, code="bad_kind")
    if amount is None:
        raise ValidationError({"amount": _("请填写签约金额。")}, code="required")
    if amount < 0:
        raise ValidationError({"amount": _("签约金额不能为负数。")}, code="negative")
    first = lead.signed_on
    if kind == SigningKind.INCREASE:
        if first is None or signed_on < first:
            raise ValidationError(
                {"kind": _("增资须在首次签约之后登记（该项目此前尚未签约）。")}, code="increase_before_signing"
            )
        if amount <= 0:
            raise ValidationError({"amount": _("增资金额应大于零。")}, code="not_positive")
    else:
        if lead.landed_on and signed_on > lead.landed_on:
            raise ValidationError(
                {
                    "signed_on": _("签约日期（{signed}）不能晚于落地日期（{landed}）。").format(
                        signed=signed_on.isoformat(), landed=lead.landed_on.isoformat()
                    )
                },
                code="signed_after_landing",
            )
        if signed_on < lead.registered_on:
            raise ValidationError({"signed_on": _("签约日期不能早于线索登记日期。")}, code="before_registered")
    signing = Signing(lead=lead, signed_on=signed_on, kind=kind, amount=amount, note=note, created_by=actor)
    save_attributed(signing, actor=actor)
    if kind != SigningKind.INCREASE and (first is None or signed_on < first):
        lead.signed_on = signed_on
    _recount_signings(lead)
    return signing


def _apply_stage(actor, lead: Lead, stage: str, on: datetime.date, data: dict) -> None:
    """Set what reaching ``stage`` on ``on`` needs; raise naming what is missing."""
    if stage == LeadStage.SIGNED:
        if lead.signed_on is None:
            _add_signing(
                actor,
                lead,
                signed_on=on,
                kind=data.get("signing_kind") or SigningKind.CONTRACT,
                amount=data.get("amount"),
            )
    elif stage == LeadStage.LANDED:
        company = data.get("company")
        if company is None:
            raise ValidationError(
                {"company": _("落地须填写已注册的落地企业（含统一社会信用代码）。")}, code="company_required"
            )
        if not company.credit_code:
            raise ValidationError(
                {"company": _("落地企业“{name}”尚无统一社会信用代码。").format(name=company.name)},
                code="no_credit_code",
            )
        if not user_can(actor, VIEW, company):
            raise ValidationError({"company": _("所选落地企业不在您的权限范围内。")}, code="out_of_scope")
        if lead.signed_on and lead.signed_on > on:
            raise ValidationError(
                {
                    "on": _("落地日期（{landed}）不能早于签约日期（{signed}）。").format(
                        landed=on.isoformat(), signed=lead.signed_on.isoformat()
                    )
                },
                code="signed_after_landing",
            )
        area = data.get("land_area")
        if area is not None and area < 0:
            raise ValidationError({"land_area": _("用地面积不能为负数。")}, code="negative")
        if data.get("standard_land") and not area:
            raise ValidationError({"land_area": _("标准地出让须填写用地面积（亩）。")}, code="area_required")
        lead.company = company
        lead.standard_land = bool(data.get("standard_land"))
        lead.land_area = area
        lead.commitment_system = bool(data.get("commitment_system"))
        lead.agent = (data.get("agent") or "").strip()
    elif stage in PROJECT_FACTS and lead.project_id:
        fact = getattr(lead.project, PROJECT_FACTS[stage])
        if fact is None:
            raise ValidationError(
                {
                    "on": _("该项目已入库，{stage}信息来自项目库：请先在项目“{project}”中登记。").format(
                        stage=LeadStage(stage).label, project=lead.project.name
                    )
                },
                code="fact_from_project",
            )
        on = fact
    setattr(lead, STAGE_DATE_FIELD[stage], on)


@transaction.atomic
def lead_advance(
    *, actor, lead: Lead, to_stage: str, on: datetime.date | None = None, comment: str = "", **data
) -> Lead:
    """推进阶段: move a lead forward to ``to_stage`` with the data each stage it passes needs.

    Passing over a stage (线索 → 签约) is allowed only with that stage's data too: a signing
    amount for 签约, the registered company for 落地. ``data``: ``amount``, ``signing_kind``,
    ``company``, ``standard_land``, ``land_area``, ``commitment_system``, ``agent``.
    """
    lead = _locked(lead)
    require_scope(actor, lead)
    _refuse_terminated(lead)
    if to_stage not in PIPELINE:
        raise ValidationError({"to_stage": _("未知的阶段。")}, code="bad_stage")
    current = PIPELINE.index(lead.stage)
    target = PIPELINE.index(to_stage)
    if target <= current:
        raise ValidationError(
            {"to_stage": _("只能向后推进：该项目已处于“{stage}”阶段。").format(stage=lead.get_stage_display())},
            code="not_forward",
        )
    on = on or local_today()
    _not_future(on, "on", _("发生日期"))
    previous = getattr(lead, STAGE_DATE_FIELD[lead.stage])
    if previous and on < previous:
        raise ValidationError(
            {
                "on": _("发生日期不能早于进入“{stage}”阶段的日期（{date}）。").format(
                    stage=lead.get_stage_display(), date=previous.isoformat()
                )
            },
            code="before_previous",
        )
    before = lead.stage
    for stage in PIPELINE[current + 1 : target + 1]:
        _apply_stage(actor, lead, stage, on, data)
    lead.stage = to_stage
    save_attributed(lead, actor=actor, reason=comment)
    _event(
        lead,
        actor,
        LeadEventKind.ADVANCED,
        from_state=before,
        on=getattr(lead, STAGE_DATE_FIELD[to_stage]),
        comment=comment,
    )
    return lead


@transaction.atomic
def lead_sign(*, actor, lead: Lead, signed_on: datetime.date, kind: str, amount: Decimal, note: str = "") -> Signing:
    """签约: record a signing (协议、合同 or 增资); the first one moves a lead still before 签约 to 签约."""
    lead = _locked(lead)
    require_scope(actor, lead)
    _refuse_terminated(lead)
    before = lead.stage
    signing = _add_signing(actor, lead, signed_on=signed_on, kind=kind, amount=amount, note=note)
    if PIPELINE.index(lead.stage) < PIPELINE.index(LeadStage.SIGNED):
        lead.stage = LeadStage.SIGNED
    save_attributed(lead, actor=actor, validate_constraints=False)
    _event(
        lead,
        actor,
        LeadEventKind.SIGNED,
        from_state=before,
        on=signed_on,
        comment=_("{kind} {amount} 万元").format(kind=signing.get_kind_display(), amount=signing.amount),
    )
    return signing


@transaction.atomic
def lead_add_funds(*, actor, lead: Lead, on: datetime.date, amount: Decimal, note: str = "") -> FundsEntry:
    """资金到位: money put in place on a date (a signed lead)."""
    lead = _locked(lead)
    require_scope(actor, lead)
    _refuse_terminated(lead)
    if lead.signed_on is None:
        raise ValidationError(_("尚未签约的项目不能登记到位资金。"), code="not_signed")
    if on is None:
        raise ValidationError({"on": _("请填写到位日期。")}, code="required")
    _not_future(on, "on", _("到位日期"))
    if on < lead.signed_on:
        raise ValidationError({"on": _("到位日期不能早于首次签约日期。")}, code="before_signing")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("到位资金应大于零。")}, code="not_positive")
    entry = FundsEntry(lead=lead, on=on, amount=amount, note=note, created_by=actor)
    save_attributed(entry, actor=actor)
    _event(lead, actor, LeadEventKind.FUNDS, from_state=lead.stage, on=on, comment=f"{amount} 万元")
    return entry


@transaction.atomic
def lead_terminate(*, actor, lead: Lead, reason: str, on: datetime.date | None = None) -> Lead:
    """终止: the lead will not go on; the reason is required and the stage reached is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("终止必须说明原因。")}, code="reason_required")
    lead = _locked(lead)
    require_scope(actor, lead)
    _refuse_terminated(lead)
    on = on or local_today()
    _not_future(on, "on", _("终止日期"))
    before = lead.stage
    lead.stage = LeadStage.TERMINATED
    lead.terminated_on = on
    lead.termination_reason = reason
    save_attributed(lead, actor=actor, reason=reason, validate_constraints=False)
    _event(lead, actor, LeadEventKind.TERMINATED, from_state=before, on=on, comment=reason)
    return lead


def signed_total(lead: Lead) -> Decimal:
    """The lead's signed amount as the figures count it: first signing plus increases."""
    return Signing.objects.filter(lead=lead).aggregate(total=Sum("counted_amount"))["total"] or Decimal("0")


@transaction.atomic
def lead_create_project(*, actor, lead: Lead, code: str | None = None, nature: str = Nature.NEW) -> Project:
    """转入项目库: create the registry project of a landed lead, carrying its data, and link it."""
    from tiaodu.projects.services import project_create

    lead = _locked(lead)
    require_scope(actor, lead)
    _refuse_terminated(lead)
    if lead.landed_on is None or lead.company_id is None:
        raise ValidationError(_("项目落地（登记落地企业）后才能转入项目库。"), code="not_landed")
    if lead.project_id:
        raise ValidationError(_("该招商项目已关联库内项目“{project}”。").format(project=lead.project), code="linked")
    project = project_create(
        actor=actor,
        name=lead.name,
        region=lead.region,
        owner=lead.company,
        sector=lead.sector,
        nature=nature,
        code=code or None,
        total_investment=signed_total(lead) or lead.intended_investment,
        construction_content=lead.description,
        planned_commissioning_date=lead.planned_production_date,
        task_force=lead.team.name if lead.team_id else "",
        reason=str(_("招商项目落地转入")),
    )
    lead.project = project
    save_attributed(lead, actor=actor, validate_constraints=False)
    _event(lead, actor, LeadEventKind.PROJECT, from_state=lead.stage, on=local_today(), comment=project.name)
    return project


@transaction.atomic
def lead_link_project(*, actor, lead: Lead, project: Project) -> Lead:
    """关联库内项目: a landed lead whose project is already in the registry."""
    lead = _locked(lead)
    require_scope(actor, lead)
    _refuse_terminated(lead)
    if lead.landed_on is None:
        raise ValidationError(_("项目落地后才能关联库内项目。"), code="not_landed")
    if lead.project_id:
        raise ValidationError(_("该招商项目已关联库内项目“{project}”。").format(project=lead.project), code="linked")
    if project is None or not user_can(actor, VIEW, project):
        raise ValidationError({"project": _("所选项目不在您的权限范围内。")}, code="out_of_scope")
    if project.region_id != lead.region_id:
        raise ValidationError({"project": _("库内项目应与招商项目在同一区划。")}, code="region_mismatch")
    if Lead.objects.filter(project=project).exists():
        raise ValidationError({"project": _("该项目已关联其他招商项目。")}, code="taken")
    lead.project = project
    save_attributed(lead, actor=actor, validate_constraints=False)
    _event(lead, actor, LeadEventKind.PROJECT, from_state=lead.stage, on=local_today(), comment=project.name)
    lead_sync_from_project(actor=actor, lead=lead)
    return lead


@transaction.atomic
def lead_sync_from_project(*, actor, lead: Lead) -> Lead:
    """按项目库同步: a linked lead moves to 开工/投产/达产 on the dates its registry project records."""
    lead = _locked(lead)
    if lead.project_id is None or lead.is_terminated:
        return lead
    project = lead.project
    before = lead.stage
    moved = False
    for stage, fact in PROJECT_FACTS.items():
        value = getattr(project, fact)
        field = STAGE_DATE_FIELD[stage]
        if value is None or getattr(lead, field) == value:
            continue
        setattr(lead, field, value)
        moved = True
        if PIPELINE.index(stage) > PIPELINE.index(lead.stage):
            lead.stage = stage
    if moved:
        save_attributed(lead, actor=actor, reason=str(_("按项目库同步")), validate_constraints=False)
        _event(
            lead,
            actor,
            LeadEventKind.SYNCED,
            from_state=before,
            on=getattr(lead, STAGE_DATE_FIELD[lead.stage]) or local_today(),
            comment=project.name,
        )
    return lead


# ---- alarm rules ---------------------------------------------------------------------------------

DEFAULT_RULES = (
    # name, kind, from, to, months
    ("签而未落", AlarmKind.MONTHS, LeadStage.SIGNED, LeadStage.LANDED, 6),
    ("落而未投", AlarmKind.MONTHS, LeadStage.LANDED, LeadStage.STARTED, 6),
    ("投而未产", AlarmKind.PLANNED_PRODUCTION, LeadStage.STARTED, LeadStage.PRODUCING, None),
)


def ensure_default_rules(city: Region) -> None:
    """A city's 三未 rules, created with the three defaults the first time the city is looked at."""
    if city.level != RegionLevel.CITY or AlarmRule.objects.filter(city=city).exists():
        return
    with transaction.atomic():
        for order, (name, kind, from_stage, to_stage, months) in enumerate(DEFAULT_RULES, start=1):
            AlarmRule.objects.get_or_create(
                city=city,
                name=name,
                defaults={
                    "kind": kind,
                    "from_stage": from_stage,
                    "to_stage": to_stage,
                    "months": months,
                    "sort_order": order * 10,
                },
            )


def can_edit_rules(user, city: Region) -> bool:
    """A city's alarm rules are kept by its administrators (or the province's)."""
    if is_unrestricted(user):
        return True
    return any(
        g.role == Role.ADMIN
        and g.region.level in (RegionLevel.CITY, RegionLevel.PROVINCE)
        and city.path.startswith(g.region.path)
        for g in user_grants(user)
    )


@transaction.atomic
def alarm_rule_save(
    *,
    actor,
    city: Region,
    name: str,
    kind: str,
    from_stage: str,
    to_stage: str,
    months: int | None = None,
    sort_order: int = 100,
    is_active: bool = True,
    rule: AlarmRule | None = None,
) -> AlarmRule:
    """Add or change a city's alarm rule (三未预警规则)."""
    if city is None or not can_edit_rules(actor, city):
        raise ValidationError(_("三未预警规则由市级管理员维护。"), code="not_city_admin")
    rule = rule or AlarmRule()
    rule.city = city
    rule.name = (name or "").strip()
    rule.kind = kind
    rule.from_stage = from_stage
    rule.to_stage = to_stage
    rule.months = months if kind == AlarmKind.MONTHS else None
    rule.sort_order = sort_order
    rule.is_active = is_active
    save_attributed(rule, actor=actor)
    return rule


@transaction.atomic
def alarm_to_problem(
    *,
    actor,
    lead: Lead,
    rule: AlarmRule,
    category,
    department: Organisation,
    deadline: datetime.date,
    description: str = "",
    source: str = "attraction_alarm",
):
    """转为问题: an alarm becomes a ledger problem assigned to a department with a deadline (once per lead, rule)."""
    from tiaodu.problems.services import problem_assign, problem_record

    from .selectors import alarm_days, is_in_alarm

    lead = Lead.objects.select_related("region", "project").get(pk=lead.pk)
    require_scope(actor, lead)
    today = local_today()
    if not is_in_alarm(lead, rule, today):
        raise ValidationError(_("该项目当前不在“{rule}”预警中。").format(rule=rule.name), code="not_in_alarm")
    if AlarmProblem.objects.filter(lead=lead, rule=rule).exists():
        raise ValidationError(_("该预警已转为问题。"), code="already_converted")
    if deadline is not None and deadline < today:
        raise ValidationError({"deadline": _("办理时限不能早于今天。")}, code="deadline_past")
    text = (description or "").strip() or str(
        _("【{rule}】{lead}（{investor}）{describe}，已超期 {days} 天。").format(
            rule=rule.name,
            lead=lead.name,
            investor=lead.investor,
            describe=rule.describe(),
            days=alarm_days(lead, rule, today),
        )
    )
    problem = problem_record(
        actor=actor,
        source=source,
        category=category,
        description=text,
        project=lead.project if lead.project_id else None,
        region=None if lead.project_id else lead.region,
        found_on=today,
    )
    problem = problem_assign(actor=actor, problem=problem, department=department, deadline=deadline)
    AlarmProblem.objects.create(lead=lead, rule=rule, problem=problem)
    return problem
