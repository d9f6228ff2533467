"""Tables of the attraction pages and their .xlsx exports."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import MoneyColumn, TiaoduTable

from .models import FundsEntry, Lead, Signing


class LeadTable(TiaoduTable):
    number = tables.Column(verbose_name=_("编号"), accessor="pk", linkify=True, order_by=("pk",))
    name = tables.Column(verbose_name=_("项目名称"), linkify=True, attrs={"td": {"class": "wrap"}})
    investor = tables.Column(verbose_name=_("投资方"), attrs={"td": {"class": "wrap"}})
    region = tables.Column(verbose_name=_("落地区划"), order_by=("region__code",))
    sector = tables.Column(verbose_name=_("行业类别"))
    chain = tables.Column(verbose_name=_("产业链"), order_by=("chain__name",))
    team = tables.Column(verbose_name=_("招商专班"), order_by=("team__name",))
    intended_investment = MoneyColumn(verbose_name=_("意向投资额（万元）"))
    stage = tables.Column(verbose_name=_("阶段"))
    signed_on = tables.DateColumn(verbose_name=_("首次签约日期"), format="Y-m-d")
    landed_on = tables.DateColumn(verbose_name=_("落地日期"), format="Y-m-d")
    started_on = tables.DateColumn(verbose_name=_("开工日期"), format="Y-m-d")

    class Meta(TiaoduTable.Meta):
        model = Lead
        fields = (
            "number",
            "name",
            "investor",
            "region",
            "sector",
            "chain",
            "team",
            "intended_investment",
            "stage",
            "signed_on",
            "landed_on",
            "started_on",
        )
        order_by = ("-number",)

    def render_number(self, record):
        return record.number

    def value_number(self, record):
        return record.number


class SigningTable(TiaoduTable):
    lead = tables.Column(verbose_name=_("项目名称"), linkify=True, order_by=("lead__name",))
    region = tables.Column(verbose_name=_("落地区划"), accessor="lead__region", order_by=("lead__region__code",))
    signed_on = tables.DateColumn(verbose_name=_("签约日期"), format="Y-m-d")
    kind = tables.Column(verbose_name=_("签约类型"))
    amount = MoneyColumn(verbose_name=_("签约金额（万元）"))
    counted_amount = MoneyColumn(verbose_name=_("计入签约额（万元）"))

    class Meta(TiaoduTable.Meta):
        model = Signing
        fields = ("lead", "region", "signed_on", "kind", "amount", "counted_amount")
        order_by = ("signed_on",)


class FundsTable(TiaoduTable):
    lead = tables.Column(verbose_name=_("项目名称"), linkify=True, order_by=("lead__name",))
    region = tables.Column(verbose_name=_("落地区划"), accessor="lead__region", order_by=("lead__region__code",))
    on = tables.DateColumn(verbose_name=_("到位日期"), format="Y-m-d")
    amount = MoneyColumn(verbose_name=_("到位资金（万元）"))
    note = tables.Column(verbose_name=_("备注"))

    class Meta(TiaoduTable.Meta):
        model = FundsEntry
        fields = ("lead", "region", "on", "amount", "note")
        order_by = ("on",)


class AlarmTable(tables.Table):
    """The alarm list's export (the page draws its own rows): one row per lead and rule."""

    number = tables.Column(verbose_name=_("编号"), accessor="lead__number")
    name = tables.Column(verbose_name=_("项目名称"), accessor="lead__name")
    investor = tables.Column(verbose_name=_("投资方"), accessor="lead__investor")
    region = tables.Column(verbose_name=_("落地区划"), accessor="lead__region__name")
    team = tables.Column(verbose_name=_("招商专班"), accessor="lead__team__name")
    responsible = tables.Column(verbose_name=_("责任人"), accessor="lead__responsible")
    rule = tables.Column(verbose_name=_("预警类型"), accessor="rule__name")
    stage = tables.Column(verbose_name=_("阶段"), accessor="lead__get_stage_display")
    days = tables.Column(verbose_name=_("超期天数"))
    problem = tables.Column(verbose_name=_("转办问题"), accessor="problem__number")

    def render_days(self, value):
        return format_html('<span class="text-danger fw-semibold">{}</span>', value)
