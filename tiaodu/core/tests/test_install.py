"""A fresh install: ``tiaodu migrate`` alone gives regions and no demo data; bad settings fail fast."""

import os
import sqlite3
import subprocess
import sys

import pytest


def _run(args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TIAODU_")}
    environment.update({"TIAODU_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tiaodu.settings"}, **env)
    return subprocess.run(
        [sys.executable, "-m", "tiaodu", *args], capture_output=True, text=True, env=environment, timeout=300
    )


def test_migrate_alone_gives_a_working_empty_install(tmp_path):
    result = _run(["migrate", "--no-input", "-v", "0"], tmp_path)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "tiaodu.sqlite3"
    with sqlite3.connect(database) as connection:
        regions = connection.execute("select count(*) from regions_region").fetchone()[0]
        projects = connection.execute("select count(*) from projects_project").fetchone()[0]
        users = connection.execute("select count(*) from accounts_user").fetchone()[0]
    assert regions > 3000 and projects == 0 and users == 0
    result = _run(
        ["createsuperuser", "--no-input", "--username", "root", "--email", "root@example.cn"],
        tmp_path,
        DJANGO_SUPERUSER_PASSWORD="a-long-password-123",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize(
    "env, words",
    [
        ({"TIAODU_DEBUG": "maybe"}, "TIAODU_DEBUG"),
        ({"TIAODU_DATABASE_URL": "nonsense://"}, "TIAODU_DATABASE_URL"),
        ({"TIAODU_SECRET_KEY": "short"}, "TIAODU_SECRET_KEY"),
        ({"TIAODU_EMAIL_PORT": "twenty-five"}, "TIAODU_EMAIL_PORT"),
    ],
)
def test_bad_settings_stop_with_the_variable_named(tmp_path, env, words):
    result = _run(["check"], tmp_path, **env)
    assert result.returncode != 0
    assert words in result.stderr
