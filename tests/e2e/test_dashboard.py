"""The leaders' dashboard in Chromium: the charts render, a bar opens its drill-down, and it reads on a phone."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tiaodu.accounts.choices import Role
from tiaodu.figures.series import last_finished_month
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Nature, Sector, Stage
from tiaodu.reports import services as report_services
from tiaodu.testing import PASSWORD, ProjectFactory, UserFactory, region, system_user

from .conftest import screenshot_path

pytestmark = pytest.mark.django_db(transaction=True)

# (county, name, sector, nature, annual plan, monthly investment or None if not started)
PROJECTS = [
    ("140427", "壶关县高端装备产业园", Sector.INDUSTRY, Nature.NEW, 12000, 900),
    ("140427", "壶关县太行山旅游公路", Sector.INFRASTRUCTURE, Nature.CONTINUED, 8000, 300),
    ("140428", "长子县光伏发电项目", Sector.ENERGY, Nature.NEW, 20000, 1800),
    ("140428", "长子县现代农业示范区", Sector.AGRICULTURE, Nature.NEW, 5000, None),
    ("140403", "潞州区人民医院新院区", Sector.SOCIAL, Nature.CONTINUED, 15000, 1200),
    ("140403", "潞州区智慧物流园", Sector.SERVICES, Nature.NEW, 6000, 350),
    ("140429", "武乡县红色文旅综合体", Sector.TOURISM, Nature.NEW, 4000, 100),
]


@pytest.fixture
def city():
    """长治市's list of the dashboard's default year, reported month by month up to the last finished month."""
    actor = system_user()
    period = last_finished_month()
    year = period.year
    key_list = project_services.key_list_create(actor=actor, region=region("140400"), year=year, level=KeyLevel.CITY)
    for county, name, sector, nature, plan, monthly in PROJECTS:
        started = monthly is not None
        project = ProjectFactory(
            name=name,
            region=region(county),
            sector=sector,
            nature=nature,
            total_investment=Decimal(plan * 3),
            stage=Stage.CONSTRUCTION if started else Stage.PRELIMINARY,
            actual_start_date=datetime.date(year, 1, 5) if started else None,
        )
        project_services.key_list_add_project(
            key_list=key_list, project=project, actor=actor, annual_plan=Decimal(plan), nature=nature
        )
        for month in range(1, period.month + 1) if started else ():
            report = report_services.report_save(
                actor=actor,
                project=project,
                period=datetime.date(year, month, 1),
                investment_month=Decimal(monthly),
                milestones=["resumed"] if month == 1 and nature == Nature.CONTINUED else [],
            )
            report_services.report_submit(report=report, actor=actor)
    project_services.key_list_publish(key_list=key_list, actor=actor)
    UserFactory(username="leader_e2e", display_name="王市长", grants=[(Role.LEADER, region("140400"))])
    return period


def chart_ready(page, testid: str):
    chart = page.get_by_test_id(testid)
    expect(chart.locator("canvas")).to_have_count(1)
    page.wait_for_function(
        "id => { const c = echarts.getInstanceByDom(document.getElementById(id)); return c && !c.isDisposed(); }",
        arg=f"chart-{testid.split('-', 1)[1]}",
    )
    return chart


def test_leader_reads_the_dashboard_and_clicks_through_to_the_rows(page, live_server, login, city):
    login("leader_e2e", PASSWORD)
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_test_id("page-title")).to_contain_text("长治市 重点项目驾驶舱")
    for testid in ("chart-investment", "chart-ranking", "chart-funnel", "chart-sectors"):
        chart_ready(page, testid)
    expect(page.get_by_test_id("rate-start_rate").get_by_test_id("numerator")).to_have_text("4")
    expect(page.get_by_test_id("rate-start_rate").get_by_test_id("denominator")).to_have_text("5")
    expect(page.get_by_test_id("total")).to_have_text("7")
    expect(page.get_by_test_id("lagging")).to_contain_text("长子县现代农业示范区")

    # Click the first bar of the ranking: the county with the highest investment completion rate.
    page.wait_for_timeout(600)  # let the bars finish growing
    ranking = page.locator("#chart-ranking")
    ranking.scroll_into_view_if_needed()
    point = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById("chart-ranking"));
            const value = chart.getOption().series[0].data[0];
            return chart.convertToPixel({seriesIndex: 0}, [value / 2, 0]);
        }"""
    )
    box = ranking.bounding_box()
    first = page.evaluate("() => JSON.parse(document.getElementById('chart-data').textContent).ranking.labels[0]")
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_url("**/figures/drilldown/**")
    expect(page.get_by_test_id("drilldown-heading")).to_contain_text("投资完成率 分子：自年初累计完成投资")
    expect(page.locator("table")).to_contain_text(first)
    assert "region=" in page.url and "rate=investment_completion_rate" in page.url
    page.screenshot(path=screenshot_path("dashboard-drilldown"), full_page=True)

    # Back on the dashboard, a segment of the funnel opens the construction pool.
    page.go_back()
    chart_ready(page, "chart-funnel")
    page.wait_for_timeout(600)
    page.locator("#chart-funnel").scroll_into_view_if_needed()
    funnel = page.locator("#chart-funnel").bounding_box()
    # The third of four segments (建设库) sits a little below the middle of the chart.
    page.mouse.click(funnel["x"] + funnel["width"] / 2, funnel["y"] + funnel["height"] * 0.62)
    page.wait_for_url("**/figures/drilldown/**")
    expect(page.get_by_test_id("drilldown-heading")).to_contain_text("建设库项目 6 个")

    # The figures page: the rates, and the ranking of each rate in its own tab, every cell a link.
    page.get_by_role("link", name="调度指标").click()
    expect(page.get_by_test_id("rate-start_rate").get_by_test_id("rate")).to_have_text("80.0%")
    page.get_by_role("tab", name="投资完成率").click()
    ranking = page.get_by_test_id("ranking-investment_completion_rate")
    expect(ranking.locator("tbody tr")).to_have_count(4)
    expect(ranking).to_be_visible()
    page.wait_for_timeout(300)  # the tab's fade
    page.screenshot(path=screenshot_path("figures"), full_page=True)
    ranking.locator("tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_test_id("drilldown-heading")).to_contain_text("投资完成率 分子")


def test_dashboard_reads_on_a_phone(page, live_server, login, city):
    page.set_viewport_size({"width": 390, "height": 844})
    login("leader_e2e", PASSWORD)
    page.goto(live_server.url + "/dashboard/")
    for testid in ("chart-investment", "chart-ranking", "chart-funnel", "chart-sectors"):
        chart_ready(page, testid)
    page.wait_for_timeout(800)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    # Two rate cards side by side, each fully on screen.
    first = page.get_by_test_id("rate-start_rate").bounding_box()
    second = page.get_by_test_id("rate-resumption_rate").bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] + second["width"] <= 390
    canvas = page.locator("#chart-investment canvas").bounding_box()
    assert 300 <= canvas["width"] <= 390
    page.screenshot(path=screenshot_path("dashboard"), full_page=True)
