"""Deadline warnings: a background task (and its command) warns each department once per problem and deadline."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from tiaodu.core.dates import local_today
from tiaodu.notices.models import Notice
from tiaodu.problems import services
from tiaodu.problems.choices import ProblemSource
from tiaodu.problems.tasks import check_problem_deadlines, problems_due
from tiaodu.problems.testing import category

pytestmark = pytest.mark.django_db
TODAY = local_today()


def _assigned(w, days: int):
    problem = services.problem_record(
        actor=w.admin_a,
        source=ProblemSource.MEETING,
        category=category("规划"),
        description=f"规划许可未办（{days}天）",
        project=w.project_a,
        found_on=TODAY - datetime.timedelta(days=5),
    )
    return services.problem_assign(
        actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=TODAY + datetime.timedelta(days=days)
    )


def _warnings(user):
    return Notice.objects.filter(recipient=user, kind="problem_deadline")


def test_the_task_warns_within_the_configured_days_once(problem_world, settings):
    w = problem_world
    settings.TIAODU_PROBLEM_DEADLINE_WARNING_DAYS = 3
    soon, today, later, late = _assigned(w, 2), _assigned(w, 0), _assigned(w, 4), _assigned(w, -1)
    answered = services.problem_answer(actor=w.dept_a, problem=_assigned(w, 1), answer="已办")
    assert set(problems_due(TODAY)) == {soon, today}
    result = check_problem_deadlines.call(today=TODAY.isoformat())
    assert result == {"problems": 2, "notices": 2}
    texts = sorted(_warnings(w.dept_a).values_list("text", flat=True))
    assert any("还有 2 天到期" in t for t in texts) and any("今天到期" in t for t in texts)
    assert {n.target_id for n in _warnings(w.dept_a)} == {soon.pk, today.pk}
    assert not _warnings(w.dept_a).filter(target_id__in=[later.pk, late.pk, answered.pk]).exists()
    # Run again (the next day's cron, or twice by mistake): nobody is warned twice for the same deadline.
    assert check_problem_deadlines.call(today=TODAY.isoformat())["notices"] == 0
    assert _warnings(w.dept_a).count() == 2


def test_a_new_deadline_is_warned_about_again(problem_world):
    w = problem_world
    problem = _assigned(w, 1)
    check_problem_deadlines.call(today=TODAY.isoformat())
    services.problem_assign(
        actor=w.admin_a, problem=problem, department=w.dept_a_org, deadline=TODAY + datetime.timedelta(days=2)
    )
    check_problem_deadlines.call(today=TODAY.isoformat())
    assert _warnings(w.dept_a).filter(target_id=problem.pk).count() == 2


def test_the_setting_changes_the_window(problem_world, settings):
    w = problem_world
    _assigned(w, 5)
    settings.TIAODU_PROBLEM_DEADLINE_WARNING_DAYS = 3
    assert check_problem_deadlines.call(today=TODAY.isoformat())["problems"] == 0
    settings.TIAODU_PROBLEM_DEADLINE_WARNING_DAYS = 7
    assert check_problem_deadlines.call(today=TODAY.isoformat())["problems"] == 1


def test_the_command_lists_or_queues(problem_world):
    w = problem_world
    problem = _assigned(w, 1)
    out = io.StringIO()
    call_command("problem_deadlines", "--dry-run", "--date", TODAY.isoformat(), stdout=out)
    assert problem.number in out.getvalue() and "1 problem(s)" in out.getvalue()
    assert not DBTaskResult.objects.exists() and not _warnings(w.dept_a).exists()
    call_command("problem_deadlines", stdout=io.StringIO())
    assert DBTaskResult.objects.get().task_path.endswith("check_problem_deadlines")
    with pytest.raises(CommandError):
        call_command("problem_deadlines", "--date", "2025-02-30")


def test_the_setting_is_read_from_the_environment(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import tiaodu.settings as tiaodu_settings

    monkeypatch.setenv("TIAODU_PROBLEM_DEADLINE_WARNING_DAYS", "5")
    assert importlib.reload(tiaodu_settings).TIAODU_PROBLEM_DEADLINE_WARNING_DAYS == 5
    monkeypatch.setenv("TIAODU_PROBLEM_DEADLINE_WARNING_DAYS", "soon")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(tiaodu_settings)
    monkeypatch.delenv("TIAODU_PROBLEM_DEADLINE_WARNING_DAYS")
    importlib.reload(tiaodu_settings)
