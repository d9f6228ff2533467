"""Whatever a clerk types, an import answers with problems or a plan: never an exception, never a write."""

import datetime

import pytest
from django.apps import apps
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tiaodu.ledgers.importers import import_projects, import_reports
from tiaodu.projects.choices import KeyLevel

from . import builders

cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["壶关县", "长子县", "新建", "续建", "能源", "合计", "—", "45%", "2025年3月", "1,000", "１２３"]),
    st.integers(min_value=-(10**6), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)),
)
PROJECT_HEADER = [
    "项目代码",
    "项目名称",
    "所在县区",
    "建设单位",
    "行业类别",
    "建设性质",
    "总投资",
    "年度计划投资",
    "计划开工日期",
]
REPORT_HEADER = ["项目代码", "项目名称", "本月完成投资", "1-7月累计完成投资", "开工以来累计完成投资", "形象进度（%）"]


def _counts():
    return {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"projects", "orgs", "reports"}
    }


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(cells, min_size=6, max_size=9), min_size=1, max_size=6), fmt=st.sampled_from(["xlsx", "csv"])
)
@example(rows=[[None, "\x00", None, None, None, None]], fmt="xlsx")  # PostgreSQL refused the name lookup
@example(rows=[["\x00甲", "壶关县", "\x00", None, None, None]], fmt="csv")
def test_random_ledgers_never_raise(world, rows, fmt):
    before = _counts()
    for header, run in (
        (
            PROJECT_HEADER,
            lambda c, n: import_projects(
                actor=world.admin_a, content=c, filename=n, year=2025, level=KeyLevel.COUNTY, dry_run=True
            ),
        ),
        (
            REPORT_HEADER,
            lambda c, n: import_reports(
                actor=world.admin_a, content=c, filename=n, period=datetime.date(2025, 7, 1), dry_run=True
            ),
        ),
    ):
        if fmt == "xlsx":
            content, name = builders.xlsx([header, *rows]), "a.xlsx"
        else:
            text_rows = [["" if v is None else str(v) for v in row] for row in rows]
            content, name = (
                builders.csv_bytes([header, *text_rows], "gbk", False)
                if _gbk_ok(text_rows)
                else builders.csv_bytes([header, *text_rows]),
                "a.csv",
            )
        result = run(content, name)
        assert not result.written
        for line in result.problems.lines():
            assert isinstance(line, str) and line
    assert _counts() == before


def _gbk_ok(rows) -> bool:
    try:
        "".join("".join(r) for r in rows).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True
