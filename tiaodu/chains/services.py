"""Industrial chains (产业链链长制): every write — chains, segments, enterprises, output, projects — goes here.

Each service takes the acting user: it checks the scope (the chain's region must be in the user's
change scope; the leader, department, enterprise and project must be visible to the user), validates,
saves with an attributed history record, and refuses bad input with a clear message before anything
is written.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from tiaodu.core.scoping import CHANGE, VIEW
from tiaodu.core.services import changed_fields, require_scope, save_attributed
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Official, Organisation
from tiaodu.projects.models import Project

from .choices import MemberRole
from .models import Chain, ChainProject, Member, Output, Segment

CHAIN_FIELDS = ("name", "region", "leader", "department", "description", "gap_threshold")
DEPARTMENT_KINDS = (OrganisationKind.DEPARTMENT, OrganisationKind.GOVERNMENT, OrganisationKind.INSTITUTION)


def _visible(model, actor, obj, field: str) -> None:
    if obj is not None and not model.objects.restrict(actor, VIEW).filter(pk=obj.pk).exists():
        raise ValidationError({field: _("您无权在该范围内进行此操作。")}, code="out_of_scope")


def _check_chain_refs(actor, chain: Chain) -> None:
    if chain.leader_id:
        _visible(Official, actor, chain.leader, "leader")
        if not chain.leader.is_active:
            raise ValidationError({"leader": _("该领导已不在任。")}, code="inactive")
    if chain.department_id:
        department = chain.department
        if department.kind not in DEPARTMENT_KINDS:
            raise ValidationError(
                {"department": _("牵头部门应为政府部门、人民政府/管委会或事业单位。")}, code="not_a_department"
            )
        if not department.is_active:
            raise ValidationError({"department": _("该单位已撤销或合并，请选择承继单位。")}, code="dissolved")
        _visible(Organisation, actor, department, "department")


def _same_chain(chain: Chain, segment: Segment | None, field: str = "segment") -> None:
    if segment is not None and segment.chain_id != chain.pk:
        raise ValidationError({field: _("所选环节不属于该产业链。")}, code="segment_elsewhere")


# ---- chains --------------------------------------------------------------------------------------


@transaction.atomic
def chain_create(*, actor, segments: list[str] | tuple[str, ...] = (), **fields) -> Chain:
    """建链: a chain in a region of the actor's change scope, optionally with its segments in order."""
    unknown = set(fields) - set(CHAIN_FIELDS)
    if unknown:
        raise TypeError(f"chain_create got unexpected fields: {sorted(unknown)}")
    chain = Chain(**fields)
    chain.name = (chain.name or "").strip()
    if chain.region_id is None:
        raise ValidationError({"region": _("请选择所属区划。")}, code="required")
    require_scope(actor, chain, field="region")
    _check_chain_refs(actor, chain)
    segments = [(name or "").strip() for name in segments]
    repeated = sorted({name for name in segments if segments.count(name) > 1})
    if repeated:
        raise ValidationError(
            {"segments": _("环节名称重复：{names}。").format(names="、".join(repeated))}, code="duplicate"
        )
    save_attributed(chain, actor=actor)
    for name in segments:
        segment_add(actor=actor, chain=chain, name=name)
    return chain


@transaction.atomic
def chain_update(*, actor, chain: Chain, reason: str = "", **fields) -> Chain:
    unknown = set(fields) - set(CHAIN_FIELDS)
    if unknown:
        raise TypeError(f"chain_update got unexpected fields: {sorted(unknown)}")
    require_scope(actor, chain)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    if changed_fields(chain, fields):
        require_scope(actor, chain, field="region")
        _check_chain_refs(actor, chain)
        save_attributed(chain, actor=actor, reason=reason)
    return chain


# ---- segments ------------------------------------------------------------------------------------


def _locked_chain(chain: Chain) -> Chain:
    return Chain.objects.select_for_update().select_related("region").get(pk=chain.pk)


def _check_segment_name(chain: Chain, name: str, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写环节名称。")}, code="required")
    clash = Segment.objects.filter(chain=chain, name=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("该产业链已有同名环节“{name}”。").format(name=name)}, code="duplicate")
    return name


@transaction.atomic
def segment_add(*, actor, chain: Chain, name: str, description: str = "") -> Segment:
    """添加环节: appended downstream (after the last segment)."""
    chain = _locked_chain(chain)
    require_scope(actor, chain)
    name = _check_segment_name(chain, name)
    last = Segment.objects.filter(chain=chain).aggregate(m=Max("position"))["m"] or 0
    segment = Segment(chain=chain, name=name, position=last + 1, description=description or "")
    return save_attributed(segment, actor=actor)


@transaction.atomic
def segment_update(*, actor, segment: Segment, name: str, description: str = "") -> Segment:
    """重命名环节."""
    require_scope(actor, segment)
    name = _check_segment_name(segment.chain, name, exclude_pk=segment.pk)
    if changed_fields(segment, {"name": name, "description": description or ""}):
        save_attributed(segment, actor=actor)
    return segment


@transaction.atomic
def segments_reorder(*, actor, chain: Chain, order: list) -> list[Segment]:
    """调整顺序: ``order`` lists every segment of the chain (objects or ids), upstream first."""
    chain = _locked_chain(chain)
    require_scope(actor, chain)
    ids = []
    for item in order:
        try:
            ids.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            raise ValidationError({"order": _("环节顺序有误。")}, code="invalid") from None
    segments = {s.pk: s for s in Segment.objects.filter(chain=chain)}
    if any(pk not in segments for pk in ids):
        raise ValidationError({"order": _("所选环节不属于该产业链。")}, code="segment_elsewhere")
    if len(ids) != len(set(ids)) or set(ids) != set(segments):
        raise ValidationError({"order": _("请列出该产业链的全部环节，每个一次。")}, code="incomplete")
    # Two passes so the unique (chain, position) never clashes midway.
    offset = len(ids) + 1000
    for index, pk in enumerate(ids, start=1):
        Segment.objects.filter(pk=pk).update(position=offset + index)
    result = []
    for index, pk in enumerate(ids, start=1):
        segment = segments[pk]
        segment.position = index
        save_attributed(segment, actor=actor, reason=str(_("调整环节顺序")), validate=False)
        result.append(segment)
    return result


@transaction.atomic
def segment_move(*, actor, segment: Segment, step: int) -> Segment:
    """Move a segment one place up (``-1``) or downstream (``+1``)."""
    ids = list(Segment.objects.filter(chain_id=segment.chain_id).order_by("position").values_list("pk", flat=True))
    index = ids.index(segment.pk)
    target = index + (1 if step > 0 else -1)
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        segments_reorder(actor=actor, chain=segment.chain, order=ids)
    segment.refresh_from_db()
    return segment


@transaction.atomic
def segment_remove(*, actor, segment: Segment) -> None:
    """删除环节: only an empty one (no enterprises, no projects); the others close up the order."""
    chain = _locked_chain(segment.chain)
    require_scope(actor, segment)
    members = segment.members.count()
    if members:
        raise ValidationError(
            _("环节“{name}”内还有 {count} 家企业，请先移出或调整到其他环节后再删除。").format(
                name=segment.name, count=members
            ),
            code="segment_not_empty",
        )
    if segment.chain_projects.exists():
        raise ValidationError(
            _("环节“{name}”还关联着项目，请先取消关联后再删除。").format(name=segment.name), code="segment_has_projects"
        )
    segment._history_user = actor
    segment.delete()
    rest = list(Segment.objects.filter(chain=chain).order_by("position").values_list("pk", flat=True))
    if rest:
        segments_reorder(actor=actor, chain=chain, order=rest)


# ---- enterprises ---------------------------------------------------------------------------------


def _check_enterprise(actor, chain: Chain, organisation: Organisation, exclude_pk=None) -> None:
    if organisation is None:
        raise ValidationError({"organisation": _("请选择企业。")}, code="required")
    if organisation.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({"organisation": _("只能把企业放入产业链。")}, code="not_an_enterprise")
    _visible(Organisation, actor, organisation, "organisation")
    existing = Member.objects.filter(chain=chain, organisation=organisation).select_related("segment")
    if exclude_pk:
        existing = existing.exclude(pk=exclude_pk)
    other = existing.first()
    if other is not None:
        raise ValidationError(
            {
                "organisation": _("{org}已在本产业链的“{segment}”环节，一家企业在一条链上只能出现一次。").format(
                    org=organisation.name, segment=other.segment.name
                )
            },
            code="duplicate_member",
        )


@transaction.atomic
def member_add(
    *,
    actor,
    chain: Chain,
    segment: Segment,
    organisation: Organisation,
    role: str = MemberRole.MEMBER,
    joined_on=None,
    note: str = "",
) -> Member:
    """入链: place an enterprise in a segment of the chain with a role (链主/链核/链上企业)."""
    chain = _locked_chain(chain)
    require_scope(actor, chain)
    if segment is None:
        raise ValidationError({"segment": _("请选择环节。")}, code="required")
    _same_chain(chain, segment)
    _check_enterprise(actor, chain, organisation)
    member = Member(
        chain=chain, segment=segment, organisation=organisation, role=role, joined_on=joined_on, note=note or ""
    )
    require_scope(actor, member, field="organisation")
    return save_attributed(member, actor=actor)


@transaction.atomic
def member_update(*, actor, member: Member, reason: str = "", **fields) -> Member:
    """Move an enterprise to another segment of the same chain, or change its role, date or note."""
    unknown = set(fields) - {"segment", "role", "joined_on", "note"}
    if unknown:
        raise TypeError(f"member_update got unexpected fields: {sorted(unknown)}")
    require_scope(actor, member)
    if "segment" in fields:
        if fields["segment"] is None:
            raise ValidationError({"segment": _("请选择环节。")}, code="required")
        _same_chain(member.chain, fields["segment"])
    if "note" in fields:
        fields["note"] = fields["note"] or ""
    if changed_fields(member, fields):
        save_attributed(member, actor=actor, reason=reason)
    return member


@transaction.atomic
def member_remove(*, actor, member: Member, reason: str = "") -> None:
    """出链: the enterprise leaves the chain; its history keeps that it was there."""
    require_scope(actor, member)
    member._history_user = actor
    if reason:
        member._change_reason = reason
    member.delete()


# ---- output --------------------------------------------------------------------------------------


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({field: _("请填写数字（万元）。")}, code="invalid") from None
    if not value.is_finite():
        raise ValidationError({field: _("请填写数字（万元）。")}, code="invalid")
    if value < 0:
        raise ValidationError({field: _("产值不能为负数。")}, code="negative")
    return value


@transaction.atomic
def output_set(*, actor, chain: Chain, year: int, actual=None, target=None) -> Output:
    """填报产值: a year's actual and target output (万元, not negative); sets or replaces that year's figures."""
    chain = _locked_chain(chain)
    require_scope(actor, chain)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("请填写年度。")}, code="invalid") from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度应在 2000 至 2100 之间。")}, code="invalid")
    actual = _money(actual, "actual")
    target = _money(target, "target")
    if actual is None and target is None:
        raise ValidationError(_("请至少填写实际产值或目标产值。"), code="empty")
    output = Output.objects.filter(chain=chain, year=year).first() or Output(chain=chain, year=year)
    if output.pk is None or changed_fields(output, {"actual": actual, "target": target}):
        output.actual, output.target = actual, target
        save_attributed(output, actor=actor)
    return output


@transaction.atomic
def output_remove(*, actor, output: Output) -> None:
    require_scope(actor, output)
    output._history_user = actor
    output.delete()


# ---- projects ------------------------------------------------------------------------------------


@transaction.atomic
def project_link(*, actor, chain: Chain, project: Project, segment: Segment | None = None) -> ChainProject:
    """关联项目: a registry project the actor can see builds the chain (optionally one segment)."""
    chain = _locked_chain(chain)
    require_scope(actor, chain)
    if project is None:
        raise ValidationError({"project": _("请选择项目。")}, code="required")
    _visible(Project, actor, project, "project")
    _same_chain(chain, segment)
    if ChainProject.objects.filter(chain=chain, project=project).exists():
        raise ValidationError(
            {"project": _("项目“{name}”已关联到本产业链。").format(name=project.name)}, code="duplicate_project"
        )
    link = ChainProject(chain=chain, project=project, segment=segment)
    return save_attributed(link, actor=actor)


@transaction.atomic
def project_update(*, actor, link: ChainProject, segment: Segment | None) -> ChainProject:
    require_scope(actor, link)
    _same_chain(link.chain, segment)
    if changed_fields(link, {"segment": segment}):
        save_attributed(link, actor=actor)
    return link


@transaction.atomic
def project_unlink(*, actor, link: ChainProject) -> None:
    require_scope(actor, link)
    link._history_user = actor
    link.delete()


def can_change(user, chain: Chain) -> bool:
    from tiaodu.core.scoping import user_can

    return user_can(user, CHANGE, chain)
