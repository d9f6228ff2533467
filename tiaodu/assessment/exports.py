"""The result table as a 考核结果通报 (.xlsx): title row, units line, grouped headers, rank column.

Built with the shared export pipeline's print set-up and response (``tiaodu.core.exports``).
"""

import io
from decimal import Decimal

import xlsxwriter
from django.utils.translation import gettext as _

from tiaodu.core.exports import print_setup

from .choices import ScoringRule
from .scoring import plain


def result_to_xlsx(data: dict, *, title: str, stamp: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("考核结果"))
    f_title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    f_units = book.add_format({"align": "right", "font_size": 10})
    f_head = book.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#F2F2F2"}
    )
    f_cell = book.add_format({"border": 1, "align": "center", "valign": "vcenter"})
    f_num = book.add_format({"border": 1, "num_format": "0.00", "valign": "vcenter"})
    f_total = book.add_format({"border": 1, "num_format": "0.00", "bold": True, "valign": "vcenter"})
    items = data["items"]
    # 排名, 单位, then per indicator 实绩 / 目标 / 得分, then 加分, 扣分, 总分.
    last = 2 + 3 * len(items) + 3 - 1
    sheet.merge_range(0, 0, 0, last, title, f_title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last, _("单位：分；{stamp}").format(stamp=stamp), f_units)
    sheet.merge_range(2, 0, 3, 0, _("排名"), f_head)
    sheet.merge_range(2, 1, 3, 1, _("被考核单位"), f_head)
    col = 2
    for item in items:
        rule = _("排名计分") if item["rule"] == ScoringRule.RANK else _("完成率计分")
        header = _("{name}（{unit}，权重{weight}，{rule}）").format(
            name=item["name"], unit=item["unit"], weight=plain(item["weight"]), rule=rule
        )
        sheet.merge_range(2, col, 2, col + 2, header, f_head)
        for offset, label in enumerate((_("实绩"), _("目标"), _("得分"))):
            sheet.write(3, col + offset, label, f_head)
        col += 3
    sheet.merge_range(2, col, 2, col + 2, _("加减分及总分"), f_head)
    for offset, label in enumerate((_("加分"), _("扣分"), _("总分"))):
        sheet.write(3, col + offset, label, f_head)
    row_index = 4
    for row in data["rows"]:
        sheet.write_number(row_index, 0, row["rank"], f_cell)
        sheet.write_string(row_index, 1, row["label"], f_cell)
        col = 2
        for cell in row["cells"]:
            for offset, key in enumerate(("value", "target", "points")):
                value = cell.get(key)
                if value is None:
                    sheet.write_string(row_index, col + offset, "—", f_cell)
                else:
                    sheet.write_number(row_index, col + offset, float(Decimal(value)), f_num)
            col += 3
        sheet.write_number(row_index, col, float(Decimal(row["bonus"])), f_num)
        sheet.write_number(row_index, col + 1, float(Decimal(row["deduction"])), f_num)
        sheet.write_number(row_index, col + 2, float(Decimal(row["total"])), f_total)
        row_index += 1
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, last, 10)
    sheet.freeze_panes(4, 2)
    print_setup(sheet, header_rows=(2, 3))
    book.close()
    return buffer.getvalue()
