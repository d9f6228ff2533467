"""The registry journey in Chromium: log in, filter the list, open a project, start it, read its history."""

import datetime

import pytest
from playwright.sync_api import expect

from tiaodu.core.dates import local_today
from tiaodu.projects.choices import Sector, Stage
from tiaodu.testing import PASSWORD, ProjectFactory, admin_of, region

from .conftest import screenshot_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry():
    admin = admin_of(region("140400"), username="city_admin_e2e")
    ProjectFactory(
        actor=admin,
        name="长治市光伏组件扩产项目",
        sector=Sector.ENERGY,
        region=region("140427"),
        stage=Stage.PRELIMINARY,
        stage_since=datetime.date(2025, 2, 1),
    )
    ProjectFactory(actor=admin, name="长治市第二人民医院新院区", sector=Sector.SOCIAL, region=region("140428"))
    for n in range(5):
        ProjectFactory(actor=admin, name=f"其他产业项目{n}", sector=Sector.INDUSTRY, region=region("140403"))
    return admin


def test_city_admin_filters_opens_starts_a_project_and_sees_its_history(page, live_server, login, registry):
    login("city_admin_e2e", PASSWORD)
    page.get_by_role("link", name="项目库").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("共 7 条")

    filters = page.get_by_test_id("filters")
    filters.get_by_role("button", name="行业类别").click()
    filters.get_by_label("能源", exact=True).check()
    filters.get_by_label("搜索").fill("光伏")
    filters.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 条")
    page.get_by_role("link", name="长治市光伏组件扩产项目").click()

    expect(page.get_by_test_id("stage")).to_have_text("前期")
    page.get_by_role("link", name="转入“在建”").click()
    page.get_by_label("实际开工日期").fill("2025-04-16")
    page.get_by_label("说明").fill("主体工程开工")
    page.get_by_role("button", name="确认").click()

    expect(page.get_by_test_id("stage")).to_have_text("在建")
    expect(page.get_by_test_id("actual-dates")).to_contain_text("2025-04-16")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("前期 → 在建")
    expect(history).to_contain_text("主体工程开工")
    expect(history).to_contain_text("city_admin_e2e")
    expect(history).to_contain_text("实际开工日期")
    page.screenshot(path=screenshot_path("registry-journey"), full_page=True)


def test_a_move_without_its_fact_is_refused_on_the_page(page, live_server, login, registry):
    login("city_admin_e2e", PASSWORD)
    page.goto(live_server.url + "/projects/?q=光伏")
    page.get_by_role("link", name="长治市光伏组件扩产项目").click()
    page.get_by_role("link", name="转入“在建”").click()
    future = (local_today() + datetime.timedelta(days=30)).isoformat()
    page.get_by_label("实际开工日期").fill(future)
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("不能晚于今天")
    page.get_by_role("link", name="取消").click()
    expect(page.get_by_test_id("stage")).to_have_text("前期")
