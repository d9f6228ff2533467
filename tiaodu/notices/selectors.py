"""Reads of notices: always the requesting user's own."""

from .models import Notice, NoticeQuerySet


def notice_list(user) -> NoticeQuerySet:
    return Notice.objects.for_user(user)


def unread_count(user) -> int:
    return Notice.objects.for_user(user).unread().count()
