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
from tiaodu.attraction.models import Lead
from tiaodu.core.dates import local_today
from tiaodu.core.validators import validate_uscc
from tiaodu.demo import catalog
from tiaodu.demo.generator import LOGINS, PASSWORD, STAGE_TARGETS, build_plan, load_demo, summarize
from tiaodu.demo.management.commands.demo import browser_url, parse_addrport
from tiaodu.demo.reports_demo import CORRECTION_REASON, DEADLINE_DAY, RETURN_REASONS, REVIEW_DAYS, reporting_months
from tiaodu.figures.models import FigureSnapshotRow
from tiaodu.figures.selectors import FigureQuery, figures
from tiaodu.orgs.models import Official, Organisation
from tiaodu.projects.choices import KeyLevel, KeyListStatus, Nature, Stage
from tiaodu.projects.models import KeyList, KeyListEntry, Project, StageTransition
from tiaodu.regions.models import Region
from tiaodu.reports.choices import Milestone, ReportEventKind, ReportStatus
from tiaodu.reports.models import MonthLock, MonthlyReport, OpeningBalance, ReportEvent

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
    # The catalogue's projects in their intended proportions; the attraction demo then registers a
    # few more, in the planning pool, from landed leads (each linked to its lead).
    planned = {spec.name for spec in build_plan(local_today()).projects}
    counts = Counter(Project.objects.filter(name__in=planned).values_list("stage", flat=True))
    assert 380 <= sum(counts.values()) <= 420
    assert set(counts) == set(Stage.values)
    for stage, target in STAGE_TARGETS:
        assert abs(counts[stage] - target) <= max(3, target // 5), (stage, counts[stage], target)
    from_leads = Project.objects.exclude(name__in=planned)
    assert from_leads.exists() and Lead.objects.filter(project__in=from_leads).count() == from_leads.count()
    everything = Counter(Project.objects.values_list("stage", flat=True))
    assert demo.created
    assert demo.projects == sum(everything.values())
    assert demo.stage_counts == {stage: everything[stage] for stage in Stage.values}


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
    assert not MonthlyReport.objects.filter(period__gt=today).exists()
    for field in ("created_at", "updated_at", "submitted_at", "reviewed_at"):
        assert not MonthlyReport.objects.filter(**{f"{field}__gt": now}).exists(), field
    assert not MonthlyReport.history.filter(history_date__gt=now).exists()
    assert not ReportEvent.objects.filter(at__gt=now).exists()
    assert not MonthLock.objects.filter(locked_at__gt=now).exists()
    assert not OpeningBalance.objects.filter(created_at__gt=now).exists()


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
    # A third year is listed when the reporting months reach into it (before July).
    assert set(lists.values_list("year", flat=True)) == {year - 1, year} | {m.year for m in _months()}
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
        MonthlyReport.objects.count(),
        ReportEvent.objects.count(),
        MonthLock.objects.count(),
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
        MonthlyReport.objects.count(),
        ReportEvent.objects.count(),
        MonthLock.objects.count(),
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


# ---- monthly reports, reviews, locks ----------------------------------------------------------------


def _months() -> list[dt.date]:
    return reporting_months(local_today())


def _due(year: int) -> set[int]:
    return set(
        KeyListEntry.objects.filter(key_list__year=year, key_list__status=KeyListStatus.PUBLISHED).values_list(
            "project_id", flat=True
        )
    )


def _deadline(period: dt.date) -> dt.date:
    following = (period + dt.timedelta(days=32)).replace(day=1)
    return following.replace(day=DEADLINE_DAY)


def _city_admin():
    return User.objects.get(username="city_admin")


def test_at_least_18_months_of_counted_reports_for_every_due_project():
    months = _months()
    today = local_today()
    assert len(months) >= 18
    assert months[-1] == (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    counted = MonthlyReport.objects.counted()
    assert set(counted.values_list("period", flat=True).distinct()) == set(months)
    assert not MonthlyReport.objects.exclude(period__in=months).exists()
    # Every project on a published list reports every month of that year (the latest month has stragglers).
    for period in months[:-1]:
        assert set(counted.filter(period=period).values_list("project_id", flat=True)) == _due(period.year), period
    for period in months:
        reported = set(MonthlyReport.objects.filter(period=period).values_list("project_id", flat=True))
        assert reported <= _due(period.year), period  # only projects on a published list of the year


def test_report_totals_follow_the_months_and_stay_within_the_total():
    openings = {o.project_id: o for o in OpeningBalance.objects.all()}
    assert openings  # projects under way before their first month bring their ledger totals
    by_project: dict[int, list] = {}
    for report in MonthlyReport.objects.select_related("project").order_by("project_id", "period"):
        by_project.setdefault(report.project_id, []).append(report)
    for project_id, reports in by_project.items():
        opening = openings.get(project_id)
        if opening is not None:
            assert opening.period < reports[0].period
        for report in reports:
            project = report.project
            months = [r for r in reports if r.period <= report.period]
            ytd = sum((r.investment_month for r in months if r.period.year == report.period.year), Decimal(0))
            since = sum((r.investment_month for r in months), Decimal(0))
            if opening is not None:
                since += opening.since_start
                if opening.period.year == report.period.year:
                    ytd += opening.ytd
            assert (report.ytd, report.since_start) == (ytd, since), report
            assert report.since_start >= report.ytd >= 0
            assert report.since_start <= project.total_investment
            assert report.investment_month >= 0 or report.is_correction
            if report.investment_month > 0:
                end = (report.period + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
                assert project.actual_start_date and project.actual_start_date <= end, report
            if report.milestones:
                assert set(report.milestone_list) <= set(Milestone.values)


def test_reports_are_reviewed_returned_and_sometimes_late():
    months = _months()
    before_latest = MonthlyReport.objects.filter(period__in=months[:-1])
    accepted = before_latest.filter(status=ReportStatus.ACCEPTED)
    assert accepted.count() == before_latest.count()  # all earlier months went through review
    returned_then_accepted = accepted.filter(events__kind=ReportEventKind.RETURNED, is_correction=False).distinct()
    assert returned_then_accepted.count() >= 50
    reasons = set(ReportEvent.objects.filter(kind=ReportEventKind.RETURNED).values_list("comment", flat=True))
    assert reasons == set(RETURN_REASONS)
    for report in returned_then_accepted[:40]:
        kinds = list(report.events.order_by("pk").values_list("kind", flat=True))
        assert kinds[:3] == [ReportEventKind.SAVED, ReportEventKind.SUBMITTED, ReportEventKind.RETURNED]
        assert kinds[-3:] == [ReportEventKind.SAVED, ReportEventKind.SUBMITTED, ReportEventKind.ACCEPTED]
        assert not report.return_reason  # cleared on acceptance; the reason stays in the events
    late = on_time = 0
    quick = 0
    for period, submitted, reviewed in accepted.values_list("period", "submitted_at", "reviewed_at"):
        if timezone.localtime(submitted).date() > _deadline(period):
            late += 1
        else:
            on_time += 1
        quick += reviewed - submitted <= dt.timedelta(days=7)
    assert late >= 100 and on_time >= 0.8 * (late + on_time)
    assert quick >= 0.95 * (late + on_time)  # accepted within a few days


def test_the_latest_month_has_stragglers_drafts_and_reports_waiting_for_review():
    last = _months()[-1]
    due = _due(last.year)
    reports = MonthlyReport.objects.filter(period=last)
    counted = set(reports.counted().values_list("project_id", flat=True))
    not_reported = due - counted  # 本月尚未提交
    assert len(not_reported) >= 0.08 * len(due)
    if local_today().day > DEADLINE_DAY + 7:  # early in the month most have not reported yet
        assert len(not_reported) <= 0.25 * len(due)
    assert due - set(reports.values_list("project_id", flat=True))  # not even started
    assert reports.filter(status=ReportStatus.DRAFT).count() >= 3
    assert reports.filter(status=ReportStatus.RETURNED).exists()
    overdue_review = reports.filter(
        status=ReportStatus.SUBMITTED, submitted_at__lt=timezone.now() - dt.timedelta(days=REVIEW_DAYS)
    )
    assert overdue_review.count() >= 3


def test_exactly_one_report_copies_last_month():
    fields = ("investment_month", "progress_text", "progress_pct")  # what 数据与上月雷同 compares
    values = {
        (r["project_id"], r["period"]): tuple(r[f] for f in fields)
        for r in MonthlyReport.objects.values("project_id", "period", *fields)
    }
    same = [
        (project, period)
        for (project, period), value in values.items()
        if values.get((project, (period - dt.timedelta(days=1)).replace(day=1))) == value
    ]
    assert len(same) == 1
    assert same[0][1] == _months()[-1]


def test_some_projects_lag_far_behind_their_plan():
    year = _months()[-1].year - 1
    december = dt.date(year, 12, 1)
    ytd = dict(MonthlyReport.objects.filter(period=december).values_list("project_id", "ytd"))
    lagging = [
        entry
        for entry in KeyListEntry.objects.filter(
            key_list__year=year,
            key_list__status=KeyListStatus.PUBLISHED,
            project__actual_start_date__lt=dt.date(year, 1, 1),
        ).exclude(project__stage__in=[Stage.SUSPENDED, Stage.WITHDRAWN])
        if ytd.get(entry.project_id, 0) < entry.annual_plan * Decimal("0.45")
    ]
    assert len({e.project_id for e in lagging}) >= 2


def test_winter_has_much_less_investment_than_summer_and_projects_resume_in_march():
    by_month = Counter()
    for period, value in MonthlyReport.objects.counted().values_list("period", "investment_month"):
        by_month[period.month] += value
    winter = by_month[12] + by_month[1] + by_month[2]
    summer = by_month[6] + by_month[7] + by_month[8]
    assert winter < summer * Decimal("0.15")
    resumed = Counter(
        p.month
        for p in MonthlyReport.objects.filter(milestones__contains=Milestone.RESUMED).values_list("period", flat=True)
    )
    assert resumed.most_common(1)[0][0] == 3
    assert sum(resumed[m] for m in (2, 3, 4, 5)) == sum(resumed.values())
    zero_months = MonthlyReport.objects.filter(
        period__month__in=[5, 6, 7, 8, 9], investment_month=0, progress_pct__gt=0
    )
    assert zero_months.exists()  # an occasional month with nothing done


def test_every_month_but_the_last_two_is_locked_in_order_with_its_figures_kept():
    months = _months()
    city = Region.objects.get(code=catalog.CITY_CODE)
    locks = list(MonthLock.objects.filter(region=city).order_by("period"))
    assert [lock.period for lock in locks] == months[:-2]
    assert len(locks) >= 12
    assert [lock.locked_at for lock in locks] == sorted(lock.locked_at for lock in locks)
    admin = _city_admin()
    for lock in locks:
        assert lock.locked_by == admin
        entries = KeyListEntry.objects.filter(
            key_list__year=lock.period.year,
            key_list__status=KeyListStatus.PUBLISHED,
            key_list__region__path__startswith=city.path,
        )
        assert FigureSnapshotRow.objects.filter(lock=lock).count() == entries.count() > 0
        # Locked after the month's reviews were done (a correction may come later).
        last_step = (
            ReportEvent.objects.filter(report__period=lock.period)
            .exclude(kind=ReportEventKind.CORRECTED)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        assert last_step < lock.locked_at


def test_one_locked_month_corrected_so_as_locked_and_current_figures_differ():
    corrected = MonthlyReport.objects.filter(is_correction=True)
    assert 3 <= corrected.count() <= 8
    periods = set(corrected.values_list("period", flat=True))
    assert len(periods) == 1
    period = periods.pop()
    lock = MonthLock.objects.get(period=period)
    for report in corrected:
        assert report.correction_reason == CORRECTION_REASON
        event = report.events.get(kind=ReportEventKind.CORRECTED)
        assert event.at > lock.locked_at and event.comment == CORRECTION_REASON
    admin = _city_admin()
    city = Region.objects.get(code=catalog.CITY_CODE)
    as_locked = figures(admin, FigureQuery(period=period, region=city, as_of_lock=True), with_previous_year=False)
    current = figures(admin, FigureQuery(period=period, region=city), with_previous_year=False)
    locked_rate = as_locked.rates["investment_completion_rate"]
    current_rate = current.rates["investment_completion_rate"]
    assert locked_rate.denominator == current_rate.denominator
    assert locked_rate.numerator != current_rate.numerator
    assert locked_rate.rate != current_rate.rate
    # The other locked months read the same as locked and now (no correction touched their year-to-date).
    other = MonthLock.objects.exclude(period=period).filter(period__lt=period).order_by("-period").first()
    if other is not None:
        a = figures(admin, FigureQuery(period=other.period, region=city, as_of_lock=True), with_previous_year=False)
        b = figures(admin, FigureQuery(period=other.period, region=city), with_previous_year=False)
        assert {k: v.as_json() for k, v in a.rates.items()} == {k: v.as_json() for k, v in b.rates.items()}


def test_report_stamps_read_as_past_office_hours_in_order():
    tz = timezone.get_current_timezone()
    events: dict[int, list] = {}
    for report_id, at in ReportEvent.objects.order_by("report_id", "pk").values_list("report_id", "at"):
        events.setdefault(report_id, []).append(at)
    for stamps in events.values():
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    hours = Counter(timezone.localtime(at, tz).hour for stamps in events.values() for at in stamps)
    assert set(hours) <= set(range(8, 19))
    history: dict[int, list] = {}
    for report_id, at in MonthlyReport.history.order_by("id", "history_id").values_list("id", "history_date"):
        history.setdefault(report_id, []).append(at)
    reports = MonthlyReport.objects.values_list(
        "pk", "period", "status", "created_at", "updated_at", "submitted_at", "reviewed_at"
    )
    for pk, period, status, created, updated, submitted, reviewed in reports:
        assert history[pk] == events[pk]  # one history record per step, stamped alike
        assert created == events[pk][0] and updated == events[pk][-1]
        # Filled in the month's last days or after it.
        assert timezone.localtime(created, tz).date() >= period + dt.timedelta(days=20)
        if submitted:
            assert created <= submitted
        if reviewed and status == ReportStatus.SUBMITTED:
            assert reviewed < submitted  # returned, then resubmitted: waiting for its second review
        elif reviewed:
            assert submitted < reviewed
