import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import MoneyColumn, TiaoduTable
from tiaodu.projects.models import Project

from .choices import ReportStatus
from .models import MonthlyReport
from .selectors import NOT_SUBMITTED

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def status_text(status: str, return_reason: str = "") -> str:
    """未填报 / 草稿 / 已提交 / 已退回（原因）/ 已审核, as words for an export."""
    if not status or status == NOT_SUBMITTED:
        return str(_("未填报"))
    label = str(ReportStatus(status).label)
    if status == ReportStatus.RETURNED and return_reason:
        return str(_("{status}（{reason}）").format(status=label, reason=return_reason))
    return label


def flags_text(record) -> str:
    """The flags of a row as words: 本月尚未提交, 数据与上月雷同, 更正（原因）."""
    words = []
    if getattr(record, "not_submitted", False):
        words.append(str(_("本月尚未提交")))
    if getattr(record, "is_stale", False):
        words.append(str(_("数据与上月雷同")))
    if getattr(record, "is_correction", False):
        words.append(str(_("更正（{reason}）").format(reason=record.correction_reason or "")))
    return " · ".join(words)


class StatusColumn(tables.Column):
    """The report's state as a badge, with the reason of a return; flags (stale, correction) beside it."""

    def __init__(self, *args, status_accessor="status", **kwargs):
        self.status_accessor = status_accessor
        kwargs.setdefault("verbose_name", _("状态"))
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        status = getattr(record, self.status_accessor)
        return render_to_string("reports/includes/status.html", {"status": status, "row": record})

    def value(self, value, record):
        status = getattr(record, self.status_accessor)
        text = status_text(status, getattr(record, "return_reason", "") or "")
        flags = flags_text(record)
        return f"{text} · {flags}" if flags else text


class MonthlyReportTable(TiaoduTable):
    period = tables.Column(verbose_name=_("月份"), accessor="period_label", order_by=("period",), linkify=True)
    project__code = tables.Column(verbose_name=_("项目代码"))
    project = tables.Column(
        verbose_name=_("项目名称"),
        order_by=("project__name",),
        linkify=lambda record: record.get_absolute_url(),  # the report, not the project
        attrs={"td": {"class": "wrap"}},
    )
    project__region = tables.Column(verbose_name=_("所在区划"), order_by=("project__region__code",))
    project__owner = tables.Column(verbose_name=_("项目单位"), attrs={"td": {"class": "wrap"}})
    status = StatusColumn(orderable=True)
    investment_month = MoneyColumn(verbose_name=_("本月完成投资（万元）"))
    ytd = MoneyColumn(verbose_name=_("自年初累计（万元）"))
    since_start = MoneyColumn(verbose_name=_("开工以来累计（万元）"))
    progress_pct = tables.Column(verbose_name=_("形象进度（%）"), attrs=NUM)
    submitted_at = tables.DateTimeColumn(verbose_name=_("提交时间"), format="Y-m-d H:i")

    class Meta(TiaoduTable.Meta):
        model = MonthlyReport
        fields = (
            "period",
            "project__code",
            "project",
            "project__region",
            "project__owner",
            "status",
            "investment_month",
            "ytd",
            "since_start",
            "progress_pct",
            "submitted_at",
        )
        order_by = ("-period", "project__region")

    def render_project(self, record):
        return record.project.name

    def value_project(self, record):
        return record.project.name


class MissingReportTable(TiaoduTable):
    """未填报: due projects whose month is not submitted, in the layout clerks pass around."""

    code = tables.Column(verbose_name=_("项目代码"))
    name = tables.Column(verbose_name=_("项目名称"), linkify=True, attrs={"td": {"class": "wrap"}})
    region = tables.Column(verbose_name=_("所在区划"), order_by=("region__code",))
    owner = tables.Column(verbose_name=_("项目单位"), attrs={"td": {"class": "wrap"}}, order_by=("owner__name",))
    stage = tables.Column(verbose_name=_("阶段"))
    report_status = StatusColumn(status_accessor="report_status", orderable=False)

    class Meta(TiaoduTable.Meta):
        model = Project
        fields = ("code", "name", "region", "owner", "stage", "report_status")
        order_by = ("region",)
