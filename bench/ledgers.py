"""Ledger import/export timing: a generated N-row key-project list and a month's report ledger.

    TIAODU_DATA_DIR=bench/out/ledgers .venv/bin/tiaodu migrate
    TIAODU_DATA_DIR=bench/out/ledgers .venv/bin/python bench/ledgers.py --rows 2000

Prints, for each kind: the file size, the time to read it (calamine + header mapping), the time to
import it (parse + validate + write, one transaction), rows/s, the peak memory of the process, and the
time to export the same rows in the exchange layout. Not a test.

With django-import-export installed (``pip install -e '.[bench]'``), the same file is also imported
into the same models by a plain ``ModelResource`` (its default settings: one save per row, history by
signal), and the ratio of the two times is printed. ``--no-compare`` skips it.
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


def project_rows(n: int, tag: str, batch: int = 1, owner_tag: str | None = None):
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
            f"2024-140400-44-{batch:02d}-{i:06d}",
            f"{tag}项目{i:06d}",
            county,
            f"{county}{owner_tag or tag}企业{i % 500:03d}有限公司",
            "产业/工业",
            "续建",
            10000 + i % 997,
            3000 + i % 101,
            "2024-04-01",
        ]


def report_rows(n: int, tag: str, batch: int = 1):
    yield ["长治市2025年7月重点项目调度表"]
    yield ["序号", "项目代码", "项目名称", "本月完成投资", "1-7月累计完成投资", "开工以来累计完成投资", "形象进度"]
    for i in range(n):
        yield [i + 1, f"2024-140400-44-{batch:02d}-{i:06d}", f"{tag}项目{i:06d}", 100, 700, 2000, "主体施工"]


PROFILER = None


ANALYZED = [False]  # --analyzed: statistics taken after the set-up, as autovacuum takes them within minutes
REFRESH = [0.0]  # seconds spent refreshing the figure rows inside the last timed import


def _timing_refresh():
    """Time the importers' refresh of the figure rows (asked for, then carried out at the end), to print it apart."""
    import tiaodu.figures.rollup as rollup
    import tiaodu.ledgers.importers as importers

    def timing(func):
        def timed_call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                REFRESH[0] += time.perf_counter() - start

        return timed_call

    importers.refresh_figures = timing(importers.refresh_figures)
    rollup.rollup_flush = timing(rollup.rollup_flush)


def timed(label, func, rows=None):
    REFRESH[0] = 0.0
    start = time.perf_counter()
    if PROFILER and label.startswith("import ("):
        value = PROFILER.runcall(func)
    else:
        value = func()
    seconds = time.perf_counter() - start
    rate = f", {rows / seconds:,.0f} rows/s" if rows else ""
    print(f"  {label}: {seconds:.2f} s{rate} (peak RSS {peak_mb():.0f} MB)")
    if REFRESH[0] >= 0.01:
        print(f"    of which refreshing the figure rows: {REFRESH[0]:.2f} s")
    timed.last = seconds
    return value


def dataset(content: bytes, skip: int):
    """The sheet as a tablib ``Dataset`` (what django-import-export imports), title rows skipped."""
    import openpyxl
    import tablib

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    for _skip in range(skip):
        next(rows)
    data = tablib.Dataset(headers=[str(h) for h in next(rows)])
    for row in rows:
        data.append(row)
    return data


def die_projects(content: bytes, city) -> None:
    """django-import-export: the same project list into ``Project`` (code as the key, region and owner by name)."""
    from import_export import fields, resources, widgets

    from tiaodu.orgs.models import Organisation
    from tiaodu.projects.models import Project

    class Choice(widgets.Widget):
        def __init__(self, mapping):
            self.mapping = mapping

        def clean(self, value, row=None, **kwargs):
            return self.mapping.get(value, value)

    class ProjectResource(resources.ModelResource):
        code = fields.Field("code", "项目代码")
        name = fields.Field("name", "项目名称")
        region = fields.Field(
            "region",
            "所在县区",
            widget=widgets.ForeignKeyWidget(Region, "name"),
        )
        owner = fields.Field("owner", "建设单位", widget=widgets.ForeignKeyWidget(Organisation, "name"))
        sector = fields.Field("sector", "行业类别", widget=Choice({"产业/工业": "industry"}))
        nature = fields.Field("nature", "建设性质", widget=Choice({"续建": "continued", "新建": "new"}))
        total_investment = fields.Field("total_investment", "总投资", widget=widgets.DecimalWidget())
        actual_start_date = fields.Field("actual_start_date", "实际开工日期", widget=widgets.DateWidget("%Y-%m-%d"))

        class Meta:
            model = Project
            import_id_fields = ("code",)
            fields = ("code", "name", "region", "owner", "sector", "nature", "total_investment", "actual_start_date")

        def before_import(self, dataset, **kwargs):
            self.fields["region"].widget.model = Region
            self.fields["region"].widget.get_queryset = lambda value, row, *a, **k: Region.objects.filter(
                path__startswith=city.path
            )

    result = ProjectResource().import_data(dataset(content, 2), raise_errors=True)
    print(f"  django-import-export: {dict(result.totals)}")


def die_reports(content: bytes, period) -> None:
    """django-import-export: the same month's ledger into ``MonthlyReport`` (project by code, one month)."""
    from import_export import fields, resources, widgets

    from tiaodu.projects.models import Project
    from tiaodu.reports.models import MonthlyReport

    class ReportResource(resources.ModelResource):
        project = fields.Field("project", "项目代码", widget=widgets.ForeignKeyWidget(Project, "code"))
        investment_month = fields.Field("investment_month", "本月完成投资", widget=widgets.DecimalWidget())
        progress_text = fields.Field("progress_text", "形象进度")

        class Meta:
            model = MonthlyReport
            import_id_fields = ("project", "period")
            fields = ("project", "period", "investment_month", "progress_text")

        def before_import_row(self, row, **kwargs):
            row["period"] = period

    data = dataset(content, 1)
    data.append_col([period] * len(data), header="period")
    result = ReportResource().import_data(data, raise_errors=True)
    print(f"  django-import-export: {dict(result.totals)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--no-compare", action="store_true", help="skip django-import-export")
    parser.add_argument(
        "--only",
        choices=["projects", "reports"],
        help="time one kind in this process (peak memory is the process's: run each kind alone to see its own)",
    )
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the imports to FILE (pstats)")
    parser.add_argument(
        "--published",
        action="store_true",
        help="publish the list before the reports (untimed): the report import then refreshes the figure rows",
    )
    parser.add_argument(
        "--analyzed",
        action="store_true",
        help="PostgreSQL: ANALYZE after the untimed set-up, as autovacuum does within minutes of a list's "
        "publication (without it the import starts on the statistics of before the list was published)",
    )
    args = parser.parse_args()
    ANALYZED[0] = args.analyzed
    try:
        import import_export  # noqa: F401
    except ImportError:
        args.no_compare = True
        print("django-import-export is not installed (pip install -e '.[bench]'): no comparison")
    _timing_refresh()
    user, _created = User.objects.get_or_create(username="bench-ledgers", defaults={"is_superuser": True})
    city = Region.objects.get(code="140400")
    tag = f"B{int(time.time()) % 100000}"
    # Each run its own project codes (the 4th part), so every run creates what it imports; the
    # comparison imports a file of the same shape under yet another batch.
    batch = 10 + int(time.time()) % 80
    n = args.rows
    if args.profile:
        import cProfile

        global PROFILER
        PROFILER = cProfile.Profile()
    if args.only == "reports":
        # The reports need their projects: imported first, untimed, in a child process so that the
        # peak memory printed is the report import's own.
        from django.db import connections

        connections.close_all()
        child = os.fork()
        if child == 0:
            import_projects(
                actor=user,
                content=xlsx(project_rows(n, tag, batch)),
                filename="p.xlsx",
                year=2025,
                level="city",
                region=city,
            )
            os._exit(0)
        os.waitpid(child, 0)
        print(f"{n} projects imported first (another process, not timed)")
    if args.only != "reports":
        time_projects(args, user, city, tag, batch, n)
    if args.only != "projects":
        if args.published:
            publish(user, city)
        time_reports(args, user, city, tag, batch, n)
    if PROFILER:
        PROFILER.dump_stats(args.profile)
        print(f"profile written to {args.profile}")


def publish(user, city) -> None:
    """The city's list published (with its figure rows), as it is when counties report on it."""
    from tiaodu.projects.models import KeyList
    from tiaodu.projects.services import key_list_publish

    key_list = KeyList.objects.get(year=2025, level="city", region=city)
    if not key_list.is_published:
        start = time.perf_counter()
        key_list_publish(key_list=key_list, actor=user)
        print(f"list published, its figure rows built: {time.perf_counter() - start:.1f} s (not counted below)")
    settle()


def settle() -> None:
    """PostgreSQL: a CHECKPOINT after the untimed set-up, so that writing out its WAL (the 600,000 figure
    rows of the list just published) does not happen during the timed import."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            if ANALYZED[0]:
                cursor.execute("ANALYZE")
            cursor.execute("CHECKPOINT")
    except DatabaseError as exc:  # a role without pg_checkpoint (bench/pg.sh grants it)
        print(f"no CHECKPOINT after the set-up: {exc}".strip())


def time_projects(args, user, city, tag, batch, n) -> None:
    content = xlsx(project_rows(n, tag, batch))
    print(f"projects: {n} rows, {len(content) / 1e6:.1f} MB")
    timed("read", lambda: read_ledger(content, "p.xlsx", PROJECT_COLUMNS))
    result = timed(
        "import (parse + validate + write)",
        lambda: import_projects(actor=user, content=content, filename="p.xlsx", year=2025, level="city", region=city),
        rows=n,
    )
    ours = timed.last
    print(f"  written={result.written} counts={result.counts} problems={len(result.problems)}")
    print(f"  {result.problems.lines()[:3]}")
    if not args.no_compare:
        timed(
            "import again, unchanged",
            lambda: import_projects(
                actor=user, content=content, filename="p.xlsx", year=2025, level="city", region=city
            ),
            rows=n,
        )
        # The same rows under other codes and names: django-import-export creates them as Tiaodu did.
        other = xlsx(project_rows(n, tag + "X", batch + 1, owner_tag=tag))  # owners Tiaodu registered
        timed("django-import-export (parse + write, all new)", lambda: die_projects(other, city), rows=n)
        print(f"  ratio django-import-export / tiaodu: {timed.last / ours:.1f}×")
    timed("export", lambda: export_project_list(user, year=2025, level="city", region=city))


def time_reports(args, user, city, tag, batch, n) -> None:
    content = xlsx(report_rows(n, tag, batch))
    print(f"reports: {n} rows, {len(content) / 1e6:.1f} MB")
    timed("read", lambda: read_ledger(content, "r.xlsx", REPORT_COLUMNS))
    result = timed(
        "import (parse + validate + write)",
        lambda: import_reports(
            actor=user, content=content, filename="r.xlsx", period=datetime.date(2025, 7, 1), region=city
        ),
        rows=n,
    )
    ours = timed.last
    print(f"  written={result.written} counts={result.counts} problems={len(result.problems)}")
    print(f"  {result.problems.lines()[:3]}")
    if not args.no_compare:
        august = datetime.date(2025, 8, 1)  # a month neither has written: both create every report
        timed(
            "django-import-export (parse + write, the same file, 2025-08)", lambda: die_reports(content, august), rows=n
        )
        print(f"  ratio django-import-export / tiaodu: {timed.last / ours:.1f}×")
    timed("export", lambda: export_reports(user, period=datetime.date(2025, 7, 1), region=city))


if __name__ == "__main__":
    main()
