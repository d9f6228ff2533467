"""The reading layer: real-looking files in every format, headers in every shape, rows to skip."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tiaodu.ledgers import values as v
from tiaodu.ledgers.columns import PROJECT_COLUMNS, REPORT_COLUMNS
from tiaodu.ledgers.reading import LedgerError, Problem, Problems, header_name, read_ledger

from . import builders

TITLE = "长治市2025年市级重点项目进展情况表"
# Title, units line, a two-row header with "投资情况" merged over two columns, 序号, data, a spacer,
# a section row, a totals row and a note.
ROWS = [
    [TITLE, None, None, None, None, None, None],
    ["单位：亿元", None, None, None, None, None, None],
    ["序号", "项目名称", "所在县区", "建设单位", "投资情况", None, "建设性质"],
    [None, None, None, None, "总投资", "2025年计划投资（万元）", None],
    ["一、产业项目", None, None, None, None, None, None],
    [1, "壶关县新材料产业园", "壶关县", "壶关新材料有限公司", 1.5, 3000, "新建"],
    [None, None, None, None, None, None, None],
    [2, "长子县光伏电站", "长子", "长子能源有限公司", "0.8", "2,000", "续建"],
    ["合计", None, None, None, 2.3, 5000, None],
    ["注：本表由县发改局填报。", None, None, None, None, None, None],
]
MERGES = [(0, 0, 0, 6), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (2, 3, 3, 3), (2, 4, 2, 5), (2, 6, 3, 6)]


def _check(ledger):
    assert ledger.header_rows[-1] == 4  # with merged cells filled down, row 4 alone may be the header
    assert ledger.title == TITLE
    assert [r.number for r in ledger.rows] == [6, 8]  # the rows the user sees in Excel
    assert ledger.columns["total_investment"].factor == v.UNITS["亿元"]  # from the units line
    assert ledger.columns["annual_plan"].factor == v.UNITS["万元"]  # the header's own unit wins
    first, second = ledger.rows
    assert first.values["name"] == "壶关县新材料产业园"
    assert v.to_money(first.values["total_investment"], ledger.columns["total_investment"].factor) == Decimal("15000")
    assert v.to_money(second.values["annual_plan"], ledger.columns["annual_plan"].factor) == Decimal("2000")
    assert "序号" not in ledger.ignored_headers


def test_xlsx_with_title_units_merged_two_row_header_and_totals():
    _check(read_ledger(builders.xlsx(ROWS, MERGES), "台账.xlsx", PROJECT_COLUMNS))


def test_real_xls_from_old_wps():
    _check(read_ledger(builders.xls(ROWS, MERGES), "台账.xls", PROJECT_COLUMNS))


def test_ods():
    _check(read_ledger(builders.ods(ROWS), "台账.ods", PROJECT_COLUMNS))


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)])
def test_csv_in_every_encoding(encoding, bom):
    _check(read_ledger(builders.csv_bytes(ROWS, encoding, bom), "台账.csv", PROJECT_COLUMNS))


def test_csv_with_tabs_and_full_width_digits():
    rows = [
        ["项目名称", "建设单位", "总投资（元）", "年度计划投资"],
        ["甲", "某公司", "１２，３４５，６７８", "１００"],
    ]
    text = "\n".join("\t".join(r) for r in rows).encode("gb18030")
    ledger = read_ledger(text, "a.csv", PROJECT_COLUMNS)
    row = ledger.rows[0]
    assert v.to_money(row.values["total_investment"], ledger.columns["total_investment"].factor) == Decimal("1234.57")


def test_aliases_and_a_units_line_in_yuan():
    rows = [
        ["单位：元"],
        ["名称", "业主单位", "计划总投资", "年度投资计划", "属地", "备注"],
        ["甲", "某公司", 50_000_000, 10_000_000, "壶关县", "重点"],
    ]
    ledger = read_ledger(builders.xlsx(rows), "a.xlsx", PROJECT_COLUMNS)
    assert set(ledger.columns) == {"name", "owner", "total_investment", "annual_plan", "region", "note"}
    assert ledger.columns["total_investment"].factor == Decimal("0.0001")
    assert ledger.header_rows == (2,)


def test_monthly_ledger_headers():
    rows = [
        ["2025年7月重点项目调度表"],
        ["项目代码", "项目名称", "完成投资", None, None, "形象进度", "存在问题"],
        [None, None, "本月完成", "1-7月累计完成", "开工以来累计完成", None, None],
        ["2024-140427-44-01-000001", "甲", 100, 700, 1500, "主体施工", ""],
    ]
    ledger = read_ledger(builders.xlsx(rows, [(1, 2, 1, 4)]), "a.xlsx", REPORT_COLUMNS)
    assert {"code", "name", "investment_month", "ytd", "since_start", "progress_text", "problems_text"} <= set(
        ledger.columns
    )
    assert ledger.rows[0].number == 4


def test_column_number_row_and_repeated_header_are_skipped():
    rows = [
        ["序号", "项目名称", "建设单位", "总投资", "年度计划投资"],
        [None, 1, 2, 3, 4],
        [1, "甲", "某公司", 10, 5],
        ["序号", "项目名称", "建设单位", "总投资", "年度计划投资"],
        [2, "乙", "某公司", 10, 5],
        ["总计", None, None, 20, 10],
    ]
    ledger = read_ledger(builders.xlsx(rows), "a.xlsx", PROJECT_COLUMNS)
    assert [r.values["name"] for r in ledger.rows] == ["甲", "乙"]
    assert [r.number for r in ledger.rows] == [3, 5]


def test_best_sheet_is_chosen():
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    workbook.add_worksheet("说明").write(0, 0, "填表说明：……")
    sheet = workbook.add_worksheet("项目")
    sheet.write_row(0, 0, ["项目名称", "建设单位", "总投资", "年度计划投资"])
    sheet.write_row(1, 0, ["甲", "某公司", 10, 5])
    workbook.close()
    ledger = read_ledger(buffer.getvalue(), "a.xlsx", PROJECT_COLUMNS)
    assert ledger.sheet == "项目" and len(ledger.rows) == 1


@pytest.mark.parametrize(
    ("content", "filename", "words"),
    [
        (b"", "a.xlsx", "空"),
        (b"this is not a spreadsheet at all", "a.xlsx", "不是有效的Excel"),
        (b"%PDF-1.4 ...", "a.pdf", "不支持的文件类型"),
        ("随便写点什么\n没有表头\n".encode(), "a.csv", "找不到可识别的表头"),
    ],
)
def test_files_that_cannot_be_read(content, filename, words):
    with pytest.raises(LedgerError) as error:
        read_ledger(content, filename, PROJECT_COLUMNS)
    assert words in str(error.value)


def test_a_password_protected_file():
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(builders.xlsx([["项目名称", "建设单位", "总投资", "年度计划投资"], ["甲", "某", 1, 1]]))
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", encrypted)
    with pytest.raises(LedgerError) as error:
        read_ledger(encrypted.getvalue(), "a.xlsx", PROJECT_COLUMNS)
    assert "密码" in str(error.value)


def test_missing_required_column_is_named():
    rows = [["项目名称", "建设单位", "总投资"], ["甲", "某公司", 10]]
    with pytest.raises(LedgerError) as error:
        read_ledger(builders.xlsx(rows), "a.xlsx", PROJECT_COLUMNS)
    assert "年度计划投资" in str(error.value)


def test_an_empty_workbook():
    with pytest.raises(LedgerError) as error:
        read_ledger(builders.xlsx([]), "a.xlsx", PROJECT_COLUMNS)
    assert "没有任何数据" in str(error.value)


def test_header_names_and_units():
    assert header_name("总投资（亿元）") == ("总投资", "亿元")
    assert header_name("总 投 资\n(万元)") == ("总投资", "万元")
    assert header_name("*项目名称") == ("项目名称", None)
    assert header_name("总投资/万元") == ("总投资", "万元")
    assert header_name("建设单位") == ("建设单位", None)
    assert header_name("形象进度（%）") == ("形象进度%", None)
    assert header_name("Total investment (100 million yuan)") == ("Totalinvestment", "亿元")
    assert header_name("Total investment (10,000 yuan)") == ("Totalinvestment", "万元")


def test_problem_wording_in_both_languages():
    problem = Problem(message=v.CellError(v._("应为数字")).message, row=7, column="总投资", value="十万")
    assert str(problem) == '第7行「总投资」"十万"：应为数字'
    with translation.override("en"):
        text = str(problem)
    assert "7" in text and "总投资" in text and "十万" in text and "应为数字" not in text


def test_problems_are_capped_but_counted():
    problems = Problems(cap=3)
    for row in range(1, 8):
        problems.add(Problem(message="x", row=row))
    assert len(problems) == 7 and len(problems.items) == 3
    assert "4" in problems.lines()[-1]


def test_dates_and_percent_cells_from_xlsx():
    rows = [
        ["项目代码", "项目名称", "本月完成投资", "形象进度（%）"],
        [None, "甲", 10, 0.45],
    ]
    ledger = read_ledger(builders.xlsx(rows, percent_cells={(1, 3)}), "a.xlsx", REPORT_COLUMNS)
    assert v.to_percent(ledger.rows[0].values["progress_pct"]) == Decimal("45.0")
    rows = [
        ["项目名称", "建设单位", "总投资", "年度计划投资", "计划开工日期"],
        ["甲", "某", 1, 1, datetime.date(2025, 3, 1)],
    ]
    ledger = read_ledger(builders.xlsx(rows), "a.xlsx", PROJECT_COLUMNS)
    assert v.to_date(ledger.rows[0].values["planned_start_date"]) == datetime.date(2025, 3, 1)
