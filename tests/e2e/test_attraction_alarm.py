"""The 三未 alarm in Chromium: a lead signed eight months ago and not landed shows as 签而未落 in the alarm
list; one click turns it into a ledger problem assigned to a department; the problem is there, and the
alarm now links to it."""

import pytest
from playwright.sync_api import expect

from tiaodu.accounts.choices import Role
from tiaodu.attraction.selectors import months_before
from tiaodu.attraction.testing import signed_lead
from tiaodu.core.dates import local_today
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.testing import PASSWORD, OrganisationFactory, UserFactory, admin_of, region

pytestmark = pytest.mark.django_db(transaction=True)

LEAD = "壶关县碳纤维复合材料招商项目"
DEPARTMENT = "壶关县工信局"


@pytest.fixture
def county():
    county = region("140427")
    admin = admin_of(county, username="county_e2e")
    department = OrganisationFactory(name=DEPARTMENT, region=county, kind=OrganisationKind.DEPARTMENT)
    UserFactory(username="dept_e2e", grants=[(Role.DEPARTMENT, department)])
    signed_lead(None, admin, region=county, name=LEAD, signed_on=months_before(local_today(), 8))


def test_alarm_to_problem(page, live_server, login, county):
    url = live_server.url
    login("county_e2e", PASSWORD)
    page.goto(f"{url}/attraction/")
    page.get_by_test_id("tab-alarms").click()
    row = page.get_by_test_id("alarms").locator("tr", has_text=LEAD)
    expect(row).to_have_attribute("data-rule", "签而未落")
    expect(row.locator("[data-days]")).not_to_have_text("0")
    expect(page.get_by_test_id("counts-region")).to_contain_text("壶关县")
    row.get_by_test_id("to-problem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("签而未落")
    page.select_option("#id_category", label="其他")
    page.select_option("#id_department", label=DEPARTMENT)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("description")).to_contain_text(LEAD)
    expect(page.get_by_test_id("description")).to_contain_text("签而未落")
    expect(page.get_by_test_id("department")).to_contain_text(DEPARTMENT)
    number = page.get_by_role("heading", level=1).inner_text().split(" ")[0]
    page.goto(f"{url}/attraction/alarms/")
    link = page.get_by_test_id("alarms").locator("tr", has_text=LEAD).get_by_test_id("alarm-problem-link")
    expect(link).to_have_text(number)
    link.click()
    expect(page.get_by_test_id("department")).to_contain_text(DEPARTMENT)
