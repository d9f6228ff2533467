"""The demo city 长治市: loaded once for the module (inside a transaction rolled back at the end)."""

import datetime as dt
import io
import random
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tiaodu.accounts.choices import Role
from tiaodu.accounts.models import User
from tiaodu.core.dates import local_today
from tiaodu.core.validators import validate_uscc
from tiaodu.demo import catalog
from tiaodu.demo.generator import LOGINS, PASSWORD, STAGE_TARGETS, build_plan, load_demo, summarize
from tiaodu.demo.management.commands.demo import browser_url, parse_addrport
from tiaodu.orgs.models import Official, Organisation
from tiaodu.projects.choices import KeyLevel, KeyListStatus, Nature, Stage
from tiaodu.projects.models import KeyList, KeyListEntry, Project, StageTransition
from tiaodu.regions.models import Region

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once; every test runs in a savepoint inside this module's transaction."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            summary = load_demo()
            yield summary
            transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_about_400_projects_with_every_stage_in_the_intended_proportions(demo):
    counts = Counter(Project.objects.values_list("stage", flat=True))
    assert 380 <= sum(counts.values()) <= 420
    assert set(counts) == set(Stage.values)
    for stage, target in STAGE_TARGETS:
        assert abs(counts[stage] - target) <= max(3, target // 5), (stage, counts[stage], target)
    assert demo.created
    assert demo.projects == sum(counts.values())
    assert demo.stage_counts == {stage: counts[stage] for stage in Stage.values}


def test_projects_are_spread_over_all_counties_and_both_zones():
    city = Region.objects.get(code=catalog.CITY_CODE)
    per_region = Counter(Project.objects.values_list("region__code", flat=True))
    expected = {code for code, *_rest in catalog.COUNTIES + catalog.ZONES}
    assert set(per_region) == expected
    assert 30 <= per_region[catalog.HUGUAN] <= 40
    zones = Region.objects.filter(parent=city, level="zone")
    assert {(z.code, z.short_name) for z in zones} >= {("140471", "长治高新区"), ("140472", "长治经开区")}
    assert len(set(Project.objects.values_list("sector", flat=True))) >= 8
    assert set(Project.objects.values_list("nature", flat=True)) == set(Nature.values)


def test_every_project_and_organisation_passes_full_clean():
    for project in Project.objects.all():
        project.full_clean()
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        if organisation.credit_code:
            validate_uscc(organisation.credit_code)
            assert organisation.credit_code[2:8] == organisation.region.code


def test_projects_past_planning_have_a_well_formed_code_of_their_region():
    for project in Project.objects.select_related("region"):
        withdrawn_from_planning = project.stage == Stage.WITHDRAWN and project.previous_stage == Stage.PLANNING
        if project.stage != Stage.PLANNING and not withdrawn_from_planning:
            assert project.code, project
        if project.code:
            assert re.fullmatch(r"\d{4}-\d{6}-\d{2}-0[123]-\d{6}", project.code), project.code
            assert project.code[5:11] == project.region.code
    assert Project.objects.filter(stage=Stage.PLANNING, code__isnull=False).exists()


def test_no_fact_or_time_stamp_lies_in_the_future():
    today = local_today()
    now = timezone.now()
    for field in (
        "actual_start_date",
        "actual_completion_date",
        "actual_commissioning_date",
        "capacity_date",
        "stage_since",
    ):
        assert not Project.objects.filter(**{f"{field}__gt": today}).exists(), field
    assert not StageTransition.objects.filter(effective_date__gt=today).exists()
    assert not StageTransition.objects.filter(at__gt=now).exists()
    assert not Project.history.filter(history_date__gt=now).exists()
    assert not KeyListEntry.history.filter(history_date__gt=now).exists()
    assert not KeyList.objects.filter(published_at__gt=now).exists()


def test_histories_read_as_past_events_in_order():
    """Every stage move has its transition, stamped on its effective date; field history follows suit."""
    for project in Project.objects.prefetch_related("transitions"):
        transitions = sorted(project.transitions.all(), key=lambda t: t.pk)
        assert transitions[0].from_state == ""
        assert transitions[-1].to_state == project.stage
        assert [t.at for t in transitions] == sorted(t.at for t in transitions)
        for transition in transitions:
            assert timezone.localtime(transition.at).date() == transition.effective_date
        records = list(project.history.order_by("history_id").values_list("history_date", flat=True))
        assert records == sorted(records)
        assert timezone.localtime(records[0]).date() == transitions[0].effective_date
    starts = Counter(p.actual_start_date.month for p in Project.objects.exclude(actual_start_date=None))
    winter = starts[12] + starts[1] + starts[2]
    assert winter < sum(starts.values()) * 0.1  # few starts in the northern winter stop


def test_suspended_and_withdrawn_projects_say_why():
    for transition in StageTransition.objects.filter(to_state__in=[Stage.SUSPENDED, Stage.WITHDRAWN]):
        assert transition.comment.strip()


@pytest.mark.parametrize(("username", "role", "scope"), [(u, r, s) for u, _d, _desc, r, s in LOGINS])
def test_each_login_authenticates_and_holds_its_grant(username, role, scope):
    user = User.objects.get(username=username)
    assert user.display_name
    assert authenticate(username=username, password=PASSWORD) == user
    grants = list(user.grants.select_related("region", "organisation"))
    assert [g.role for g in grants] == [role]
    if role in (Role.ADMIN, Role.LEADER):
        assert grants[0].region.code == scope and grants[0].organisation is None
    else:
        assert grants[0].organisation.name == scope


def test_owner_owns_and_leader_leads_enough_projects():
    owner_org = User.objects.get(username="owner").grants.get().organisation
    assert Project.objects.filter(owner=owner_org).count() >= 6
    official = Official.objects.get(user__username="leader")
    assert Project.objects.filter(leader=official).count() >= 8


def test_lists_of_both_years_with_entries_and_one_draft():
    year = local_today().year
    lists = KeyList.objects.all()
    assert set(lists.values_list("year", flat=True)) == {year - 1, year}
    for y in (year - 1, year):
        levels = Counter(lists.filter(year=y).values_list("level", flat=True))
        assert levels[KeyLevel.PROVINCE] == 1 and levels[KeyLevel.CITY] == 1 and levels[KeyLevel.COUNTY] >= 4
        assert lists.get(year=y, level=KeyLevel.CITY).entries.count() >= 150
        assert 40 <= lists.get(year=y, level=KeyLevel.PROVINCE).entries.count() <= 80
    assert all(key_list.entries.exists() for key_list in lists)
    drafts = lists.filter(status=KeyListStatus.DRAFT)
    assert drafts.count() == 1
    draft = drafts.get()
    assert draft.year == year and draft.level == KeyLevel.COUNTY and draft.published_at is None
    assert lists.filter(region__code=catalog.HUGUAN, year=year, status=KeyListStatus.PUBLISHED).exists()
    # A project can be on the provincial and the city list of the same year.
    both = KeyListEntry.objects.filter(
        key_list__year=year,
        key_list__level=KeyLevel.PROVINCE,
        project__list_entries__key_list__year=year,
        project__list_entries__key_list__level=KeyLevel.CITY,
    )
    assert both.exists()


def test_list_entries_carry_the_nature_of_their_year_and_a_plausible_plan():
    for entry in KeyListEntry.objects.select_related("key_list", "project"):
        project, year = entry.project, entry.key_list.year
        started_before = project.actual_start_date and project.actual_start_date < dt.date(year, 1, 1)
        assert (entry.nature == Nature.CONTINUED) == bool(started_before), (entry, entry.nature)
        assert 0 < entry.annual_plan <= project.total_investment / 2
        assert entry.annual_plan == entry.annual_plan.quantize(1)
    # A project new on last year's list is continued on this year's when it has started.
    year = local_today().year
    carried = KeyListEntry.objects.filter(
        key_list__year=year,
        nature=Nature.CONTINUED,
        project__list_entries__key_list__year=year - 1,
        project__list_entries__nature=Nature.NEW,
    )
    assert carried.exists()


def test_money_is_decimal_with_at_most_two_places():
    for total in Project.objects.values_list("total_investment", flat=True):
        assert total == total.quantize(Decimal("0.01"))
        assert 1000 <= total <= 1_000_000


def test_loading_again_changes_nothing(demo):
    before = (
        Project.objects.count(),
        StageTransition.objects.count(),
        Project.history.count(),
        Organisation.objects.count(),
        User.objects.count(),
        KeyListEntry.objects.count(),
    )
    again = load_demo()
    assert not again.created
    assert again == demo == summarize()
    after = (
        Project.objects.count(),
        StageTransition.objects.count(),
        Project.history.count(),
        Organisation.objects.count(),
        User.objects.count(),
        KeyListEntry.objects.count(),
    )
    assert after == before


def test_the_plan_is_deterministic():
    today = local_today()
    first = build_plan(today)
    state = random.getstate()
    try:
        random.seed(12345)  # the global generator must not matter
        second = build_plan(today)
    finally:
        random.setstate(state)
    assert first == second
    assert build_plan(dt.date(2027, 2, 1)) == build_plan(dt.date(2027, 2, 1))


@pytest.mark.parametrize(
    "today", [dt.date(2026, 1, 1), dt.date(2026, 7, 1), dt.date(2026, 12, 31), dt.date(2030, 3, 15)]
)
def test_the_plan_keeps_facts_in_the_past_whatever_the_date(today):
    plan = build_plan(today)
    assert len(plan.projects) == sum(count for _stage, count in STAGE_TARGETS)
    for project in plan.projects:
        dates = [step.on for step in project.steps]
        assert all(day < today for day in dates)
        main = [step.on for step in project.steps if step.kind != "update"]
        assert main == sorted(main)
    for key_list in plan.lists:
        assert key_list.entries
        assert all(entry.on <= today for entry in key_list.entries)


def test_command_reports_logins_without_serving():
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "演示数据已存在" in text
    for username, *_rest in LOGINS:
        assert username in text
    assert PASSWORD in text
    assert "http://127.0.0.1:8000/" in text


@pytest.mark.parametrize("value", ["abc", "127.0.0.1:", "127.0.0.1:70000", "300.1.1.1:8000", ":8000", "[zz]:80"])
def test_bad_addrport_is_a_clear_error(value):
    with pytest.raises(CommandError, match="--addrport"):
        parse_addrport(value)


def test_addrport_shapes():
    assert parse_addrport("8000") == ("127.0.0.1", 8000)
    assert parse_addrport("0.0.0.0:8080") == ("0.0.0.0", 8080)
    assert parse_addrport("[::1]:8000") == ("[::1]", 8000)
    assert parse_addrport("localhost:9000") == ("localhost", 9000)
    assert browser_url("0.0.0.0", 8080) == "http://127.0.0.1:8080/"


def test_bad_addrport_stops_the_command_before_anything_runs():
    with pytest.raises(CommandError, match="--addrport"):
        call_command("demo", "--no-serve", "--addrport", "nope:port", stdout=io.StringIO())
