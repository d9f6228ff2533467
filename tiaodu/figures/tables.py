import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tiaodu.core.tables import LeanTable, MoneyColumn, TiaoduTable, format_money
from tiaodu.projects.choices import KeyLevel, Nature, Stage


class ChoiceCodeColumn(tables.Column):
    """A column over a code that may be a model field (shown by label) or an annotation (a bare code).

    The figure base is a live queryset (annotations) or the rows kept at a lock (model fields);
    both show and export the label.
    """

    def __init__(self, *args, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(*args, **kwargs)

    def label_of(self, record, bound_column) -> str:
        code = bound_column.accessor.resolve(record)
        return str(self.labels.get(code, code or "—"))

    def render(self, value, record, bound_column):
        return self.label_of(record, bound_column)

    def value(self, value, record, bound_column):
        return self.label_of(record, bound_column)


class FigureStageColumn(ChoiceCodeColumn):
    """The stage as of the month, as a coloured badge (the CSS needs the code)."""

    def render(self, value, record, bound_column):
        code = bound_column.accessor.resolve(record)
        label = self.label_of(record, bound_column)
        return format_html('<span class="badge stage-badge stage-{}">{}</span>', code, label)


class FigureRowTable(LeanTable):
    """The rows behind a figure: one key-list entry each, with its columns as of the month."""

    project__code = tables.Column(verbose_name=_("项目代码"), default="—")
    project__name = tables.Column(
        verbose_name=_("项目名称"),
        linkify=lambda record: record.project.get_absolute_url(),
        attrs={"td": {"class": "wrap"}},
    )
    project__region = tables.Column(verbose_name=_("所在区划"), order_by=("project__region__code", "project__name"))
    project__owner = tables.Column(
        verbose_name=_("项目单位"), order_by=("project__owner__name",), attrs={"td": {"class": "wrap"}}
    )
    level = ChoiceCodeColumn(verbose_name=_("重点级别"), choices=KeyLevel.choices)
    nature = ChoiceCodeColumn(verbose_name=_("当年建设性质"), choices=Nature.choices)
    annual_plan = MoneyColumn(verbose_name=_("年度计划投资（万元）"))
    ytd = MoneyColumn(verbose_name=_("自年初累计完成投资（万元）"))
    project__actual_start_date = tables.DateColumn(verbose_name=_("实际开工日期"), format="Y-m-d", default="—")
    stage = FigureStageColumn(verbose_name=_("当月阶段"), choices=Stage.choices)

    class Meta(LeanTable.Meta):
        fields = (
            "project__code",
            "project__name",
            "project__region",
            "project__owner",
            "level",
            "nature",
            "annual_plan",
            "ytd",
            "project__actual_start_date",
            "stage",
        )
        attrs = {"class": "table table-sm table-hover align-middle bg-white mb-0 figure-rows"}
        empty_text = _("没有符合条件的项目。")

    _levels = dict(KeyLevel.choices)
    _natures = dict(Nature.choices)
    _stages = dict(Stage.choices)

    def lean_cells(self, record) -> list:
        project = record.project
        start = project.actual_start_date
        return [
            project.code or "—",
            format_html('<a href="{}">{}</a>', project.get_absolute_url(), project.name),
            str(project.region),
            str(project.owner) if project.owner_id else "—",
            str(self._levels.get(record.level, record.level or "—")),
            str(self._natures.get(record.nature, record.nature or "—")),
            format_money(record.annual_plan),
            format_money(record.ytd),
            start.strftime("%Y-%m-%d") if start else "—",
            format_html(
                '<span class="badge stage-badge stage-{}">{}</span>',
                record.stage,
                self._stages.get(record.stage, record.stage or "—"),
            ),
        ]


WIDE_ONLY = {"td": {"class": "d-none d-md-table-cell"}, "th": {"class": "d-none d-md-table-cell"}}
WIDE_ONLY_NUM = {"td": {"class": "num d-none d-md-table-cell"}, "th": {"class": "num d-none d-md-table-cell"}}


class LaggingTable(TiaoduTable):
    """落后项目 on the dashboard: progress against the share of the year elapsed."""

    project__name = tables.Column(
        verbose_name=_("项目名称"),
        linkify=lambda record: record.project.get_absolute_url(),
        attrs={"td": {"class": "lagging-name"}},
        orderable=False,
    )
    # On a phone the name, the progress and the gap are what matter; the amounts show from tablet width up.
    project__region = tables.Column(verbose_name=_("所在区划"), orderable=False, attrs=WIDE_ONLY)
    annual_plan = MoneyColumn(verbose_name=_("年度计划（万元）"), orderable=False, attrs=WIDE_ONLY_NUM)
    ytd = MoneyColumn(verbose_name=_("累计完成（万元）"), orderable=False, attrs=WIDE_ONLY_NUM)
    progress = tables.Column(
        verbose_name=_("完成率"),
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    gap = tables.Column(
        verbose_name=_("落后（百分点）"),
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "num text-danger fw-semibold"}, "th": {"class": "num"}},
    )

    class Meta(TiaoduTable.Meta):
        fields = ("project__name", "project__region", "annual_plan", "ytd", "progress", "gap")
        empty_text = _("没有落后项目。")

    def __init__(self, *args, period, **kwargs):
        self.period = period
        super().__init__(*args, **kwargs)

    def _gap(self, record):
        from .series import lagging_gap

        return lagging_gap(record, self.period)

    def render_progress(self, record):
        progress, _gap = self._gap(record)
        return "—" if progress is None else f"{progress}%"

    def render_gap(self, record):
        _progress, gap = self._gap(record)
        return "—" if gap is None else f"{gap}"
