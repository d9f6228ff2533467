"""The dashboard's series agree with ``figures()``: month by month, by sector, the pools, the laggards;
and a user asks only about regions in scope.

``figure_city`` (``figure_city_fixture``, imported by the other figure tests) builds a small 长治市 of 2025 through the
services: two counties, a city list and a county list, monthly reports, a 2024 list for 同比.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from tiaodu.accounts.choices import Role
from tiaodu.figures import series
from tiaodu.figures.selectors import RATES, FigureQuery, drilldown, figures
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Nature, Pool, Sector, Stage
from tiaodu.reports import services as report_services
from tiaodu.testing import OrganisationFactory, ProjectFactory, UserFactory, admin_of, region, system_user

pytestmark = pytest.mark.django_db
D = datetime.date
JULY = D(2025, 7, 1)


def report_months(project, amounts: dict[int, str], *, year=2025, milestones=None):
    actor = system_user()
    for month, amount in amounts.items():
        report = report_services.report_save(
            actor=actor,
            project=project,
            period=D(year, month, 1),
            investment_month=Decimal(amount),
            milestones=(milestones or {}).get(month, []),
        )
        report_services.report_submit(report=report, actor=actor)


@pytest.fixture(name="figure_city")
def figure_city_fixture(db):
    """长治市 with 壶关县 (A) and 长子县 (B): published 2025 lists, monthly reports, a 2024 list for 同比.

    Built here rather than on the shared ``world`` so that its numbers stay what the tests say.
    At 2025-07, with no level chosen (each project once, on its highest list):
    new projects a, a1, a2, b1 (started: a1, b1); continued a3, b2, b (resumed: a3, b2);
    planned to commission in 2025: b1, b2 (commissioned: b2).
    """
    w = SimpleNamespace()
    actor = system_user()
    w.city, w.county_a, w.county_b = region("140400"), region("140427"), region("140428")
    county_a, county_b = w.county_a, w.county_b
    w.city_admin = admin_of(w.city, username="city_admin")
    w.admin_a = admin_of(county_a, username="admin_a")
    w.admin_b = admin_of(county_b, username="admin_b")
    w.leader = UserFactory(username="leader", grants=[(Role.LEADER, w.city)])
    w.owner_org_a = OrganisationFactory(name="壶关测试新材料有限公司", region=county_a)
    w.owner_a = UserFactory(username="owner_a", grants=[(Role.OWNER, w.owner_org_a)])
    w.org_b = OrganisationFactory(name="长子县测试能源有限公司", region=county_b)
    w.project_a = ProjectFactory(name="壶关县甲项目", region=county_a, owner=w.owner_org_a, stage=Stage.PRELIMINARY)
    w.project_b = ProjectFactory(name="长子县乙项目", region=county_b, owner=w.org_b, stage=Stage.CONSTRUCTION)
    w.city_list = project_services.key_list_create(actor=actor, region=w.city, year=2025, level=KeyLevel.CITY)
    project_services.key_list_add_project(
        key_list=w.city_list, project=w.project_a, actor=actor, annual_plan=Decimal("3000")
    )
    project_services.key_list_add_project(
        key_list=w.city_list, project=w.project_b, actor=actor, annual_plan=Decimal("5000"), nature=Nature.CONTINUED
    )
    w.list_b = project_services.key_list_create(actor=actor, region=county_b, year=2025, level=KeyLevel.COUNTY)
    project_services.key_list_add_project(
        key_list=w.list_b, project=w.project_b, actor=actor, annual_plan=Decimal("5000")
    )
    w.a1 = ProjectFactory(
        name="壶关县甲一新材料项目",
        region=county_a,
        stage=Stage.CONSTRUCTION,
        actual_start_date=D(2025, 3, 10),
        sector=Sector.INDUSTRY,
    )
    w.a2 = ProjectFactory(name="壶关县甲二文旅项目", region=county_a, stage=Stage.PRELIMINARY, sector=Sector.TOURISM)
    w.a3 = ProjectFactory(
        name="壶关县甲三续建道路",
        region=county_a,
        stage=Stage.CONSTRUCTION,
        actual_start_date=D(2024, 4, 1),
        nature=Nature.CONTINUED,
        sector=Sector.INFRASTRUCTURE,
        total_investment=Decimal("30000"),
    )
    w.b1 = ProjectFactory(
        name="长子县乙一光伏项目",
        region=county_b,
        owner=w.org_b,
        stage=Stage.CONSTRUCTION,
        actual_start_date=D(2025, 2, 1),
        planned_commissioning_date=D(2025, 10, 31),
        sector=Sector.ENERGY,
    )
    w.b2 = ProjectFactory(
        name="长子县乙二续建电厂",
        region=county_b,
        owner=w.org_b,
        stage=Stage.OPERATING,
        actual_start_date=D(2023, 5, 1),
        actual_commissioning_date=D(2025, 6, 1),
        planned_commissioning_date=D(2025, 6, 30),
        nature=Nature.CONTINUED,
        sector=Sector.ENERGY,
    )
    plans = {w.a1: "3000", w.a2: "2000", w.a3: "5000", w.b1: "4000", w.b2: "1000"}
    natures = {w.a3: Nature.CONTINUED, w.b2: Nature.CONTINUED}
    for project, plan in plans.items():
        project_services.key_list_add_project(
            key_list=w.city_list,
            project=project,
            actor=actor,
            annual_plan=Decimal(plan),
            nature=natures.get(project, Nature.NEW),
        )
    # project_b is on the city list and on B's county list: it counts once, on the city list.
    project_services.key_list_publish(key_list=w.city_list, actor=actor)
    project_services.key_list_publish(key_list=w.list_b, actor=actor)
    report_months(w.a1, {3: "400", 4: "400", 5: "400", 6: "400", 7: "400"})
    report_months(w.a3, {3: "500", 4: "500"}, milestones={3: ["resumed"]})
    report_months(w.b1, {2: "1000", 4: "1500", 7: "1000"})
    report_months(w.b2, {1: "200", 5: "800"})
    report_months(w.project_b, {6: "2600"})
    # 2024: project_b was new on the city list and started in April 2024.
    list_2024 = project_services.key_list_create(actor=actor, region=w.city, year=2024, level=KeyLevel.CITY)
    project_services.key_list_add_project(
        key_list=list_2024, project=w.project_b, actor=actor, annual_plan=Decimal("6000"), nature=Nature.NEW
    )
    project_services.key_list_publish(key_list=list_2024, actor=actor)
    w.query = FigureQuery(period=JULY, region=w.city)
    return w


def test_the_fixture_is_what_its_docstring_says(figure_city):
    w = figure_city
    result = figures(w.city_admin, w.query)
    json = result.as_json()
    assert json["start_rate"] == {"numerator": 2, "denominator": 4, "rate": "50.0"}
    assert json["resumption_rate"] == {"numerator": 3, "denominator": 3, "rate": "100.0"}
    assert json["commissioning_rate"] == {"numerator": 1, "denominator": 2, "rate": "50.0"}
    # YTD: a1 2000, a3 1000, b1 3500, b2 1000, b 2600 = 10100; plans 3000+2000+5000+4000+1000+3000+5000.
    assert json["investment_completion_rate"] == {"numerator": "10100.00", "denominator": "23000.00", "rate": "43.9"}
    assert json["projects"] == 7 and json["reported"] == 2
    assert json["year_on_year"]["start_rate"] == "-50.0"


def _numbers(result) -> tuple:
    rates = {key: (value.numerator, value.denominator) for key, value in result.rates.items()}
    return rates, result.stages, result.total, result.reported


@pytest.mark.parametrize("region_code", ["140400", "140428", "140427"])
def test_a_month_and_the_year_before_read_together_are_each_read_alone(figure_city, region_code):
    """The figures page reads both months in one grouped sum; each must be what it is read alone,
    for a year before with rows (2024 in B) and without (2024 in A: all zero)."""
    w = figure_city
    query = FigureQuery(period=JULY, region=region(region_code))
    both = figures(w.city_admin, query)
    before = FigureQuery(period=datetime.date(2024, 7, 1), region=query.region)
    assert _numbers(both) == _numbers(figures(w.city_admin, query, with_previous_year=False))
    assert _numbers(both.previous_year) == _numbers(figures(w.city_admin, before, with_previous_year=False))
    assert both.previous_year.query == before
    assert (both.previous_year.total > 0) == (region_code != "140427")
    owner = figures(w.owner_a, query)  # an owner's figures add up its rows, a month at a time
    assert _numbers(owner.previous_year) == _numbers(figures(w.owner_a, before, with_previous_year=False))


def test_cumulative_investment_by_month_is_the_numerator_of_each_month(figure_city, django_assert_max_num_queries):
    w = figure_city
    with django_assert_max_num_queries(3):
        result = series.investment_series(w.city_admin, w.query)
    points = result["points"]
    assert len(points) == 12 and result["annual_plan"] == Decimal("23000")
    for point in points[:7]:
        month = figures(w.city_admin, FigureQuery(period=point.period, region=w.city), with_previous_year=False)
        assert point.ytd == month.rates["investment_completion_rate"].numerator, point.period
    assert [p.ytd for p in points[:7]] == [Decimal(v) for v in ("200", "1200", "2100", "4500", "5700", "8700", "10100")]
    assert all(p.ytd is None for p in points[7:])
    assert points[5].plan_to_date == Decimal("11500.00") and points[11].plan_to_date == Decimal("23000.00")


def test_series_follows_the_region_level_and_sector(figure_city):
    w = figure_city
    for query in (
        FigureQuery(period=JULY, region=w.county_a),
        FigureQuery(period=JULY, region=w.city, level=KeyLevel.COUNTY),
        FigureQuery(period=JULY, sector=Sector.ENERGY),
    ):
        points = series.investment_series(w.city_admin, query)["points"]
        assert points[6].ytd == figures(w.city_admin, query).rates["investment_completion_rate"].numerator


def test_sectors_add_up_to_the_figure(figure_city):
    w = figure_city
    rows = series.sector_breakdown(w.city_admin, w.query)
    total = figures(w.city_admin, w.query).rates["investment_completion_rate"]
    assert sum(r["value"].numerator for r in rows) == total.numerator
    assert sum(r["value"].denominator for r in rows) == total.denominator
    assert sum(r["projects"] for r in rows) == 7
    assert rows[0]["sector"] == Sector.INDUSTRY and rows[0]["value"].numerator == Decimal("4600")
    assert [r["value"].numerator for r in rows] == sorted((r["value"].numerator for r in rows), reverse=True)


def test_pools_count_the_main_line_stages(figure_city):
    w = figure_city
    result = figures(w.city_admin, w.query)
    pools = {item["pool"]: item["count"] for item in series.pools(result.stages)}
    assert pools == {Pool.PLANNING: 0, Pool.PRELIMINARY: 2, Pool.CONSTRUCTION: 4, Pool.OPERATING: 1}
    operating = series.drilldown_rows(w.city_admin, w.query, "pool:operating", "numerator")
    assert [row.project for row in operating] == [w.b2]


def test_lagging_projects_are_far_behind_the_year(figure_city):
    w = figure_city
    rows = list(series.lagging(w.city_admin, w.query))
    # July: 58.3% of the year elapsed; lagging below 38.3%.
    elapsed = Decimal(7) * 100 / 12
    expected = {
        row.project
        for row in drilldown(w.city_admin, w.query, "all", "numerator")
        if row.annual_plan and row.ytd * 100 / row.annual_plan < elapsed - 20
    }
    assert {row.project for row in rows} == expected == {w.a2, w.a3, w.project_a}
    assert rows[-1].project == w.a3  # 20% done: the least far behind comes last
    progress, gap = series.lagging_gap(rows[-1], JULY)
    assert (progress, gap) == (Decimal("20.0"), Decimal("38.3"))
    assert not series.lagging(w.city_admin, FigureQuery(period=D(2025, 2, 1), region=w.city)).exists()


def test_drilldown_keys_are_checked():
    assert series.parse_drilldown_key("", "") == ("all", "numerator")
    assert series.parse_drilldown_key("stage:construction", "denominator") == ("stage:construction", "denominator")
    for key in RATES:
        assert series.parse_drilldown_key(key, "numerator")[0] == key
    for key, part in [("bogus", "numerator"), ("stage:nope", "numerator"), ("pool:x", "numerator"), ("all", "x")]:
        with pytest.raises(ValidationError):
            series.parse_drilldown_key(key, part)


def test_regions_a_user_may_ask_about(figure_city):
    w = figure_city
    assert series.default_region(w.city_admin) == w.city
    assert series.default_region(w.admin_a) == w.county_a
    assert series.default_region(system_user()) is None
    assert series.default_region(w.owner_a) is None
    a_regions = set(series.figure_regions(w.admin_a).values_list("code", flat=True))
    assert "140427" in a_regions and "140400" not in a_regions and "140428" not in a_regions
    assert not series.figure_regions(w.owner_a).exists()
    assert series.figure_regions(w.city_admin).filter(code="140428").exists()
    two_counties = UserFactory(grants=[(Role.ADMIN, w.county_a), (Role.LEADER, w.county_b)])
    assert series.default_region(two_counties) is None
    assert series.last_finished_month(D(2026, 11, 23)) == D(2026, 10, 1)
    assert series.last_finished_month(D(2026, 1, 1)) == D(2025, 12, 1)


def test_region_options_offer_regions_with_listed_projects(figure_city):
    w = figure_city
    codes = [r.code for r in series.region_options(w.city_admin)]
    assert codes == ["140400", "140427", "140428"]
    assert [r.code for r in series.region_options(w.admin_a)] == ["140427"]


def test_a_meeting_agenda_proposes_the_dashboards_lagging_projects(figure_city):
    """投资进度滞后 on a dispatch meeting's proposed agenda is the figures' own list, worst first."""
    from tiaodu.dispatch.selectors import lagging_projects

    w = figure_city
    proposed = lagging_projects(w.city_admin, w.city, D(2025, 8, 12))  # a meeting in August: July's figures
    assert proposed == [row.project for row in series.lagging(w.city_admin, w.query)]
    assert set(proposed) == {w.a2, w.a3, w.project_a}
    assert lagging_projects(w.city_admin, w.city, D(2025, 2, 10)) == []  # January: nothing can lag yet
