"""Local dates and reporting periods (Asia/Shanghai)."""

import datetime

from django.utils import timezone


def local_today() -> datetime.date:
    """Today's date where the users are (settings.TIME_ZONE, Asia/Shanghai), not the server's UTC date."""
    return timezone.localdate()
