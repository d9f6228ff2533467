import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import TiaoduTable

from .models import Official, Organisation


class OrganisationTable(TiaoduTable):
    name = tables.Column(verbose_name=_("单位名称"), linkify=True, attrs={"td": {"class": "wrap"}})
    kind = tables.Column(verbose_name=_("单位类型"))
    credit_code = tables.Column(verbose_name=_("统一社会信用代码"))
    region = tables.Column(verbose_name=_("所属区划"), order_by=("region__code",))
    project_count = tables.Column(verbose_name=_("项目数"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    dissolved_on = tables.DateColumn(verbose_name=_("撤销/合并日期"), format="Y-m-d")

    class Meta(TiaoduTable.Meta):
        model = Organisation
        fields = ("name", "kind", "credit_code", "region", "project_count", "dissolved_on")


class OfficialTable(TiaoduTable):
    name = tables.Column(verbose_name=_("姓名"), linkify=True)
    title = tables.Column(verbose_name=_("职务"))
    organisation = tables.Column(verbose_name=_("所在单位"))
    region = tables.Column(verbose_name=_("所属区划"), order_by=("region__code",))
    is_active = tables.BooleanColumn(verbose_name=_("在任"))

    class Meta(TiaoduTable.Meta):
        model = Official
        fields = ("name", "title", "organisation", "region", "is_active")
