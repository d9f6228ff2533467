"""Template filters for money (万元 / 亿元) and dates as users read them."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from tiaodu.core.tables import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """万元 with thousands separators and two decimals."""
    return format_money(value)


@register.filter
def yi(value) -> str:
    """万元 shown in 亿元 (÷ 10,000), two decimals, rounded half up."""
    if value is None:
        return "—"
    amount = (Decimal(value) / Decimal(10000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_money(amount)
