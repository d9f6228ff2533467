"""Table building blocks (django-tables2) shared by every app."""

from decimal import Decimal

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django_tables2 import utils as tables_utils

# django-tables2 reads the signature of a column's render/linkify callable (``inspect.signature``) for
# every cell it draws: on a 50-row page that costs more than the page's queries. The answer depends
# only on the function, so it is kept per function (bounded: callables made per request come and go).
_library_signature = tables_utils.signature
_signatures: dict = {}


def _signature(fn):
    function = getattr(fn, "__func__", None)
    key = (function, True) if function is not None else (fn, False)
    try:
        return _signatures[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable callable
        return _library_signature(fn)
    if len(_signatures) > 2048:
        _signatures.clear()
    _signatures[key] = result = _library_signature(fn)
    return result


tables_utils.signature = _signature


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
