"""The chain map in Chromium: segments drawn left to right with their enterprises, gaps marked, and a
click on an enterprise's node (or its entry in the list below the map) opens its organisation page."""

import pytest
from playwright.sync_api import expect

from tiaodu.accounts.choices import Role
from tiaodu.chains import services
from tiaodu.testing import PASSWORD, OrganisationFactory, UserFactory, region

from .conftest import screenshot_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chain():
    county = region("140427")
    admin = UserFactory(username="chain_admin", grants=[(Role.ADMIN, county)])
    chain = services.chain_create(
        actor=admin, region=county, name="壶关LED产业链", segments=["材料", "装备", "芯片", "封装", "应用"]
    )
    segments = list(chain.segments.order_by("position"))
    firms = [
        ("山西晶辉光电科技有限公司", 3, "master"),
        ("壶关芯联半导体有限公司", 2, "core"),
        ("壶关蓝宝石材料有限公司", 0, "member"),
        ("壶关明辉照明科技有限公司", 4, "member"),
        ("壶关光宇封装技术有限公司", 3, "member"),
        ("壶关鑫源显示技术有限公司", 4, "member"),
    ]
    orgs = {}
    for name, index, role in firms:
        orgs[name] = OrganisationFactory(name=name, region=county)
        services.member_add(actor=admin, chain=chain, segment=segments[index], organisation=orgs[name], role=role)
    return chain, orgs


def map_ready(page):
    chart = page.get_by_test_id("chain-map")
    expect(chart.locator("svg").first).to_be_attached()
    page.wait_for_function("() => document.getElementById('chain-map').dataset.rendered === '1'")
    return chart


def test_click_an_enterprise_on_the_chain_map(page, live_server, login, chain):
    chain, orgs = chain
    login("chain_admin", PASSWORD)
    page.goto(live_server.url + chain.get_absolute_url())
    expect(page.get_by_test_id("page-title")).to_have_text("壶关LED产业链")
    chart = map_ready(page)
    expect(chart.locator("svg")).to_contain_text("封装")
    expect(chart.locator("svg")).to_contain_text("山西晶辉光电")
    # 材料, 芯片 and 应用? 装备 is empty and 材料, 芯片 hold one firm each: three gaps (fewer than 2).
    expect(page.get_by_test_id("gap")).to_have_count(3)
    page.screenshot(path=screenshot_path("chain-map"), full_page=True)

    target = orgs["山西晶辉光电科技有限公司"]
    chart.scroll_into_view_if_needed()
    point = page.evaluate(
        """name => {
            const el = document.getElementById("chain-map");
            const chart = echarts.getInstanceByDom(el);
            const node = el.chainNodes.find(n => n.name === name);
            return chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
        }""",
        target.name,
    )
    box = chart.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_url(f"**/organisations/{target.pk}/")
    expect(page.locator("h1").first).to_contain_text(target.name)

    # The list below the map is the same map as links (for keyboards and screen readers).
    page.go_back()
    map_ready(page)
    page.get_by_test_id("map-list").locator("summary").click()
    other = orgs["壶关芯联半导体有限公司"]
    page.get_by_test_id("enterprise-link").filter(has_text=other.name).click()
    page.wait_for_url(f"**/organisations/{other.pk}/")


def test_chain_page_reads_on_a_phone(page, live_server, login, chain):
    chain, _orgs = chain
    page.set_viewport_size({"width": 390, "height": 844})
    login("chain_admin", PASSWORD)
    page.goto(live_server.url + chain.get_absolute_url())
    map_ready(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
