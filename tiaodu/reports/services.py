"""The monthly loop: fill → submit → return → resubmit → accept → lock → correct.

Every step is a keyword-only service taking the acting user, validated, scoped and recorded
(field history on the report, a ``ReportEvent`` for each workflow step).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.periods import format_period, parse_period_field, period_end
from tiaodu.core.scoping import CHANGE, REVIEW, user_can
from tiaodu.core.services import changed_fields, require_scope, save_attributed
from tiaodu.projects.models import Project
from tiaodu.regions.choices import RegionLevel

from .choices import Milestone, ReportEventKind, ReportStatus
from .models import MonthLock, MonthlyReport, OpeningBalance, ReportEvent, ReportingRule

FILLED_FIELDS = ("investment_month", "progress_text", "progress_pct", "milestones", "problems_text")


def is_locked(project: Project, period: datetime.date) -> bool:
    """Whether the month is locked for this project (by its city, or any region above it)."""
    codes = project.region.path.strip("/").split("/")
    return MonthLock.objects.filter(region__code__in=codes, period=period).exists()


def _milestones(value) -> str:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    codes = [v for v in value if v]
    return ",".join(sorted(set(codes), key=lambda c: Milestone.values.index(c) if c in Milestone.values else 99))


def _check_period(period: datetime.date) -> None:
    today = local_today()
    if period > today.replace(day=1):
        raise ValidationError(
            {"period": _("不能填报未来月份（{period}）。").format(period=format_period(period))}, code="future_period"
        )


def _check_started(project: Project, period: datetime.date, investment: Decimal) -> None:
    if (
        investment
        and investment > 0
        and (project.actual_start_date is None or project.actual_start_date > period_end(period))
    ):
        raise ValidationError(
            {
                "investment_month": _(
                    "项目在{period}尚未开工，不能填报完成投资；如已开工，请先登记实际开工日期。"
                ).format(period=format_period(period))
            },
            code="not_started",
        )


def _refresh_figures(project, period: datetime.date) -> None:
    """The month's values changed what the year's figures count: refresh the project's figure rows."""
    from tiaodu.figures.rollup import rollup_refresh  # figures build on reports, not the other way round

    rollup_refresh(projects=[project], years=[period.year], first_month=period.month)


def _event(report: MonthlyReport, actor, kind: str, *, from_state: str = "", comment: str = "") -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, actor=actor, kind=kind, from_state=from_state, to_state=report.status, comment=comment
    )


def recompute_totals(project: Project) -> None:
    """Recompute 自年初累计 and 开工以来累计 of every report of a project from its months and opening balances.

    These are derived values (the edit that changed them is already in history), so they are written
    with a plain update; then the invariants are checked: since-start ≥ YTD (also a database
    constraint) and since-start ≤ total investment.
    """
    reports = list(MonthlyReport.objects.filter(project=project).order_by("period"))
    openings = list(OpeningBalance.objects.filter(project=project).order_by("period"))
    for report in reports:
        opening = next((o for o in reversed(openings) if o.period < report.period), None)
        after = [r for r in reports if r.period <= report.period and (opening is None or r.period > opening.period)]
        since_start = (opening.since_start if opening else Decimal(0)) + sum(
            (r.investment_month for r in after), Decimal(0)
        )
        ytd = (opening.ytd if opening and opening.period.year == report.period.year else Decimal(0)) + sum(
            (r.investment_month for r in after if r.period.year == report.period.year), Decimal(0)
        )
        if since_start > project.total_investment:
            raise ValidationError(
                {
                    "investment_month": _(
                        "{period}开工以来累计完成投资{done}万元，超过项目总投资{total}万元；"
                        "如总投资已调整，请先修改项目总投资。"
                    ).format(period=format_period(report.period), done=since_start, total=project.total_investment)
                },
                code="exceeds_total",
            )
        if ytd < 0 or since_start < ytd:
            raise ValidationError(
                {"investment_month": _("{period}累计完成投资不能为负数。").format(period=format_period(report.period))},
                code="negative_total",
            )
        if (report.ytd, report.since_start) != (ytd, since_start):
            MonthlyReport.objects.filter(pk=report.pk).update(ytd=ytd, since_start=since_start)
            report.ytd, report.since_start = ytd, since_start


@transaction.atomic
def report_save(
    *,
    actor,
    project: Project,
    period,
    investment_month: Decimal = Decimal(0),
    progress_text: str = "",
    progress_pct: Decimal | None = None,
    milestones=(),
    problems_text: str = "",
) -> MonthlyReport:
    """Fill (or refill) a month's report as a draft (保存草稿). Submitting is a separate step."""
    period = parse_period_field(period)
    _check_period(period)
    project = Project.objects.select_related("region").get(pk=project.pk)
    report = MonthlyReport.objects.select_for_update().filter(project=project, period=period).first()
    if report is None:
        report = MonthlyReport(project=project, period=period)
    require_scope(actor, report, field="project")
    if is_locked(project, period):
        raise ValidationError(
            _("{period}已锁定，不能再修改；如需更正，请由审核人说明原因后更正。").format(period=format_period(period)),
            code="locked",
        )
    if report.pk and not report.is_editable_by_owner:
        raise ValidationError(
            _("该月报已{status}，不能修改；如需修改，请审核人退回。").format(status=report.get_status_display()),
            code="not_editable",
        )
    investment_month = Decimal(investment_month if investment_month is not None else 0)
    _check_started(project, period, investment_month)
    report.investment_month = investment_month
    report.progress_text = progress_text or ""
    report.progress_pct = progress_pct
    report.milestones = _milestones(milestones)
    report.problems_text = problems_text or ""
    created = report.pk is None
    save_attributed(report, actor=actor)
    recompute_totals(project)
    report.refresh_from_db()
    _event(report, actor, ReportEventKind.SAVED, from_state="" if created else report.status)
    _refresh_figures(project, period)
    return report


@transaction.atomic
def report_save_and_submit(*, actor, project: Project, period, **values) -> MonthlyReport:
    """提交 from the fill form: save the month's values and submit them, both or neither."""
    from tiaodu.figures.rollup import rollup_deferred

    with rollup_deferred():  # the figure rows are refreshed once, after both steps
        report = report_save(actor=actor, project=project, period=period, **values)
        return report_submit(report=report, actor=actor)


@transaction.atomic
def report_submit(*, report: MonthlyReport, actor) -> MonthlyReport:
    """提交: the owner hands the month's report to the county for review."""
    report = MonthlyReport.objects.select_for_update().select_related("project__region").get(pk=report.pk)
    require_scope(actor, report)
    if is_locked(report.project, report.period):
        raise ValidationError(_("该月已锁定，不能提交。"), code="locked")
    if not report.is_editable_by_owner:
        raise ValidationError(
            _("该月报已{status}，无需再次提交。").format(status=report.get_status_display()), code="not_editable"
        )
    before = report.status
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    save_attributed(report, actor=actor, validate_constraints=False)
    _event(report, actor, ReportEventKind.SUBMITTED, from_state=before)
    _refresh_figures(report.project, report.period)
    return report


def _reviewable(report: MonthlyReport, actor) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().select_related("project__region").get(pk=report.pk)
    require_scope(actor, report, action=REVIEW)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("只有已提交、待审核的月报可以审核，该月报当前为“{status}”。").format(status=report.get_status_display()),
            code="not_submitted",
        )
    if is_locked(report.project, report.period):
        raise ValidationError(_("该月已锁定，不能再审核。"), code="locked")
    return report


@transaction.atomic
def report_accept(*, report: MonthlyReport, actor) -> MonthlyReport:
    """审核通过."""
    report = _reviewable(report, actor)
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.return_reason = ""
    save_attributed(report, actor=actor, validate_constraints=False)
    _event(report, actor, ReportEventKind.ACCEPTED, from_state=ReportStatus.SUBMITTED)
    _refresh_figures(report.project, report.period)
    return report


@transaction.atomic
def report_return(*, report: MonthlyReport, actor, reason: str) -> MonthlyReport:
    """退回: back to the owner with the reason, who corrects and resubmits."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回必须说明原因。")}, code="reason_required")
    report = _reviewable(report, actor)
    report.status = ReportStatus.RETURNED
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.return_reason = reason
    save_attributed(report, actor=actor, reason=reason, validate_constraints=False)
    _event(report, actor, ReportEventKind.RETURNED, from_state=ReportStatus.SUBMITTED, comment=reason)
    _refresh_figures(report.project, report.period)
    return report


@transaction.atomic
def report_correct(*, report: MonthlyReport, actor, reason: str, **values) -> MonthlyReport:
    """锁定后更正: a reviewer changes a report of a locked month, with a reason; it stays marked as a correction.

    A negative month value (冲减) is allowed only here. The figures "as locked" keep the old values.
    """
    unknown = set(values) - set(FILLED_FIELDS)
    if unknown:
        raise TypeError(f"report_correct got unexpected fields: {sorted(unknown)}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("更正必须说明原因。")}, code="reason_required")
    report = MonthlyReport.objects.select_for_update().select_related("project__region").get(pk=report.pk)
    require_scope(actor, report, action=REVIEW)
    if not is_locked(report.project, report.period):
        raise ValidationError(_("该月尚未锁定：请直接退回月报，由项目单位修改后重新提交。"), code="not_locked")
    if "milestones" in values:
        values["milestones"] = _milestones(values["milestones"])
    if "investment_month" in values:
        values["investment_month"] = Decimal(values["investment_month"])
        _check_started(report.project, report.period, values["investment_month"])
    for name, value in values.items():
        setattr(report, name, value)
    report.is_correction = True
    report.correction_reason = reason
    save_attributed(report, actor=actor, reason=reason)
    recompute_totals(report.project)
    report.refresh_from_db()
    _event(report, actor, ReportEventKind.CORRECTED, from_state=report.status, comment=reason)
    _refresh_figures(report.project, report.period)
    return report


@transaction.atomic
def month_lock(*, actor, region, period, note: str = "") -> MonthLock:
    """锁定月份: the city fixes the month; the figures as they stand are kept for "as locked" reading."""
    period = parse_period_field(period)
    if region.level != RegionLevel.CITY:
        raise ValidationError({"region": _("月份由地级市统一锁定。")}, code="not_a_city")
    lock = MonthLock(region=region, period=period, locked_at=timezone.now(), locked_by=actor, note=note)
    require_scope(actor, lock, field="region")
    if period >= local_today().replace(day=1):
        raise ValidationError({"period": _("只能锁定已结束的月份。")}, code="period_not_over")
    if MonthLock.objects.filter(region=region, period=period).exists():
        raise ValidationError(
            _("{region}{period}已锁定。").format(region=region, period=format_period(period)), code="already_locked"
        )
    lock.full_clean()
    lock.save()
    from tiaodu.figures.services import snapshot_lock  # figures build on reports, not the other way round

    snapshot_lock(lock=lock)
    return lock


@transaction.atomic
def opening_balance_set(*, actor, project: Project, period, ytd: Decimal, since_start: Decimal) -> OpeningBalance:
    """期初数: the cumulative totals of a ledger at the end of ``period``, before Tiaodu's first month."""
    period = parse_period_field(period)
    balance = OpeningBalance.objects.filter(project=project, period=period).first() or OpeningBalance(
        project=project, period=period
    )
    require_scope(actor, balance, action=CHANGE, field="project")
    if MonthlyReport.objects.filter(project=project, period__lte=period).exists():
        raise ValidationError(
            _("{period}及以前已有月报，期初数只能设在首次填报之前。").format(period=format_period(period)),
            code="opening_after_reports",
        )
    balance.ytd, balance.since_start = Decimal(ytd), Decimal(since_start)
    save_attributed(balance, actor=actor)
    recompute_totals(project)
    _refresh_figures(project, period)
    return balance


@transaction.atomic
def reporting_rule_set(*, actor, region, deadline_day: int, review_days: int, reason: str = "") -> ReportingRule:
    """填报规则: a city's deadline (a day of the following month) and review time, for its counties too."""
    if region.level != RegionLevel.CITY:
        raise ValidationError({"region": _("填报规则由地级市统一设置。")}, code="not_a_city")
    rule = ReportingRule.objects.filter(region=region).first() or ReportingRule(region=region)
    require_scope(actor, rule, field="region")
    if not changed_fields(rule, {"deadline_day": deadline_day, "review_days": review_days}) and rule.pk:
        return rule
    return save_attributed(rule, actor=actor, reason=reason)


def can_review(user, report: MonthlyReport) -> bool:
    return user_can(user, REVIEW, report)
