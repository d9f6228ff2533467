import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import TiaoduTable

from .models import Meeting


class MeetingTable(TiaoduTable):
    date = tables.DateColumn(verbose_name=_("会议日期"), format="Y-m-d")
    title = tables.Column(verbose_name=_("会议名称"), linkify=True, attrs={"td": {"class": "wrap"}})
    kind = tables.Column(verbose_name=_("会议类型"))
    level = tables.Column(verbose_name=_("调度层级"))
    region = tables.Column(verbose_name=_("召开区划"), order_by=("region__code",))
    chair = tables.Column(verbose_name=_("主持人"), order_by=("chair__name",))
    status = tables.Column(verbose_name=_("状态"))

    class Meta(TiaoduTable.Meta):
        model = Meeting
        fields = ("date", "title", "kind", "level", "region", "chair", "status")
        order_by = ("-date",)
