"""Table building blocks (django-tables2) shared by every app."""

from decimal import Decimal

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma


class MoneyColumn(tables.Column):
    """万元, right-aligned, thousands separators, two decimals; exported as a number."""

    def __init__(self, *args, **kwargs):
        attrs = kwargs.pop("attrs", {})
        attrs.setdefault("td", {"class": "num"})
        attrs.setdefault("th", {"class": "num"})
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return format_money(value)

    def value(self, value):
        return value


def format_money(value) -> str:
    if value is None:
        return "—"
    return intcomma(f"{Decimal(value):.2f}")


class TiaoduTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle bg-white mb-0"}
        template_name = "django_tables2/bootstrap5-responsive.html"
        per_page = 50
