"""Reads built on the figure base for the figures page, the dashboard, the API and the command.

Nothing here defines a rate: every sum and count comes from ``selectors.RATES`` over
``selectors.figure_base``, so a chart, a table and a drill-down list agree with ``figures()``.
This module adds what the pages need around them: which regions a user may ask about, the
default month and region, the cumulative investment series of a year, the sector breakdown, the
lagging projects, and drill-down keys beyond those of ``selectors.drilldown`` (pools, lagging).
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.periods import previous_period
from tiaodu.core.scoping import OWNER, VIEW, is_unrestricted, user_grants
from tiaodu.projects.choices import STAGE_POOL, Pool, Sector, Stage
from tiaodu.regions.models import Region

from .models import FigureTotal
from .selectors import (
    RATES,
    FigureQuery,
    RateValue,
    drilldown,
    lock_for,
    summable,
    sums,
    year_to_date_bases,
)

INVESTMENT = "investment_completion_rate"
# A project is lagging (落后) when its investment progress (YTD ÷ annual plan) is more than this many
# percentage points behind the share of the year elapsed at the end of the month.
LAGGING_GAP_POINTS = Decimal(20)
PARTS = ("numerator", "denominator")


# ---- what a user may ask about -----------------------------------------------------------------


def figure_regions(user) -> QuerySet:
    """Regions whose figures ``user`` may ask for: those at or under a region the user is granted.

    Regions above the user's own (the city, for a county) are reference data the user may *see*,
    but their figures are not the user's to read, so they are not offered here. Owners hold no
    region grant: they read their own projects' figures without choosing a region.
    """
    regions = Region.objects.restrict(user, VIEW)
    if is_unrestricted(user):
        return regions
    condition = Q(pk__in=[])
    for grant in user_grants(user):
        if grant.role != OWNER and grant.region_id:
            condition |= Q(path__startswith=grant.region.path)
    return regions.filter(condition)


def default_region(user) -> Region | None:
    """The user's top region in scope (a city administrator's city); ``None`` for everything in scope.

    ``None`` when the user is unrestricted, holds no region grant, or holds grants in separate
    branches of the tree (two counties): the figures then cover all of the user's scope.
    """
    if is_unrestricted(user):
        return None
    regions = {grant.region.path: grant.region for grant in user_grants(user) if grant.role != OWNER}
    tops = [region for path, region in regions.items() if not any(path != p and path.startswith(p) for p in regions)]
    return tops[0] if len(tops) == 1 else None


def last_finished_month(today: datetime.date | None = None) -> datetime.date:
    """The month the figures default to: the last one that has ended (October, on any day of November)."""
    return previous_period((today or local_today()).replace(day=1))


def region_options(user) -> list[Region]:
    """Regions worth offering in a region picker: those in scope that have projects, and above.

    Keeps the choice to a city's counties and zones instead of the national tree; any region in
    ``figure_regions`` may still be typed in the query string.
    """
    from tiaodu.projects.models import Project

    # One index probe per region in scope (a city has a hundred or so), not a scan of every list entry.
    paths = (
        figure_regions(user)
        .filter(Exists(Project.objects.filter(region=OuterRef("pk"))))
        .values_list("path", flat=True)
    )
    codes = {code for path in paths for code in path.strip("/").split("/")}
    return list(figure_regions(user).filter(code__in=codes).order_by("path"))


# ---- the dashboard's series --------------------------------------------------------------------


@dataclass
class MonthPoint:
    """One month of the year: Σ YTD of the list at the month's end, and Σ annual plan × month ÷ 12."""

    period: datetime.date
    ytd: Decimal | None  # None for months after the one asked about
    plan_to_date: Decimal


def investment_series(user, query: FigureQuery) -> dict:
    """Cumulative completed investment by month against the plan spread evenly over the year.

    Each month's sum is the numerator of 投资完成率 at that month's end — current, or as locked
    when the query asks for it (then a month not locked has no point) — so the last point equals
    ``figures()``. One SQL query groups the months. The plan line covers all twelve months.
    """
    rate = RATES[INVESTMENT]
    year = query.period.year
    bases = year_to_date_bases(user, query)
    rows = {row["month"].month: row for row in bases.order_by().values("month").annotate(**sums(bases, rate))}
    if query.period.month in rows:
        plan = rows[query.period.month][f"{rate.key}__d"]
    else:  # nothing counted in the month asked about (or, as locked, not locked): the current plan
        current = summable(user, replace(query, as_of_lock=False))
        plan = current.aggregate(**sums(current, rate))[f"{rate.key}__d"]
    points = [
        MonthPoint(
            period=datetime.date(year, month, 1),
            ytd=rows[month][f"{rate.key}__n"] if month in rows else None,
            plan_to_date=(Decimal(plan) * month / 12).quantize(Decimal("0.01")),
        )
        for month in range(1, 13)
    ]
    return {"annual_plan": plan, "points": points}


def sector_breakdown(user, query: FigureQuery) -> list[dict]:
    """Completed investment (YTD) and annual plan per sector, largest first, with the completion rate."""
    rate = RATES[INVESTMENT]
    lock = lock_for(query, user) if query.as_of_lock else None
    base = summable(user, query, lock=lock)
    projects = Sum("total") if base.model is FigureTotal else Count("pk")
    rows = (
        base.order_by()
        .values("sector")
        .annotate(projects=projects, **sums(base, rate))
        .order_by(f"-{rate.key}__n", "sector")
    )
    labels = dict(Sector.choices)
    return [
        {
            "sector": row["sector"],
            "label": str(labels.get(row["sector"], row["sector"])),
            "projects": row["projects"],
            "value": RateValue(rate.key, str(rate.label), row[f"{rate.key}__n"], row[f"{rate.key}__d"], True),
        }
        for row in rows
    ]


def pools(stages: dict[str, int]) -> list[dict]:
    """The four pools (四库) from a figures' counts per stage; the side states are counted apart."""
    return [
        {
            "pool": pool,
            "label": str(pool.label),
            "count": sum(n for stage, n in stages.items() if STAGE_POOL.get(stage) == pool),
        }
        for pool in Pool
    ]


def year_elapsed_points(period: datetime.date) -> Decimal:
    """The share of the year elapsed at the end of ``period``, in percent (October → 83.3…)."""
    return Decimal(period.month) * 100 / 12


def lagging(user, query: FigureQuery, *, gap_points: Decimal = LAGGING_GAP_POINTS) -> QuerySet:
    """落后项目: rows whose YTD ÷ annual plan is more than ``gap_points`` behind the share of the year elapsed.

    Rows without an annual plan are never lagging (there is nothing to be behind). Worst first; among
    equals (often several at 0 %), by county and then in the order they were listed.
    """
    threshold = (year_elapsed_points(query.period) - gap_points) / 100
    rows = drilldown(user, query, "all", "denominator")
    if threshold <= 0:
        return rows.none()
    # ytd < plan × threshold: compared without dividing. The order divides as floating point, because
    # SQLite divides whole-numbered decimals as integers (1000 / 5000 = 0); it only sorts, never shows.
    progress = Cast(F("ytd"), FloatField()) / Cast(F("annual_plan"), FloatField())
    return rows.filter(annual_plan__gt=0, ytd__lt=F("annual_plan") * Value(threshold)).order_by(
        progress, "region__code", "pk"
    )


def first_rows(rows: QuerySet, n: int) -> list:
    """The first ``n`` of ``rows`` in their order, with their project, region and owner.

    The order is found on the ids alone (joining only what it sorts by), then the few rows are read
    with their relations: a big list is not joined to everything before being cut to ``n``.
    """
    ids = list(rows.values_list("pk", flat=True)[:n])
    found = rows.model.objects.filter(pk__in=ids).select_related("project", "project__region", "project__owner")
    by_id = {row.pk: row for row in found}
    return [by_id[pk] for pk in ids]


def lagging_gap(row, period: datetime.date) -> tuple[Decimal | None, Decimal | None]:
    """(progress %, points behind the year) of one shown row, rounded as every rate is."""
    progress = RateValue(INVESTMENT, "", row.ytd, row.annual_plan, True).rate
    if progress is None:
        return None, None
    elapsed = RateValue("", "", period.month, 12, False).rate
    return progress, elapsed - progress


# ---- drill-down keys ---------------------------------------------------------------------------


def parse_drilldown_key(key: str, part: str) -> tuple[str, str]:
    """Check a drill-down ``rate`` and ``part``: a rate key, ``stage:<stage>``, ``pool:<pool>``, ``all``,
    ``reported`` or ``lagging``; ``numerator`` (the default) or ``denominator``."""
    key = (key or "all").strip()
    part = (part or "numerator").strip()
    errors = {}
    valid = (
        key in RATES
        or key in ("all", "reported", "lagging")
        or (key.startswith("stage:") and key[6:] in Stage.values)
        or (key.startswith("pool:") and key[5:] in Pool.values)
    )
    if not valid:
        errors["rate"] = _(
            "“{value}”不是可查看明细的指标：应为 {rates}、stage:阶段、pool:项目库、all、reported 或 lagging。"
        ).format(value=key, rates="、".join(RATES))
    if part not in PARTS:
        errors["part"] = _("“{value}”无效：应为 numerator（分子）或 denominator（分母）。").format(value=part)
    if errors:
        raise ValidationError(errors, code="invalid")
    return key, part


def drilldown_rows(user, query: FigureQuery, key: str, part: str) -> QuerySet:
    """The rows behind any number the pages show: ``selectors.drilldown`` plus pools and lagging projects."""
    if key.startswith("pool:"):
        stages = [stage for stage, pool in STAGE_POOL.items() if pool == key[5:]]
        return drilldown(user, query, "all", part).filter(stage__in=stages)
    if key == "lagging":
        return lagging(user, query)
    return drilldown(user, query, key, part)


def drilldown_title(key: str, part: str) -> str:
    """What a drill-down list is, as its header says it: “开工率 分子：已开工的新建项目”."""
    if key in RATES:
        described = {
            ("start_rate", "numerator"): _("已开工的新建项目"),
            ("start_rate", "denominator"): _("名单内新建项目"),
            ("resumption_rate", "numerator"): _("已复工的续建项目"),
            ("resumption_rate", "denominator"): _("名单内续建项目"),
            ("investment_completion_rate", "numerator"): _("自年初累计完成投资"),
            ("investment_completion_rate", "denominator"): _("年度计划投资"),
            ("commissioning_rate", "numerator"): _("已投产的计划当年投产项目"),
            ("commissioning_rate", "denominator"): _("计划当年投产项目"),
        }[(key, part)]
        part_label = _("分子") if part == "numerator" else _("分母")
        return _("{rate} {part}：{what}").format(rate=RATES[key].label, part=part_label, what=described)
    if key.startswith("stage:"):
        return _("阶段为“{stage}”的项目").format(stage=Stage(key[6:]).label)
    if key.startswith("pool:"):
        return _("{pool}项目").format(pool=Pool(key[5:]).label)
    if key == "reported":
        return _("本月已报项目")
    if key == "lagging":
        return _("投资进度落后项目（落后时序进度{gap}个百分点以上）").format(gap=LAGGING_GAP_POINTS)
    return _("名单内项目")
