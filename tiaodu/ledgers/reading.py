"""Reading a ledger (台账) as clerks keep it: which sheet, which rows are the header, which are data.

``read_ledger(content, filename, columns)`` opens .xlsx/.xlsm/.xls/.ods with python-calamine (one
fast Rust reader for every spreadsheet format) or .csv in UTF-8 (with or without BOM) or
GB18030/GBK, finds the header below any title rows (one row, or two rows with merged group cells
such as "投资情况" over "总投资" and "年度计划"), maps the headers to the kind's columns by name and
alias, reads the money unit from each header or a units line, and returns the data rows with the
row numbers the user sees in Excel or WPS. Totals rows (合计/总计), blank spacer rows, section rows
(一、…), the column-number row (1 2 3 …) and trailing notes are skipped; the 序号 column is ignored.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import python_calamine
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .values import UNITS, normalise, to_text

MAX_ERRORS = 200
HEADER_SEARCH_ROWS = 30
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
SUFFIXES = (*SPREADSHEET_SUFFIXES, ".csv")


# ---- problems ---------------------------------------------------------------------------------


@dataclass
class Problem:
    """One thing wrong with the file: ``第N行「列名」"值"：原因``. ``row`` is the Excel row number."""

    message: object
    row: int | None = None
    column: str = ""
    value: str = ""
    column_index: int | None = None  # 0-based column in the sheet, for the annotated file

    def __str__(self) -> str:
        if self.row and self.column:
            return str(
                _('第{row}行「{column}」"{value}"：{reason}').format(
                    row=self.row, column=self.column, value=self.value, reason=self.message
                )
            )
        if self.row:
            return str(_("第{row}行：{reason}").format(row=self.row, reason=self.message))
        return str(self.message)


class Problems:
    """Every problem of a file, up to ``cap``; the rest are counted, not kept."""

    def __init__(self, cap: int = MAX_ERRORS):
        self.cap = cap
        self.items: list[Problem] = []
        self.dropped = 0
        self.rows: set[int] = set()

    def add(self, problem: Problem) -> None:
        if problem.row:
            self.rows.add(problem.row)
        if len(self.items) < self.cap:
            self.items.append(problem)
        else:
            self.dropped += 1

    def __len__(self) -> int:
        return len(self.items) + self.dropped

    def __bool__(self) -> bool:
        return bool(self.items) or bool(self.dropped)

    def __iter__(self):
        return iter(self.sorted())

    def sorted(self) -> list[Problem]:
        """In the order a clerk reads the sheet: file problems first, then by row and column."""
        return sorted(self.items, key=lambda p: (p.row or 0, -1 if p.column_index is None else p.column_index))

    def lines(self) -> list[str]:
        lines = [str(p) for p in self.sorted()]
        if self.dropped:
            lines.append(str(_("……另有{count}处错误未列出。").format(count=self.dropped)))
        return lines


class LedgerError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, empty, password, no header)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# ---- columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    """A column an import kind understands: the key it is known by, its label and its other names."""

    key: str
    label: object  # the canonical header (a Chinese msgid)
    kind: str = "text"  # text, money, date, percent, choice
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()  # regular expressions over the normalised header, full match
    required: bool = False

    def names(self) -> frozenset[str]:
        return _spec_names(self)

    def matches(self, name: str) -> bool:
        return name in self.names() or any(re.fullmatch(p, name) for p in self.patterns)


@functools.cache
def _spec_names(spec: ColumnSpec) -> frozenset[str]:
    """The header names of a column: its label in Chinese and in English (an English export re-imports), and aliases."""
    names = {header_name(a)[0] for a in spec.aliases}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(header_name(str(spec.label))[0])
    return frozenset(names)


@dataclass
class MappedColumn:
    spec: ColumnSpec
    index: int
    header: str  # as written in the file, for messages
    factor: Decimal = Decimal(1)  # 万元 per unit of this column


_BRACKETS = re.compile(r"[(\[【<《](.*?)[)\]】>》]")
# The units of an English export or template ("Total investment (100 million yuan)").
_ENGLISH_UNITS = {
    "yuan": "元",
    "10,000yuan": "万元",
    "10000yuan": "万元",
    "10kyuan": "万元",
    "100millionyuan": "亿元",
    "100myuan": "亿元",
}
_UNITS_LINE = re.compile(r"(?:金额|计量)?单位[:：]?\s*(百万元|万元|亿元|千元|元)")


def header_name(text: str) -> tuple[str, str | None]:
    """``"总投资（亿元）"`` → ``("总投资", "亿元")``; spaces, line breaks and ``*`` marks removed."""
    text = normalise(text)
    text = re.sub(r"\s+", "", text).strip("*※")
    unit = None
    percent = False
    for inner in _BRACKETS.findall(text):
        inner = _ENGLISH_UNITS.get(inner.lower().replace(" ", ""), inner)
        if "元" in inner:
            unit = inner.replace("单位:", "").replace("单位", "")
        elif "%" in inner:
            percent = True
    text = _BRACKETS.sub("", text) + ("%" if percent else "")
    if unit is None:
        for candidate in sorted(UNITS, key=len, reverse=True):
            if text.endswith(candidate) and len(text) > len(candidate):
                # "总投资万元" or "总投资/万元"; not "单位" (no 元) nor "投资额" alone.
                text, unit = text[: -len(candidate)].rstrip("/／-"), candidate
                break
    return text, unit


# ---- the ledger ------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    number: int  # the row number in Excel/WPS
    values: dict[str, object]

    def is_empty(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.values.values())


@dataclass
class Ledger:
    sheet: str
    columns: dict[str, MappedColumn]
    rows: list[LedgerRow]
    header_rows: tuple[int, ...]
    title: str = ""
    ignored_headers: list[str] = field(default_factory=list)
    skipped_rows: int = 0
    raw_rows: list[list] | None = None  # the sheet as read, for the annotated error file

    def column_label(self, key: str) -> str:
        mapped = self.columns.get(key)
        return mapped.header if mapped else ""


# ---- opening files ----------------------------------------------------------------------------


def _suffix(filename: str) -> str:
    name = (filename or "").lower()
    return name[name.rfind(".") :] if "." in name else ""


def decode_csv(content: bytes) -> str:
    """CSV text: UTF-8 (a BOM is dropped) when it decodes as such, else GB18030 (a superset of GBK)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise LedgerError(_("无法识别CSV文件的编码：请另存为UTF-8或GBK编码的CSV，或直接上传Excel文件。")) from None


def read_csv_rows(content: bytes) -> list[list]:
    text = decode_csv(content)
    if "\x00" in text:
        raise LedgerError(_("文件内容不是CSV表格。"))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def read_sheets(content: bytes, filename: str) -> list[tuple[str, list[list], list]]:
    """Every sheet as (name, rows from A1, merged ranges); a CSV is one sheet."""
    if not content:
        raise LedgerError(_("文件是空的。"))
    suffix = _suffix(filename)
    if suffix == ".csv":
        return [(filename, read_csv_rows(content), [])]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise LedgerError(
            _("不支持的文件类型“{suffix}”：请上传 .xlsx、.xls、.ods 或 .csv 文件。").format(suffix=suffix or filename)
        )
    if content.startswith(_CFB_MAGIC) and _ENCRYPTED_PACKAGE in content:
        # An encrypted .xlsx is an OLE container holding an "EncryptedPackage" stream.
        raise LedgerError(_("文件设置了打开密码：请取消密码后再上传。"))
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError:
        raise LedgerError(_("文件设置了打开密码：请取消密码后再上传。")) from None
    except Exception as error:  # calamine raises several types for damaged or foreign files
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise LedgerError(_("文件设置了打开密码：请取消密码后再上传。")) from None
        raise LedgerError(_("无法读取该文件：它不是有效的Excel或WPS表格文件，或已损坏。")) from None
    sheets = []
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            try:
                merged = sheet.merged_cell_ranges or []
            except Exception:  # merged ranges are not known for every format
                merged = []
            sheets.append((name, rows, merged))
    except python_calamine.PasswordError:
        raise LedgerError(_("文件设置了打开密码：请取消密码后再上传。")) from None
    except Exception:
        raise LedgerError(_("无法读取该文件：它不是有效的Excel或WPS表格文件，或已损坏。")) from None
    return sheets


# ---- finding the header -----------------------------------------------------------------------


def _cell_text(value) -> str:
    return to_text(value) if value is not None else ""


def _fill_merged(rows: list[list], merged: list) -> None:
    """Copy the value of a merged header cell into every cell it covers (header rows only)."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= HEADER_SEARCH_ROWS + 2 or r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and (row[c] is None or row[c] == ""):
                    row[c] = value


def _candidates(top: str, bottom: str) -> list[str]:
    if bottom and top and top != bottom:
        return [bottom, bottom + top, top + bottom, top]
    return [bottom or top]


def _map(headers: list[list[str]], specs: list[ColumnSpec]) -> tuple[dict[str, tuple[int, str, str | None]], list[str]]:
    """Map header texts to specs: ``{key: (column, header as written, unit)}`` and the unrecognised headers."""
    found: dict[str, tuple[int, str, str | None]] = {}
    ignored: list[str] = []
    for index, candidates in enumerate(headers):
        matched = False
        for written in candidates:
            name, unit = header_name(written)
            if not name:
                continue
            for spec in specs:
                if spec.key not in found and spec.matches(name):
                    found[spec.key] = (index, written.replace("\n", "").strip(), unit)
                    matched = True
                    break
            if matched:
                break
        if not matched and candidates and candidates[0]:
            name = header_name(candidates[0])[0]
            if name and name not in ("序号", "编号", "No", "No."):
                ignored.append(candidates[0].replace("\n", "").strip())
    return found, ignored


def _header_layouts(rows: list[list[str]], start: int):
    """The header as one row at ``start``, and as two rows ``start`` (groups) over ``start + 1``."""
    one = rows[start]
    yield (start,), [[c] if c else [] for c in one]
    if start + 1 < len(rows):
        top, bottom = rows[start], rows[start + 1]
        width = max(len(top), len(bottom))
        top = top + [""] * (width - len(top))
        bottom = bottom + [""] * (width - len(bottom))
        # A CSV has no merged cells: a group label stands over its first column only.
        group = ""
        filled = []
        for c in range(width):
            if top[c]:
                group = top[c]
            elif not bottom[c]:
                group = ""
            filled.append(top[c] or (group if bottom[c] else ""))
        yield (
            (start, start + 1),
            [_candidates(filled[c], bottom[c]) if (filled[c] or bottom[c]) else [] for c in range(width)],
        )


def find_header(
    text_rows: list[list[str]], specs: list[ColumnSpec]
) -> tuple[tuple[int, ...], dict[str, tuple[int, str, str | None]], list[str]] | None:
    """The best header among the first rows: the layout that recognises the most columns."""
    best = None
    best_score = (0, 0, 0)
    for start in range(min(HEADER_SEARCH_ROWS, len(text_rows))):
        if not any(text_rows[start]):
            continue
        for header_rows, headers in _header_layouts(text_rows, start):
            found, ignored = _map(headers, specs)
            required = sum(1 for s in specs if s.required and s.key in found)
            # A second header row must earn its place by recognising more columns.
            score = (required, len(found), -len(header_rows))
            if score > best_score:
                best, best_score = (header_rows, found, ignored), score
    if best is None or best_score[1] < 2:
        return None
    return best


# ---- skipping what is not data ----------------------------------------------------------------

_TOTAL = re.compile(r"^(合计|总计|小计|共计|总合计)")
_NOTE = re.compile(r"^(注|备注|说明|填表|填报|制表|审核|联系|负责人|数据来源|单位负责人|统计负责人)")
_SECTION = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")


_TOTAL_FIRST = frozenset("合总小共")


def _is_totals(texts: list[str]) -> bool:
    firsts = [t for t in texts if t][:3]
    # Most rows start with something else entirely: the regular expressions only for the others.
    return any(t.lstrip()[:1] in _TOTAL_FIRST and _TOTAL.match(re.sub(r"\s+", "", t)) for t in firsts)


def _is_note(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return 0 < len(filled) <= 2 and bool(_NOTE.match(filled[0]))


def _is_section(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return 0 < len(filled) <= 3 and bool(_SECTION.match(filled[0]))


def _is_example(texts: list[str]) -> bool:
    """The example row of a Tiaodu template (序号 "示例")."""
    filled = [t for t in texts if t]
    return bool(filled) and filled[0] in ("示例", "例", "填写示例", "Example")


def _is_repeated_header(row: list, header_texts: set[str]) -> bool:
    """The header printed again at the top of a new page."""
    return all(_cell_text(v).strip() in header_texts for v in row if v is not None and v != "")


def _is_column_numbers(texts: list[str]) -> bool:
    """The row of column numbers under a header (1 2 3 … or 甲 乙 1 2 …)."""
    filled = [t for t in texts if t]
    if len(filled) < 3:
        return False
    numbers = [t for t in filled if t not in ("甲", "乙", "丙", "丁")]
    try:
        values = [int(float(t)) for t in numbers]
    except ValueError:
        return False
    return len(values) >= 3 and values == list(range(values[0], values[0] + len(values)))


# ---- reading ----------------------------------------------------------------------------------


def read_ledger(content: bytes, filename: str, specs: list[ColumnSpec]) -> Ledger:
    """The data rows of the first sheet that has a recognisable header for these columns."""
    sheets = read_sheets(content, filename)
    required = [s for s in specs if s.required]
    best = None
    for name, rows, merged in sheets:
        if not rows:
            continue
        rows = [list(r) for r in rows]
        _fill_merged(rows, merged)
        text_rows = [[_cell_text(v).strip() for v in row] for row in rows[: HEADER_SEARCH_ROWS + 2]]
        header = find_header(text_rows, specs)
        if header is None:
            continue
        header_rows, found, ignored = header
        missing = [s for s in required if s.key not in found]
        candidate = (len(missing), -len(found), name, rows, text_rows, header_rows, found, ignored, missing)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
        if not missing:
            break
    if best is None:
        if all(not rows for _n, rows, _m in sheets):
            raise LedgerError(_("文件中没有任何数据。"))
        raise LedgerError(
            _("找不到可识别的表头：表头应包含{columns}等列。").format(
                columns="、".join(f"「{s.label}」" for s in (required or specs[:3]))
            )
        )
    _missing_count, _neg, name, rows, text_rows, header_rows, found, ignored, missing = best
    if missing:
        raise LedgerError(
            _("表头缺少必需的列：{columns}。").format(columns="、".join(f"「{s.label}」" for s in missing))
        )
    # The units line ("单位：万元") between the title and the header, or just above the header.
    default_unit = None
    title = ""
    for r in range(0, header_rows[0]):
        for text in text_rows[r]:
            if not text:
                continue
            match = _UNITS_LINE.search(normalise(text).replace(" ", ""))
            if match:
                default_unit = match.group(1)
            elif not title:
                title = text
    by_key = {s.key: s for s in specs}
    columns: dict[str, MappedColumn] = {}
    for key, (index, written, unit) in found.items():
        spec = by_key[key]
        factor = Decimal(1)
        if spec.kind == "money":
            factor = UNITS[unit or default_unit or "万元"]
        columns[key] = MappedColumn(spec=spec, index=index, header=written, factor=factor)
    data: list[LedgerRow] = []
    skipped = 0
    first = header_rows[-1] + 1
    header_texts = {t for r in header_rows for t in text_rows[r] if t}
    for r in range(first, len(rows)):
        row = rows[r]
        # The first few filled cells decide whether a row is data; only those are turned into text.
        texts, filled = [], 0
        for value in row:
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            filled += 1
            if len(texts) < 3:
                text = _cell_text(value).strip()
                if text:
                    texts.append(text)
        if not texts:
            continue
        if (
            _is_totals(texts)
            or (filled <= 2 and _is_note(texts))
            or (filled <= 3 and _is_section(texts))
            or _is_example(texts)
            or (r == first and _is_column_numbers([_cell_text(v).strip() for v in row]))
            or (texts[0] in header_texts and _is_repeated_header(row, header_texts))
        ):
            skipped += 1
            continue
        values = {}
        for key, mapped in columns.items():
            value = row[mapped.index] if mapped.index < len(row) else None
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    value = None
            values[key] = value
        data.append(LedgerRow(number=r + 1, values=values))
    return Ledger(
        sheet=name,
        columns=columns,
        rows=data,
        header_rows=tuple(r + 1 for r in header_rows),
        title=title,
        ignored_headers=ignored,
        skipped_rows=skipped,
        raw_rows=rows,
    )
