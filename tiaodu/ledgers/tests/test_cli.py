"""``tiaodu import`` and ``tiaodu export``: the same import and files as the web, with exit statuses."""

import io
import os
import subprocess
import sys

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tiaodu.projects.models import Project
from tiaodu.reports.models import MonthlyReport

from . import builders

HEADER = ["序号", "项目名称", "所在县区", "建设单位", "行业类别", "建设性质", "总投资", "年度计划投资"]


def _run(*args):
    out = io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        raise AssertionError(out.getvalue()) from error
    return out.getvalue()


@pytest.mark.django_db
def test_import_projects_dry_run_then_write(world, tmp_path):
    path = tmp_path / "名单.xls"
    path.write_bytes(
        builders.xls(
            [
                ["长治市2025年市级重点项目"],
                HEADER,
                [1, "命令行项目", "壶关县", "命令行有限公司", "能源", "新建", 100, 50],
                [2, "命令行二号项目", "长子", "命令行有限公司", "能源", "续建", 200, 80],
            ]
        )
    )
    args = ("import", "projects", str(path), "--year", "2025", "--level", "city", "--region", "140400")
    out = _run(*args, "--user", "city_admin", "--dry-run")
    assert "新增：2" in out and "未写入" in out
    assert not Project.objects.filter(name="命令行项目").exists()
    out = _run(*args, "--user", "city_admin")
    assert "导入完成" in out
    assert Project.objects.get(name="命令行二号项目").region == world.county_b
    assert "不变：2" in _run(*args, "--user", "city_admin")


@pytest.mark.django_db
def test_region_says_whose_chengqu(db, tmp_path):
    """城区 and 郊区 exist in 阳泉市, not in 长治市 (renamed 潞州区 in 2019): --region decides."""
    from tiaodu.testing import admin_of, region

    admin_of(region("140300"), username="yangquan_admin")
    path = tmp_path / "阳泉.csv"
    path.write_bytes(
        builders.csv_bytes(
            [
                HEADER,
                [1, "城区项目", "城区", "阳泉某公司", "能源", "新建", 100, 50],
                [2, "郊区项目", "郊区", "阳泉某公司", "能源", "新建", 100, 50],
            ],
            "gbk",
        )
    )
    args = ("import", "projects", str(path), "--year", "2025", "--level", "county", "--user", "yangquan_admin")
    _run(*args, "--region", "140300")
    assert Project.objects.get(name="城区项目").region.code == "140302"
    assert Project.objects.get(name="郊区项目").region.code == "140311"
    # 阳泉's administrator cannot read a file as 长治市's.
    with pytest.raises(CommandError) as error:
        call_command(*args, "--region", "140400", stdout=io.StringIO())
    assert error.value.returncode == 2 and "长治市" in str(error.value)
    # And 长治市's administrator gets 城区 refused by name, not put somewhere else.
    admin_of(region("140400"), username="changzhi_admin")
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import",
            "projects",
            str(path),
            "--year",
            "2025",
            "--level",
            "county",
            "--user",
            "changzhi_admin",
            stdout=out,
        )
    assert error.value.returncode == 1
    assert '第2行「所在县区」"城区"：长治市下没有这个县区或开发区' in out.getvalue()


@pytest.mark.django_db
def test_file_errors_exit_1_and_print_every_error(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        builders.csv_bytes(
            [
                HEADER,
                [1, "甲", "长子县", "某公司", "能源", "新建", "abc", 1],
                [2, "乙", "火星", "某", "能源", "新建", 1, 1],
            ],
            "gbk",
        )
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import",
            "projects",
            str(path),
            "--year",
            "2025",
            "--level",
            "county",
            "--user",
            "admin_a",
            "--region",
            "140400",
            stdout=out,
        )
    assert error.value.returncode == 1
    text = out.getvalue()
    assert '第2行「总投资」"abc"：应为数字' in text
    assert '第2行「所在县区」"长子县"' in text  # out of A's scope, reported with the rest
    assert '第3行「所在县区」"火星"' in text
    assert not Project.objects.filter(name__in=["甲", "乙"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ("import", "projects", "/nonexistent.xlsx", "--year", "2025", "--level", "city", "--user", "city_admin"),
        ("import", "projects", "{file}", "--year", "2025", "--level", "city", "--user", "nobody"),
        ("import", "projects", "{file}", "--year", "2025", "--level", "city", "--user", "city_admin", "--region", "99"),
        ("import", "reports", "{file}", "--period", "2025-13", "--user", "admin_a"),
        ("import", "projects", "{file}", "--year", "2025", "--level", "city"),  # no --user, no single superuser
    ],
)
def test_usage_errors_exit_2(world, tmp_path, args):
    path = tmp_path / "a.xlsx"
    path.write_bytes(builders.xlsx([HEADER]))
    from tiaodu.accounts.models import User

    User.objects.filter(is_superuser=True).update(is_superuser=False)
    with pytest.raises(CommandError) as error:
        call_command(*[a.format(file=path) for a in args], stdout=io.StringIO())
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_import_reports(world, tmp_path):
    project = world.project_a2
    path = tmp_path / "7月.xlsx"
    path.write_bytes(
        builders.xlsx(
            [["项目代码", "项目名称", "本月完成投资", "1-7月累计完成"], [project.code, project.name, 50, 750]]
        )
    )
    out = _run("import", "reports", str(path), "--period", "2025-07", "--user", "admin_a")
    assert "新增：1" in out
    assert MonthlyReport.objects.get(project=project, period__month=7).ytd == 750


@pytest.mark.django_db
def test_export_writes_the_web_files(world, tmp_path):
    target = tmp_path / "名单.xlsx"
    _run("export", "projects", "--year", "2025", "--level", "city", "--region", "140400", "-o", str(target))
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "长治市2025年市级重点项目表"
    target = tmp_path / "6月.xlsx"
    _run("export", "reports", "--period", "2025-06", "--user", "admin_a", "-o", str(target))
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(target).active.iter_rows() for c in row)
    assert world.project_b.name not in text  # admin_a's scope
    for kind in ("reports", "leads", "enterprises", "actuals"):
        _run("export", "template", kind, "--region", "140427", "-o", str(tmp_path / f"{kind}.xlsx"))
        assert openpyxl.load_workbook(tmp_path / f"{kind}.xlsx").active["A1"].value.endswith("（导入模板）")
    with pytest.raises(CommandError) as error:
        call_command("export", "projects", "--year", "2025", "--level", "city", "-o", str(tmp_path / "x.txt"))
    assert error.value.returncode == 2


def test_the_console_script_exits_2_on_a_bad_command_line(tmp_path):
    env = {**os.environ, "TIAODU_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tiaodu", "import", "projects", "x.xlsx", "--level", "nowhere"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert b"--level" in result.stderr
