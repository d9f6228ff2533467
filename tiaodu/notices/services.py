"""Writes of notices: ``notify`` (in the app, and by email when the recipient has an address), marking read."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Notice

logger = logging.getLogger(__name__)


def email_enabled() -> bool:
    """Email goes out unless the site is configured with Django's dummy backend (no email at all)."""
    return settings.EMAIL_BACKEND != "django.core.mail.backends.dummy.EmailBackend"


@transaction.atomic
def notify(*, recipient, kind: str, text: str, link: str = "", target=None, key: str = "") -> Notice | None:
    """Tell ``recipient`` about something; returns the notice, or ``None`` if one with ``key`` exists already.

    The email (if the recipient has an address and email is configured) is sent after the
    surrounding transaction commits, so a refused workflow step never emails anybody; a mail
    server that fails is logged and never undoes the step.
    """
    if recipient is None or not recipient.is_active:
        return None
    if key and Notice.objects.filter(recipient=recipient, key=key).exists():
        return None
    notice = Notice(recipient=recipient, kind=kind, text=str(text)[:500], link=link, key=key)
    if target is not None:
        notice.target_type = ContentType.objects.get_for_model(target)
        notice.target_id = target.pk
    notice.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:  # the same key, written by a concurrent check
        return None
    if recipient.email and email_enabled():
        transaction.on_commit(lambda: _send_email(notice.pk))
    return notice


def _send_email(notice_pk: int) -> None:
    notice = Notice.objects.select_related("recipient").filter(pk=notice_pk).first()
    if notice is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("【调度】{text}").format(text=notice.text[:60])
        # The link is a path in the site: the email needs the address too (TIAODU_SITE_URL).
        link = settings.SITE_URL + notice.link if notice.link.startswith("/") else notice.link
        body = notice.text + ("\n\n" + link if link else "")
    try:
        send_mail(subject, body, None, [notice.recipient.email])
    except Exception:
        logger.exception("notice %s: email to %s failed", notice.pk, notice.recipient.email)
        return
    Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())


def notify_many(*, recipients, **kwargs) -> list[Notice]:
    """``notify`` each distinct recipient once."""
    sent, seen = [], set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        notice = notify(recipient=recipient, **kwargs)
        if notice is not None:
            sent.append(notice)
    return sent


def notice_mark_read(*, notice: Notice, actor) -> Notice:
    """已读: only the recipient marks a notice read (anyone else gets ``Notice.DoesNotExist``)."""
    notice = Notice.objects.for_user(actor).get(pk=notice.pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notice_mark_all_read(*, actor) -> int:
    """全部已读: the actor's unread notices; returns how many."""
    return Notice.objects.for_user(actor).unread().update(read_at=timezone.now())
