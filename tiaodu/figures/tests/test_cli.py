"""``tiaodu figures``: one JSON object or a readable Chinese table; bad arguments exit 2 with a message."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tiaodu.figures.selectors import FigureQuery, figures
from tiaodu.reports import services as report_services

from .test_series import JULY, figure_city_fixture  # noqa: F401  (the fixture figure_city)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def run(*args) -> str:
    out = io.StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_json_is_one_object_with_the_four_rates_and_the_stages(figure_city):
    body = json.loads(run("--period", "2025-07", "--json"))
    assert body["start_rate"] == {"numerator": 2, "denominator": 4, "rate": "50.0"}
    assert body["resumption_rate"] == {"numerator": 3, "denominator": 3, "rate": "100.0"}
    assert body["investment_completion_rate"] == {"numerator": "10100.00", "denominator": "23000.00", "rate": "43.9"}
    assert body["commissioning_rate"] == {"numerator": 1, "denominator": 2, "rate": "50.0"}
    assert body["stages"] == {
        "planning": 0,
        "preliminary": 2,
        "construction": 4,
        "operating": 1,
        "capacity": 0,
        "suspended": 0,
        "withdrawn": 0,
    }
    assert body["region"] is None and body["as_of"] == "current" and body["projects"] == 7


def test_region_level_sector_and_user(figure_city):
    w = figure_city
    county = json.loads(run("--period", "2025-07", "--region", "140428", "--json"))
    assert county == figures(w.city_admin, FigureQuery(period=JULY, region=w.county_b)).as_json()
    county_list = json.loads(run("--period", "2025-07", "--level", "county", "--json"))
    assert county_list["projects"] == 1  # project_b, on B's county list (a level chosen: that list as it is)
    assert json.loads(run("--period", "2025-07", "--level", "city", "--json"))["projects"] == 7
    energy = json.loads(run("--period", "2025-07", "--sector", "energy", "--json"))
    assert energy["projects"] == 2 and energy["investment_completion_rate"]["numerator"] == "4500.00"
    as_b = json.loads(run("--period", "2025-07", "--user", "admin_b", "--json"))
    assert as_b == figures(w.admin_b, FigureQuery(period=JULY, region=w.county_b)).as_json()


def test_as_of_lock(figure_city):
    w = figure_city
    with pytest.raises(CommandError) as refused:
        run("--period", "2025-07", "--as-of-lock")
    assert refused.value.returncode == 2 and "尚未锁定" in str(refused.value)
    report_services.month_lock(actor=w.city_admin, region=w.city, period="2025-07")
    body = json.loads(run("--period", "2025-07", "--as-of-lock", "--json"))
    assert body["as_of"] == "lock" and body["locked_at"] and body["start_rate"]["numerator"] == 2
    assert "锁定时数据" in run("--period", "2025-07", "--as-of-lock", "--region", "140400")


def test_readable_table(figure_city):
    text = run("--period", "2025-07", "--region", "140400")
    assert "长治市 2025-07 重点项目调度指标（当前数据）" in text
    lines = text.splitlines()
    start = next(line for line in lines if line.startswith("开工率"))
    assert "2" in start and "4" in start and "50.0%" in start and "-50.0个百分点" in start
    investment = next(line for line in lines if line.startswith("投资完成率"))
    assert "10,100.00万元（1.01亿元）" in investment and "23,000.00万元（2.30亿元）" in investment
    assert "名单项目 7 个，本月已报 2 个。" in text and "在建 4" in text


@pytest.mark.parametrize(
    "args, words",
    [
        (["--period", "2025-13"], "月份“2025-13”不存在"),
        (["--period", "sometime"], "月份应写作“年-月”"),
        (["--region", "999999"], "区划代码“999999”不存在"),
        (["--level", "town"], "重点级别“town”无效"),
        (["--sector", "mining"], "行业类别“mining”无效"),
        (["--user", "nobody"], "用户“nobody”不存在"),
    ],
)
def test_bad_arguments_are_a_clear_error_with_status_2(args, words):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2 and words in str(error.value)


def test_a_users_region_outside_scope_is_unknown(figure_city):
    with pytest.raises(CommandError) as error:
        run("--period", "2025-07", "--user", "admin_a", "--region", "140428")
    assert error.value.returncode == 2 and "长子" not in str(error.value)


def test_exit_status_and_stderr_from_the_command_line(tmp_path):
    env = {**os.environ, "TIAODU_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    command = [sys.executable, "-m", "tiaodu", "figures", "--period", "2025-13"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "月份“2025-13”不存在" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
