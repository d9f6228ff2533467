import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import MoneyColumn, TiaoduTable

from .models import KeyList, KeyListEntry, Project


class StageColumn(tables.Column):
    """A coloured stage badge; the accessor points at the stage code, the export gets its label."""

    def render(self, value, record, bound_column):
        # ``value`` is already the label (django-tables2 shows choices by label); the CSS needs the code.
        code = bound_column.accessor.resolve(record)
        return format_html('<span class="badge stage-badge stage-{}">{}</span>', code, value)


class ProjectTable(TiaoduTable):
    code = tables.Column(verbose_name=_("项目代码"), orderable=True)
    name = tables.Column(verbose_name=_("项目名称"), linkify=True, attrs={"td": {"class": "wrap"}})
    region = tables.Column(verbose_name=_("所在区划"), order_by=("region__code",))
    owner = tables.Column(verbose_name=_("项目单位"), attrs={"td": {"class": "wrap"}}, order_by=("owner__name",))
    sector = tables.Column(verbose_name=_("行业类别"))
    nature = tables.Column(verbose_name=_("建设性质"))
    total_investment = MoneyColumn(verbose_name=_("总投资（万元）"))
    stage = StageColumn(verbose_name=_("阶段"), accessor="stage")
    actual_start_date = tables.DateColumn(verbose_name=_("实际开工"), format="Y-m-d")
    leader = tables.Column(verbose_name=_("包联领导"), order_by=("leader__name",))

    class Meta(TiaoduTable.Meta):
        model = Project
        fields = (
            "code",
            "name",
            "region",
            "owner",
            "sector",
            "nature",
            "total_investment",
            "stage",
            "actual_start_date",
            "leader",
        )
        order_by = ("region",)


class KeyListTable(TiaoduTable):
    name = tables.Column(verbose_name=_("名单"), accessor="pk", linkify=True, orderable=False)
    year = tables.Column(verbose_name=_("年度"))
    level = tables.Column(verbose_name=_("重点级别"))
    region = tables.Column(verbose_name=_("编制区划"), order_by=("region__code",))
    status = tables.Column(verbose_name=_("状态"))
    project_count = tables.Column(verbose_name=_("项目数"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    total_investment = MoneyColumn(verbose_name=_("总投资（万元）"))
    annual_plan_total = MoneyColumn(verbose_name=_("年度计划投资（万元）"))

    class Meta(TiaoduTable.Meta):
        model = KeyList
        fields = (
            "name",
            "year",
            "level",
            "region",
            "status",
            "project_count",
            "total_investment",
            "annual_plan_total",
        )
        order_by = ("-year",)

    def render_name(self, record):
        return str(record)  # the typed title, or the standard one in the reader's language

    def value_name(self, record):
        return str(record)


class KeyListEntryTable(TiaoduTable):
    project__code = tables.Column(verbose_name=_("项目代码"))
    project = tables.Column(
        verbose_name=_("项目名称"),
        linkify=lambda record: record.project.get_absolute_url(),
        order_by=("project__name",),
        attrs={"td": {"class": "wrap"}},
    )
    project__region = tables.Column(verbose_name=_("所在区划"), order_by=("project__region__code",))
    project__owner = tables.Column(verbose_name=_("项目单位"), attrs={"td": {"class": "wrap"}})
    nature = tables.Column(verbose_name=_("当年建设性质"))
    project__total_investment = MoneyColumn(verbose_name=_("总投资（万元）"))
    annual_plan = MoneyColumn(verbose_name=_("年度计划投资（万元）"))
    project__stage = StageColumn(verbose_name=_("阶段"), accessor="project__stage")
    actions = tables.TemplateColumn(
        template_name="projects/includes/entry_actions.html", verbose_name="", orderable=False, exclude_from_export=True
    )

    class Meta(TiaoduTable.Meta):
        model = KeyListEntry
        fields = (
            "project__code",
            "project",
            "project__region",
            "project__owner",
            "nature",
            "project__total_investment",
            "annual_plan",
            "project__stage",
            "actions",
        )
        order_by = ("project__region",)
