"""The ledger table (问题清单台账) on the page and, with the answer column added, in the .xlsx export."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tiaodu.core.dates import local_today
from tiaodu.core.tables import TiaoduTable

from .models import Problem


class StatusColumn(tables.Column):
    def render(self, value, record, bound_column):
        return format_html(
            '<span class="badge text-bg-{}" data-status="{}">{}</span>', record.status_color, record.status, value
        )


class OverdueColumn(tables.Column):
    """超期天数, in red; computed from the deadline and today, never stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, accessor="deadline", order_by=("deadline",), empty_values=(), **kwargs)

    def render(self, value, record):
        days = record.days_overdue(local_today())
        if not days:
            return "—"
        return format_html(
            '<span class="text-danger fw-semibold" data-overdue="{}">{}</span>',
            days,
            _("超期{days}天").format(days=days),
        )

    def value(self, value, record):
        return record.days_overdue(local_today()) or None


class ProblemTable(TiaoduTable):
    number = tables.Column(verbose_name=_("问题编号"), accessor="pk", linkify=True, order_by=("pk",))
    region = tables.Column(verbose_name=_("所在区划"), order_by=("region__code",))
    project = tables.Column(verbose_name=_("项目名称"), attrs={"td": {"class": "wrap"}}, order_by=("project__name",))
    source = tables.Column(verbose_name=_("问题来源"))
    category = tables.Column(verbose_name=_("问题类别"), order_by=("category__name",))
    description = tables.Column(verbose_name=_("问题描述"), attrs={"td": {"class": "wrap"}})
    found_on = tables.DateColumn(verbose_name=_("发现日期"), format="Y-m-d")
    department = tables.Column(verbose_name=_("责任单位"), order_by=("department__name",))
    level = tables.Column(verbose_name=_("协调层级"))
    deadline = tables.DateColumn(verbose_name=_("办理时限"), format="Y-m-d")
    status = StatusColumn(verbose_name=_("状态"))
    overdue = OverdueColumn(verbose_name=_("超期天数"))

    class Meta(TiaoduTable.Meta):
        model = Problem
        fields = (
            "number",
            "region",
            "project",
            "source",
            "category",
            "description",
            "found_on",
            "department",
            "level",
            "deadline",
            "status",
            "overdue",
        )
        order_by = ("-number",)

    def render_number(self, record):
        return record.number

    def value_number(self, record):
        return record.number


class ProblemLedgerExportTable(ProblemTable):
    """问题清单台账 as exchanged in Excel: the ledger columns plus what was done and when it was closed."""

    answer = tables.Column(verbose_name=_("办理情况"))
    closed_on = tables.DateColumn(verbose_name=_("销号日期"), format="Y-m-d")

    class Meta(ProblemTable.Meta):
        fields = (*ProblemTable.Meta.fields[:-2], "answer", "status", "closed_on", "overdue")
        sequence = fields
