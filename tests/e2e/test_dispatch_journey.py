"""The dispatch chain in Chromium: a site visit finds a problem, a dispatch meeting puts the project on its
agenda, records the decision and hands out a task on the spot; the department acknowledges and answers,
the city sends the answer back, the department answers again and the city closes it (销号); the problem
found on the visit is escalated to the city; the minutes download as .docx."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.problems.models import Problem
from tiaodu.projects.choices import Stage
from tiaodu.testing import PASSWORD, OfficialFactory, OrganisationFactory, ProjectFactory, UserFactory, admin_of, region

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = "壶关县抽水蓄能电站项目"
DEPARTMENT = "长治市自然资源局"


@pytest.fixture
def city():
    city, county = region("140400"), region("140427")
    admin_of(city, username="city_e2e")
    department = OrganisationFactory(name=DEPARTMENT, region=city, kind=OrganisationKind.DEPARTMENT)
    UserFactory(username="dept_e2e", grants=[(Role.DEPARTMENT, department)])
    OfficialFactory(name="李市长", title="副市长", region=city)
    ProjectFactory(name=PROJECT, region=county, stage=Stage.CONSTRUCTION, total_investment=Decimal("800000"))


def test_visit_meeting_assign_answer_send_back_close_and_escalate(page, live_server, login, city):
    today = local_today()
    url = live_server.url
    login("city_e2e", PASSWORD)

    # A site visit by 李市长 finds a land problem.
    page.goto(f"{url}/visits/add/")
    page.select_option("#id_region", label="长治市")
    page.select_option("#id_leaders", label="李市长（副市长）")
    page.select_option("#id_projects", label=PROJECT)
    page.fill("#id_notes", "现场查看上水库施工")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("现场调研")
    form = page.get_by_test_id("visit-problem-form")
    form.locator("#id_project").select_option(label=PROJECT)
    form.locator("#id_category").select_option(label="用地")
    form.locator("#id_description").fill("林地占用手续未办结")
    form.get_by_role("button", name="登记问题").click()
    expect(page.get_by_test_id("visit-problems")).to_contain_text("林地占用手续未办结")

    # The city's dispatch meeting: agenda, decision, a task on the spot.
    page.goto(f"{url}/meetings/add/")
    page.select_option("#id_region", label="长治市")
    page.fill("#id_title", "全市重点项目周调度会")
    page.select_option("#id_kind", value="weekly")
    page.select_option("#id_level", value="city")
    page.fill("#id_date", today.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("全市重点项目周调度会")
    page.select_option("#id_project", label=PROJECT)
    page.get_by_role("button", name="列入议程").click()
    item = page.get_by_test_id("agenda-item").filter(has_text=PROJECT)
    item.locator("textarea").fill("由市自然资源局牵头，10日内完成林地手续")
    item.get_by_role("button", name="保存议定事项").click()
    expect(page.get_by_test_id("agenda-item").get_by_test_id("decisions")).to_contain_text("10日内完成林地手续")
    task = page.get_by_test_id("task-form")
    task.locator("#id_item").select_option(label=PROJECT)
    task.locator("#id_category").select_option(label="用地")
    task.locator("#id_description").fill("10日内完成使用林地审核")
    task.locator("#id_department").select_option(label=DEPARTMENT)
    task.locator("#id_deadline").fill((today + datetime.timedelta(days=10)).isoformat())
    task.get_by_role("button", name="交办").click()
    expect(page.get_by_test_id("tasks")).to_contain_text("已交办")
    number = Problem.objects.get(description="10日内完成使用林地审核").number
    with page.expect_download() as download:
        page.get_by_test_id("minutes").click()
    assert download.value.suggested_filename.endswith(".docx")

    # The department finds it in its inbox, acknowledges and answers.
    login("dept_e2e", PASSWORD)
    page.goto(f"{url}/problems/inbox/")
    page.get_by_role("link", name=number).click()
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("办理中")
    page.get_by_test_id("answer-button").click()
    page.fill("#id_answer", "已上报省林草局审核")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("已办结")

    # The city sends it back; the department answers again; the city closes it.
    login("city_e2e", PASSWORD)
    page.goto(f"{url}/problems/?q=使用林地审核")
    page.get_by_role("link", name=number).click()
    send_back = page.get_by_test_id("send-back-form")
    send_back.locator("textarea").fill("请附审核批复文件")
    send_back.get_by_role("button", name="退回重办").click()
    expect(page.get_by_test_id("send-back-alert")).to_contain_text("请附审核批复文件")
    login("dept_e2e", PASSWORD)
    page.goto(f"{url}/problems/inbox/")
    page.get_by_role("link", name=number).click()
    page.get_by_test_id("answer-button").click()
    page.fill("#id_answer", "已取得使用林地审核同意书，附批复")
    page.get_by_role("button", name="确定").click()
    login("city_e2e", PASSWORD)
    page.goto(f"{url}/problems/?q=使用林地审核")
    page.get_by_role("link", name=number).click()
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("已销号")
    expect(page.get_by_test_id("events")).to_contain_text("退回重办")

    # The problem found on the visit cannot be solved in the county: escalated to the city.
    page.goto(f"{url}/problems/?q=林地占用手续未办结")
    page.get_by_role("link", name=Problem.objects.get(description="林地占用手续未办结").number).click()
    escalate = page.get_by_test_id("escalate-form")
    escalate.locator("textarea").fill("涉及省级林地指标")
    escalate.get_by_role("button", name="提级协调").click()
    expect(page.get_by_text("市级协调")).to_be_visible()

    # The next meeting shows the status of this meeting's tasks.
    page.goto(f"{url}/meetings/add/")
    page.select_option("#id_region", label="长治市")
    page.fill("#id_title", "下一次周调度会")
    page.fill("#id_date", (today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("previous-tasks")).to_contain_text("已销号")
