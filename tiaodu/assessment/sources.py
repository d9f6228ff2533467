"""The registry of computed indicators (系统计算指标): where each one's value comes from.

``register(code, label, unit, fn)`` adds a source; ``fn(unit, year, through_month)`` returns
``(value, url)`` for one county, zone or department — the value year-to-date through the month and
the address of the drill-down list behind it. A source that can answer for many units at once also
gives ``bulk(units, year, through_month, within=region)`` returning ``{unit: (value, url)}`` in a few
grouped queries; the result table uses it, so recomputing a province's year is not a loop of queries.

Values are read through the same selectors the figures pages use (``tiaodu.figures.selectors``,
``tiaodu.problems.selectors``), as the administrator of the assessing region sees them, so an
assessment number and the figure page of the same month agree.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tiaodu.core.periods import format_period, period_end
from tiaodu.core.scoping import ADMIN

from .choices import UnitKind

Unit = object  # a regions.Region or an orgs.Organisation


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    unit: str
    fn: Callable | None
    bulk: Callable | None = None
    unit_kinds: tuple[str, ...] = (UnitKind.REGION,)

    def values(self, units: Iterable, year: int, through_month: int, *, within, cache: dict | None = None) -> dict:
        """``{unit: (value, url)}``; ``cache`` lets sources reading the same grouped query share it."""
        units = list(units)
        if self.bulk is not None:
            if cache is not None and "cache" in inspect.signature(self.bulk).parameters:
                return self.bulk(units, year, through_month, within=within, cache=cache)
            return self.bulk(units, year, through_month, within=within)
        return {unit: self.fn(unit, year, through_month) for unit in units}


SOURCES: dict[str, Source] = {}


def register(
    code: str,
    label,
    unit: str,
    fn: Callable | None = None,
    *,
    bulk: Callable | None = None,
    unit_kinds: tuple[str, ...] = (UnitKind.REGION,),
) -> Source:
    """Add a computed indicator's source; ``fn`` for one unit, ``bulk`` for many (either may be derived)."""
    if fn is None and bulk is None:
        raise ValueError("a source needs fn or bulk")
    if fn is None:

        def fn(unit, year, through_month, _bulk=bulk):
            within = getattr(unit, "parent", None) or getattr(unit, "region", None)
            return _bulk([unit], year, through_month, within=within).get(unit, (None, ""))

    source = Source(code, label, unit, fn, bulk, tuple(unit_kinds))
    SOURCES[code] = source
    return source


def source_choices() -> list[tuple[str, str]]:
    return [(code, f"{s.label}（{s.unit}）") for code, s in SOURCES.items()]


@dataclass
class RegionReader:
    """Reads figures as the administrator of ``region`` sees them, whoever asks for the assessment.

    A result is the assessing region's, not the viewer's: everyone allowed to see it sees the same table.
    """

    region: object
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    pk: None = None
    _tiaodu_grants: list = field(default_factory=list)

    def __post_init__(self):
        from tiaodu.accounts.models import Grant

        self._tiaodu_grants = [Grant(role=ADMIN, region=self.region)]


def _month(year: int, through_month: int) -> datetime.date:
    return datetime.date(year, through_month, 1)


# ---- figures: 开工率, 投资完成率, 固定资产投资完成额 --------------------------------------------


def figure_values(within, period: datetime.date, cache: dict | None = None) -> dict:
    """``{region id: {rate key: RateValue}}`` of every county and zone under ``within`` for the month,
    year-to-date: the figures' own sums (``summable``, ``sums``, ``RATES``) grouped by region in one query,
    exactly as ``figures.selectors.ranking`` adds them up."""
    from tiaodu.figures.selectors import RATES, FigureQuery, RateValue, summable, sums

    key = ("figures", within.pk, period)
    if cache is not None and key in cache:
        return cache[key]
    reader = RegionReader(within)
    base = summable(reader, FigureQuery(period=period, region=within))
    aggregates = {}
    for rate in RATES.values():
        aggregates.update(sums(base, rate))
    labels = {k: str(rate.label) for k, rate in RATES.items()}
    result = {}
    for row in base.order_by().values("region").annotate(**aggregates):
        result[row["region"]] = {
            k: RateValue(k, labels[k], row[f"{k}__n"], row[f"{k}__d"], bool(rate.money_field))
            for k, rate in RATES.items()
        }
    if cache is not None:
        cache[key] = result
    return result


def _figure_bulk(rate_key: str, *, amount: bool = False):
    def bulk(units, year, through_month, *, within, cache=None):
        period = _month(year, through_month)
        by_region = figure_values(within, period, cache)
        prefix = (
            reverse("figures:drilldown")
            + "?"
            + urlencode({"period": format_period(period), "rate": rate_key, "part": "numerator"})
        )
        result = {}
        for unit in units:
            value = by_region.get(unit.pk, {}).get(rate_key)
            link = f"{prefix}&region={unit.code}"
            if value is None:
                result[unit] = (Decimal(0) if amount else None, link)
            elif amount:
                result[unit] = (Decimal(value.numerator).quantize(Decimal("0.01")), link)
            else:
                result[unit] = (value.rate, link)
        return result

    return bulk


# ---- problems: 问题办结率 -------------------------------------------------------------------------


def _problem_bulk(units, year, through_month, *, within):
    from tiaodu.core.dates import local_today
    from tiaodu.orgs.models import Organisation
    from tiaodu.problems.selectors import ProblemFigureQuery, figure_table

    units = list(units)
    start, end = datetime.date(year, 1, 1), period_end(_month(year, through_month))
    query = ProblemFigureQuery(start=start, end=end, today=min(local_today(), end), region=within)
    group = "department" if units and isinstance(units[0], Organisation) else "region"
    rows = {row["key"]: row for row in figure_table(RegionReader(within), query, group)}
    result = {}
    prefix = (
        reverse("problems:drilldown")
        + "?"
        + urlencode({"start": start.isoformat(), "end": end.isoformat(), "measure": "solved", "group": group})
    )
    for unit in units:
        row = rows.get(str(unit.pk))
        link = f"{prefix}&key={unit.pk}"
        result[unit] = (row["rate"] if row else None, link)
    return result


register("start_rate", _("开工率"), "%", bulk=_figure_bulk("start_rate"))
register("investment_completion_rate", _("投资完成率"), "%", bulk=_figure_bulk("investment_completion_rate"))
register(
    "investment_completed",
    _("固定资产投资完成额"),
    "万元",
    bulk=_figure_bulk("investment_completion_rate", amount=True),
)
register(
    "problem_resolution_rate",
    _("问题办结率"),
    "%",
    bulk=_problem_bulk,
    unit_kinds=(UnitKind.REGION, UnitKind.DEPARTMENT),
)


# ---- investment attraction: 签约金额, 到位资金 -----------------------------------------------------


def _attraction_bulk(measure: str):
    """A money measure of the attraction figures (``attraction.selectors.figure_table``), year to date
    through the month, per county or zone: the same grouped sums as the attraction figures page."""

    def bulk(units, year, through_month, *, within, cache=None):
        from tiaodu.attraction.selectors import AttractionQuery, figure_table

        start, end = datetime.date(year, 1, 1), period_end(_month(year, through_month))
        key = ("attraction", within.pk, start, end)
        if cache is not None and key in cache:
            rows = cache[key]
        else:
            query = AttractionQuery(start=start, end=end, region=within)
            rows = {row["key"]: row for row in figure_table(RegionReader(within), query, "region")}
            if cache is not None:
                cache[key] = rows
        prefix = (
            reverse("attraction:drilldown")
            + "?"
            + urlencode({"start": start.isoformat(), "end": end.isoformat(), "measure": measure, "group": "region"})
        )
        result = {}
        for unit in units:
            row = rows.get(str(unit.pk))
            value = row[measure] if row else Decimal(0)
            result[unit] = (Decimal(value).quantize(Decimal("0.01")), f"{prefix}&key={unit.pk}")
        return result

    return bulk


register("signed_amount", _("签约金额"), "万元", bulk=_attraction_bulk("amount"))
register("funds_in_place", _("到位资金"), "万元", bulk=_attraction_bulk("funds"))
