"""Reads of dispatch meetings, from ``Meeting.objects.restrict(user, action)``; the proposed agenda."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DecimalField

from tiaodu.core.periods import previous_period
from tiaodu.core.scoping import VIEW
from tiaodu.problems.choices import CoordinationLevel, ProblemStatus
from tiaodu.problems.models import Problem, overdue_q
from tiaodu.problems.selectors import rate
from tiaodu.projects.models import Project
from tiaodu.reports.selectors import missing_reports

from .choices import AgendaReason
from .models import Meeting, SiteVisit, TourScore, VisitFinding

MONEY = DecimalField(max_digits=18, decimal_places=2)
PROPOSAL_LIMIT = 15  # per reason


def meeting_list(user, action: str = VIEW):
    return Meeting.objects.restrict(user, action).select_related("region", "chair")


@dataclass
class Proposal:
    project: Project
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return self.reasons[0]

    @property
    def labels(self) -> list[str]:
        names = dict(AgendaReason.choices)
        return [str(names[r]) for r in self.reasons]


def lagging_projects(user, region, day: datetime.date) -> list[Project]:
    """投资进度滞后: the dashboard's lagging projects (``figures.series.lagging``) in the last month
    finished before ``day``, worst first — the same projects the figures call lagging."""
    from tiaodu.figures.selectors import FigureQuery
    from tiaodu.figures.series import lagging

    rows = lagging(user, FigureQuery(period=previous_period(day.replace(day=1)), region=region))
    order = list(rows.values_list("project_id", flat=True)[: PROPOSAL_LIMIT * 2])
    found = Project.objects.filter(pk__in=order).select_related("region").in_bulk()
    return [found[pk] for pk in order if pk in found]


def propose_agenda(meeting: Meeting, user, today: datetime.date) -> list[Proposal]:
    """The agenda the system proposes: projects lagging on investment, with overdue or escalated problems,
    and late reporters — in the meeting's region and the user's scope, not yet on the agenda."""
    region = meeting.region
    on_agenda = set(meeting.items.values_list("project_id", flat=True))
    proposals: dict[int, Proposal] = {}

    def add(projects, reason):
        for project in projects[:PROPOSAL_LIMIT]:
            if project.pk in on_agenda:
                continue
            proposals.setdefault(project.pk, Proposal(project)).reasons.append(reason)

    unsolved = (
        Problem.objects.restrict(user, VIEW)
        .filter(region__path__startswith=region.path)
        .exclude(status=ProblemStatus.CLOSED)
    )
    in_scope = Project.objects.restrict(user, VIEW).select_related("region").order_by("region__code", "name")
    add(in_scope.filter(pk__in=unsolved.filter(overdue_q(today)).values("project_id")), AgendaReason.OVERDUE)
    add(
        in_scope.filter(pk__in=unsolved.exclude(level=CoordinationLevel.COUNTY).values("project_id")),
        AgendaReason.ESCALATED,
    )
    add(lagging_projects(user, region, meeting.date), AgendaReason.LAGGING)
    period = previous_period(meeting.date.replace(day=1))
    add(
        list(missing_reports(user, period).filter(region__path__startswith=region.path).select_related("region")),
        AgendaReason.LATE_REPORT,
    )
    return list(proposals.values())


# ---- site visit figures ------------------------------------------------------------------------------
# "leaders made 801 visits to 817 project sites, found 306 problems and solved 274": each number is
# a count of rows of one table below (defined once here), and its drill-down lists exactly those rows.


@dataclass(frozen=True)
class VisitQuery:
    start: datetime.date
    end: datetime.date
    region: object = None


def visits_in(user, query: VisitQuery):
    visits = SiteVisit.objects.restrict(user, VIEW).filter(date__gte=query.start, date__lte=query.end)
    if query.region is not None:
        visits = visits.filter(region__path__startswith=query.region.path)
    return visits


def visit_rows(user, query: VisitQuery, measure: str):
    """The rows behind one visit figure."""
    visits = visits_in(user, query)
    if measure == "visits":
        return visits.select_related("region").order_by("-date", "-pk")
    if measure == "person_visits":
        return (
            SiteVisit.leaders.through.objects.filter(sitevisit__in=visits)
            .select_related("sitevisit__region", "official")
            .order_by("-sitevisit__date", "pk")
        )
    if measure == "project_visits":
        return (
            SiteVisit.projects.through.objects.filter(sitevisit__in=visits)
            .select_related("sitevisit__region", "project", "project__region")
            .order_by("-sitevisit__date", "pk")
        )
    findings = VisitFinding.objects.filter(visit__in=visits)
    if measure == "problems_solved":
        findings = findings.filter(problem__status=ProblemStatus.CLOSED)
    elif measure != "problems_found":
        raise KeyError(measure)
    return Problem.objects.restrict(user, VIEW).filter(pk__in=findings.values("problem_id"))


VISIT_MEASURES = ("visits", "person_visits", "project_visits", "problems_found", "problems_solved")


def visit_figures(user, query: VisitQuery) -> dict:
    figures = {measure: visit_rows(user, query, measure).count() for measure in VISIT_MEASURES}
    figures["projects"] = visit_rows(user, query, "project_visits").values("project_id").distinct().count()
    figures["rate"] = rate(figures["problems_solved"], figures["problems_found"])
    return figures


# ---- inspection tour results -----------------------------------------------------------------------


@dataclass
class TourResult:
    project: Project
    scores: dict  # criterion id → average score (Decimal) or None
    total: Decimal | None  # weighted score out of 100
    scorers: int
    rank: int | None = None


def tour_results(tour, user) -> tuple[list[TourResult], list[dict]]:
    """Projects ranked by weighted score (百分制) and counties ranked by their projects' average.

    Weighted score = Σ weight × (average score ÷ full score) ÷ Σ weight × 100, over the criteria a
    project has scores for; averages per project and criterion are computed in SQL.
    """
    criteria = list(tour.criteria.all())
    projects = list(tour.projects.restrict(user, VIEW).select_related("region").order_by("region__code", "name"))
    averages = {
        (row["project_id"], row["criterion_id"]): row["avg"]
        for row in TourScore.objects.filter(criterion__tour=tour)
        .values("project_id", "criterion_id")
        .annotate(avg=Avg("score"))
    }
    scorers = dict(
        TourScore.objects.filter(criterion__tour=tour)
        .values("project_id")
        .annotate(n=Count("scorer_id", distinct=True))
        .values_list("project_id", "n")
    )
    results = []
    for project in projects:
        scores = {c.pk: averages.get((project.pk, c.pk)) for c in criteria}
        scored = [c for c in criteria if scores[c.pk] is not None]
        total = None
        if scored:
            weight = sum((c.weight for c in scored), Decimal(0))
            value = sum((c.weight * Decimal(str(scores[c.pk])) / c.max_score for c in scored), Decimal(0))
            total = (value / weight * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        results.append(TourResult(project, scores, total, scorers.get(project.pk, 0)))
    _rank(results, key=lambda r: r.total)
    counties: dict[int, list] = {}
    for result in results:
        if result.total is not None:
            counties.setdefault(result.project.region_id, [result.project.region, []])[1].append(result.total)
    county_rows = [
        {
            "region": region,
            "projects": len(totals),
            "average": (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        }
        for region, totals in counties.values()
    ]
    county_rows.sort(key=lambda r: -r["average"])
    for position, row in enumerate(county_rows, start=1):
        same = [r for r in county_rows[: position - 1] if r["average"] == row["average"]]
        row["rank"] = same[0]["rank"] if same else position
    return results, county_rows


def _rank(results, key) -> None:
    results.sort(key=lambda r: (key(r) is None, -(key(r) or 0), r.project.name))
    previous, rank = None, 0
    for position, result in enumerate(results, start=1):
        if key(result) is None:
            continue
        if key(result) != previous:
            rank, previous = position, key(result)
        result.rank = rank
