"""Every write of the assessment: indicators, schemes, targets, bonus/deduction items, actuals, publishing.

Keyword-only, validated, scoped (``require_scope``) and recorded (field history; ``ActualEvent`` for
each workflow step of an actual). A rule broken → a ``ValidationError`` in the user's language,
nothing written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.core.scoping import CHANGE, REVIEW, is_unrestricted, user_can, user_grants
from tiaodu.core.services import require_scope, save_attributed
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.regions.choices import RegionLevel

from .choices import ActualEventKind, ActualStatus, IndicatorKind, ScoringRule, UnitKind
from .models import (
    Actual,
    ActualEvent,
    Adjustment,
    Indicator,
    PublishedResult,
    Scheme,
    SchemeIndicator,
    SchemeUnit,
    Target,
)
from .scoring import plain

HUNDRED = Decimal(100)
INDICATOR_FIELDS = (
    "region",
    "name",
    "unit",
    "direction",
    "kind",
    "source",
    "department",
    "min_value",
    "max_value",
    "description",
)


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("“{value}”不是有效的数字。").format(value=value)}, code="invalid") from None


# ---- indicators ------------------------------------------------------------------------------------


@transaction.atomic
def indicator_save(*, actor, indicator: Indicator | None = None, reason: str = "", **values) -> Indicator:
    """Create (no ``indicator``) or change an indicator of the catalogue."""
    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_save got unexpected fields: {sorted(unknown)}")
    indicator = indicator or Indicator()
    if indicator.pk:
        require_scope(actor, indicator)
    for name, value in values.items():
        setattr(indicator, name, value if value is not None or name not in ("source", "description") else "")
    if indicator.kind == IndicatorKind.COMPUTED:
        from .sources import SOURCES

        source = SOURCES.get(indicator.source)
        if source is not None and not indicator.unit:
            indicator.unit = source.unit
    require_scope(actor, indicator, field="region")
    return save_attributed(indicator, actor=actor, reason=reason)


# ---- schemes -------------------------------------------------------------------------------------


def _check_units(scheme: Scheme, units: list) -> list[SchemeUnit]:
    """The scheme's units: counties and zones under its region, or departments of it; one kind only."""
    from tiaodu.orgs.models import Organisation
    from tiaodu.regions.models import Region

    if not units:
        raise ValidationError({"units": _("请至少选择一个被考核单位。")}, code="no_units")
    rows = []
    for order, unit in enumerate(units):
        if scheme.unit_kind == UnitKind.REGION:
            if not isinstance(unit, Region) or unit.level not in (RegionLevel.COUNTY, RegionLevel.ZONE):
                raise ValidationError(
                    {"units": _("“{unit}”不是县区或功能区：本方案考核县区和功能区。").format(unit=unit)},
                    code="unit_kind",
                )
            if not unit.path.startswith(scheme.region.path):
                raise ValidationError(
                    {
                        "units": _("“{unit}”不在{region}范围内，不能纳入本方案。").format(
                            unit=unit, region=scheme.region
                        )
                    },
                    code="out_of_scope",
                )
            rows.append(SchemeUnit(scheme=scheme, region=unit, order=order))
        else:
            if not isinstance(unit, Organisation) or unit.kind != OrganisationKind.DEPARTMENT:
                raise ValidationError(
                    {"units": _("“{unit}”不是部门：本方案考核部门。").format(unit=unit)}, code="unit_kind"
                )
            if not unit.region.path.startswith(scheme.region.path):
                raise ValidationError(
                    {
                        "units": _("“{unit}”不在{region}范围内，不能纳入本方案。").format(
                            unit=unit, region=scheme.region
                        )
                    },
                    code="out_of_scope",
                )
            rows.append(SchemeUnit(scheme=scheme, department=unit, order=order))
    keys = [row.region_id or row.department_id for row in rows]
    if len(set(keys)) != len(keys):
        raise ValidationError({"units": _("被考核单位不能重复。")}, code="duplicate_unit")
    return rows


def _check_items(scheme: Scheme, items: list[dict], actor) -> list[SchemeIndicator]:
    """The weighted indicators: in the scheme's catalogue, each once, weights adding up to 100."""
    from .sources import SOURCES

    if not items:
        raise ValidationError({"items": _("请至少选择一项考核指标。")}, code="no_items")
    rows, seen = [], set()
    for order, item in enumerate(items):
        indicator = item["indicator"]
        if not user_can(actor, "view", indicator) or not scheme.region.path.startswith(indicator.region.path):
            raise ValidationError(
                {"items": _("指标“{name}”不在本方案区划的指标库中。").format(name=indicator.name)}, code="out_of_scope"
            )
        if indicator.pk in seen:
            raise ValidationError({"items": _("指标“{name}”重复。").format(name=indicator.name)}, code="duplicate")
        seen.add(indicator.pk)
        if indicator.is_computed:
            source = SOURCES.get(indicator.source)
            if source is None or scheme.unit_kind not in source.unit_kinds:
                raise ValidationError(
                    {
                        "items": _("系统计算指标“{name}”不能用于考核{kind}。").format(
                            name=indicator.name, kind=UnitKind(scheme.unit_kind).label
                        )
                    },
                    code="source_unit_kind",
                )
        row = SchemeIndicator(
            scheme=scheme,
            indicator=indicator,
            weight=_decimal(item.get("weight"), "items"),
            rule=item.get("rule") or ScoringRule.RATIO,
            cap=_decimal(item.get("cap") or "1.2", "items"),
            rank_step=_decimal(item.get("rank_step") or "1", "items"),
            order=order,
        )
        try:
            row.full_clean(exclude=["scheme"], validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(
                {"items": [_("指标“{name}”：").format(name=indicator.name) + m for m in error.messages]},
                code="invalid_item",
            ) from None
        rows.append(row)
    total = sum((row.weight for row in rows), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            {"items": _("各指标权重之和应为100，当前为{total}。").format(total=plain(total))}, code="weights"
        )
    return rows


@transaction.atomic
def scheme_save(
    *,
    actor,
    scheme: Scheme | None = None,
    region=None,
    year: int | None = None,
    name: str | None = None,
    unit_kind: str | None = None,
    note: str | None = None,
    units: list | None = None,
    items: list[dict] | None = None,
) -> Scheme:
    """Create a scheme (with its units and weighted indicators) or change one; all of it or nothing.

    ``items``: ``[{"indicator", "weight", "rule", "cap", "rank_step"}]`` — weights add up to 100.
    Targets of units and indicators that stay are kept.
    """
    creating = scheme is None
    if creating:
        scheme = Scheme(region=region, year=year, name=name or "", unit_kind=unit_kind or UnitKind.REGION)
        if units is None or items is None:
            raise ValidationError(_("新方案须同时给出被考核单位和考核指标。"), code="incomplete")
    else:
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        require_scope(actor, scheme)
        if scheme.published.exists() and (units is not None or items is not None):
            raise ValidationError(_("该方案已有发布的考核结果，不能再调整被考核单位和指标。"), code="published")
        for field_name, value in (("region", region), ("year", year), ("name", name), ("unit_kind", unit_kind)):
            if value is not None and field_name != "name" and getattr(scheme, field_name) != value:
                raise ValidationError({field_name: _("方案建立后不能修改此项。")}, code="fixed")
        if name is not None:
            scheme.name = name
    if note is not None:
        scheme.note = note
    require_scope(actor, scheme, field="region")
    if scheme.region and scheme.region.level not in (RegionLevel.CITY, RegionLevel.PROVINCE):
        raise ValidationError({"region": _("考核方案由地级市或省制定。")}, code="region_level")
    scheme.full_clean()
    unit_rows = _check_units(scheme, units) if units is not None else None
    item_rows = _check_items(scheme, items, actor) if items is not None else None
    save_attributed(scheme, actor=actor, validate=False)
    if unit_rows is not None:
        keep = {(u.region_id, u.department_id): u for u in scheme.units.all()}
        wanted = set()
        for row in unit_rows:
            key = (row.region_id, row.department_id)
            wanted.add(key)
            existing = keep.get(key)
            if existing is None:
                row.scheme = scheme
                row.save()
            elif existing.order != row.order:
                existing.order = row.order
                existing.save(update_fields=["order"])
        scheme.units.filter(pk__in=[u.pk for k, u in keep.items() if k not in wanted]).delete()
    if item_rows is not None:
        keep = {i.indicator_id: i for i in scheme.items.all()}
        for row in item_rows:
            existing = keep.pop(row.indicator_id, None)
            if existing is not None:
                for attr in ("weight", "rule", "cap", "rank_step", "order"):
                    setattr(existing, attr, getattr(row, attr))
                existing.save()
            else:
                row.scheme = scheme
                row.save()
        SchemeIndicator.objects.filter(pk__in=[i.pk for i in keep.values()]).delete()
    return scheme


@transaction.atomic
def targets_set(*, actor, scheme: Scheme, values: dict) -> int:
    """目标值: ``{(item, unit): value or None}``; ``None`` clears a target. Returns how many changed."""
    require_scope(actor, scheme)
    items = {i.pk: i for i in scheme.items.select_related("indicator")}
    units = {u.pk: u for u in scheme.units.all()}
    existing = {(t.item_id, t.unit_id): t for t in Target.objects.filter(item__scheme=scheme)}
    errors, changed = [], 0
    for (item, unit), value in values.items():
        item_id, unit_id = getattr(item, "pk", item), getattr(unit, "pk", unit)
        if item_id not in items or unit_id not in units:
            raise ValidationError(_("目标值只能为本方案的指标和被考核单位设置。"), code="out_of_scope")
        current = existing.get((item_id, unit_id))
        if value in (None, ""):
            if current is not None:
                current._history_user = actor
                current.delete()
                changed += 1
            continue
        number = _decimal(value, "value")
        indicator = items[item_id].indicator
        message = _range_message(indicator, number)
        if message:
            errors.append(_("{unit}“{name}”目标值：").format(unit=units[unit_id].label, name=indicator.name) + message)
            continue
        if current is None:
            save_attributed(Target(item=items[item_id], unit=units[unit_id], value=number), actor=actor)
            changed += 1
        elif current.value != number:
            current.value = number
            save_attributed(current, actor=actor, validate=False)
            changed += 1
    if errors:
        raise ValidationError({"value": errors}, code="out_of_range")
    return changed


@transaction.atomic
def adjustment_add(
    *, actor, scheme: Scheme, unit: SchemeUnit, kind: str, points, reason: str, on: datetime.date
) -> Adjustment:
    """加分 or 扣分 for one unit of the scheme, with its reason."""
    require_scope(actor, scheme)
    if unit.scheme_id != scheme.pk:
        raise ValidationError({"unit": _("该单位不在本方案中。")}, code="out_of_scope")
    if on is not None and on.year != scheme.year:
        raise ValidationError({"on": _("计分日期应在方案年度（{year}年）内。").format(year=scheme.year)}, code="year")
    adjustment = Adjustment(
        scheme=scheme, unit=unit, kind=kind, points=_decimal(points, "points"), reason=(reason or "").strip(), on=on
    )
    return save_attributed(adjustment, actor=actor)


@transaction.atomic
def adjustment_remove(*, actor, adjustment: Adjustment) -> None:
    require_scope(actor, adjustment)
    adjustment._history_user = actor
    adjustment.delete()


# ---- actuals -------------------------------------------------------------------------------------


def _range_message(indicator: Indicator, value: Decimal) -> str:
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = []
        if low is not None:
            bounds.append(_("不小于{low}").format(low=plain(low)))
        if high is not None:
            bounds.append(_("不大于{high}").format(high=plain(high)))
        return str(
            _("{value}{unit}超出合理范围：“{name}”应{bounds}。").format(
                value=plain(value), unit=indicator.unit, name=indicator.name, bounds="、".join(map(str, bounds))
            )
        )
    return ""


def _may_fill(actor, indicator: Indicator) -> bool:
    """The responsible department fills; the assessing administrators may fill for it."""
    if is_unrestricted(actor) or user_can(actor, CHANGE, indicator):
        return True
    return any(g.role == Role.DEPARTMENT and g.organisation_id == indicator.department_id for g in user_grants(actor))


def _event(actual: Actual, actor, kind: str, *, from_state: str = "", comment: str = "") -> None:
    ActualEvent.objects.create(
        actual=actual, actor=actor, kind=kind, from_state=from_state, to_state=actual.status, comment=comment
    )


@transaction.atomic
def actual_save(
    *, actor, indicator: Indicator, year: int, month: int, value, region=None, department=None, note: str = ""
) -> Actual:
    """Enter (or re-enter) an actual as a draft (保存草稿); submitting is a separate step."""
    if indicator.kind == IndicatorKind.COMPUTED:
        raise ValidationError(
            {"indicator": _("“{name}”由系统根据调度数据自动计算，不能填报实绩。").format(name=indicator.name)},
            code="computed_indicator",
        )
    if department is not None:
        if department.kind != OrganisationKind.DEPARTMENT:
            raise ValidationError(
                {"department": _("“{name}”不是部门。").format(name=department)}, code="not_department"
            )
        region = department.region
    elif region is None or region.level not in (RegionLevel.COUNTY, RegionLevel.ZONE):
        raise ValidationError({"region": _("请选择被考核的县区或功能区，或部门。")}, code="unit")
    number = _decimal(value, "value")
    message = _range_message(indicator, number)
    if message:
        raise ValidationError({"value": message}, code="out_of_range")
    lookup = {"indicator": indicator, "year": year, "month": month}
    lookup.update({"department": department} if department is not None else {"region": region, "department": None})
    actual = Actual.objects.select_for_update().filter(**lookup).first()
    if actual is None:
        actual = Actual(indicator=indicator, region=region, department=department, year=year, month=month)
    require_scope(actor, actual, field="region")
    if not _may_fill(actor, indicator):
        raise ValidationError(
            _("“{name}”的实绩由{department}填报。").format(name=indicator.name, department=indicator.department),
            code="not_responsible",
        )
    if actual.pk and not actual.is_editable_by_filler:
        raise ValidationError(
            _("该实绩{status}，不能修改；如需修改，请审核人退回。").format(status=actual.get_status_display()),
            code="not_editable",
        )
    if datetime.date(year, month or 12, 1) > local_today().replace(day=1) and month:
        raise ValidationError({"month": _("不能填报未来月份的实绩。")}, code="future_period")
    before = actual.status if actual.pk else ""
    actual.value, actual.note = number, (note or "").strip()
    save_attributed(actual, actor=actor)
    _event(actual, actor, ActualEventKind.SAVED, from_state=before)
    return actual


@transaction.atomic
def actual_submit(*, actor, actual: Actual) -> Actual:
    """提交: the department hands the actual to the assessing office for review."""
    actual = Actual.objects.select_for_update().select_related("indicator", "region").get(pk=actual.pk)
    require_scope(actor, actual)
    if not _may_fill(actor, actual.indicator):
        raise ValidationError(_("只有责任单位可以提交该实绩。"), code="not_responsible")
    if not actual.is_editable_by_filler:
        raise ValidationError(
            _("该实绩{status}，无需再次提交。").format(status=actual.get_status_display()), code="not_editable"
        )
    before = actual.status
    actual.status, actual.submitted_at, actual.submitted_by = ActualStatus.SUBMITTED, timezone.now(), actor
    save_attributed(actual, actor=actor, validate_constraints=False)
    _event(actual, actor, ActualEventKind.SUBMITTED, from_state=before)
    return actual


def _reviewable(actor, actual: Actual) -> Actual:
    actual = Actual.objects.select_for_update().select_related("indicator__region", "region").get(pk=actual.pk)
    require_scope(actor, actual, action=REVIEW)
    if not user_can(actor, CHANGE, actual.indicator):
        raise ValidationError(_("实绩由制定该指标的考核办审核。"), code="not_reviewer")
    if actual.status != ActualStatus.SUBMITTED:
        raise ValidationError(
            _("只有已提交、待审核的实绩可以审核，该实绩当前为“{status}”。").format(status=actual.get_status_display()),
            code="not_submitted",
        )
    return actual


@transaction.atomic
def actual_accept(*, actor, actual: Actual) -> Actual:
    """审核通过: from now on the actual counts in the result table."""
    actual = _reviewable(actor, actual)
    actual.status, actual.reviewed_at, actual.reviewed_by, actual.return_reason = (
        ActualStatus.ACCEPTED,
        timezone.now(),
        actor,
        "",
    )
    save_attributed(actual, actor=actor, validate_constraints=False)
    _event(actual, actor, ActualEventKind.ACCEPTED, from_state=ActualStatus.SUBMITTED)
    return actual


@transaction.atomic
def actual_return(*, actor, actual: Actual, reason: str) -> Actual:
    """退回: back to the department with the reason, which corrects and resubmits."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回必须说明原因。")}, code="reason_required")
    actual = _reviewable(actor, actual)
    actual.status, actual.reviewed_at, actual.reviewed_by, actual.return_reason = (
        ActualStatus.RETURNED,
        timezone.now(),
        actor,
        reason,
    )
    save_attributed(actual, actor=actor, reason=reason, validate_constraints=False)
    _event(actual, actor, ActualEventKind.RETURNED, from_state=ActualStatus.SUBMITTED, comment=reason)
    return actual


@transaction.atomic
def actual_reopen(*, actor, actual: Actual, reason: str) -> Actual:
    """更正: the assessing office sends an accepted actual back for correction, with a reason.

    A result already published keeps the value it was published with.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("更正必须说明原因。")}, code="reason_required")
    actual = Actual.objects.select_for_update().select_related("indicator__region", "region").get(pk=actual.pk)
    require_scope(actor, actual, action=REVIEW)
    if not user_can(actor, CHANGE, actual.indicator):
        raise ValidationError(_("实绩由制定该指标的考核办审核。"), code="not_reviewer")
    if actual.status != ActualStatus.ACCEPTED:
        raise ValidationError(_("只有已审核的实绩需要退回更正。"), code="not_accepted")
    actual.status, actual.return_reason = ActualStatus.RETURNED, reason
    save_attributed(actual, actor=actor, reason=reason, validate_constraints=False)
    _event(actual, actor, ActualEventKind.RETURNED, from_state=ActualStatus.ACCEPTED, comment=reason)
    return actual


# ---- publishing ----------------------------------------------------------------------------------


@transaction.atomic
def result_publish(*, actor, scheme: Scheme, month: int, note: str = "") -> PublishedResult:
    """发布: keep the result table through ``month`` as it stands now; later corrections leave it unchanged."""
    from .selectors import compute_result

    scheme = Scheme.objects.select_for_update().select_related("region").get(pk=scheme.pk)
    require_scope(actor, scheme)
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": _("月份应在1到12之间。")}, code="month")
    if datetime.date(scheme.year, int(month), 1) >= local_today().replace(day=1):
        raise ValidationError({"month": _("只能发布已结束月份的考核结果。")}, code="period_not_over")
    if PublishedResult.objects.filter(scheme=scheme, month=month).exists():
        raise ValidationError(
            _("{year}年1–{month}月的考核结果已发布。").format(year=scheme.year, month=month), code="already_published"
        )
    total = sum((i.weight for i in scheme.items.all()), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(_("各指标权重之和应为100，当前为{total}。").format(total=plain(total)), code="weights")
    now = timezone.now()
    data = compute_result(scheme, int(month)).as_json()
    data["published_at"] = now.isoformat()
    result = PublishedResult(scheme=scheme, month=month, published_at=now, published_by=actor, note=note, data=data)
    result.full_clean()
    result.save()
    return result
