"""The assessment in Chromium: the statistics bureau enters an actual and submits it, the city returns it
with a reason, the bureau corrects and resubmits, the city accepts; the result table shows the actual
with the formula of its points and links to it; the city publishes the result, which then reads
"published on …" and downloads as a 考核结果通报."""

import pytest
from playwright.sync_api import expect

from tiaodu.assessment.models import Actual
from tiaodu.assessment.testing import add_assessment
from tiaodu.testing import PASSWORD, admin_of, region

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scheme():
    w = type("World", (), {})()
    w.city, w.county_a, w.county_b = region("140400"), region("140427"), region("140428")
    w.city_admin = admin_of(w.city, username="city_e2e")
    return add_assessment(w)


def test_actual_return_accept_result_and_publish(page, live_server, login, scheme):
    url = live_server.url
    login("stats", PASSWORD)
    page.goto(f"{url}/assessment/actuals/add/")
    page.select_option("#id_indicator", label="工业投资增速")
    page.select_option("#id_region", label="壶关县")
    page.fill("#id_year", "2025")
    page.select_option("#id_month", value="7")
    page.fill("#id_value", "900")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("超出合理范围")  # 900% is not a plausible growth
    page.fill("#id_value", "9.5")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    actual_url = page.url

    login("city_e2e", PASSWORD)
    page.goto(actual_url)
    page.locator("textarea[name=reason]").fill("请按1–7月累计口径填报")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_test_id("status")).to_have_text("已退回")

    login("stats", PASSWORD)
    page.goto(f"{url}/assessment/actuals/add/")
    page.select_option("#id_indicator", label="工业投资增速")
    page.select_option("#id_region", label="壶关县")
    page.fill("#id_year", "2025")
    page.select_option("#id_month", value="7")
    page.fill("#id_value", "11")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")

    login("city_e2e", PASSWORD)
    page.goto(actual_url)
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("status")).to_have_text("已审核")
    assert Actual.objects.get(indicator=scheme.growth, region=scheme.county_a, month=7).value == 11

    page.goto(f"{url}/assessment/schemes/{scheme.scheme.pk}/result/?month=7")
    table = page.get_by_test_id("result-table")
    row = table.locator("tr[data-unit='140427']")
    expect(row).to_contain_text("25 × min(11 ÷ 10 = 1.1, 封顶 1.5) = 27.5")
    expect(page.get_by_test_id("as-of")).to_contain_text("当前数据")
    row.get_by_role("link", name="11").click()
    expect(page.get_by_test_id("value")).to_contain_text("11")
    page.go_back()
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("as-of")).to_contain_text("发布于")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
