"""Reporting periods: a month, written ``YYYY-MM``, stored as the first day of the month."""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_period(value: str | datetime.date) -> datetime.date:
    """``"2025-07"`` → ``date(2025, 7, 1)``; a clear error for ``2025-13`` or ``July``."""
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = _PERIOD.match((value or "").strip())
    if not match:
        raise ValidationError(
            _("月份应写作“年-月”，例如 2025-07，当前为“{value}”。").format(value=value), code="period_format"
        )
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValidationError(_("月份“{value}”不存在：月份应在1到12之间。").format(value=value), code="period_month")
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年份“{year}”不合理。").format(year=year), code="period_year")
    return datetime.date(year, month, 1)


def parse_period_field(value, field: str = "period") -> datetime.date:
    """``parse_period`` with the error attached to a form or API field."""
    try:
        return parse_period(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}, code="period") from None


def format_period(period: datetime.date) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def period_end(period: datetime.date) -> datetime.date:
    """The last day of the month: facts dated on or before it count for the month."""
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def next_period(period: datetime.date) -> datetime.date:
    return datetime.date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def previous_period(period: datetime.date) -> datetime.date:
    return datetime.date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)


def year_start(period: datetime.date) -> datetime.date:
    return datetime.date(period.year, 1, 1)


def months_of_year_until(period: datetime.date) -> list[datetime.date]:
    return [datetime.date(period.year, m, 1) for m in range(1, period.month + 1)]
