import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import TiaoduTable

from .models import Region


class RegionTable(TiaoduTable):
    code = tables.Column(verbose_name=_("区划代码"))
    name = tables.Column(verbose_name=_("名称"), linkify=True)
    level = tables.Column(verbose_name=_("级别"))
    parent = tables.Column(verbose_name=_("上级区划"), order_by=("parent__code",))
    project_count = tables.Column(verbose_name=_("项目数"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta(TiaoduTable.Meta):
        model = Region
        fields = ("code", "name", "level", "parent", "project_count")
        order_by = ("code",)
