"""Dispatch meetings (调度会): scheduled with a level and a chair, an agenda of projects, the decisions
(议定事项) per project, and the tasks handed out on the spot — each a ledger problem with a department
and a deadline ("不讲成绩，只讲问题；现场交办，限时解决")."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec
from tiaodu.problems.choices import CoordinationLevel

from .choices import AgendaReason, MeetingKind, MeetingStatus


class Meeting(TimeStampedModel):
    """调度会: a weekly city meeting, a leading-group meeting or a sector meeting, convened by a region."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("召开区划"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=120)
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.WEEKLY)
    level = models.CharField(
        _("调度层级"), max_length=16, choices=CoordinationLevel.choices, default=CoordinationLevel.CITY
    )
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=120, blank=True)
    chair = models.ForeignKey(
        "orgs.Official", verbose_name=_("主持人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendees = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("参会单位"), blank=True, related_name="meetings"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(m2m_fields=[attendees])
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region")

    class Meta:
        verbose_name = _("调度会议")
        verbose_name_plural = _("调度会议")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("dispatch:meeting_detail", args=[self.pk])


class AgendaItem(TimeStampedModel):
    """议题: a project on the meeting's agenda, why it is there, and what the meeting decided (议定事项)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    reason = models.CharField(_("上会原因"), max_length=16, choices=AgendaReason.choices, default=AgendaReason.OTHER)
    decisions = models.TextField(_("议定事项"), blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="meeting__region")

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "project"],
                name="dispatch_one_item_per_project",
                violation_error_message=_("该项目已在本次会议议程中。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.project)


class MeetingTask(models.Model):
    """现场交办: a task handed out at the meeting — a ledger problem, assigned with a department and deadline."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="tasks")
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("议题"), on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    problem = models.OneToOneField(
        "problems.Problem", verbose_name=_("问题"), on_delete=models.PROTECT, related_name="meeting_task"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="meeting__region")

    class Meta:
        verbose_name = _("交办事项")
        verbose_name_plural = _("交办事项")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.problem)


class SiteVisit(TimeStampedModel):
    """进工地、到一线、解难题: one or more leaders visit one or more project sites on a date.

    Each leader counts as one person-visit (人次); the problems found are ledger problems (``VisitFinding``).
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("组织区划"), on_delete=models.PROTECT, related_name="site_visits"
    )
    date = models.DateField(_("调研日期"))
    leaders = models.ManyToManyField("orgs.Official", verbose_name=_("调研领导"), related_name="site_visits")
    projects = models.ManyToManyField("projects.Project", verbose_name=_("调研项目"), related_name="site_visits")
    notes = models.TextField(_("调研情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(m2m_fields=[leaders, projects])
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region")

    class Meta:
        verbose_name = _("现场调研")
        verbose_name_plural = _("现场调研")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.region}"

    def get_absolute_url(self) -> str:
        return reverse("dispatch:visit_detail", args=[self.pk])


def visit_photo_path(instance: "VisitPhoto", filename: str) -> str:
    from pathlib import PurePosixPath
    from secrets import token_hex

    return f"visits/{instance.visit_id}/{token_hex(6)}{PurePosixPath(filename.lower()).suffix}"


class VisitPhoto(TimeStampedModel):
    """调研照片: a photo or document of a site visit, served only through the scoped download page."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("现场调研"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("文件"), upload_to=visit_photo_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="visit__region")

    class Meta:
        verbose_name = _("调研照片")
        verbose_name_plural = _("调研照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dispatch:visit_photo", args=[self.pk])


class VisitFinding(models.Model):
    """调研发现的问题: a ledger problem found during a site visit."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("现场调研"), on_delete=models.CASCADE, related_name="findings")
    problem = models.OneToOneField(
        "problems.Problem", verbose_name=_("问题"), on_delete=models.PROTECT, related_name="visit_finding"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="visit__region")

    class Meta:
        verbose_name = _("调研发现问题")
        verbose_name_plural = _("调研发现问题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.problem)


class InspectionTour(TimeStampedModel):
    """季度拉练观摩: a quarterly tour of project sites, scored by several scorers on weighted criteria."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("组织区划"), on_delete=models.PROTECT, related_name="inspection_tours"
    )
    title = models.CharField(_("观摩名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    date = models.DateField(_("观摩日期"))
    projects = models.ManyToManyField("projects.Project", verbose_name=_("观摩项目"), related_name="inspection_tours")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(m2m_fields=[projects])
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region")

    class Meta:
        verbose_name = _("拉练观摩")
        verbose_name_plural = _("拉练观摩")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dispatch:tour_detail", args=[self.pk])


class TourCriterion(TimeStampedModel):
    """评分项: a criterion of a tour with its weight (权重) and the highest score a scorer may give."""

    tour = models.ForeignKey(
        InspectionTour, verbose_name=_("拉练观摩"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("评分项"), max_length=60)
    weight = models.DecimalField(
        _("权重"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    max_score = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=2, default=Decimal("100"), validators=[MinValueValidator(Decimal("1"))]
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="tour__region")

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tour", "name"], name="dispatch_unique_criterion", violation_error_message=_("评分项已存在。")
            )
        ]

    def __str__(self) -> str:
        return self.name


class TourScore(TimeStampedModel):
    """评分: one scorer's score of one project on one criterion (0 ≤ score ≤ the criterion's full score)."""

    criterion = models.ForeignKey(
        TourCriterion, verbose_name=_("评分项"), on_delete=models.CASCADE, related_name="scores"
    )
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="+")
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="criterion__tour__region")

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "project", "scorer"], name="dispatch_one_score_per_scorer"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0),
                name="dispatch_score_non_negative",
                violation_error_message=_("得分不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.criterion} {self.score}"
