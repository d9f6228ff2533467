"""``{% unread_notice_count as n %}``: the navbar bell's count of unread notices, one query per page."""

from django import template

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_tiaodu_unread_notices", None)
    if cached is None:
        cached = unread_count(user)
        request._tiaodu_unread_notices = cached
    return cached
