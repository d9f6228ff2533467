"""Reads of the monthly loop, always through the user's scope: what is due, what waits, what is late."""

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from tiaodu.core.history import HistoryItem, history_items
from tiaodu.core.periods import previous_period
from tiaodu.core.scoping import CHANGE, OWNER, REVIEW, VIEW, is_unrestricted, user_can, user_grants
from tiaodu.projects.choices import KeyListStatus, Stage
from tiaodu.projects.models import KeyListEntry, Project, ProjectQuerySet
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

from .choices import ReportEventKind, ReportStatus
from .models import COUNTED_STATUSES, MonthLock, MonthlyReport, MonthlyReportQuerySet, ReportEvent, ReportingRule

DEFAULT_DEADLINE_DAY = ReportingRule._meta.get_field("deadline_day").default
DEFAULT_REVIEW_DAYS = ReportingRule._meta.get_field("review_days").default

# A report "not yet submitted" (本月尚未提交) has no report, or a draft, or one sent back.
NOT_SUBMITTED = "none"
# Progress % compared for "identical to last month" with NULL equal to NULL.
_NO_PCT = Value(-1, output_field=DecimalField(max_digits=5, decimal_places=1))


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _same_as(reports: QuerySet, *, prefix: str = "") -> QuerySet:
    """Reports among ``reports`` whose figures equal the outer row's (``prefix`` names its annotations)."""
    return reports.annotate(_pct=Coalesce("progress_pct", _NO_PCT)).filter(
        investment_month=OuterRef(f"{prefix}investment_month"),
        progress_text=OuterRef(f"{prefix}progress_text"),
        _pct=OuterRef(f"{prefix}pct_key"),
    )


def with_flags(reports: MonthlyReportQuerySet) -> MonthlyReportQuerySet:
    """Annotate each report with ``is_stale`` (数据与上月雷同) and ``not_submitted`` (本月尚未提交).

    Stale: last month's report of the same project has the same investment, progress text and %.
    The previous month is computed in SQL (the day before the 1st, truncated to its month).
    """
    previous = TruncMonth(
        ExpressionWrapper(F("period") - timedelta(days=1), output_field=DateField()), output_field=DateField()
    )
    last_month = MonthlyReport.objects.filter(
        project=OuterRef("project"), period=OuterRef("previous_period")
    ).order_by()
    return reports.annotate(
        previous_period=previous,
        pct_key=Coalesce("progress_pct", _NO_PCT),
    ).annotate(
        is_stale=Exists(_same_as(last_month)),
        not_submitted=_flag(~Q(status__in=COUNTED_STATUSES)),
    )


def report_list(user, action: str = VIEW) -> MonthlyReportQuerySet:
    """Reports the user may act on, with what every list shows (project, region, owner, people, flags)."""
    return with_flags(
        MonthlyReport.objects.restrict(user, action).select_related(
            "project", "project__region", "project__owner", "submitted_by", "reviewed_by"
        )
    )


def reports_to_review(user, period: datetime.date) -> MonthlyReportQuerySet:
    """Submitted reports of the month waiting for this user's review (审核)."""
    return report_list(user, REVIEW).filter(period=period, status=ReportStatus.SUBMITTED)


def projects_due(user, period: datetime.date) -> ProjectQuerySet:
    """The projects that must be reported for ``period``, each with its report's state.

    Due: in the user's scope, on a *published* key list of the period's year, not withdrawn.
    Annotated with the month's ``report_id``, ``report_status`` (``"none"`` when there is none),
    ``return_reason``, ``is_correction``/``correction_reason``, ``not_submitted`` (本月尚未提交)
    and ``is_stale`` (数据与上月雷同). One row per project, even when it is on several lists.
    """
    on_list = KeyListEntry.objects.filter(
        project=OuterRef("pk"), key_list__year=period.year, key_list__status=KeyListStatus.PUBLISHED
    )
    # Unordered: the model's default ordering would join project and region into every subquery.
    this_month = MonthlyReport.objects.filter(project=OuterRef("pk"), period=period).order_by()
    last_month = MonthlyReport.objects.filter(project=OuterRef("pk"), period=previous_period(period)).order_by()

    def of_report(column: str, output=None):
        return Subquery(this_month.values(column)[:1], output_field=output)

    return (
        Project.objects.restrict(user, VIEW)
        .filter(Exists(on_list))
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("region", "owner")
        .annotate(
            report_id=of_report("pk"),
            report_status=Coalesce(of_report("status"), Value(NOT_SUBMITTED)),
            return_reason=of_report("return_reason"),
            is_correction=Coalesce(of_report("is_correction"), Value(False)),
            correction_reason=of_report("correction_reason"),
            investment_month=of_report("investment_month"),
            progress_text=of_report("progress_text"),
            pct_key=Coalesce(of_report("progress_pct"), _NO_PCT),
        )
        .annotate(
            not_submitted=_flag(~Q(report_status__in=COUNTED_STATUSES)),
            is_stale=Exists(_same_as(last_month)),
        )
        .order_by("region__code", "name")
    )


def missing_reports(user, period: datetime.date) -> ProjectQuerySet:
    """未填报: due projects with no submitted or accepted report for the month."""
    return projects_due(user, period).filter(not_submitted=True)


@dataclass
class CountRow:
    region_id: int | None
    region_code: str
    region_name: str
    due: int
    submitted: int
    accepted: int
    missing: int


def review_counts(user, period: datetime.date) -> list[CountRow]:
    """Per county/zone: due, submitted awaiting review (已提交待审), accepted (已审核), missing (未填报); then 合计.

    One aggregate query over ``projects_due``; a city-level project counts under the city.
    """
    rows = (
        projects_due(user, period)
        .order_by()
        .values("region_id", "region__code", "region__name")
        .annotate(
            due=Count("pk"),
            submitted=Count("pk", filter=Q(report_status=ReportStatus.SUBMITTED)),
            accepted=Count("pk", filter=Q(report_status=ReportStatus.ACCEPTED)),
            missing=Count("pk", filter=Q(not_submitted=True)),
        )
        .order_by("region__code")
    )
    result = [
        CountRow(
            r["region_id"], r["region__code"], r["region__name"], r["due"], r["submitted"], r["accepted"], r["missing"]
        )
        for r in rows
    ]
    if len(result) > 1:
        result.append(
            CountRow(
                None,
                "",
                "",
                sum(r.due for r in result),
                sum(r.submitted for r in result),
                sum(r.accepted for r in result),
                sum(r.missing for r in result),
            )
        )
    return result


def report_history(report: MonthlyReport) -> list[HistoryItem]:
    """The report's field edits (who changed which figure, why) and its workflow steps, newest first."""
    items = history_items(
        report.history.select_related("history_user"),
        MonthlyReport,
        # The workflow steps tell these (with the reason); the field items tell the figures.
        ignore=frozenset(
            {
                "status",
                "submitted_at",
                "submitted_by",
                "reviewed_at",
                "reviewed_by",
                "return_reason",
                "is_correction",
                "correction_reason",
            }
        ),
    )
    for event in report.events.select_related("actor").order_by("at", "pk"):
        items.append(
            HistoryItem(
                at=event.at,
                actor=str(event.actor) if event.actor_id else "",
                kind="event",
                title=str(ReportEventKind(event.kind).label),
                reason=event.comment,
            )
        )
    items.sort(key=lambda item: item.at, reverse=True)
    return items


def report_events(report: MonthlyReport) -> QuerySet:
    return ReportEvent.objects.filter(report=report).select_related("actor").order_by("-at", "-pk")


def is_stale(report: MonthlyReport) -> bool:
    """数据与上月雷同, for one report (one query)."""
    previous = MonthlyReport.objects.filter(project_id=report.project_id, period=previous_period(report.period))
    return previous.filter(
        investment_month=report.investment_month,
        progress_text=report.progress_text,
        **({"progress_pct__isnull": True} if report.progress_pct is None else {"progress_pct": report.progress_pct}),
    ).exists()


# ---- month locks ---------------------------------------------------------------------------------


@dataclass
class LockRow:
    """One month of one city: locked or not, and how many reports still wait for review."""

    region: Region
    period: datetime.date
    lock: MonthLock | None
    waiting: int
    can_lock: bool


def lock_cities(user) -> QuerySet:
    """The cities with projects whose months the user can see the lock state of (a county sees its city's)."""
    has_projects = Project.objects.filter(region__path__startswith=OuterRef("path"))
    return (
        Region.objects.restrict(user, VIEW)
        .filter(level=RegionLevel.CITY, is_active=True)
        .filter(Exists(has_projects))
        .order_by("code")
    )


@dataclass
class RuleRow:
    region: Region
    deadline_day: int
    review_days: int
    is_default: bool
    can_change: bool


def reporting_rules(user) -> list[RuleRow]:
    """Each city in scope with its reporting rule (or the default one) and whether the user may change it."""
    cities = list(lock_cities(user))
    rules = {rule.region_id: rule for rule in ReportingRule.objects.filter(region__in=cities)}
    rows = []
    for city in cities:
        rule = rules.get(city.pk)
        rows.append(
            RuleRow(
                region=city,
                deadline_day=rule.deadline_day if rule else DEFAULT_DEADLINE_DAY,
                review_days=rule.review_days if rule else DEFAULT_REVIEW_DAYS,
                is_default=rule is None,
                can_change=user_can(user, CHANGE, rule or ReportingRule(region=city)),
            )
        )
    return rows


def month_locks(user, today: datetime.date, *, months: int = 12) -> list[LockRow]:
    """The last ``months`` finished months of each city in scope, newest first, with their lock state.

    Three queries whatever the number of cities and months: cities, locks, waiting reports.
    """
    cities = list(lock_cities(user))
    if not cities:
        return []
    periods = []
    period = previous_period(today.replace(day=1))
    for _n in range(months):
        periods.append(period)
        period = previous_period(period)
    locks = {
        (lock.region_id, lock.period): lock
        for lock in MonthLock.objects.filter(region__in=cities, period__gte=periods[-1]).select_related("locked_by")
    }
    waiting: dict[tuple[str, datetime.date], int] = {}
    whens = [When(project__region__path__startswith=city.path, then=Value(city.code)) for city in cities]
    rows = (
        MonthlyReport.objects.restrict(user, VIEW)
        .filter(period__gte=periods[-1], status=ReportStatus.SUBMITTED)
        .annotate(city=Case(*whens, default=Value("")))
        .order_by()
        .values("city", "period")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        waiting[(row["city"], row["period"])] = row["n"]
    result = []
    for city in cities:
        can_lock = user_can(user, CHANGE, MonthLock(region=city, period=periods[0]))
        for period in periods:
            result.append(
                LockRow(
                    region=city,
                    period=period,
                    lock=locks.get((city.pk, period)),
                    waiting=waiting.get((city.code, period), 0),
                    can_lock=can_lock,
                )
            )
    result.sort(key=lambda row: (-row.period.toordinal(), row.region.code))
    return result


# ---- reminders -----------------------------------------------------------------------------------


@dataclass
class Reminders:
    """What a user is reminded of: (a) own projects not reported by the deadline, (b) reports waiting too long."""

    overdue: list = field(default_factory=list)  # Projects, each with ``due_period``, the month it is late for
    waiting: list = field(default_factory=list)  # MonthlyReports submitted longer than the review time

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.waiting)


def _rules() -> list[tuple[str, int, int]]:
    """Every city's reporting rule as (path, deadline day, review days), the most specific region first."""
    rules = ReportingRule.objects.values_list("region__path", "deadline_day", "review_days")
    return sorted(rules, key=lambda rule: -len(rule[0]))


def overdue_period(today: datetime.date, deadline_day: int) -> datetime.date:
    """The latest month whose deadline (``deadline_day`` of the month after) has passed by ``today``."""
    period = previous_period(today.replace(day=1))
    if today.day <= deadline_day:
        period = previous_period(period)
    return period


def _owner_orgs(user) -> list[int]:
    return [grant.organisation_id for grant in user_grants(user) if grant.role == OWNER and grant.organisation_id]


def may_review(user) -> bool:
    """Whether the user reviews reports anywhere (an administrator's grant, or a superuser)."""
    actions = MonthlyReport.scope.role_actions
    return is_unrestricted(user) or any(REVIEW in actions.get(grant.role, ()) for grant in user_grants(user))


def _per_rule(rules, region_lookup: str, make) -> Q:
    """OR over the rules of ``make(deadline_day, review_days)`` within each rule's region (the most specific
    rule wins), and ``make`` with the defaults for regions that have no rule."""
    condition = Q(pk__in=[])
    covered = Q(pk__in=[])
    for path, deadline_day, review_days in rules:
        here = Q(**{f"{region_lookup}__path__startswith": path})
        condition |= here & ~covered & make(deadline_day, review_days)
        covered |= here
    return condition | (~covered & make(DEFAULT_DEADLINE_DAY, DEFAULT_REVIEW_DAYS))


def overdue_projects(user, today: datetime.date, rules=None) -> ProjectQuerySet:
    """(a) The user's own projects (as project owner) not submitted for the last month whose deadline passed.

    Each project is annotated with ``due_period``, the month it is late for.
    """
    orgs = _owner_orgs(user)
    if not orgs:
        return Project.objects.none()
    rules = _rules() if rules is None else rules
    counted = MonthlyReport.objects.filter(project=OuterRef("pk"), status__in=COUNTED_STATUSES)
    listed = KeyListEntry.objects.filter(project=OuterRef("pk"), key_list__status=KeyListStatus.PUBLISHED)

    def late(deadline_day, _review_days) -> Q:
        period = overdue_period(today, deadline_day)
        return Q(Exists(listed.filter(key_list__year=period.year))) & ~Q(Exists(counted.filter(period=period)))

    whens = []
    covered = Q(pk__in=[])
    for path, deadline_day, _days in rules:
        here = Q(region__path__startswith=path)
        whens.append(When(here & ~covered, then=Value(overdue_period(today, deadline_day))))
        covered |= here
    return (
        Project.objects.restrict(user, VIEW)
        .filter(owner_id__in=orgs)
        .exclude(stage=Stage.WITHDRAWN)
        .filter(_per_rule(rules, "region", late))
        .annotate(
            due_period=Case(
                *whens, default=Value(overdue_period(today, DEFAULT_DEADLINE_DAY)), output_field=DateField()
            )
        )
        .select_related("region", "owner")
        .order_by("region__code", "name")
    )


def waiting_reports(user, today: datetime.date, rules=None) -> MonthlyReportQuerySet:
    """(b) Submitted reports the user may review that have waited longer than the city's review time.

    Counted in whole days: a report submitted on the 1st with 3 days to review is late from the 5th.
    """
    if not may_review(user):
        return MonthlyReport.objects.none()
    rules = _rules() if rules is None else rules

    def too_long(_deadline_day, review_days) -> Q:
        cutoff = datetime.datetime.combine(today - timedelta(days=review_days), datetime.time())
        return Q(submitted_at__lt=timezone.make_aware(cutoff))

    return (
        MonthlyReport.objects.restrict(user, REVIEW)
        .filter(status=ReportStatus.SUBMITTED)
        .filter(_per_rule(rules, "project__region", too_long))
        .select_related("project", "project__region", "project__owner", "submitted_by")
        .order_by("submitted_at")
    )


def reminders(user, today: datetime.date) -> Reminders:
    """(a) the user's projects not submitted by the deadline, (b) submitted reports waiting past the review time."""
    rules = _rules()
    return Reminders(
        overdue=list(overdue_projects(user, today, rules)),
        waiting=list(waiting_reports(user, today, rules)),
    )


def reminder_count(user, today: datetime.date) -> int:
    """The bell's number: one query for the rules, one count per kind of reminder the user can have."""
    if not getattr(user, "is_authenticated", False):
        return 0
    orgs = _owner_orgs(user)
    review = may_review(user)
    if not orgs and not review:
        return 0
    rules = _rules()
    count = 0
    if orgs:
        count += overdue_projects(user, today, rules).count()
    if review:
        count += waiting_reports(user, today, rules).count()
    return count
