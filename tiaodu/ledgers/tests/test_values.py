import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiaodu.ledgers import values as v


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234, Decimal("1234")),
        (12.5, Decimal("12.5")),
        (0.1, Decimal("0.1")),
        ("1,234.56", Decimal("1234.56")),
        ("１２３４．５", Decimal("1234.5")),
        ("１，２３４", Decimal("1234")),
        (" 12 345 ", Decimal("12345")),
        ("-", None),
        ("—", None),
        ("", None),
        (None, None),
        ("无", None),
    ],
)
def test_numbers_as_clerks_type_them(raw, expected):
    assert v.to_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["十二", "12万", "1.2.3", True, datetime.date(2025, 1, 1), "abc"])
def test_text_in_a_number_column_is_refused(raw):
    with pytest.raises(v.CellError):
        v.to_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "factor", "expected"),
    [
        (1.5, v.UNITS["亿元"], Decimal("15000.0")),
        ("2.345", v.UNITS["亿元"], Decimal("23450")),
        (12345678, v.UNITS["元"], Decimal("1234.57")),  # 1234.5678 万元, rounded half up to 100 元
        (12345, v.UNITS["元"], Decimal("1.23")),
        (125, v.UNITS["千元"], Decimal("12.5")),
        ("300万元", Decimal(1), Decimal("300")),
        ("0.3亿元", Decimal(1), Decimal("3000.0")),
        ("1,000", Decimal(1), Decimal("1000")),
    ],
)
def test_money_converts_to_wan_yuan_exactly(raw, factor, expected):
    assert v.to_money(raw, factor) == expected


def test_money_refuses_negative_and_absurd_amounts():
    with pytest.raises(v.CellError):
        v.to_money(-1)
    with pytest.raises(v.CellError, match="单位"):
        v.to_money(2_000_000, v.UNITS["亿元"])


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_yi_yuan_round_trips_exactly(amount):
    """An amount in 万元 written in 亿元 reads back as the same 万元, with no float error."""
    text_in_yi = str(amount / Decimal(10000))
    assert v.to_money(text_in_yi, v.UNITS["亿元"]) == amount


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_float_cells_give_the_decimal_shown(amount):
    """A number Excel stores as a float comes back as the decimal the clerk typed."""
    assert v.to_money(float(amount)) == amount


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators_and_full_width_digits(number):
    text = f"{number:,}"
    full_width = text.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert v.to_decimal(text) == v.to_decimal(full_width) == Decimal(number)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025年3月", datetime.date(2025, 3, 1)),
        ("2025年3月15日", datetime.date(2025, 3, 15)),
        ("2025.3", datetime.date(2025, 3, 1)),
        ("2025.10", datetime.date(2025, 10, 1)),
        ("2025.3.15", datetime.date(2025, 3, 15)),
        ("2025/3/15", datetime.date(2025, 3, 15)),
        ("2025-03", datetime.date(2025, 3, 1)),
        ("2025-03-15", datetime.date(2025, 3, 15)),
        ("20250315", datetime.date(2025, 3, 15)),
        ("２０２５年３月", datetime.date(2025, 3, 1)),
        (2025.3, datetime.date(2025, 3, 1)),
        (2025.11, datetime.date(2025, 11, 1)),
        (45731, datetime.date(2025, 3, 15)),  # Excel serial
        (45731.0, datetime.date(2025, 3, 15)),
        (datetime.datetime(2025, 3, 15, 0, 0), datetime.date(2025, 3, 15)),
        (datetime.date(2025, 3, 15), datetime.date(2025, 3, 15)),
        ("2025-03-15 00:00:00", datetime.date(2025, 3, 15)),
        (None, None),
        ("/", None),
    ],
)
def test_dates_as_ledgers_write_them(raw, expected):
    assert v.to_date(raw) == expected


@pytest.mark.parametrize("raw", ["2025年13月", "2025-02-30", "明年", "3月", 2025, "1850-01-01"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(v.CellError):
        v.to_date(raw)


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_written_form_of_a_date_reads_back(date):
    serial = (date - v.EXCEL_EPOCH).days
    for form in (
        date,
        serial,
        date.isoformat(),
        f"{date.year}/{date.month}/{date.day}",
        f"{date.year}.{date.month}.{date.day}",
        f"{date.year}年{date.month}月{date.day}日",
    ):
        assert v.to_date(form) == date, form


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("45%", Decimal("45.0")),
        (0.45, Decimal("45.0")),
        ("0.45", Decimal("45.0")),
        (45, Decimal("45.0")),
        ("１００％", Decimal("100.0")),
        (1.0, Decimal("100.0")),
        (None, None),
    ],
)
def test_percentages(raw, expected):
    assert v.to_percent(raw) == expected


def test_percent_out_of_range():
    with pytest.raises(v.CellError):
        v.to_percent("120%")


def test_text_cells():
    assert v.to_text(140427.0) == "140427"
    assert v.to_text(" 甲项目 ") == "甲项目"
    assert v.to_text(datetime.date(2025, 1, 2)) == "2025-01-02"


def test_choices_name_the_options():
    with pytest.raises(v.CellError) as error:
        v.to_choice("翻建", {"新建": "new"}, ["新建", "续建"])
    assert "新建、续建" in str(error.value)
    assert v.to_choice("新 建", {"新建": "new"}, ["新建"]) == "new"
