"""Cell values as clerks type them: numbers with separators or full-width digits, money in 元/万元/亿元,
dates as 2025年3月 / 2025.3 / 2025/3/15 / Excel serials, percentages as 45% or 0.45.

Each parser takes what the reader gives (``str``, ``int``, ``float``, ``bool``, ``date``, ``datetime``
or ``None``) and returns a Python value, or raises ``CellError`` with the reason in the user's words.
Money never passes through a float: a float cell is turned into its shortest decimal text first.
"""

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# How many 万元 one unit is; the storage unit is 万元 with two decimals (100 元).
UNITS: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal("1"),
    "百万元": Decimal("100"),
    "亿元": Decimal("10000"),
}
CENT = Decimal("0.01")
# A figure above 1万亿元 in one cell of a county ledger is a unit mistake, not a project.
MONEY_CEILING = Decimal("100000000")

BLANKS = {"", "-", "--", "—", "——", "/", "\\", "无", "暂无", "N/A", "n/a", "NA", "null", "None", "／"}


class CellError(ValueError):
    """A cell that cannot be read as its column needs; ``message`` is the reason, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalise(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC), outer spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return normalise(value) in BLANKS
    return False


def to_text(value) -> str:
    """A cell as text: a whole number typed in a text column (a code, a phone) loses its ``.0``; NUL dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute) != (0, 0) else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\x00", "").strip()


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def to_decimal(value) -> Decimal | None:
    """A number: ``1,234.5``, ``１２３４``, ``1 234``, an Excel number; blank or a dash is ``None``."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("应为数字"))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("应为数字"))
        return Decimal(repr(value))
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise CellError(_("应为数字，不是日期"))
    text = normalise(str(value))
    text = re.sub(r"[,\s'’]", "", text)
    if not _NUMBER.match(text):
        raise CellError(_("应为数字"))
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        raise CellError(_("应为数字")) from None


def split_unit(text: str) -> tuple[str, str | None]:
    """``"1200万元"`` → ``("1200", "万元")``: a unit typed into the cell itself."""
    for unit in sorted(UNITS, key=len, reverse=True):
        if text.endswith(unit):
            return text[: -len(unit)].strip(), unit
    return text, None


def to_money(value, factor: Decimal = Decimal(1)) -> Decimal | None:
    """Money in 万元, converted exactly from the column's unit (``factor`` 万元 per unit).

    A conversion from 元 can give more decimals than 万元 keeps (two, i.e. 100 元): those are
    rounded half up. Negative amounts and amounts above 1万亿元 are refused.
    """
    if isinstance(value, str) and not is_blank(value):
        number, unit = split_unit(normalise(value))
        if unit:
            value, factor = number, UNITS[unit]
    amount = to_decimal(value)
    if amount is None:
        return None
    amount = amount * factor
    if amount < 0:
        raise CellError(_("金额不能为负数"))
    if amount > MONEY_CEILING:
        raise CellError(_("金额超过1万亿元，请检查单位"))
    if amount.as_tuple().exponent < -2:
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return amount


def to_percent(value) -> Decimal | None:
    """A percentage 0–100: ``45%``, ``45``, or a fraction ``0.45`` (a cell formatted as percent reads so)."""
    if is_blank(value):
        return None
    fraction = False
    if isinstance(value, str):
        text = normalise(value)
        if text.endswith("%"):
            value = text[:-1]
        elif text.endswith("％"):  # pragma: no cover - NFKC already maps it
            value = text[:-1]
        else:
            fraction = True
    else:
        fraction = True
    number = to_decimal(value)
    if number is None:
        return None
    if fraction and Decimal(0) < number <= Decimal(1) and not (isinstance(value, int) and number == 1):
        number = number * 100
    if not Decimal(0) <= number <= Decimal(100):
        raise CellError(_("百分比应在0到100之间"))
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*((?P<d>\d{1,2})\s*日?)?$"),
    re.compile(r"^(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})(\s*[-./]\s*(?P<d>\d{1,2}))?\s*[日号]?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
]


def _make_date(year: int, month: int, day: int | None) -> datetime.date:
    if not 1900 <= year <= 2100:
        raise CellError(_("年份不合理"))
    if not 1 <= month <= 12:
        raise CellError(_("月份应在1到12之间"))
    try:
        return datetime.date(year, month, day or 1)
    except ValueError:
        raise CellError(_("日期不存在")) from None


def to_date(value) -> datetime.date | None:
    """A date. A month without a day (``2025年3月``, ``2025.3``, ``2025-03``) is the first of that month.

    A number is either ``2025.3`` typed as a number (year.month; ``2025.1`` is January, since Excel
    shows ``2025.10`` typed as a number as ``2025.1``: type October as ``2025.10`` text or ``2025-10``)
    or an Excel serial date (days since 1899-12-30).
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("应为日期"))
    if isinstance(value, (int, float)):
        number = float(value)
        if 1900 <= number < 2101:
            if number.is_integer():
                raise CellError(_("只有年份，应写到月，如 2025年3月"))
            return _make_date(int(number), int(repr(number).split(".")[1]), None)
        if 2101 <= number < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=int(number))
        raise CellError(_("应为日期，如 2025-03-15 或 2025年3月"))
    text = normalise(str(value))
    if text.endswith(("00:00:00", "00:00")):
        text = text.split(" ")[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            day = match.group("d") if "d" in pattern.groupindex else None
            return _make_date(int(match["y"]), int(match["m"]), int(day) if day else None)
    raise CellError(_("应为日期，如 2025-03-15 或 2025年3月"))


def to_period(value) -> datetime.date | None:
    """A reporting month: any date form above, kept as the first day of its month."""
    date = to_date(value)
    return date.replace(day=1) if date else None


def to_choice(value, choices: dict[str, str], options) -> str | None:
    """A code from a label (``新建`` → ``new``); ``choices`` maps normalised labels and aliases to codes,
    ``options`` are the labels to name in the error."""
    if is_blank(value):
        return None
    text = normalise(to_text(value)).replace(" ", "")
    if text in choices:
        return choices[text]
    raise CellError(_("应为以下之一：{options}").format(options="、".join(str(o) for o in options)))
