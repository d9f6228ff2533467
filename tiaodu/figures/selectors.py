"""The figures: 开工率, 复工率, 投资完成率, 投产率, projects per stage, rankings — current or as locked.

Everything starts from one *figure base*: a queryset with one row per key-list entry and the same
columns whether it is computed live from the reports (``live_base``) or read from the rows kept
when the month was locked (``FigureSnapshotRow``). Each rate is a numerator and a denominator
defined once, in ``RATES``, as filters and sums over that base; the figure, the ranking and the
drill-down list all use those same definitions, so a number and the rows behind it cannot disagree.
"""

import datetime
import functools
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tiaodu.core.periods import period_end, year_start
from tiaodu.core.scoping import OWNER, VIEW, is_unrestricted, user_grants
from tiaodu.projects.choices import KeyLevel, KeyListStatus, Nature, Stage
from tiaodu.projects.models import KeyListEntry, StageTransition
from tiaodu.regions.models import Region
from tiaodu.reports.models import COUNTED_STATUSES, MonthLock, MonthlyReport, OpeningBalance

from .models import MONEY_TOTALS, FigureRow, FigureSnapshotRow, FigureTotal

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal(0), output_field=MONEY)
# A project on several lists of one year is counted once, on its highest list, when no level is chosen.
LEVEL_RANK = {KeyLevel.PROVINCE: 0, KeyLevel.CITY: 1, KeyLevel.COUNTY: 2}
HIGHER_LEVELS = {
    level: [other for other, r in LEVEL_RANK.items() if r < rank] for level, rank in LEVEL_RANK.items() if rank
}


@dataclass(frozen=True)
class Rate:
    """A rate as a numerator over a denominator: counts of rows, or sums of a money column."""

    key: str
    label: str
    denominator: Q
    numerator: Q
    money_field: str | None = None  # numerator sums this column
    plan_field: str | None = None  # denominator sums this column

    def aggregates(self) -> dict:
        if self.money_field:
            return {
                f"{self.key}__n": Coalesce(Sum(self.money_field, filter=self.numerator), ZERO),
                f"{self.key}__d": Coalesce(Sum(self.plan_field, filter=self.denominator), ZERO),
            }
        return {
            f"{self.key}__n": Count("pk", filter=self.numerator),
            f"{self.key}__d": Count("pk", filter=self.denominator),
        }


RATES = {
    rate.key: rate
    for rate in [
        Rate("start_rate", _("开工率"), Q(nature=Nature.NEW), Q(nature=Nature.NEW, started=True)),
        Rate("resumption_rate", _("复工率"), Q(nature=Nature.CONTINUED), Q(nature=Nature.CONTINUED, resumed=True)),
        Rate("investment_completion_rate", _("投资完成率"), Q(), Q(), money_field="ytd", plan_field="annual_plan"),
        Rate(
            "commissioning_rate",
            _("投产率"),
            Q(planned_commissioning=True),
            Q(planned_commissioning=True, commissioned=True),
        ),
    ]
}


@dataclass(frozen=True)
class FigureQuery:
    """Which figures: a month, and optionally a region (with everything under it), a list level, a sector."""

    period: datetime.date
    region: Region | None = None
    level: str | None = None
    sector: str | None = None
    as_of_lock: bool = False
    # Only the projects filed under the region itself (a city's 市本级), not those of the regions under it.
    region_only: bool = False


@dataclass
class RateValue:
    key: str
    label: str
    numerator: Decimal | int
    denominator: Decimal | int
    is_money: bool

    @property
    def rate(self) -> Decimal | None:
        """Percentage with one decimal, rounded half up (1,038 / 1,141 → 91.0); None when nothing to divide by."""
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def as_json(self) -> dict:
        rate = self.rate
        return {
            "numerator": f"{Decimal(self.numerator):.2f}" if self.is_money else self.numerator,
            "denominator": f"{Decimal(self.denominator):.2f}" if self.is_money else self.denominator,
            "rate": None if rate is None else str(rate),
        }


@dataclass
class Figures:
    query: FigureQuery
    rates: dict[str, RateValue]
    stages: dict[str, int]
    total: int
    reported: int
    lock: MonthLock | None = None
    previous_year: "Figures | None" = None
    extra: dict = field(default_factory=dict)

    def yoy(self, key: str) -> Decimal | None:
        """Year-on-year change of a rate, in percentage points."""
        if self.previous_year is None:
            return None
        now, then = self.rates[key].rate, self.previous_year.rates[key].rate
        return None if now is None or then is None else now - then

    def as_json(self) -> dict:
        from tiaodu.core.periods import format_period

        body = {
            "period": format_period(self.query.period),
            "region": self.query.region.code if self.query.region else None,
            "level": self.query.level,
            "sector": self.query.sector,
            "region_only": self.query.region_only,
            "as_of": "lock" if self.lock else "current",
            "locked_at": self.lock.locked_at.isoformat() if self.lock else None,
            **{key: value.as_json() for key, value in self.rates.items()},
            "stages": self.stages,
            "projects": self.total,
            "reported": self.reported,
        }
        if self.previous_year is not None:
            body["year_on_year"] = {key: (None if self.yoy(key) is None else str(self.yoy(key))) for key in self.rates}
        return body


# ---- the base --------------------------------------------------------------------------------


def live_base(period: datetime.date) -> QuerySet:
    """Every entry of the period's year on a published list, with the columns the figures read, computed now."""
    end = period_end(period)
    first = year_start(period)
    counted = MonthlyReport.objects.filter(project=OuterRef("project"), status__in=COUNTED_STATUSES)
    latest_ytd = counted.filter(period__gte=first, period__lte=period).order_by("-period").values("ytd")[:1]
    opening_ytd = (
        OpeningBalance.objects.filter(project=OuterRef("project"), period__gte=first, period__lte=period)
        .order_by("-period")
        .values("ytd")[:1]
    )
    resumed = counted.filter(period__gte=first, period__lte=period).filter(
        Q(milestones__contains="resumed") | Q(investment_month__gt=0)
    )
    stage_then = (
        StageTransition.objects.filter(project=OuterRef("project"), effective_date__lte=end)
        .order_by("-effective_date", "-at", "-pk")
        .values("to_state")[:1]
    )
    same_year = KeyListEntry.objects.filter(
        project=OuterRef("project"), key_list__year=period.year, key_list__status=KeyListStatus.PUBLISHED
    )
    # An entry is demoted (not primary) when the project is also on a higher list of the year.
    demoted = [
        Q(key_list__level=level) & Exists(same_year.filter(key_list__level__in=higher))
        for level, higher in HIGHER_LEVELS.items()
    ]
    return KeyListEntry.objects.filter(key_list__year=period.year, key_list__status=KeyListStatus.PUBLISHED).annotate(
        level=F("key_list__level"),
        sector=F("project__sector"),
        region=F("project__region"),
        ytd=Coalesce(Subquery(latest_ytd), Subquery(opening_ytd), ZERO, output_field=MONEY),
        started=_flag(Q(project__actual_start_date__lte=end)),
        resumed=Exists(resumed),
        planned_commissioning=_flag(Q(project__planned_commissioning_date__year=period.year)),
        commissioned=_flag(Q(project__actual_commissioning_date__lte=end)),
        stage=Coalesce(Subquery(stage_then), F("project__stage")),
        reported=Exists(counted.filter(period=period)),
        is_primary=Case(
            *(When(condition, then=Value(False)) for condition in demoted),
            default=Value(True),
            output_field=BooleanField(),
        ),
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def lock_for(query: FigureQuery, user) -> MonthLock | None:
    """The lock of the query's month by the city the figures are about (the region, or the user's)."""
    region = query.region
    if region is None:
        regions = Region.objects.restrict(user, VIEW).filter(level="city")
        locks = MonthLock.objects.filter(period=query.period, region__in=regions)
        return locks.order_by("region__code").first()
    codes = region.path.strip("/").split("/")
    return MonthLock.objects.filter(period=query.period, region__code__in=codes).order_by("-region__path").first()


def _narrow(rows: QuerySet, query: FigureQuery) -> QuerySet:
    """The query's region (with everything under it), sector and level; without a level, each project once."""
    if query.region is not None and query.region_only:
        rows = rows.filter(region=query.region)
    elif query.region is not None:
        # The region and those under it as a list of ids, so that an index on (period, region) is used
        # for each of them (a condition on the joined region's path is not seen as one on the index).
        under = Region.objects.filter(path__startswith=query.region.path).values("pk")
        rows = rows.filter(region__in=under)
    if query.sector:
        rows = rows.filter(sector=query.sector)
    if query.level:
        return rows.filter(level=query.level)
    return rows.filter(is_primary=True)  # one row per project: its highest list of the year


def figure_base(user, query: FigureQuery, *, lock: MonthLock | None = None) -> QuerySet:
    """The rows the figures of ``query`` are computed from, limited to what ``user`` may see.

    Current figures read ``FigureRow`` (kept equal to ``live_base`` by ``figures.rollup``), as-locked
    figures the rows kept at the lock; both have the columns of ``live_base``.
    """
    if lock is not None:
        rows = FigureSnapshotRow.objects.restrict(user, VIEW).filter(lock=lock)
    else:
        rows = FigureRow.objects.restrict(user, VIEW).filter(period=query.period)
    return _narrow(rows, query)


def year_to_date_bases(user, query: FigureQuery) -> QuerySet:
    """The figure rows (or sums, see ``uses_totals``) of every month from January to the query's month,
    each with its ``month``; add them up with ``sums``.

    Current: the current rows of those months. As locked: the rows kept when each month was locked
    (a month not locked has none).
    """
    first = year_start(query.period)
    if not query.as_of_lock:
        model = FigureTotal if uses_totals(user) else FigureRow
        rows = model.objects.restrict(user, VIEW).filter(period__gte=first, period__lte=query.period)
        return _narrow(rows, query).annotate(month=F("period"))
    locks = [
        lock_for(FigureQuery(period=datetime.date(first.year, month, 1), region=query.region), user)
        for month in range(1, query.period.month + 1)
    ]
    rows = FigureSnapshotRow.objects.restrict(user, VIEW).filter(lock__in=[lock for lock in locks if lock])
    return _narrow(rows, query).annotate(month=F("lock__period"))


# ---- the figures -----------------------------------------------------------------------------


def row_aggregates() -> dict:
    result = {"total": Count("pk"), "reported_n": Count("pk", filter=Q(reported=True))}
    for rate in RATES.values():
        result.update(rate.aggregates())
    for stage in Stage.values:
        result[f"stage__{stage}"] = Count("pk", filter=Q(stage=stage))
    return result


def uses_totals(user, lock: MonthLock | None = None) -> bool:
    """Whether the current figures can be added up from ``FigureTotal`` for ``user``.

    Its sums are per region: right for anyone whose scope is regions. An owner's scope is its own
    projects, which the sums do not single out, so an owner's figures add up its rows instead.
    As-locked figures always read the rows kept at the lock.
    """
    return lock is None and (is_unrestricted(user) or all(g.role != OWNER for g in user_grants(user)))


def summable(user, query: FigureQuery, *, lock: MonthLock | None = None) -> QuerySet:
    """What the figures of ``query`` are added up from: the month's sums, or its rows (see ``uses_totals``)."""
    if uses_totals(user, lock):
        return _narrow(FigureTotal.objects.restrict(user, VIEW).filter(period=query.period), query)
    return figure_base(user, query, lock=lock)


def sums(base: QuerySet, rate: "Rate | None" = None) -> dict:
    """The aggregates of ``row_aggregates`` (or of one rate) over ``base``: over rows, or sums of its sums."""
    if base.model is not FigureTotal:
        return rate.aggregates() if rate else row_aggregates()
    return _total_sums(rate.key if rate else None)


@functools.cache
def _total_sums(rate_key: str | None) -> dict:
    """``sums`` over ``FigureTotal``: built once and reused, as Django copies an expression it resolves
    (building and hashing thirty fresh expressions costs more than the query they make)."""
    aggregates = RATES[rate_key].aggregates() if rate_key else row_aggregates()
    result = {}
    for key in aggregates:
        column = key.replace("__", "_")
        result[key] = Coalesce(Sum(column), ZERO if column in MONEY_TOTALS else Value(0))
    return result


def _figures_from(row: dict, query: FigureQuery, lock) -> Figures:
    rates = {
        key: RateValue(key, str(rate.label), row[f"{key}__n"], row[f"{key}__d"], is_money=bool(rate.money_field))
        for key, rate in RATES.items()
    }
    return Figures(
        query=query,
        rates=rates,
        stages={s: row[f"stage__{s}"] for s in Stage.values},
        total=row["total"],
        reported=row["reported_n"],
        lock=lock,
    )


def figures(user, query: FigureQuery, *, with_previous_year: bool = True) -> Figures:
    """The figures of one month and scope, in one aggregate query (two with the year before)."""
    lock = lock_for(query, user) if query.as_of_lock else None
    if query.as_of_lock and lock is None:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("该月尚未锁定，没有“锁定时”的数据。"), code="not_locked")
    before = datetime.date(query.period.year - 1, query.period.month, 1)
    previous_query = replace(query, period=before, as_of_lock=False)
    if with_previous_year and uses_totals(user, lock):
        # Both months in one grouped sum of the kept sums (a month with no rows sums to nothing).
        base = _narrow(FigureTotal.objects.restrict(user, VIEW).filter(period__in=[query.period, before]), query)
        found = {row.pop("period"): row for row in base.order_by().values("period").annotate(**sums(base))}
        result = _figures_from(found.get(query.period) or _no_rows(), query, lock)
        result.previous_year = _figures_from(found.get(before) or _no_rows(), previous_query, None)
        return result
    base = summable(user, query, lock=lock)
    row = base.aggregate(**sums(base))
    result = _figures_from(row, query, lock)
    if with_previous_year:
        result.previous_year = figures(user, previous_query, with_previous_year=False)
    return result


def _no_rows() -> dict:
    """What ``sums`` add up to over no rows: zero of each (money as ``Decimal``)."""
    return {key: Decimal(0) if key.replace("__", "_") in MONEY_TOTALS else 0 for key in row_aggregates()}


@dataclass
class RankingRow:
    region: Region
    value: RateValue
    rank: int | None = None


def ranking(user, query: FigureQuery, rate_key: str) -> list[RankingRow]:
    """Counties and zones ranked on one rate (ties share a rank; no denominator, no rank)."""
    rate = RATES[rate_key]
    lock = lock_for(query, user) if query.as_of_lock else None
    base = summable(user, query, lock=lock)
    rows = base.order_by().values("region").annotate(**sums(base, rate))
    regions = Region.objects.in_bulk([row["region"] for row in rows])
    result = [
        RankingRow(
            regions[row["region"]],
            RateValue(rate.key, str(rate.label), row[f"{rate.key}__n"], row[f"{rate.key}__d"], bool(rate.money_field)),
        )
        for row in rows
    ]
    result.sort(key=lambda r: (r.value.rate is None, -(r.value.rate or 0), r.region.code))
    previous, rank = None, 0
    for position, row in enumerate(result, start=1):
        if row.value.rate is None:
            continue
        if row.value.rate != previous:
            rank, previous = position, row.value.rate
        row.rank = rank
    return result


def drilldown(user, query: FigureQuery, rate_key: str, part: str) -> QuerySet:
    """The exact rows behind a rate's numerator or denominator (``part``), or behind a stage count.

    ``rate_key`` is a key of ``RATES`` or ``stage:<stage>``; ``part`` is ``numerator`` or ``denominator``.
    """
    lock = lock_for(query, user) if query.as_of_lock else None
    rows = figure_base(user, query, lock=lock)
    if rate_key.startswith("stage:"):
        rows = rows.filter(stage=rate_key.split(":", 1)[1])
    elif rate_key == "reported":
        rows = rows.filter(reported=True)
    elif rate_key == "all":
        pass
    else:
        rate = RATES[rate_key]
        rows = rows.filter(rate.numerator if part == "numerator" else rate.denominator)
    return rows.select_related("project", "project__region", "project__owner").order_by("region__code", "project__name")
