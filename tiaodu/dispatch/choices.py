from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    WEEKLY = "weekly", _("周调度会")
    LEADING_GROUP = "leading_group", _("领导小组会议")
    SECTOR = "sector", _("专题（行业）调度会")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待召开")
    HELD = "held", _("已召开")


class AgendaReason(models.TextChoices):
    """Why a project is on a meeting's agenda (as the system proposes it, or chosen by the clerk)."""

    LAGGING = "lagging", _("投资进度滞后")
    OVERDUE = "overdue", _("有超期问题")
    ESCALATED = "escalated", _("有提级协调问题")
    LATE_REPORT = "late_report", _("月报未按时提交")
    OTHER = "other", _("其他")
