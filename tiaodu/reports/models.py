"""Monthly dispatch reports (月度调度填报): what owners report, how it is reviewed and locked."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tiaodu.core.models import TimeStampedModel, WorkflowEvent
from tiaodu.core.periods import format_period
from tiaodu.core.scoping import ADMIN, CHANGE, DEPARTMENT, LEADER, OWNER, REVIEW, VIEW, RestrictedQuerySet, ScopeSpec

from .choices import Milestone, ReportEventKind, ReportStatus

MONEY = {"max_digits": 16, "decimal_places": 2}

# Owners fill and submit their projects' reports; administrators also review (accept, return, correct).
REPORT_ROLE_ACTIONS = {
    ADMIN: frozenset({VIEW, CHANGE, REVIEW}),
    OWNER: frozenset({VIEW, CHANGE}),
    LEADER: frozenset({VIEW}),
    DEPARTMENT: frozenset({VIEW}),
}

# Reports whose figures count: submitted (awaiting review) and accepted. A draft or a returned
# report is the owner's unfinished work and counts for nothing yet.
COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class ReportingRule(TimeStampedModel):
    """填报规则: a city's deadline for monthly reports (a day of the following month) and review time."""

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="reporting_rule"
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("填报截止日"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("次月的第几天截止填报，常见为5日。"),
    )
    review_days = models.PositiveSmallIntegerField(
        _("审核时限（天）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", with_ancestors=True)

    class Meta:
        verbose_name = _("填报规则")
        verbose_name_plural = _("填报规则")

    def __str__(self) -> str:
        return f"{self.region} · {self.deadline_day}"


class MonthLock(TimeStampedModel):
    """月份锁定: a city locks a reporting month; afterwards reports change only as flagged corrections.

    The figures of the month as they stood at the lock are kept (``figures.FigureSnapshotRow``), so a
    number once reported upward can always be explained after later corrections.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="month_locks"
    )
    period = models.DateField(_("月份"))
    locked_at = models.DateTimeField(_("锁定时间"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("锁定人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", with_ancestors=True)

    class Meta:
        verbose_name = _("月份锁定")
        verbose_name_plural = _("月份锁定")
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="reports_one_lock_per_month")]

    def __str__(self) -> str:
        return f"{self.region} {format_period(self.period)}"


class OpeningBalance(TimeStampedModel):
    """期初数: a project's cumulative investment at the end of a month before its first report in Tiaodu.

    A county that starts mid-year brings the year-to-date and the since-start totals of its ledger;
    the figures then add the months reported in Tiaodu on top of them.
    """

    project = models.ForeignKey(  # indexed by the (project, period) constraint
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="opening_balances",
        db_index=False,
    )
    period = models.DateField(_("截至月份"))
    ytd = models.DecimalField(_("自年初累计完成投资（万元）"), **MONEY, validators=[MinValueValidator(0)])
    since_start = models.DecimalField(_("开工以来累计完成投资（万元）"), **MONEY, validators=[MinValueValidator(0)])

    history = HistoricalRecords(no_db_index=["project"])  # read by record (``id``) only
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="project__region", owner="project__owner", role_actions=REPORT_ROLE_ACTIONS)

    class Meta:
        verbose_name = _("期初数")
        verbose_name_plural = _("期初数")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="reports_one_opening_per_month"),
            models.CheckConstraint(
                condition=Q(since_start__gte=F("ytd")),
                name="reports_opening_since_start_ge_ytd",
                violation_error_message=_("开工以来累计完成投资不能小于自年初累计完成投资。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {format_period(self.period)}"


class MonthlyReportQuerySet(RestrictedQuerySet):
    def counted(self) -> "MonthlyReportQuerySet":
        return self.filter(status__in=COUNTED_STATUSES)


class MonthlyReport(TimeStampedModel):
    """月报: one project's progress in one month, filled by its owner, reviewed by the county.

    ``ytd`` (自年初累计) and ``since_start`` (开工以来累计) are computed by the services from the
    months reported (and an opening balance), never typed.
    """

    project = models.ForeignKey(  # indexed by the (project, period) constraint
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    period = models.DateField(_("月份"))
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    investment_month = models.DecimalField(_("本月完成投资（万元）"), **MONEY, default=Decimal("0"))
    ytd = models.DecimalField(_("自年初累计完成投资（万元）"), **MONEY, default=Decimal("0"), editable=False)
    since_start = models.DecimalField(_("开工以来累计完成投资（万元）"), **MONEY, default=Decimal("0"), editable=False)
    progress_text = models.TextField(_("形象进度"), blank=True)
    progress_pct = models.DecimalField(
        _("形象进度（%）"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    milestones = models.CharField(
        _("本月节点"), max_length=120, blank=True, help_text=_("本月达到的节点，如复工、开工、主体完工、投产。")
    )
    problems_text = models.TextField(_("存在问题"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    return_reason = models.TextField(_("退回原因"), blank=True, editable=False)
    is_correction = models.BooleanField(
        _("更正"), default=False, editable=False, help_text=_("锁定后经说明原因更正，或本月数为负的冲减。")
    )
    correction_reason = models.TextField(_("更正原因"), blank=True, editable=False)

    history = HistoricalRecords(no_db_index=["project", "submitted_by", "reviewed_by"])  # read by record only
    objects = MonthlyReportQuerySet.as_manager()
    scope = ScopeSpec(region="project__region", owner="project__owner", role_actions=REPORT_ROLE_ACTIONS)

    class Meta:
        verbose_name = _("月报")
        verbose_name_plural = _("月报")
        ordering = ["-period", "project__region__code", "project__name"]
        indexes = [
            models.Index(fields=["period", "status"], name="reports_period_status"),
            # The reports waiting for review (the bell, the review page): few among millions accepted.
            models.Index(fields=["submitted_at"], condition=Q(status="submitted"), name="reports_waiting_review"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="reports_one_per_project_month"),
            models.CheckConstraint(
                condition=Q(investment_month__gte=0) | Q(is_correction=True),
                name="reports_month_non_negative",
                violation_error_message=_("本月完成投资不能为负数；冲减须作为更正并说明原因。"),
            ),
            models.CheckConstraint(
                condition=Q(since_start__gte=F("ytd")),
                name="reports_since_start_ge_ytd",
                violation_error_message=_("开工以来累计完成投资不能小于自年初累计完成投资。"),
            ),
            models.CheckConstraint(
                condition=Q(progress_pct__isnull=True) | Q(progress_pct__gte=0, progress_pct__lte=100),
                name="reports_progress_pct_range",
                violation_error_message=_("形象进度应在0到100之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {format_period(self.period)}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return format_period(self.period)

    @property
    def milestone_list(self) -> list[str]:
        return [m for m in self.milestones.split(",") if m]

    @property
    def milestone_labels(self) -> list[str]:
        labels = dict(Milestone.choices)
        return [str(labels.get(m, m)) for m in self.milestone_list]

    @property
    def is_editable_by_owner(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def clean(self) -> None:
        unknown = [m for m in self.milestone_list if m not in Milestone.values]
        if unknown:
            raise ValidationError({"milestones": _("未知的节点：{codes}。").format(codes="、".join(unknown))})
        if self.investment_month is not None and self.investment_month < 0 and not self.is_correction:
            raise ValidationError(
                {"investment_month": _("本月完成投资不能为负数；冲减须作为更正并说明原因。")}, code="negative_month"
            )


class ReportEvent(WorkflowEvent):
    """月报流转记录: saved, submitted, returned (with the reason), accepted, corrected after the lock."""

    report = models.ForeignKey(MonthlyReport, verbose_name=_("月报"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("动作"), max_length=16, choices=ReportEventKind.choices)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(
        region="report__project__region", owner="report__project__owner", role_actions=REPORT_ROLE_ACTIONS
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("月报流转记录")
        verbose_name_plural = _("月报流转记录")

    def __str__(self) -> str:
        return f"{self.report} {self.kind}"
