"""The export pipeline: a table the user sees becomes an .xlsx file with the same rows and columns."""

import datetime
import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_to_xlsx(table, *, title: str, money_columns: set[str] | None = None, units: str | None = None) -> bytes:
    """Write a django-tables2 table (all its rows, not one page) with a title row, header and 合计 row.

    Money columns (万元) are numbers with two decimals and get a total; dates are real dates.
    ``units`` (e.g. "单位：万元") adds the units line under the title, as the users' ledgers have it.
    """
    money_columns = money_columns or set()
    columns = [c for c in table.columns if not c.column.exclude_from_export]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet()
    fmt_title = workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    fmt_head = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#F2F2F2"}
    )
    fmt_cell = workbook.add_format({"border": 1, "valign": "vcenter"})
    fmt_money = workbook.add_format({"border": 1, "num_format": "#,##0.00"})
    fmt_date = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    fmt_total = workbook.add_format({"bold": True, "border": 1, "num_format": "#,##0.00"})
    fmt_total_label = workbook.add_format({"bold": True, "border": 1, "align": "center"})

    last_col = len(columns)  # column 0 holds 序号
    sheet.merge_range(0, 0, 0, last_col, title, fmt_title)
    sheet.set_row(0, 28)
    head = 1
    if units:
        sheet.merge_range(1, 0, 1, last_col, str(units), workbook.add_format({"align": "left"}))
        head = 2
    sheet.write(head, 0, str(_("序号")), fmt_head)
    widths = [6]
    for index, column in enumerate(columns, start=1):
        sheet.write(head, index, str(column.header), fmt_head)
        widths.append(max(10, min(40, len(str(column.header)) * 2 + 2)))
    totals = {name: Decimal(0) for name in money_columns}
    row_index = head + 1
    for number, row in enumerate(table.rows, start=1):
        sheet.write_number(row_index, 0, number, fmt_cell)
        for index, column in enumerate(columns, start=1):
            value = row.get_cell_value(column.name)
            if isinstance(value, Decimal):
                sheet.write_number(row_index, index, float(value), fmt_money)
                if column.name in totals:
                    totals[column.name] += value
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(row_index, index, timezone.localtime(value).replace(tzinfo=None), fmt_date)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_index, index, datetime.datetime.combine(value, datetime.time()), fmt_date)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row_index, index, value, fmt_cell)
            else:
                text = "" if value in (None, "—") else str(value)
                sheet.write_string(row_index, index, text, fmt_cell)
                widths[index] = max(widths[index], min(40, len(text) * 2))
        row_index += 1
    if money_columns:
        sheet.write(row_index, 0, str(_("合计")), fmt_total_label)
        for index, column in enumerate(columns, start=1):
            if column.name in totals:
                sheet.write_number(row_index, index, float(totals[column.name]), fmt_total)
            else:
                sheet.write_blank(row_index, index, None, fmt_total)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(head + 1, 0)
    print_setup(sheet, header_rows=(head, head))
    workbook.close()
    return buffer.getvalue()


def print_setup(sheet, *, header_rows: tuple[int, int]) -> None:
    """Print as ledgers are printed: A4 landscape, one page wide, the header repeated on every page."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(*header_rows)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C&P / &N")
    sheet.center_horizontally()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
