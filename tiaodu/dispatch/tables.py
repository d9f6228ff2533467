import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import TiaoduTable

from .models import InspectionTour, Meeting, SiteVisit


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


class SiteVisitTable(TiaoduTable):
    date = tables.DateColumn(verbose_name=_("调研日期"), format="Y-m-d", linkify=True)
    region = tables.Column(verbose_name=_("组织区划"), order_by=("region__code",))
    leaders = tables.ManyToManyColumn(verbose_name=_("调研领导"), separator="、", orderable=False)
    projects = tables.ManyToManyColumn(
        verbose_name=_("调研项目"), separator="、", orderable=False, attrs={"td": {"class": "wrap"}}
    )
    notes = tables.Column(verbose_name=_("调研情况"), attrs={"td": {"class": "wrap"}})

    class Meta(TiaoduTable.Meta):
        model = SiteVisit
        fields = ("date", "region", "leaders", "projects", "notes")
        order_by = ("-date",)


class PersonVisitTable(TiaoduTable):
    """One row per leader per visit (人次)."""

    date = tables.DateColumn(verbose_name=_("调研日期"), accessor="sitevisit__date", format="Y-m-d")
    leader = tables.Column(verbose_name=_("调研领导"), accessor="official")
    visit = tables.Column(verbose_name=_("现场调研"), accessor="sitevisit", linkify=True)

    class Meta(TiaoduTable.Meta):
        orderable = False


class ProjectVisitTable(TiaoduTable):
    """One row per project site per visit."""

    date = tables.DateColumn(verbose_name=_("调研日期"), accessor="sitevisit__date", format="Y-m-d")
    project = tables.Column(
        verbose_name=_("调研项目"), accessor="project", linkify=True, attrs={"td": {"class": "wrap"}}
    )
    region = tables.Column(verbose_name=_("所在区划"), accessor="project__region")
    visit = tables.Column(verbose_name=_("现场调研"), accessor="sitevisit", linkify=True)

    class Meta(TiaoduTable.Meta):
        orderable = False


class TourTable(TiaoduTable):
    date = tables.DateColumn(verbose_name=_("观摩日期"), format="Y-m-d")
    title = tables.Column(verbose_name=_("观摩名称"), linkify=True)
    year = tables.Column(verbose_name=_("年度"))
    quarter = tables.Column(verbose_name=_("季度"))
    region = tables.Column(verbose_name=_("组织区划"), order_by=("region__code",))

    class Meta(TiaoduTable.Meta):
        model = InspectionTour
        fields = ("date", "title", "year", "quarter", "region")
        order_by = ("-date",)


def tour_result_table(criteria):
    """The results table of a tour: rank, project, county, one column per criterion, weighted total."""
    from django_tables2.utils import A

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}
    columns = {
        "rank": tables.Column(verbose_name=_("排名"), accessor=A("rank"), orderable=False),
        "project": tables.Column(verbose_name=_("项目"), accessor=A("project__name"), orderable=False),
        "region": tables.Column(verbose_name=_("所在区划"), accessor=A("project__region__name"), orderable=False),
    }
    for criterion in criteria:
        label = f"{criterion.name}（{criterion.weight.normalize()}）"
        columns[f"c{criterion.pk}"] = tables.Column(
            verbose_name=label, accessor=A(f"score_{criterion.pk}"), orderable=False, attrs=attrs
        )
    columns["total"] = tables.Column(verbose_name=_("综合得分"), accessor=A("total"), orderable=False, attrs=attrs)
    columns["scorers"] = tables.Column(verbose_name=_("评分人数"), accessor=A("scorers"), orderable=False, attrs=attrs)
    columns["Meta"] = type("Meta", (TiaoduTable.Meta,), {"orderable": False})
    return type("TourResultTable", (TiaoduTable,), columns)
