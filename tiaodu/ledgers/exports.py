"""Writing ledgers in the layout users exchange, import templates, and the annotated error file.

The layout: a title row, the units line, one or two header rows (a group such as "投资情况" merged
over its columns), 序号, the data with numbers as numbers and dates as dates, a 合计 row, the
header frozen, sensible widths, and a print setup (landscape A4, one page wide, header repeated on
every page). Headers are the import columns' labels, so an export imports back unchanged.
Written with XlsxWriter, which sets exact formats, merges, validations and comments.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils.translation import gettext_lazy as _
from xlsxwriter.utility import xl_rowcol_to_cell

from tiaodu.core.exports import print_setup
from tiaodu.core.periods import format_period, period_end
from tiaodu.core.scoping import VIEW
from tiaodu.projects.choices import KeyLevel, Nature, Sector, Stage
from tiaodu.projects.models import KeyListEntry
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region
from tiaodu.reports.choices import Milestone, ReportStatus
from tiaodu.reports.models import MonthlyReport

from .bulk import gc_paused
from .columns import IMPORT_STAGES, PROBLEM_COLUMNS, PROJECT_COLUMNS, REPORT_COLUMNS
from .reading import Ledger, Problems


@dataclass
class Col:
    """One column of a written ledger."""

    key: str
    header: object
    kind: str = "text"  # text, money, date, percent, int
    group: object = None
    width: int = 0
    total: bool = False

    def display_header(self) -> str:
        return str(self.header)  # money is in 万元, said once by the units line


WIDTH_SAMPLE_ROWS = 200


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class LedgerWriter:
    """A workbook with one ledger sheet in the exchange layout; ``close()`` returns the bytes."""

    def __init__(self, *, constant_memory: bool = False):
        self.buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self.buffer, {"in_memory": not constant_memory, "constant_memory": constant_memory}
        )
        wb = self.workbook
        border = {"border": 1, "valign": "vcenter"}
        self.f_title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.f_units = wb.add_format({"align": "left", "valign": "vcenter"})
        self.f_head = wb.add_format(
            {**border, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#F2F2F2"}
        )
        self.f_text = wb.add_format({**border, "text_wrap": True})
        self.f_border = wb.add_format({"border": 1})
        self.f_center = wb.add_format({**border, "align": "center"})
        self.f_money = wb.add_format({**border, "num_format": "#,##0.00"})
        self.f_pct = wb.add_format({**border, "num_format": "0.0"})
        self.f_int = wb.add_format({**border, "num_format": "#,##0"})
        self.f_date = wb.add_format({**border, "num_format": "yyyy-mm-dd", "align": "center"})
        self.f_total_label = wb.add_format({**border, "bold": True, "align": "center"})
        self.f_total = wb.add_format({**border, "bold": True, "num_format": "#,##0.00"})
        self.f_example = wb.add_format({**border, "italic": True, "font_color": "#7F7F7F"})

    def sheet(
        self,
        *,
        name: str,
        title: str,
        columns: list[Col],
        rows,
        units: str | None = None,
        totals: bool = True,
        example: dict | None = None,
    ):
        """Write the ledger; ``rows`` yields dicts by column key. Returns the sheet and the first data row."""
        wb = self.workbook
        sheet = wb.add_worksheet(name[:31])
        last = len(columns)  # column 0 is 序号
        sheet.merge_range(0, 0, 0, last, title, self.f_title)
        sheet.set_row(0, 30)
        sheet.write(1, 0, units if units is not None else str(_("单位：万元")), self.f_units)
        grouped = any(c.group for c in columns)
        head = 2
        data_row = head + (2 if grouped else 1)
        widths = [6] + [max(c.width, 8) for c in columns]
        if grouped:
            sheet.merge_range(head, 0, head + 1, 0, str(_("序号")), self.f_head)
            index = 1
            while index <= last:
                column = columns[index - 1]
                if column.group:
                    end = index
                    while end + 1 <= last and columns[end].group == column.group:
                        end += 1
                    if end > index:
                        sheet.merge_range(head, index, head, end, str(column.group), self.f_head)
                    else:
                        sheet.write(head, index, str(column.group), self.f_head)
                    for c in range(index, end + 1):
                        sheet.write(head + 1, c, columns[c - 1].display_header(), self.f_head)
                    index = end + 1
                else:
                    sheet.merge_range(head, index, head + 1, index, column.display_header(), self.f_head)
                    index += 1
        else:
            sheet.write(head, 0, str(_("序号")), self.f_head)
            for index, column in enumerate(columns, start=1):
                sheet.write(head, index, column.display_header(), self.f_head)
        for index, column in enumerate(columns, start=1):
            widths[index] = max(widths[index], min(40, _text_width(column.display_header()) + 2))
        row_index = data_row
        if example:
            sheet.write(row_index, 0, str(_("示例")), self.f_example)
            for index, column in enumerate(columns, start=1):
                value = example.get(column.key)
                self._write(sheet, row_index, index, value, column, self.f_example)
            row_index += 1
        first_data = row_index
        sums = {index: Decimal(0) for index, c in enumerate(columns, start=1) if c.total}
        row_index = self._rows(sheet, row_index, columns, rows, sums, widths)
        if row_index > first_data:
            # The empty cells are not written (a quarter of a ledger's cells): one rule draws their
            # borders over the data rows, as Excel and WPS show a conditional format.
            sheet.conditional_format(first_data, 0, row_index - 1, last, {"type": "no_errors", "format": self.f_border})
        if totals and any(c.total for c in columns):
            label_end = next(i for i, c in enumerate(columns, start=1) if c.total) - 1
            if label_end > 0:
                sheet.merge_range(row_index, 0, row_index, label_end, str(_("合计")), self.f_total_label)
            else:
                sheet.write(row_index, 0, str(_("合计")), self.f_total_label)
            for index, column in enumerate(columns, start=1):
                if index <= label_end:
                    continue
                if column.total:
                    total = sums[index]
                    top = xl_rowcol_to_cell(first_data, index)
                    bottom = xl_rowcol_to_cell(max(first_data, row_index - 1), index)
                    sheet.write_formula(row_index, index, f"=SUM({top}:{bottom})", self.f_total, float(total))
                else:
                    sheet.write_blank(row_index, index, None, self.f_total)
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(data_row, 0)
        print_setup(sheet, header_rows=(head, data_row - 1))
        return sheet, data_row

    def _rows(self, sheet, row_index: int, columns: list[Col], rows, sums: dict, widths: list) -> int:
        """The data rows (``_write`` unrolled: ~700,000 cells in a 50,000-row ledger); the next free row.
        An empty cell is left unwritten: the sheet's conditional format draws its borders."""
        _write_blank, write_number, write_string = self._writers(sheet)
        f_text, f_center = self.f_text, self.f_center
        formats = {"money": self.f_money, "percent": self.f_pct, "int": self.f_int}
        plan = [(index, c.key, c.kind, formats.get(c.kind), index in sums) for index, c in enumerate(columns, 1)]
        text_columns = [(index, c.key) for index, c in enumerate(columns, 1) if c.kind == "text"]
        for number, row in enumerate(rows, start=1):
            write_number(row_index, 0, number, f_center)
            for index, key, kind, number_format, summed in plan:
                value = row.get(key)
                if value is None or value == "":
                    continue
                if summed:
                    sums[index] += value
                if number_format is not None:
                    write_number(row_index, index, float(value), number_format)
                elif kind == "date" and isinstance(value, datetime.date):
                    moment = datetime.datetime.combine(value, datetime.time())
                    sheet.write_datetime(row_index, index, moment, self.f_date)
                else:
                    write_string(row_index, index, str(value), f_text)
            if number <= WIDTH_SAMPLE_ROWS:  # widths from the first rows: enough, and fast
                for index, key in text_columns:
                    value = row.get(key)
                    if isinstance(value, str):
                        widths[index] = max(widths[index], min(40, _text_width(value) + 2))
            row_index += 1
        return row_index

    @staticmethod
    def _writers(sheet):
        # XlsxWriter's undecorated writers: the public ones re-parse their arguments on every one of
        # the ~700,000 cells of a 50,000-row ledger, a third of the time of an export.
        return (
            getattr(sheet, "_write_blank", sheet.write_blank),
            getattr(sheet, "_write_number", sheet.write_number),
            getattr(sheet, "_write_string", sheet.write_string),
        )

    def _write(self, sheet, row, col, value, column: Col, fmt=None):
        write_blank, write_number, write_string = self._writers(sheet)
        if value is None or value == "":
            write_blank(row, col, None, fmt or self.f_text)
            return
        if column.kind == "money":
            write_number(row, col, float(value), fmt or self.f_money)
        elif column.kind == "percent":
            write_number(row, col, float(value), fmt or self.f_pct)
        elif column.kind == "int":
            write_number(row, col, int(value), fmt or self.f_int)
        elif column.kind == "date" and isinstance(value, datetime.date):
            sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), fmt or self.f_date)
        else:
            write_string(row, col, str(value), fmt or self.f_text)

    def close(self) -> bytes:
        self.workbook.close()
        return self.buffer.getvalue()


# ---- the key-project list -------------------------------------------------------------------

INVESTMENT = _("投资情况")
SCHEDULE = _("时间安排")
DONE = _("完成投资")


def project_list_columns(year: int) -> list[Col]:
    labels = {c.key: c.label for c in PROJECT_COLUMNS}
    return [
        Col("code", labels["code"], width=26),
        Col("name", labels["name"], width=30),
        Col("region", labels["region"], width=10),
        Col("owner", labels["owner"], width=28),
        Col("sector", labels["sector"], width=10),
        Col("nature", labels["nature"], width=8),
        Col("stage", labels["stage"], width=8),
        Col("construction_content", labels["construction_content"], width=36),
        Col("total_investment", labels["total_investment"], "money", INVESTMENT, width=14, total=True),
        Col("annual_plan", _("{year}年计划投资").format(year=year), "money", INVESTMENT, width=14, total=True),
        Col("planned_start_date", labels["planned_start_date"], "date", SCHEDULE, width=12),
        Col("planned_completion_date", labels["planned_completion_date"], "date", SCHEDULE, width=12),
        Col("actual_start_date", labels["actual_start_date"], "date", SCHEDULE, width=12),
        Col("note", labels["note"], width=16),
    ]


def _region_label(region: Region | None) -> str:
    return region.name if region else ""


def _labels(enum) -> dict[str, str]:
    """Code → label in the active language, looked up once per export rather than once per cell."""
    return {value: str(label) for value, label in enum.choices}


PROJECT_LIST_VALUES = {
    "code": "project__code",
    "name": "project__name",
    "region": "project__region__name",
    "owner": "project__owner__name",
    "sector": "project__sector",
    "nature": "nature",
    "stage": "project__stage",
    "construction_content": "project__construction_content",
    "total_investment": "project__total_investment",
    "annual_plan": "annual_plan",
    "planned_start_date": "project__planned_start_date",
    "planned_completion_date": "project__planned_completion_date",
    "actual_start_date": "project__actual_start_date",
    "note": "note",
}


def project_list_rows(user, *, year: int, level: str, region: Region | None = None):
    """The rows of the list as plain values (one query, no model instances: 50,000 rows in a few seconds)."""
    entries = (
        KeyListEntry.objects.restrict(user, VIEW)
        .filter(key_list__year=year, key_list__level=level)
        .order_by("project__region__code", "project__name", "pk")
    )
    if region is not None:
        entries = entries.filter(project__region__path__startswith=region.path)
    sectors, natures, stages = _labels(Sector), _labels(Nature), _labels(Stage)
    keys = list(PROJECT_LIST_VALUES)
    for values in entries.values_list(*PROJECT_LIST_VALUES.values()).iterator(chunk_size=5000):
        row = dict(zip(keys, values, strict=True))
        row["code"] = row["code"] or ""
        row["sector"] = sectors.get(row["sector"], row["sector"])
        row["nature"] = natures.get(row["nature"], row["nature"])
        row["stage"] = stages.get(row["stage"], row["stage"])
        yield row


def project_list_title(*, year: int, level: str, region: Region | None) -> str:
    word = {
        KeyLevel.PROVINCE: _("省级重点工程项目"),
        KeyLevel.CITY: _("市级重点项目"),
        KeyLevel.COUNTY: _("县级重点项目"),
    }[KeyLevel(level)]
    return str(_("{region}{year}年{level}表").format(region=_region_label(region), year=year, level=word))


def export_project_list(user, *, year: int, level: str, region: Region | None = None) -> tuple[str, bytes]:
    """重点项目名单 of a year and level, as the ledger counties send upward; (title, xlsx bytes)."""
    title = project_list_title(year=year, level=level, region=region)
    with gc_paused():  # the workbook holds every cell until it is written out
        writer = LedgerWriter()
        writer.sheet(
            name=str(_("重点项目")),
            title=title,
            columns=project_list_columns(year),
            rows=project_list_rows(user, year=year, level=level, region=region),
        )
        return title, writer.close()


# ---- the monthly report ledger --------------------------------------------------------------


def report_columns(period: datetime.date) -> list[Col]:
    labels = {c.key: c.label for c in REPORT_COLUMNS}
    ytd = _("1-{month}月累计完成投资").format(month=period.month) if period.month > 1 else _("1月累计完成投资")
    return [
        Col("code", labels["code"], width=26),
        Col("name", labels["name"], width=30),
        Col("region", labels["region"], width=10),
        Col("owner", _("项目单位"), width=26),
        Col("total_investment", _("总投资"), "money", width=14, total=True),
        Col("investment_month", labels["investment_month"], "money", DONE, width=14, total=True),
        Col("ytd", ytd, "money", DONE, width=14, total=True),
        Col("since_start", labels["since_start"], "money", DONE, width=14, total=True),
        Col("progress_text", labels["progress_text"], width=36),
        Col("progress_pct", labels["progress_pct"], "percent", width=10),
        Col("milestones", labels["milestones"], width=12),
        Col("problems_text", labels["problems_text"], width=30),
        Col("status", _("状态"), width=10),
    ]


REPORT_VALUES = {
    "code": "project__code",
    "name": "project__name",
    "region": "project__region__name",
    "owner": "project__owner__name",
    "total_investment": "project__total_investment",
    "investment_month": "investment_month",
    "ytd": "ytd",
    "since_start": "since_start",
    "progress_text": "progress_text",
    "progress_pct": "progress_pct",
    "milestones": "milestones",
    "problems_text": "problems_text",
    "status": "status",
}


def report_rows(user, *, period: datetime.date, region: Region | None = None):
    reports = (
        MonthlyReport.objects.restrict(user, VIEW)
        .filter(period=period)
        .order_by("project__region__code", "project__name", "pk")
    )
    if region is not None:
        reports = reports.filter(project__region__path__startswith=region.path)
    milestones, statuses = _labels(Milestone), _labels(ReportStatus)
    keys = list(REPORT_VALUES)
    for values in reports.values_list(*REPORT_VALUES.values()).iterator(chunk_size=5000):
        row = dict(zip(keys, values, strict=True))
        row["code"] = row["code"] or ""
        row["milestones"] = "、".join(milestones.get(m, m) for m in row["milestones"].split(",") if m)
        row["status"] = statuses.get(row["status"], row["status"])
        yield row


def report_title(*, period: datetime.date, region: Region | None) -> str:
    return str(
        _("{region}{year}年重点项目{month}月份调度情况表（截至{month}月底）").format(
            region=_region_label(region), year=period.year, month=period.month
        )
    )


def export_reports(user, *, period: datetime.date, region: Region | None = None) -> tuple[str, bytes]:
    """月度调度台账 of a month: each project's month, year to date and since start, as sent upward."""
    title = report_title(period=period, region=region)
    with gc_paused():  # the workbook holds every cell until it is written out
        writer = LedgerWriter()
        writer.sheet(
            name=format_period(period),
            title=title,
            columns=report_columns(period),
            rows=report_rows(user, period=period, region=region),
        )
        return title, writer.close()


# ---- templates ------------------------------------------------------------------------------


def choice_regions(region: Region | None) -> list[str]:
    if region is None:
        return []
    names = Region.objects.filter(
        path__startswith=region.path, level__in=[RegionLevel.COUNTY, RegionLevel.ZONE], is_active=True
    ).order_by("code")
    return [r.name for r in names] or [region.name]


MATCH_NOTES = {
    "projects": _("5. 项目按项目代码匹配，无代码时按所在县区内的项目名称匹配；已有项目将被更新，不会重复登记。"),
    "leads": _("5. 招商项目按编号匹配，无编号时按落地区划内的项目名称匹配；阶段只向后推进，每个阶段须填写日期。"),
    "enterprises": _("5. 企业按统一社会信用代码匹配，无代码时按企业名称匹配；已在链上的企业将被更新，不会重复入链。"),
    "actuals": _("5. 每个县区（开发区）的每个指标一行；由系统计算的指标不能导入实绩。"),
}


def template_xlsx(kind: str, *, region: Region | None, year: int, period: datetime.date) -> bytes:
    """An empty ledger to fill: headers, units, one example row (skipped on import), drop-down lists."""
    writer = LedgerWriter()
    wb = writer.workbook
    if kind == "projects":
        columns = project_list_columns(year)
        title = str(_("{year}年重点项目名单（导入模板）").format(year=year))
        example = {
            "code": "2025-140427-44-01-000001",
            "name": str(_("示例：某某新材料产业园项目")),
            "region": (choice_regions(region) or [""])[0],
            "owner": str(_("某某新材料有限公司")),
            "sector": str(Sector.INDUSTRY.label),
            "nature": str(Nature.NEW.label),
            "stage": str(Stage.PRELIMINARY.label),
            "construction_content": str(_("建设厂房及配套设施")),
            "total_investment": Decimal("50000"),
            "annual_plan": Decimal("12000"),
            "planned_start_date": datetime.date(year, 4, 1),
            "planned_completion_date": datetime.date(year + 1, 10, 31),
            "note": "",
        }
        lists = {
            "region": choice_regions(region),
            "sector": [str(label) for _v, label in Sector.choices],
            "nature": [str(label) for _v, label in Nature.choices],
            "stage": [str(Stage(s).label) for s in IMPORT_STAGES],
        }
    elif kind == "problems":
        from tiaodu.problems.choices import ProblemSource
        from tiaodu.problems.models import ProblemCategory

        labels = {c.key: c.label for c in PROBLEM_COLUMNS}
        columns = [
            Col("code", labels["code"], width=26),
            Col("name", labels["name"], width=30),
            Col("region", labels["region"], width=10),
            Col("description", labels["description"], width=40),
            Col("category", labels["category"], width=12),
            Col("department", labels["department"], width=20),
            Col("deadline", labels["deadline"], "date", width=12),
            Col("found_on", labels["found_on"], "date", width=12),
            Col("source", labels["source"], width=12),
        ]
        title = str(_("问题台账（导入模板）"))
        example = {
            "code": "2025-140427-44-01-000001",
            "name": str(_("示例：某某新材料产业园项目")),
            "region": (choice_regions(region) or [""])[0],
            "description": str(_("用地指标尚未落实")),
            "category": "",
            "department": "",
            "deadline": period_end(period) + datetime.timedelta(days=60),
            "found_on": None,
            "source": str(ProblemSource.MEETING.label),
        }
        lists = {
            "region": choice_regions(region),
            "category": list(ProblemCategory.objects.filter(is_active=True).values_list("name", flat=True)),
            "source": [str(label) for _v, label in ProblemSource.choices],
        }
        example["category"] = (lists["category"] or [""])[0]  # a category name is data: not translated
    elif kind == "leads":
        from tiaodu.attraction.imports import lead_template

        columns, title, example, lists = lead_template(region=region, today=period_end(period))
    elif kind == "enterprises":
        from tiaodu.chains.imports import enterprise_template

        columns, title, example, lists = enterprise_template(region=region)
    elif kind == "actuals":
        from tiaodu.assessment.imports import actual_template

        columns, title, example, lists = actual_template(region=region, year=period.year, month=period.month)
    else:
        columns = [c for c in report_columns(period) if c.key not in ("owner", "total_investment", "status")]
        for column in columns:
            column.total = False
        title = str(_("{period}月度调度数据（导入模板）").format(period=format_period(period)))
        example = {
            "code": "2025-140427-44-01-000001",
            "name": str(_("示例：某某新材料产业园项目")),
            "region": (choice_regions(region) or [""])[0],
            "investment_month": Decimal("500"),
            "ytd": Decimal("3200"),
            "since_start": Decimal("8600"),
            "progress_text": str(_("主体结构施工")),
            "progress_pct": Decimal("45"),
            "milestones": "",
            "problems_text": "",
        }
        lists = {
            "region": choice_regions(region),
            "milestones": [str(label) for _v, label in Milestone.choices],
        }
    sheet, data_row = writer.sheet(
        name=str(_("台账")), title=title, columns=columns, rows=[], totals=False, example=example
    )
    options = wb.add_worksheet(str(_("选项")))
    options.hide()
    for list_index, (key, items) in enumerate(lists.items()):
        if not items:
            continue
        for r, item in enumerate(items):
            options.write_string(r, list_index, item)
        column = next((i for i, c in enumerate(columns, start=1) if c.key == key), None)
        if column is None:
            continue
        source = "='{sheet}'!${col}$1:${col}${end}".format(
            sheet=options.get_name(), col=xl_rowcol_to_cell(0, list_index)[:-1], end=len(items)
        )
        sheet.data_validation(
            data_row,
            column,
            data_row + 2000,
            column,
            {
                "validate": "list",
                "source": source,
                "error_type": "warning",
                "error_message": str(_("请从下拉列表中选择。")),
            },
        )
    notes = wb.add_worksheet(str(_("填写说明")))
    lines = [
        _("1. 表头请勿修改；可增加列，无法识别的列将被忽略。"),
        _("2. 金额单位为万元；如使用亿元或元，请在表头注明，如“总投资（亿元）”。"),
        _("3. 日期可写作 2025-03-15、2025/3/15、2025年3月 或 2025.3。"),
        _("4. 第一行数据为示例（序号为“示例”），导入时自动跳过，可删除。"),
        MATCH_NOTES.get(kind, MATCH_NOTES["projects"]),
        _("6. 合计行、空行、说明行会被自动跳过；有错误时不会写入任何数据，可下载标注了错误的文件。"),
    ]
    notes.set_column(0, 0, 100)
    for r, line in enumerate(lines):
        notes.write_string(r, 0, str(line))
    return writer.close()


# ---- the annotated error file ---------------------------------------------------------------


def annotated_xlsx(ledger: Ledger | None, problems: Problems) -> bytes:
    """The uploaded sheet as read, bad cells filled red with a comment each, a column of row errors,
    and a sheet listing every problem, so a clerk fixes the file and uploads it again."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    f_bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1, "border_color": "#C00000"})
    f_bad_row = wb.add_format({"font_color": "#9C0006", "text_wrap": True})
    f_head = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    f_date = wb.add_format({"num_format": "yyyy-mm-dd"})
    f_bad_date = wb.add_format({"num_format": "yyyy-mm-dd", "bg_color": "#FFC7CE", "font_color": "#9C0006"})
    if ledger is not None and ledger.raw_rows is not None:
        sheet = wb.add_worksheet(ledger.sheet[:31] or "Sheet1")
        by_cell: dict[tuple[int, int], list[str]] = {}
        by_row: dict[int, list[str]] = {}
        for problem in problems:
            if problem.row and problem.column_index is not None:
                by_cell.setdefault((problem.row - 1, problem.column_index), []).append(str(problem.message))
            if problem.row:
                by_row.setdefault(problem.row - 1, []).append(str(problem))
        width = max((len(r) for r in ledger.raw_rows), default=0)
        for r, row in enumerate(ledger.raw_rows):
            for c, value in enumerate(row):
                bad = (r, c) in by_cell
                if isinstance(value, datetime.datetime | datetime.date):
                    stamp = (
                        value
                        if isinstance(value, datetime.datetime)
                        else datetime.datetime.combine(value, datetime.time())
                    )
                    sheet.write_datetime(r, c, stamp, f_bad_date if bad else f_date)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value, f_bad if bad else None)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value, f_bad if bad else None)
                elif value not in (None, ""):
                    sheet.write_string(r, c, str(value), f_bad if bad else None)
                elif bad:
                    sheet.write_blank(r, c, None, f_bad)
                if bad:
                    sheet.write_comment(r, c, "\n".join(by_cell[(r, c)]), {"x_scale": 2, "y_scale": 1.5})
        if ledger.header_rows:
            sheet.write_string(ledger.header_rows[0] - 1, width, str(_("错误说明")), f_head)
        for r, lines in by_row.items():
            sheet.write_string(r, width, "\n".join(lines), f_bad_row)
        sheet.set_column(width, width, 60)
        if ledger.header_rows:
            sheet.freeze_panes(ledger.header_rows[-1], 0)
    listing = wb.add_worksheet(str(_("错误清单")))
    listing.write_string(0, 0, str(_("错误清单")), f_head)
    listing.set_column(0, 0, 120)
    for r, line in enumerate(problems.lines(), start=1):
        listing.write_string(r, 0, line)
    wb.close()
    return buffer.getvalue()
