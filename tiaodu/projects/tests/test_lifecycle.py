"""The four pools: every move needs its dated fact, is attributed and kept; bad moves write nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tiaodu.core.dates import local_today
from tiaodu.projects import services
from tiaodu.projects.choices import Pool, Stage
from tiaodu.projects.models import Project, StageTransition
from tiaodu.projects.selectors import project_history
from tiaodu.testing import ProjectFactory, admin_of, region

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def admin():
    return admin_of(region("140427"))


def move(project, actor, to_stage, date, **kwargs):
    return services.project_change_stage(project=project, actor=actor, to_stage=to_stage, date=date, **kwargs)


def test_full_main_line_with_facts(admin):
    project = ProjectFactory(actor=admin, code=None)
    assert project.stage == Stage.PLANNING and project.pool == Pool.PLANNING
    move(project, admin, Stage.PRELIMINARY, D(2024, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        move(project, admin, Stage.CONSTRUCTION, D(2024, 5, 8))
    assert "code" in excinfo.value.error_dict  # no code yet: 在建 needs 赋码
    move(project, admin, Stage.CONSTRUCTION, D(2024, 5, 8), code="2024-140427-44-01-000123")
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION and project.actual_start_date == D(2024, 5, 8)
    assert project.pool == Pool.CONSTRUCTION
    move(project, admin, Stage.OPERATING, D(2025, 9, 30))
    move(project, admin, Stage.CAPACITY, D(2026, 3, 1))
    project.refresh_from_db()
    assert (project.actual_commissioning_date, project.capacity_date) == (D(2025, 9, 30), D(2026, 3, 1))
    assert project.pool == Pool.OPERATING
    moves = list(project.transitions.order_by("at", "pk").values_list("from_state", "to_state", "effective_date"))
    assert moves == [
        ("", Stage.PLANNING, project.transitions.order_by("at", "pk").first().effective_date),
        (Stage.PLANNING, Stage.PRELIMINARY, D(2024, 3, 1)),
        (Stage.PRELIMINARY, Stage.CONSTRUCTION, D(2024, 5, 8)),
        (Stage.CONSTRUCTION, Stage.OPERATING, D(2025, 9, 30)),
        (Stage.OPERATING, Stage.CAPACITY, D(2026, 3, 1)),
    ]
    assert all(t.actor == admin for t in project.transitions.all())


def test_history_shows_field_changes_and_stage_moves_with_who_and_why(admin):
    project = ProjectFactory(actor=admin, stage=Stage.PRELIMINARY)
    services.project_update(
        project=project, actor=admin, reason="核减投资", total_investment=project.total_investment - 1
    )
    move(project, admin, Stage.CONSTRUCTION, D(2024, 6, 1), reason="主体工程开工")
    items = project_history(project)
    stage_items = [i for i in items if i.kind == "stage"]
    assert stage_items[0].title == "前期 → 在建" and stage_items[0].reason == "主体工程开工"
    assert stage_items[0].effective_date == D(2024, 6, 1)
    edits = [i for i in items if i.kind == "changed"]
    investment_edit = next(i for i in edits if any(c.label == "总投资（万元）" for c in i.changes))
    assert investment_edit.reason == "核减投资" and investment_edit.actor == str(admin)
    change = next(c for c in investment_edit.changes if c.label == "总投资（万元）")
    assert change.old == "10000.00" and change.new == "9999.00"
    start = next(c for e in edits for c in e.changes if c.label == "实际开工日期")
    assert start.old == "—" and start.new == "2024-06-01"


@pytest.mark.parametrize(
    "stage, target",
    [
        (Stage.PLANNING, Stage.OPERATING),
        (Stage.PLANNING, Stage.SUSPENDED),
        (Stage.PRELIMINARY, Stage.PLANNING),
        (Stage.CONSTRUCTION, Stage.PRELIMINARY),
        (Stage.CONSTRUCTION, Stage.CAPACITY),
        (Stage.CAPACITY, Stage.WITHDRAWN),
        (Stage.CONSTRUCTION, "bogus"),
    ],
)
def test_moves_outside_the_state_machine_are_refused(admin, stage, target):
    project = ProjectFactory(actor=admin, stage=stage)
    before = StageTransition.objects.count(), Project.history.count()
    with pytest.raises(ValidationError) as excinfo:
        move(project, admin, target, D(2025, 1, 5), reason="x")
    assert "to_stage" in excinfo.value.error_dict
    assert (StageTransition.objects.count(), Project.history.count()) == before


def test_future_date_and_date_before_current_stage_are_refused(admin):
    project = ProjectFactory(actor=admin, stage=Stage.PRELIMINARY, stage_since=D(2024, 3, 1))
    tomorrow = local_today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        move(project, admin, Stage.CONSTRUCTION, tomorrow)
    assert "不能晚于今天" in excinfo.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as excinfo:
        move(project, admin, Stage.CONSTRUCTION, D(2024, 2, 1))
    assert "不能早于" in excinfo.value.message_dict["date"][0]
    project.refresh_from_db()
    assert project.stage == Stage.PRELIMINARY and project.actual_start_date is None


def test_suspend_and_withdraw_need_a_reason_and_resume_returns_to_the_stage_left(admin):
    project = ProjectFactory(actor=admin, stage=Stage.CONSTRUCTION)
    with pytest.raises(ValidationError) as excinfo:
        move(project, admin, Stage.SUSPENDED, D(2025, 1, 10), reason="  ")
    assert "reason" in excinfo.value.error_dict
    move(project, admin, Stage.SUSPENDED, D(2025, 1, 10), reason="资金链断裂")
    project.refresh_from_db()
    assert project.stage == Stage.SUSPENDED and project.previous_stage == Stage.CONSTRUCTION
    assert project.pool == Pool.CONSTRUCTION  # a suspended project stays in its pool
    assert services.allowed_targets(project) == [Stage.CONSTRUCTION, Stage.WITHDRAWN]
    move(project, admin, Stage.CONSTRUCTION, D(2025, 4, 1), reason="资金到位，复工")
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION and project.previous_stage == ""
    assert project.actual_start_date == D(2024, 4, 1)  # resuming keeps the original start date
    move(project, admin, Stage.WITHDRAWN, D(2025, 5, 1), reason="市场变化，业主放弃")
    project.refresh_from_db()
    assert project.stage == Stage.WITHDRAWN and project.pool is None
    assert project.transitions.get(to_state=Stage.WITHDRAWN).comment == "市场变化，业主放弃"


def test_registering_in_construction_needs_the_start_date(admin):
    with pytest.raises(ValidationError) as excinfo:
        services.project_create(
            actor=admin,
            stage=Stage.CONSTRUCTION,
            name="续建项目",
            region=region("140427"),
            owner=ProjectFactory(actor=admin).owner,
            sector="energy",
            nature="continued",
            total_investment=100,
            code="2023-140427-44-01-000001",
        )
    assert "actual_start_date" in excinfo.value.error_dict
    assert not Project.objects.filter(name="续建项目").exists()


def test_database_refuses_a_construction_project_without_start_date(admin):
    from django.db import IntegrityError, transaction

    project = ProjectFactory(actor=admin, stage=Stage.CONSTRUCTION)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(actual_start_date=None)
