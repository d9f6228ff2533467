"""The chain pages' tables, shown on the page and exported as .xlsx in the same columns."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import MoneyColumn, TiaoduTable

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ChainTable(TiaoduTable):
    name = tables.Column(verbose_name=_("产业链名称"), linkify=True)
    region = tables.Column(verbose_name=_("所属区划"))
    leader = tables.Column(verbose_name=_("链长"), default="—")
    department = tables.Column(verbose_name=_("牵头部门"), default="—")
    masters = tables.Column(verbose_name=_("链主企业"), attrs=NUM)
    cores = tables.Column(verbose_name=_("链核企业"), attrs=NUM)
    member_count = tables.Column(verbose_name=_("企业总数"), attrs=NUM)
    gap_count = tables.Column(verbose_name=_("薄弱环节数"), attrs=NUM)
    latest_year = tables.Column(verbose_name=_("产值年度"), default="—")
    latest_actual = MoneyColumn(verbose_name=_("实际产值（万元）"))
    latest_target = MoneyColumn(verbose_name=_("目标产值（万元）"))

    class Meta(TiaoduTable.Meta):
        orderable = False
        per_page = 100


class MemberTable(TiaoduTable):
    organisation = tables.Column(
        verbose_name=_("企业"),
        linkify=lambda record: record.organisation.get_absolute_url(),
        attrs={"td": {"class": "wrap"}},
    )
    credit_code = tables.Column(verbose_name=_("统一社会信用代码"), accessor="organisation__credit_code", default="—")
    segment = tables.Column(verbose_name=_("环节"), accessor="segment__name")
    role = tables.Column(verbose_name=_("角色"))
    region = tables.Column(verbose_name=_("所属区划"), accessor="organisation__region")
    joined_on = tables.DateColumn(verbose_name=_("入链日期"), format="Y-m-d", default="—")
    note = tables.Column(verbose_name=_("备注"), default="")

    class Meta(TiaoduTable.Meta):
        orderable = False
        per_page = 200


class OutputTable(TiaoduTable):
    year = tables.Column(verbose_name=_("年度"))
    actual = MoneyColumn(verbose_name=_("实际产值（万元）"))
    target = MoneyColumn(verbose_name=_("目标产值（万元）"))

    class Meta(TiaoduTable.Meta):
        orderable = False


class ChainProjectTable(TiaoduTable):
    project__code = tables.Column(verbose_name=_("项目代码"), default="—")
    project = tables.Column(
        verbose_name=_("项目名称"),
        linkify=lambda record: record.project.get_absolute_url(),
        attrs={"td": {"class": "wrap"}},
    )
    segment = tables.Column(verbose_name=_("环节"), accessor="segment__name", default="—")
    project__region = tables.Column(verbose_name=_("所在区划"))
    project__owner = tables.Column(verbose_name=_("项目单位"), attrs={"td": {"class": "wrap"}})
    project__total_investment = MoneyColumn(verbose_name=_("总投资（万元）"))
    ytd = MoneyColumn(verbose_name=_("本年累计完成投资（万元）"))

    class Meta(TiaoduTable.Meta):
        orderable = False
        per_page = 200
