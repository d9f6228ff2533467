"""Reads of the problem ledger, always from ``Problem.objects.restrict(user, action)``.

The figures (found, solved, resolution rate, average days to solve, overdue) are defined once, in
``MEASURES``, as filters over the problems in scope found in a period: the per-county and
per-department tables aggregate those filters in SQL, and each number's drill-down lists the rows
of the same filter, so a number and the rows behind it cannot disagree.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import Role
from tiaodu.core.history import history_items
from tiaodu.core.scoping import VIEW, user_grants
from tiaodu.orgs.models import Organisation
from tiaodu.regions.models import Region

from .choices import ProblemStatus
from .models import Problem, ProblemEvent, ProblemQuerySet, overdue_q

RELATED = ("project", "region", "category", "department", "proposed_department", "project__owner")


def with_overdue(problems: ProblemQuerySet, today: datetime.date) -> ProblemQuerySet:
    """Annotate ``is_overdue`` (deadline passed, not closed), computed in SQL so lists can filter and sort by it."""
    return problems.annotate(
        is_overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def problem_list(user, today: datetime.date, action: str = VIEW) -> ProblemQuerySet:
    return with_overdue(Problem.objects.restrict(user, action).select_related(*RELATED), today)


def department_ids(user) -> list[int]:
    """The departments (责任单位) the user answers for."""
    return [g.organisation_id for g in user_grants(user) if g.role == Role.DEPARTMENT and g.organisation_id]


def inbox(user, today: datetime.date) -> ProblemQuerySet:
    """部门待办: the problems assigned to the user's departments, in scope."""
    return problem_list(user, today).filter(department_id__in=department_ids(user))


def status_counts(problems: QuerySet) -> list[dict]:
    """How many problems per status (every status listed, zero included), in one query."""
    counts = dict(problems.order_by().values_list("status").annotate(n=Count("pk")))
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in ProblemStatus.choices]


def category_counts(problems: QuerySet) -> list[dict]:
    rows = (
        problems.order_by()
        .values("category_id", "category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")
    )
    return [{"category": r["category_id"], "label": r["category__name"], "count": r["n"]} for r in rows]


def problem_events(problem: Problem) -> QuerySet:
    return ProblemEvent.objects.filter(problem=problem).select_related("actor", "department").order_by("at", "pk")


def problem_history(problem: Problem):
    """Field changes (simple-history), newest first; workflow steps are told by the events."""
    items = history_items(
        problem.history.select_related("history_user"),
        Problem,
        ignore=frozenset({"status", "assigned_at", "assigned_by", "answered_by", "closed_by"}),
    )
    return list(reversed(items))


# ---- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    condition: Callable[[datetime.date], Q]


MEASURES = {
    m.key: m
    for m in [
        Measure("found", _("发现问题"), lambda today: Q()),
        Measure("solved", _("已解决（销号）"), lambda today: Q(status=ProblemStatus.CLOSED)),
        Measure("unsolved", _("未解决"), lambda today: ~Q(status=ProblemStatus.CLOSED)),
        Measure("overdue", _("超期未解决"), overdue_q),
    ]
}
# 问题解决率 = solved ÷ found (of the problems found in the period and scope).
RATE_NUMERATOR, RATE_DENOMINATOR = "solved", "found"
GROUPS = {"region": "region_id", "department": "department_id"}
NO_DEPARTMENT = "none"


def rate(numerator: int, denominator: int) -> Decimal | None:
    """Percentage with one decimal, rounded half up; None when nothing was found."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ProblemFigureQuery:
    start: datetime.date
    end: datetime.date
    today: datetime.date
    region: Region | None = None


def figure_base(user, query: ProblemFigureQuery) -> ProblemQuerySet:
    """The problems the figures count: in scope, found in the period, under the chosen region."""
    problems = Problem.objects.restrict(user, VIEW).filter(found_on__gte=query.start, found_on__lte=query.end)
    if query.region is not None:
        problems = problems.filter(region__path__startswith=query.region.path)
    return problems


def _aggregates(today: datetime.date) -> dict:
    values = {key: Count("pk", filter=m.condition(today)) for key, m in MEASURES.items()}
    values["avg_days"] = Avg("resolution_days", filter=Q(status=ProblemStatus.CLOSED))
    return values


def _row(values: dict) -> dict:
    avg = values.get("avg_days")
    return {
        **{key: values[key] for key in MEASURES},
        "rate": rate(values[RATE_NUMERATOR], values[RATE_DENOMINATOR]),
        "avg_days": Decimal(str(avg)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if avg is not None else None,
    }


def figure_totals(user, query: ProblemFigureQuery) -> dict:
    return _row(figure_base(user, query).aggregate(**_aggregates(query.today)))


def figure_table(user, query: ProblemFigureQuery, group: str) -> list[dict]:
    """One row per county/zone (``region``) or per department, ranked by resolution rate (排名).

    Ties share a rank; groups with nothing found come last, unranked.
    """
    field = GROUPS[group]
    rows = figure_base(user, query).order_by().values(field).annotate(**_aggregates(query.today))
    rows = list(rows)
    ids = [r[field] for r in rows if r[field] is not None]
    model = Region if group == "region" else Organisation
    names = {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids)}
    result = []
    for values in rows:
        key = values[field]
        row = _row(values)
        row["key"] = str(key) if key is not None else NO_DEPARTMENT
        row["label"] = names.get(key, "") if key is not None else str(_("（未交办）"))
        result.append(row)
    result.sort(key=lambda r: (r["rate"] is None, -(r["rate"] or 0), -r["found"], r["label"]))
    rank, previous = 0, object()
    for position, row in enumerate(result, start=1):
        if row["rate"] is None:
            row["rank"] = None
            continue
        if row["rate"] != previous:
            rank, previous = position, row["rate"]
        row["rank"] = rank
    return result


def drilldown(user, query: ProblemFigureQuery, measure: str, group: str | None = None, key: str | None = None):
    """The rows behind one number: the same base and the same measure filter, for one group if given."""
    problems = figure_base(user, query).filter(MEASURES[measure].condition(query.today))
    if group:
        field = GROUPS[group]
        problems = problems.filter(**{f"{field}__isnull": True} if key == NO_DEPARTMENT else {field: key})
    return with_overdue(problems.select_related(*RELATED), query.today)
