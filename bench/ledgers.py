"""Ledger import/export timing: a generated N-row key-project list and a month's report ledger.

    TIAODU_DATA_DIR=bench/out/ledgers .venv/bin/tiaodu migrate
    TIAODU_DATA_DIR=bench/out/ledgers .venv/bin/python bench/ledgers.py --rows 2000

Prints, for each kind: the file size, the time to read it (calamine + header mapping), the time to
import it (validate and write every row through the services, one transaction), the peak memory of
the process, and the time to export the same rows in the exchange layout. Not a test.
"""

import argparse
import datetime
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")

import django

django.setup()

import xlsxwriter  # noqa: E402

from tiaodu.accounts.models import User  # noqa: E402
from tiaodu.ledgers.columns import PROJECT_COLUMNS, REPORT_COLUMNS  # noqa: E402
from tiaodu.ledgers.exports import export_project_list, export_reports  # noqa: E402
from tiaodu.ledgers.importers import import_projects, import_reports  # noqa: E402
from tiaodu.ledgers.reading import read_ledger  # noqa: E402
from tiaodu.regions.models import Region  # noqa: E402

COUNTIES = [
    "潞州区",
    "上党区",
    "屯留区",
    "潞城区",
    "襄垣县",
    "平顺县",
    "黎城县",
    "壶关县",
    "长子县",
    "武乡县",
    "沁县",
    "沁源县",
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": False})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    workbook.close()
    return buffer.getvalue()


def project_rows(n: int, tag: str):
    yield ["长治市2025年市级重点项目表"]
    yield ["单位：万元"]
    yield [
        "序号",
        "项目代码",
        "项目名称",
        "所在县区",
        "建设单位",
        "行业类别",
        "建设性质",
        "总投资",
        "年度计划投资",
        "实际开工日期",
    ]
    for i in range(n):
        county = COUNTIES[i % len(COUNTIES)]
        yield [
            i + 1,
            f"2024-140400-44-01-{i:06d}",
            f"{tag}项目{i:06d}",
            county,
            f"{county}{tag}企业{i % 500:03d}有限公司",
            "产业/工业",
            "续建",
            10000 + i % 997,
            3000 + i % 101,
            "2024-04-01",
        ]


def report_rows(n: int, tag: str):
    yield ["长治市2025年7月重点项目调度表"]
    yield ["序号", "项目代码", "项目名称", "本月完成投资", "1-7月累计完成投资", "开工以来累计完成投资", "形象进度"]
    for i in range(n):
        yield [i + 1, f"2024-140400-44-01-{i:06d}", f"{tag}项目{i:06d}", 100, 700, 2000, "主体施工"]


def timed(label, func):
    start = time.perf_counter()
    value = func()
    print(f"  {label}: {time.perf_counter() - start:.2f} s (peak RSS {peak_mb():.0f} MB)")
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    user, _created = User.objects.get_or_create(username="bench-ledgers", defaults={"is_superuser": True})
    city = Region.objects.get(code="140400")
    tag = f"B{int(time.time()) % 100000}"
    n = args.rows

    content = xlsx(project_rows(n, tag))
    print(f"projects: {n} rows, {len(content) / 1e6:.1f} MB")
    timed("read", lambda: read_ledger(content, "p.xlsx", PROJECT_COLUMNS))
    result = timed(
        "import (validate + write)",
        lambda: import_projects(actor=user, content=content, filename="p.xlsx", year=2025, level="city", region=city),
    )
    print(f"  written={result.written} counts={result.counts} problems={len(result.problems)}")
    print(f"  {result.problems.lines()[:3]}")
    timed("export", lambda: export_project_list(user, year=2025, level="city", region=city))

    content = xlsx(report_rows(n, tag))
    print(f"reports: {n} rows, {len(content) / 1e6:.1f} MB")
    timed("read", lambda: read_ledger(content, "r.xlsx", REPORT_COLUMNS))
    result = timed(
        "import (validate + write)",
        lambda: import_reports(
            actor=user, content=content, filename="r.xlsx", period=datetime.date(2025, 7, 1), region=city
        ),
    )
    print(f"  written={result.written} counts={result.counts} problems={len(result.problems)}")
    print(f"  {result.problems.lines()[:3]}")
    timed("export", lambda: export_reports(user, period=datetime.date(2025, 7, 1), region=city))


if __name__ == "__main__":
    main()
