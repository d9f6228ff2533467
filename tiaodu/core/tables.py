"""Table building blocks (django-tables2) shared by every app."""

from decimal import Decimal

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
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


class LeanTable(TiaoduTable):
    """A table whose page of rows is drawn by one plain function per row, not per cell.

    django-tables2 resolves, renders and escapes every cell through its column machinery: for a
    50-row, 10-column page that is about 500 calls deep into templates and costs more than the
    page's queries. A lean table keeps django-tables2 for what it does well (headers, sorting,
    pagination, export) and draws the rows with ``lean_cells(record)``, which returns one cell per
    visible column, in order: text (escaped here) or safe HTML from ``format_html``; each cell gets its
    column's ``td`` attributes.
    ``tiaodu.core.tests.test_tables`` holds every lean table to the cells django-tables2 would draw.
    """

    class Meta(TiaoduTable.Meta):
        template_name = "core/tables/lean.html"

    def lean_cells(self, record) -> list[str]:
        raise NotImplementedError

    def lean_rows(self) -> list[SafeString]:
        """The current page's ``<tr>`` rows, ready to output."""
        columns = list(self.columns)
        opening = [SafeString(f"<td {column.attrs['td'].as_html()}>") for column in columns]
        rows = []
        for row in self.paginated_rows:
            cells = self.lean_cells(row.record)
            rows.append(
                SafeString(
                    "<tr>"
                    + format_html_join("", "{}{}</td>", ((td, cell) for td, cell in zip(opening, cells, strict=True)))
                    + "</tr>"
                )
            )
        return rows
