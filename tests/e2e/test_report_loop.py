"""The monthly loop in Chromium: the owner fills and submits, the county returns it with a reason, the owner
corrects and resubmits, the county accepts, the city locks the month and corrects the report with a reason."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.core.periods import format_period, previous_period
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Stage
from tiaodu.testing import PASSWORD, OrganisationFactory, ProjectFactory, UserFactory, admin_of, region

from .conftest import screenshot_path

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = "壶关县100MW光伏发电项目"


@pytest.fixture
def month():
    """A project of 壶关县 on the published city list of the year of last month, the month being reported."""
    city, county = region("140400"), region("140427")
    org = OrganisationFactory(region=county, name="壶关县新能源科技有限公司")
    UserFactory(username="owner_e2e", grants=[(Role.OWNER, org)])
    admin_of(county, username="county_e2e")
    city_admin = admin_of(city, username="city_e2e")
    project = ProjectFactory(
        name=PROJECT, region=county, owner=org, stage=Stage.CONSTRUCTION, total_investment=Decimal("40000")
    )
    period = previous_period(local_today().replace(day=1))
    key_list = project_services.key_list_create(actor=city_admin, region=city, year=period.year, level=KeyLevel.CITY)
    project_services.key_list_add_project(
        key_list=key_list, project=project, actor=city_admin, annual_plan=Decimal("12000")
    )
    project_services.key_list_publish(key_list=key_list, actor=city_admin)
    return format_period(period)


def project_row(page):
    return page.get_by_test_id("fill-row").filter(has_text=PROJECT)


def open_report_under_review(page, live_server, period):
    page.goto(f"{live_server.url}/reports/review/?period={period}")
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)


def test_the_monthly_loop(page, live_server, login, month):
    # The owner fills the month and submits it (htmx: only the row is replaced).
    login("owner_e2e", PASSWORD)
    page.get_by_role("link", name="月度调度").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{month} 月度调度填报")
    row = project_row(page)
    expect(row.get_by_test_id("report-status")).to_contain_text("未填报")
    expect(row.get_by_test_id("report-status")).to_contain_text("本月尚未提交")
    row.get_by_label("本月完成投资（万元）").fill("1200")
    row.get_by_label("形象进度", exact=True).fill("光伏支架安装完成60%")
    row.get_by_label("形象进度（%）").fill("35")
    row.get_by_label("主体完工").check()
    row.get_by_role("button", name="提交").click()
    expect(row.get_by_test_id("saved")).to_have_text("已提交。")
    expect(row.get_by_test_id("report-status")).to_contain_text("已提交")
    expect(row.get_by_test_id("totals")).to_contain_text("自年初累计 1,200.00 万元")

    # The county sends it back with a reason; an empty reason is refused.
    login("county_e2e", PASSWORD)
    open_report_under_review(page, live_server, month)
    page.get_by_role("button", name="退回").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.get_by_label("退回原因").fill("本月投资与入统数据不一致，请核实")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_test_id("return-alert")).to_contain_text("本月投资与入统数据不一致，请核实")

    # The owner sees the reason, corrects and resubmits.
    login("owner_e2e", PASSWORD)
    page.goto(f"{live_server.url}/reports/fill/?period={month}")
    row = project_row(page)
    expect(row.get_by_test_id("return-reason")).to_contain_text("本月投资与入统数据不一致，请核实")
    row.get_by_label("本月完成投资（万元）").fill("1100")
    row.get_by_role("button", name="提交").click()
    expect(row.get_by_test_id("report-status")).to_contain_text("已提交")
    expect(row.get_by_test_id("totals")).to_contain_text("自年初累计 1,100.00 万元")

    # The county accepts it.
    login("county_e2e", PASSWORD)
    open_report_under_review(page, live_server, month)
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("已审核")

    # The city locks the month.
    login("city_e2e", PASSWORD)
    page.goto(f"{live_server.url}/reports/locks/")
    page.once("dialog", lambda dialog: dialog.accept())
    locked_row = page.locator(f'tr[data-period="{month}"]')
    locked_row.get_by_test_id("lock-button").click()
    expect(locked_row.get_by_test_id("lock-state")).to_contain_text("已锁定")

    # The city corrects the locked report with a reason; the correction shows wherever the report does.
    page.goto(f"{live_server.url}/reports/all/?period={month}")
    page.get_by_role("link", name=PROJECT).click()
    page.get_by_role("link", name="更正").click()
    page.get_by_label("本月完成投资（万元）").fill("1000")
    page.get_by_role("button", name="保存更正").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # no reason, no correction
    page.get_by_label("更正原因").fill("按统计局核定数更正")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_test_id("correction")).to_have_text("更正：按统计局核定数更正")
    expect(page.get_by_test_id("correction-alert")).to_contain_text("按统计局核定数更正")
    expect(page.get_by_test_id("investment-month")).to_have_text("1,000.00")
    expect(page.get_by_test_id("history")).to_contain_text("锁定后更正")
    page.screenshot(path=screenshot_path("report-loop"), full_page=True)

    page.goto(f"{live_server.url}/reports/all/?period={month}")
    expect(page.get_by_test_id("correction")).to_contain_text("按统计局核定数更正")
