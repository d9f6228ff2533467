"""Reads of the assessment: the catalogue, actuals and schemes in scope, and the result table.

``compute_result`` scores a scheme through a month in a fixed number of grouped queries — the
scheme's items, units, targets, adjustments, the accepted actuals, and one grouped query per
computed source — however many units there are (a province's counties: still a handful of queries).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tiaodu.core.periods import period_end
from tiaodu.core.scoping import VIEW

from . import scoring
from .choices import ActualStatus, AdjustmentKind, ScoringRule, UnitKind
from .models import Actual, Adjustment, Indicator, PublishedResult, Scheme, SchemeUnit, Target
from .sources import SOURCES


def indicator_list(user) -> QuerySet:
    return Indicator.objects.restrict(user, VIEW).select_related("region", "department")


def actual_list(user, action: str = VIEW) -> QuerySet:
    return Actual.objects.restrict(user, action).select_related("indicator", "region", "department")


def scheme_list(user, action: str = VIEW) -> QuerySet:
    return Scheme.objects.restrict(user, action).select_related("region")


def _text(value) -> str | None:
    return None if value is None else f"{Decimal(value):f}"


@dataclass
class Result:
    scheme: Scheme
    month: int
    items: list[dict]
    rows: list[dict]
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    def as_json(self) -> dict:
        return {
            "scheme": self.scheme.pk,
            "name": self.scheme.name,
            "region": self.scheme.region.name,
            "year": self.scheme.year,
            "month": self.month,
            "unit_kind": self.scheme.unit_kind,
            "computed_at": self.computed_at.isoformat(),
            "items": self.items,
            "rows": self.rows,
        }


def _actual_link(actual_id: int | None, _marker: int = 987654321) -> str:
    if not actual_id:
        return ""
    return reverse("assessment:actual_detail", args=[_marker]).replace(str(_marker), str(actual_id))


def compute_result(scheme: Scheme, month: int) -> Result:
    """The result table of ``scheme`` for January to ``month``: values, completion, points, formula, rank.

    Entered indicators read the accepted actual of the month (for December, the whole-year actual
    if there is one); computed indicators read their source, year-to-date through the month.
    """
    items = list(scheme.items.select_related("indicator").order_by("order", "pk"))
    units = list(scheme.units.select_related("region", "department").order_by("order", "pk"))
    targets = {(t.item_id, t.unit_id): t.value for t in Target.objects.filter(item__scheme=scheme)}
    end = period_end(datetime.date(scheme.year, month, 1))
    adjustments: dict[int, list] = {}
    for adj in Adjustment.objects.filter(scheme=scheme, on__lte=end).order_by("on", "pk"):
        adjustments.setdefault(adj.unit_id, []).append(adj)
    by_department = scheme.unit_kind == UnitKind.DEPARTMENT
    key_of = (lambda u: u.department_id) if by_department else (lambda u: u.region_id)

    # Entered: the accepted actuals of every entered indicator and unit, in one query.
    entered = [i.indicator_id for i in items if not i.indicator.is_computed]
    actuals: dict[tuple[int, int], Actual] = {}
    if entered:
        months = [month, 0] if month == 12 else [month]
        unit_filter = (
            Q(department__in=[u.department_id for u in units])
            if by_department
            else Q(region__in=[u.region_id for u in units], department__isnull=True)
        )
        rows = Actual.objects.filter(
            unit_filter, indicator__in=entered, year=scheme.year, month__in=months, status=ActualStatus.ACCEPTED
        ).order_by("-month")  # the whole-year actual (0) is read last and wins
        for actual in rows.only("pk", "indicator_id", "region_id", "department_id", "value", "month"):
            unit_key = actual.department_id if by_department else actual.region_id
            actuals[(actual.indicator_id, unit_key)] = actual
    # Computed: one grouped read per source.
    computed: dict[str, dict] = {}
    cache: dict = {}  # sources reading the same grouped query (开工率, 投资完成率) share it
    unit_objects = [u.department if by_department else u.region for u in units]
    for code in {i.indicator.source for i in items if i.indicator.is_computed}:
        values = SOURCES[code].values(unit_objects, scheme.year, month, within=scheme.region, cache=cache)
        computed[code] = {obj.pk: value for obj, value in values.items()}

    # Values per item and unit, then the points.
    words = scoring.texts()
    cells: dict[tuple[int, int], dict] = {}
    for item in items:
        indicator = item.indicator
        values = {}
        for unit in units:
            key = key_of(unit)
            cell = {"item": item.pk, "target": _plain(targets.get((item.pk, unit.pk)))}
            if indicator.is_computed:
                value, link = computed[indicator.source].get(key, (None, ""))
                cell.update(value=_plain(value), link=link, actual=None, source=indicator.source)
            else:
                actual = actuals.get((indicator.pk, key))
                value = actual.value if actual else None
                cell.update(
                    value=_plain(value),
                    link=_actual_link(actual.pk if actual else None),
                    actual=actual.pk if actual else None,
                    source="",
                )
            values[unit.pk] = value
            cells[(item.pk, unit.pk)] = cell
        if item.rule == ScoringRule.RANK:
            scored = scoring.score_rank(
                weight=item.weight, step=item.rank_step, values=values, direction=indicator.direction, words=words
            )
        else:
            scored = {
                unit.pk: scoring.score_ratio(
                    weight=item.weight,
                    cap=item.cap,
                    actual=values[unit.pk],
                    target=targets.get((item.pk, unit.pk)),
                    direction=indicator.direction,
                    words=words,
                )
                for unit in units
            }
        for unit in units:
            s = scored[unit.pk]
            cells[(item.pk, unit.pk)].update(
                completion=_text(s.completion), points=_text(s.points), formula=s.formula, rank=s.rank
            )

    rows, totals = [], {}
    for unit in units:
        unit_cells = [cells[(item.pk, unit.pk)] for item in items]
        indicator_points = sum((Decimal(c["points"]) for c in unit_cells), Decimal(0))
        own = adjustments.get(unit.pk, [])
        bonus = sum((a.points for a in own if a.kind == AdjustmentKind.BONUS), Decimal(0))
        deduction = sum((a.points for a in own if a.kind == AdjustmentKind.DEDUCTION), Decimal(0))
        total = scoring.points(indicator_points + bonus - deduction)
        totals[unit.pk] = total
        obj = unit.department if by_department else unit.region
        rows.append(
            {
                "unit": unit.pk,
                "label": unit.label,
                "code": getattr(obj, "code", "") or str(obj.pk),
                "cells": unit_cells,
                "indicator_points": _text(scoring.points(indicator_points)),
                "bonus": _text(scoring.points(bonus)),
                "deduction": _text(scoring.points(deduction)),
                "adjustments": [
                    {"kind": a.kind, "points": _text(a.points), "reason": a.reason, "on": a.on.isoformat()} for a in own
                ],
                "total": _text(total),
            }
        )
    ranks = scoring.final_ranks(totals, {unit.pk: unit.order for unit in units})
    for row in rows:
        row["rank"] = ranks[row["unit"]]
    rows.sort(key=lambda r: r["rank"])
    item_rows = [
        {
            "id": item.pk,
            "indicator": item.indicator_id,
            "name": item.indicator.name,
            "unit": item.indicator.unit,
            "kind": item.indicator.kind,
            "direction": item.indicator.direction,
            "weight": _text(item.weight),
            "rule": item.rule,
            "cap": _text(item.cap),
            "rank_step": _text(item.rank_step),
        }
        for item in items
    ]
    return Result(scheme=scheme, month=month, items=item_rows, rows=rows)


def published_result(scheme: Scheme, month: int) -> PublishedResult | None:
    return PublishedResult.objects.filter(scheme=scheme, month=month).select_related("published_by").first()


def default_month(scheme: Scheme, today: datetime.date) -> int:
    """The last finished month of the scheme's year (December for a past year)."""
    if scheme.year < today.year:
        return 12
    return max(1, today.month - 1)


def scheme_units(scheme: Scheme) -> QuerySet:
    return SchemeUnit.objects.filter(scheme=scheme).select_related("region", "department")


def _plain(value) -> str | None:
    return None if value is None else scoring.plain(value)
