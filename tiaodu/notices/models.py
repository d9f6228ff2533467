"""In-app notices (站内通知): a message to one user about one object, read or not yet read.

Generic on purpose: problems notify on assignment and deadlines, other apps (alarms) will reuse it.
A notice belongs to its recipient only; it is not region-scoped, every read starts from
``Notice.objects.for_user(user)``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user) -> "NoticeQuerySet":
        """The notices addressed to ``user``; nobody reads another person's notices, superusers included."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """通知: one message to one user, with a link to what it is about, and when it was read.

    ``key`` makes a notice idempotent: ``notify`` with a key the recipient already has does nothing,
    so a repeated check (a deadline warning) never notifies twice for the same thing.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("类型"), max_length=40)
    text = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    key = models.CharField(_("去重键"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("通知时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notices_recipient_read")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notices_one_per_recipient_key"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
