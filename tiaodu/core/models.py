"""Building blocks shared by every domain app: timestamps and workflow events."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Created/updated timestamps (timezone-aware, stored in UTC, shown in Asia/Shanghai)."""

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """One step of a workflow (工作流记录): who moved what from which state to which, when and why.

    Each app keeps its own typed event table (stage transitions, report reviews, problem steps)
    built on this base, so a workflow's history can be queried with its own foreign keys.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("操作时间"), default=timezone.now, db_index=True)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]
