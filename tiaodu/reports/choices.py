from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """月报状态: the owner drafts and submits; the county accepts or returns it."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已审核")


class Milestone(models.TextChoices):
    """形象进度节点 a report can mark as reached this month."""

    RESUMED = "resumed", _("复工")
    STARTED = "started", _("开工")
    MAIN_STRUCTURE = "main_structure", _("主体完工")
    COMPLETED = "completed", _("竣工")
    COMMISSIONED = "commissioned", _("投产")
    CAPACITY = "capacity", _("达产")


class ReportEventKind(models.TextChoices):
    SAVED = "saved", _("保存草稿")
    SUBMITTED = "submitted", _("提交")
    RETURNED = "returned", _("退回")
    ACCEPTED = "accepted", _("审核通过")
    CORRECTED = "corrected", _("锁定后更正")
    LOCKED = "locked", _("锁定月份")
    UNLOCKED = "unlocked", _("解除锁定")
