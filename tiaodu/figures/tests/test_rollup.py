"""The current figure rows (FigureRow) stay equal to the definition (live_base) whatever the services do.

Random sequences of the writes that change what the figures count — reports filled, submitted,
returned, accepted and corrected after a lock, opening balances, stage moves, project edits, list
entries added, changed, removed and lists published — each followed by the check that every month's
rows equal ``live_base``. Refused writes (a ValidationError) must leave the rows as they were too.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiaodu.figures.models import FigureRow, FigureSnapshotRow, FigureTotal
from tiaodu.figures.rollup import rollup_deferred, rollup_differences, rollup_rebuild
from tiaodu.figures.selectors import FigureQuery, figure_base, figures, summable, sums
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Nature, Sector, Stage
from tiaodu.projects.models import KeyListEntry, Project
from tiaodu.reports import services as report_services
from tiaodu.reports.models import MonthlyReport
from tiaodu.testing import ProjectFactory, region, system_user

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025
MONTHS = [D(YEAR, m, 1) for m in range(1, 13)]
COUNTIES = ["140427", "140428"]


def _all_months_agree() -> None:
    for period in MONTHS:
        assert rollup_differences(period) == []
    # The figures added up from the sums equal those added up from the rows, with and without a level.
    actor = system_user()
    for query in (
        FigureQuery(period=D(YEAR, 4, 1), region=region("140400")),
        FigureQuery(period=D(YEAR, 9, 1), region=region(COUNTIES[0]), level=KeyLevel.CITY),
    ):
        totals = summable(actor, query)
        assert totals.model is FigureTotal
        rows = figure_base(actor, query)
        assert totals.aggregate(**sums(totals)) == rows.aggregate(**sums(rows))


def _setup():
    actor = system_user()
    city = region("140400")
    lists = {
        level: project_services.key_list_create(actor=actor, region=city, year=YEAR, level=level)
        for level in (KeyLevel.PROVINCE, KeyLevel.CITY)
    }
    projects = []
    for index in range(3):
        project = ProjectFactory(
            actor=actor,
            region=region(COUNTIES[index % 2]),
            name=f"滚动项目{index}",
            total_investment=Decimal("100000"),
            stage=Stage.CONSTRUCTION if index == 0 else Stage.PRELIMINARY,
            actual_start_date=D(YEAR, 2, 3) if index == 0 else None,
            planned_commissioning_date=D(YEAR, 10, 31),
        )
        projects.append(project)
    for project in projects[:2]:
        project_services.key_list_add_project(
            key_list=lists[KeyLevel.CITY], project=project, actor=actor, annual_plan=Decimal(1000), nature=Nature.NEW
        )
    project_services.key_list_publish(key_list=lists[KeyLevel.CITY], actor=actor)
    return actor, lists, projects


operation = st.tuples(
    st.sampled_from(
        [
            "report",
            "report",
            "submit",
            "submit",
            "accept",
            "return",
            "start",
            "commission",
            "suspend",
            "resume",
            "move_region",
            "sector",
            "add_province",
            "add_city",
            "plan",
            "remove",
            "publish_province",
            "opening",
            "lock_and_correct",
        ]
    ),
    st.sampled_from([0, 0, 1, 2]),  # which project
    st.sampled_from([3, 4, 4, 9]),  # which month
    st.integers(min_value=-50, max_value=800),  # an amount
)


def _apply(op, actor, lists, projects) -> None:
    name, which, month, amount = op
    project = Project.objects.get(pk=projects[which].pk)
    period = D(YEAR, month, 1)
    report = MonthlyReport.objects.filter(project=project, period=period).first()
    if name == "report":
        report_services.report_save(
            actor=actor,
            project=project,
            period=period,
            investment_month=Decimal(amount),
            milestones=["resumed"] if amount % 3 == 0 else [],
        )
    elif name in ("submit", "accept", "return") and report is not None:
        if name == "submit":
            report_services.report_submit(report=report, actor=actor)
        elif name == "accept":
            report_services.report_accept(report=report, actor=actor)
        else:
            report_services.report_return(report=report, actor=actor, reason="数据有误")
    elif name == "start":
        project_services.project_change_stage(
            project=project, actor=actor, to_stage=Stage.CONSTRUCTION, date=D(YEAR, month, 5)
        )
    elif name == "commission":
        project_services.project_change_stage(
            project=project, actor=actor, to_stage=Stage.OPERATING, date=D(YEAR, month, 20)
        )
    elif name == "suspend":
        project_services.project_change_stage(
            project=project, actor=actor, to_stage=Stage.SUSPENDED, date=D(YEAR, month, 25), reason="资金"
        )
    elif name == "resume" and project.stage == Stage.SUSPENDED:
        project_services.project_change_stage(
            project=project, actor=actor, to_stage=project.previous_stage, date=D(YEAR, month, 26), reason="复工"
        )
    elif name == "move_region":
        other = COUNTIES[1] if project.region.code == COUNTIES[0] else COUNTIES[0]
        project_services.project_update(project=project, actor=actor, region=region(other), reason="区划调整")
    elif name == "sector":
        sector = Sector.ENERGY if project.sector == Sector.INDUSTRY else Sector.INDUSTRY
        project_services.project_update(project=project, actor=actor, sector=sector, reason="归类")
    elif name in ("add_province", "add_city"):
        key_list = lists[KeyLevel.PROVINCE if name == "add_province" else KeyLevel.CITY]
        nature = Nature.NEW if amount % 2 else Nature.CONTINUED
        project_services.key_list_add_project(
            key_list=key_list, project=project, actor=actor, annual_plan=Decimal(abs(amount) + 1), nature=nature
        )
    elif name == "plan":
        entry = KeyListEntry.objects.filter(project=project).first()
        if entry is not None:
            project_services.key_list_update_entry(entry=entry, actor=actor, annual_plan=Decimal(abs(amount) + 7))
    elif name == "remove":
        entry = KeyListEntry.objects.filter(project=project).order_by("pk").last()
        if entry is not None:
            project_services.key_list_remove_entry(entry=entry, actor=actor, reason="调出")
    elif name == "publish_province":
        project_services.key_list_publish(key_list=lists[KeyLevel.PROVINCE], actor=actor)
    elif name == "opening":
        report_services.opening_balance_set(
            actor=actor, project=project, period=period, ytd=Decimal(abs(amount)), since_start=Decimal(abs(amount) * 2)
        )
    elif name == "lock_and_correct" and report is not None:
        report_services.month_lock(actor=actor, region=region("140400"), period=period)
        report_services.report_correct(report=report, actor=actor, reason="更正", investment_month=Decimal(amount))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_rollup_equals_the_definition_after_any_writes(operations):
    with transaction.atomic():
        actor, lists, projects = _setup()
        _all_months_agree()
        for op in operations:
            try:
                _apply(op, actor, lists, projects)
            except ValidationError:
                pass  # refused: nothing written, and the rows must still agree
            _all_months_agree()
        transaction.set_rollback(True)


def test_rows_cover_every_month_of_a_published_list_only():
    actor, lists, projects = _setup()
    assert FigureRow.objects.filter(project=projects[0]).count() == 12
    assert not FigureRow.objects.filter(project=projects[2]).exists()
    draft = lists[KeyLevel.PROVINCE]
    project_services.key_list_add_project(
        key_list=draft, project=projects[0], actor=actor, annual_plan=Decimal(500), nature=Nature.NEW
    )
    # A draft list does not count yet, and the city entry stays the one counted.
    assert set(FigureRow.objects.filter(project=projects[0]).values_list("level", "is_primary")) == {
        (KeyLevel.CITY, True)
    }
    project_services.key_list_publish(key_list=draft, actor=actor)
    assert set(FigureRow.objects.filter(project=projects[0]).values_list("level", "is_primary")) == {
        (KeyLevel.CITY, False),
        (KeyLevel.PROVINCE, True),
    }
    assert FigureRow.objects.filter(project=projects[0]).count() == 24


def test_rebuild_gives_the_rows_the_services_kept():
    actor, _lists, projects = _setup()
    report = report_services.report_save(
        actor=actor, project=projects[0], period=D(YEAR, 4, 1), investment_month=Decimal(300)
    )
    report_services.report_submit(report=report, actor=actor)
    kept = sorted(FigureRow.objects.values_list("entry", "period", "ytd", "started", "stage", "reported"))
    assert rollup_rebuild() == 24
    assert sorted(FigureRow.objects.values_list("entry", "period", "ytd", "started", "stage", "reported")) == kept
    assert (D(YEAR, 4, 1), Decimal("300.00"), True) in {(p, y, s) for _e, p, y, s, _st, _r in kept}


def test_lock_copies_the_month_rows_and_they_stay():
    actor, _lists, projects = _setup()
    report = report_services.report_save(
        actor=actor, project=projects[0], period=D(YEAR, 4, 1), investment_month=Decimal(300)
    )
    report_services.report_submit(report=report, actor=actor)
    lock = report_services.month_lock(actor=actor, region=region("140400"), period=D(YEAR, 4, 1))
    snapshot = list(
        FigureSnapshotRow.objects.filter(lock=lock).values_list("entry_id", "ytd", "reported", "is_primary")
    )
    entry = KeyListEntry.objects.get(project=projects[0])
    assert (entry.pk, Decimal("300.00"), True, True) in snapshot and len(snapshot) == 2
    report_services.report_correct(report=report, actor=actor, reason="核减", investment_month=Decimal(100))
    query = FigureQuery(period=D(YEAR, 4, 1), region=region("140400"))
    assert figures(actor, query).rates["investment_completion_rate"].numerator == Decimal("100.00")
    locked = figures(actor, FigureQuery(period=D(YEAR, 4, 1), region=region("140400"), as_of_lock=True))
    assert locked.rates["investment_completion_rate"].numerator == Decimal("300.00")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_deferred_refreshes_end_with_the_same_rows(operations):
    """A bulk load (the demo, an import) defers the refreshes to the end of its block; a lock inside it flushes."""
    with transaction.atomic():
        actor, lists, projects = _setup()
        with rollup_deferred():
            for op in operations:
                try:
                    with transaction.atomic():
                        _apply(op, actor, lists, projects)
                except ValidationError:
                    pass
        _all_months_agree()
        transaction.set_rollback(True)


def test_a_lock_inside_a_deferred_block_copies_current_rows():
    actor, _lists, projects = _setup()
    with rollup_deferred():
        report = report_services.report_save(
            actor=actor, project=projects[0], period=D(YEAR, 4, 1), investment_month=Decimal(250)
        )
        report_services.report_submit(report=report, actor=actor)
        assert FigureRow.objects.get(project=projects[0], period=D(YEAR, 4, 1)).ytd == 0  # not refreshed yet
        lock = report_services.month_lock(actor=actor, region=region("140400"), period=D(YEAR, 4, 1))
        assert FigureSnapshotRow.objects.get(lock=lock, project=projects[0]).ytd == Decimal("250.00")
    _all_months_agree()


def test_the_rollup_command_finds_and_repairs_a_stale_row(capsys):
    from django.core.management import CommandError, call_command

    _setup()
    call_command("rollup", "check", "--year", str(YEAR))
    assert "一致" in capsys.readouterr().out
    FigureRow.objects.filter(period=D(YEAR, 5, 1)).update(ytd=Decimal("99"))  # written around the services
    with pytest.raises(CommandError, match="不一致"):
        call_command("rollup", "check")
    assert "stored" in capsys.readouterr().err
    call_command("rollup", "rebuild")
    call_command("rollup", "check")
    with pytest.raises(CommandError):
        call_command("rollup", "check", "--year", "1900")


def test_the_cumulative_series_as_locked_reads_each_month_as_it_was_locked():
    from tiaodu.figures.series import investment_series

    actor, _lists, projects = _setup()
    city = region("140400")
    for month, amount in ((3, 100), (4, 250)):
        report = report_services.report_save(
            actor=actor, project=projects[0], period=D(YEAR, month, 1), investment_month=Decimal(amount)
        )
        report_services.report_submit(report=report, actor=actor)
        report_services.month_lock(actor=actor, region=city, period=D(YEAR, month, 1))
    report_services.report_correct(report=report, actor=actor, reason="核减", investment_month=Decimal(50))
    query = FigureQuery(period=D(YEAR, 5, 1), region=city)
    current = [p.ytd for p in investment_series(actor, query)["points"][:5]]
    locked = [
        p.ytd for p in investment_series(actor, FigureQuery(**{**query.__dict__, "as_of_lock": True}))["points"][:5]
    ]
    assert current == [Decimal(0), Decimal(0), Decimal(100), Decimal(150), Decimal(150)]
    assert locked == [None, None, Decimal(100), Decimal(350), None]  # May is not locked: no point


def test_later_months_follow_each_kind_of_change():
    """A refresh copies the first month's row to the later months only for a project none of whose data
    moves after it: each kind of later change (a report, an opening balance, a stage move, a start or a
    commissioning date) keeps the later months computed, and they agree with the definition."""
    actor, lists, projects = _setup()
    waiting = projects[1]
    # Under way since last year: no start date in this year to make their later months differ.
    started, quiet, opened, corrected = (
        ProjectFactory(
            actor=actor,
            region=region(COUNTIES[0]),
            name=f"去年开工项目{index}",
            total_investment=Decimal("50000"),
            stage=Stage.CONSTRUCTION,
            actual_start_date=D(YEAR - 1, 10, 8),
        )
        for index in range(4)
    )
    for project in (started, quiet, opened, corrected):
        project_services.key_list_add_project(
            key_list=lists[KeyLevel.CITY],
            project=project,
            actor=actor,
            annual_plan=Decimal(800),
            nature=Nature.CONTINUED,
        )
    _all_months_agree()
    # Reports: one in March (copied on from March), then September's and April's (computed).
    for month, amount in ((3, 100), (9, 0), (4, 50)):
        report_services.report_save_and_submit(
            actor=actor, project=started, period=D(YEAR, month, 1), investment_month=Decimal(amount)
        )
        _all_months_agree()
    # A stage move in June of a project with nothing else this year, then its return in August.
    project_services.project_change_stage(
        project=quiet, actor=actor, to_stage=Stage.SUSPENDED, date=D(YEAR, 6, 25), reason="资金"
    )
    _all_months_agree()
    quiet.refresh_from_db()
    project_services.project_change_stage(
        project=quiet, actor=actor, to_stage=Stage.CONSTRUCTION, date=D(YEAR, 8, 2), reason="复工"
    )
    _all_months_agree()
    # An opening balance in May, then an edit that refreshes the project from January.
    report_services.opening_balance_set(
        actor=actor, project=opened, period=D(YEAR, 5, 1), ytd=Decimal(300), since_start=Decimal(900)
    )
    project_services.project_update(project=opened, actor=actor, sector=Sector.ENERGY, reason="归类")
    _all_months_agree()
    # A start date corrected into July (no stage move with it), then a start in July of a waiting project.
    project_services.project_update(project=corrected, actor=actor, actual_start_date=D(YEAR, 7, 10), reason="更正")
    _all_months_agree()
    project_services.project_change_stage(project=waiting, actor=actor, to_stage=Stage.CONSTRUCTION, date=D(YEAR, 7, 5))
    _all_months_agree()
    rows = list(FigureRow.objects.filter(project=quiet, key_list=lists[KeyLevel.CITY]).order_by("period"))
    assert [r.stage for r in rows][5:8] == [Stage.SUSPENDED, Stage.SUSPENDED, Stage.CONSTRUCTION]
    rows = list(FigureRow.objects.filter(project=started).order_by("period"))
    assert [r.reported for r in rows] == [m in (3, 4, 9) for m in range(1, 13)]


def test_rows_after_the_last_change_are_updated_in_place():
    """A report recomputes its month; the later months, carried on, keep their rows (updated in place)."""
    actor, _lists, projects = _setup()
    before = dict(FigureRow.objects.filter(project=projects[0]).values_list("period", "pk"))
    report = report_services.report_save(
        actor=actor, project=projects[0], period=D(YEAR, 4, 1), investment_month=Decimal(300)
    )
    report_services.report_submit(report=report, actor=actor)
    after = dict(FigureRow.objects.filter(project=projects[0]).values_list("period", "pk"))
    # The report's month is recomputed: in place on PostgreSQL, deleted and inserted again elsewhere.
    replaced = [] if connection.vendor == "postgresql" else [D(YEAR, 4, 1)]
    assert [period for period in MONTHS if after[period] != before[period]] == replaced
    april = FigureRow.objects.get(project=projects[0], period=D(YEAR, 4, 1))
    assert (april.ytd, april.reported) == (Decimal("300.00"), True)
    assert set(
        FigureRow.objects.filter(project=projects[0], period__gt=D(YEAR, 4, 1)).values_list("ytd", "reported")
    ) == {(Decimal("300.00"), False)}
    _all_months_agree()
