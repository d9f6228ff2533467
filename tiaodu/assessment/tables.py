"""The catalogue and the actuals as tables (page and .xlsx export)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import TiaoduTable

from .models import Actual, Indicator


class IndicatorTable(TiaoduTable):
    name = tables.Column(verbose_name=_("指标名称"), linkify=True)
    unit = tables.Column(verbose_name=_("计量单位"))
    direction = tables.Column(verbose_name=_("指标方向"))
    kind = tables.Column(verbose_name=_("指标来源"))
    source = tables.Column(verbose_name=_("计算口径"))
    department = tables.Column(verbose_name=_("责任单位"), order_by=("department__name",))
    min_value = tables.Column(verbose_name=_("合理下限"))
    max_value = tables.Column(verbose_name=_("合理上限"))
    region = tables.Column(verbose_name=_("所属区划"), order_by=("region__code",))

    class Meta(TiaoduTable.Meta):
        model = Indicator
        fields = ("name", "unit", "direction", "kind", "source", "department", "min_value", "max_value", "region")


class ActualTable(TiaoduTable):
    indicator = tables.Column(verbose_name=_("考核指标"), order_by=("indicator__name",))
    unit_label = tables.Column(verbose_name=_("被考核单位"), accessor="unit_label", order_by=("region__code",))
    period_label = tables.Column(verbose_name=_("期间"), accessor="period_label", order_by=("year", "month"))
    value = tables.Column(verbose_name=_("实绩值"), linkify=lambda record: record.get_absolute_url())
    status = tables.Column(verbose_name=_("状态"))
    updated_at = tables.DateTimeColumn(verbose_name=_("更新时间"), format="Y-m-d H:i")

    class Meta(TiaoduTable.Meta):
        model = Actual
        fields = ("indicator", "unit_label", "period_label", "value", "status", "updated_at")
