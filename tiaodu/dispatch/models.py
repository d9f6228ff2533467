"""Dispatch meetings (调度会): scheduled with a level and a chair, an agenda of projects, the decisions
(议定事项) per project, and the tasks handed out on the spot — each a ledger problem with a department
and a deadline ("不讲成绩，只讲问题；现场交办，限时解决")."""

from django.conf import settings
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
