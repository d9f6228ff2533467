"""The monthly loop in the browser's terms: fill (with and without htmx), review, missing list, locks, corrections."""

import datetime
import io
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiaodu.accounts.choices import Role
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.core.periods import format_period, next_period, previous_period
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import KeyLevel, Stage
from tiaodu.reports import services
from tiaodu.reports.choices import ReportStatus
from tiaodu.reports.models import MonthLock, MonthlyReport, ReportEvent
from tiaodu.testing import OrganisationFactory, ProjectFactory, UserFactory, admin_of, region

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def last_month() -> datetime.date:
    return previous_period(local_today().replace(day=1))


@pytest.fixture
def loop():
    return make_loop()


def make_loop():
    """壶关县 with an owner of two listed projects (one started, one not) and one project on no list.

    Shared by the API and reminder tests.
    """
    w = type("Loop", (), {})()
    w.city, w.county = region("140400"), region("140427")
    w.org = OrganisationFactory(region=w.county, name="壶关测试储能有限公司")
    w.owner = UserFactory(username="owner", grants=[(Role.OWNER, w.org)])
    w.county_admin = admin_of(w.county, username="county")
    w.city_admin = admin_of(w.city, username="city")
    w.project = ProjectFactory(
        name="壶关县储能电站项目",
        region=w.county,
        owner=w.org,
        stage=Stage.CONSTRUCTION,
        total_investment=Decimal("20000"),
    )
    w.planned = ProjectFactory(name="壶关县物流园谋划项目", region=w.county, owner=w.org, stage=Stage.PRELIMINARY)
    w.unlisted = ProjectFactory(name="未列入名单的项目", region=w.county, owner=w.org, stage=Stage.CONSTRUCTION)
    w.period = last_month()
    w.period_label = format_period(w.period)
    key_list = project_services.key_list_create(
        actor=w.city_admin, region=w.city, year=w.period.year, level=KeyLevel.CITY
    )
    for project in (w.project, w.planned):
        project_services.key_list_add_project(
            key_list=key_list, project=project, actor=w.city_admin, annual_plan=Decimal("5000")
        )
    project_services.key_list_publish(key_list=key_list, actor=w.city_admin)
    return w


def row_data(project, period_label, action="save", **values):
    prefix = f"p{project.pk}"
    data = {
        "period": period_label,
        f"{prefix}-investment_month": "500",
        f"{prefix}-progress_text": "主体结构施工",
        f"{prefix}-progress_pct": "20",
        f"{prefix}-milestones": ["main_structure"],
        f"{prefix}-problems_text": "",
        f"{prefix}-action": action,
    }
    data.update({f"{prefix}-{key}": value for key, value in values.items()})
    return data


def written():
    return MonthlyReport.objects.count(), MonthlyReport.history.count(), ReportEvent.objects.count()


def submitted_report(loop, **values) -> MonthlyReport:
    values.setdefault("investment_month", Decimal("500"))
    report = services.report_save(actor=loop.owner, project=loop.project, period=loop.period, **values)
    return services.report_submit(report=report, actor=loop.owner)


# ---- 本月填报 ----------------------------------------------------------------------------------------


def test_fill_page_lists_the_due_projects_of_last_month(loop):
    body = client_for(loop.owner).get(reverse("reports:fill")).content.decode()
    assert loop.period_label in body
    assert loop.project.name in body and loop.planned.name in body
    assert loop.unlisted.name not in body  # on no published list of the year: nothing to report
    assert body.count('data-testid="fill-row"') == 2
    assert "未填报" in body and "本月尚未提交" in body
    assert "应报项目 2 个，本月尚未提交 2 个。" in body


def test_save_a_draft_then_submit_without_javascript(loop):
    client = client_for(loop.owner)
    url = reverse("reports:fill_row", args=[loop.project.pk])
    response = client.post(url, row_data(loop.project, loop.period_label))
    assert response.status_code == 302 and f"#fill-{loop.project.pk}" in response["Location"]
    report = MonthlyReport.objects.get(project=loop.project, period=loop.period)
    assert report.status == ReportStatus.DRAFT and report.ytd == Decimal("500") and report.since_start == 500
    assert report.milestones == "main_structure" and report.progress_pct == Decimal("20")
    page = client.get(response["Location"]).content.decode()
    assert "已保存草稿。" in page and "草稿" in page and "自年初累计 500.00 万元" in page

    response = client.post(url, row_data(loop.project, loop.period_label, action="submit", investment_month="600"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.investment_month == 600 and report.ytd == 600
    assert report.submitted_by == loop.owner
    page = client.get(reverse("reports:fill"), {"period": loop.period_label}).content.decode()
    assert "已提交" in page and "应报项目 2 个，本月尚未提交 1 个。" in page
    assert f'name="p{loop.project.pk}-investment_month"' not in page  # submitted: read only


def test_htmx_submit_answers_the_updated_row(loop):
    client = client_for(loop.owner)
    url = reverse("reports:fill_row", args=[loop.project.pk])
    response = client.post(url, row_data(loop.project, loop.period_label, action="submit"), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith("<div") and "<html" not in body
    assert f'id="fill-{loop.project.pk}"' in body and "已提交。" in body and "已提交" in body
    assert "<form" not in body
    assert 'hx-swap-oob="true"' in body and "应报项目 2 个，本月尚未提交 1 个。" in body  # the heading follows
    assert MonthlyReport.objects.get(project=loop.project).status == ReportStatus.SUBMITTED
    fragment = client.get(url, {"period": loop.period_label}, **HTMX)
    assert fragment.status_code == 200 and "已提交" in fragment.content.decode()
    assert client.get(url, {"period": loop.period_label}).status_code == 302


@pytest.mark.parametrize(
    "project_attr, values, words",
    [
        ("project", {"investment_month": "-5"}, "本月完成投资不能为负数"),
        ("planned", {"investment_month": "100"}, "尚未开工"),
        ("project", {"investment_month": "25000"}, "超过项目总投资"),
        ("project", {"investment_month": "abc"}, "输入一个数字"),
        ("project", {"progress_pct": "120"}, "形象进度"),
        ("project", {"milestones": ["flying"]}, "有效的选项"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_values_show_on_the_row_and_write_nothing(loop, project_attr, values, words, htmx):
    project = getattr(loop, project_attr)
    before = written()
    response = client_for(loop.owner).post(
        reverse("reports:fill_row", args=[project.pk]),
        row_data(project, loop.period_label, action="submit", **values),
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert words in body, body
    assert (f'id="fill-{project.pk}"' in body) and (("<html" in body) != htmx)
    assert written() == before


def test_malformed_and_future_months_are_clear_messages(loop):
    client = client_for(loop.owner)
    response = client.get(reverse("reports:fill"), {"period": "2025-13"})
    assert response.status_code == 400 and "月份“2025-13”不存在" in response.content.decode()
    before = written()
    response = client.post(reverse("reports:fill_row", args=[loop.project.pk]), row_data(loop.project, "2025-13"))
    assert response.status_code == 400 and "月份“2025-13”不存在" in response.content.decode()
    future = format_period(next_period(local_today().replace(day=1)))
    response = client.get(reverse("reports:fill"), {"period": future})
    assert response.status_code == 200  # listed (the key list of that year may exist), but not writable
    response = client.post(reverse("reports:fill_row", args=[loop.project.pk]), row_data(loop.project, future))
    assert response.status_code in (400, 404)
    assert written() == before


def test_another_owners_project_is_not_found_and_nothing_is_written(loop):
    stranger = UserFactory(grants=[(Role.OWNER, OrganisationFactory(region=loop.county))])
    client = client_for(stranger)
    before = written()
    url = reverse("reports:fill_row", args=[loop.project.pk])
    response = client.post(url, row_data(loop.project, loop.period_label))
    assert response.status_code == 404
    assert loop.project.name not in client.get(reverse("reports:fill")).content.decode()
    assert written() == before


def test_returned_report_shows_its_reason_and_can_be_refilled(loop):
    report = submitted_report(loop)
    services.report_return(report=report, actor=loop.county_admin, reason="投资额与统计数不符")
    client = client_for(loop.owner)
    page = client.get(reverse("reports:fill"), {"period": loop.period_label}).content.decode()
    assert "已退回" in page and "（投资额与统计数不符）" in page
    assert f'name="p{loop.project.pk}-investment_month"' in page
    response = client.post(
        reverse("reports:fill_row", args=[loop.project.pk]),
        row_data(loop.project, loop.period_label, action="submit", investment_month="450"),
        **HTMX,
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.investment_month == 450


def test_locked_month_is_read_only(loop):
    services.report_save(actor=loop.owner, project=loop.project, period=loop.period, investment_month=Decimal("5"))
    services.month_lock(actor=loop.city_admin, region=loop.city, period=loop.period)
    client = client_for(loop.owner)
    page = client.get(reverse("reports:fill"), {"period": loop.period_label}).content.decode()
    assert "该月已锁定" in page and "hx-post" not in page
    before = written()
    url = reverse("reports:fill_row", args=[loop.project.pk])
    response = client.post(url, row_data(loop.project, loop.period_label))
    assert response.status_code == 400 and 'data-testid="row-errors"' in response.content.decode()
    assert "已锁定，不能再修改" in response.content.decode()
    assert written() == before


def test_a_submitted_report_is_not_refilled_from_a_stale_page(loop):
    submitted_report(loop)
    before = written()
    response = client_for(loop.owner).post(
        reverse("reports:fill_row", args=[loop.project.pk]), row_data(loop.project, loop.period_label), **HTMX
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="row-errors"' in body and "不能修改" in body
    assert written() == before


def test_identical_to_last_month_is_flagged_stale(loop):
    earlier = previous_period(loop.period)
    values = {"investment_month": Decimal("0"), "progress_text": "停工待料", "progress_pct": Decimal("30")}
    services.report_save(actor=loop.owner, project=loop.project, period=earlier, **values)
    services.report_save(actor=loop.owner, project=loop.project, period=loop.period, **values)
    services.report_save(
        actor=loop.owner, project=loop.planned, period=earlier, progress_text="设计", progress_pct=None
    )
    services.report_save(
        actor=loop.owner, project=loop.planned, period=loop.period, progress_text="设计完成", progress_pct=None
    )
    client = client_for(loop.county_admin)
    page = client.get(reverse("reports:fill"), {"period": loop.period_label}).content.decode()
    assert page.count('data-testid="flag-stale"') == 1
    stale = MonthlyReport.objects.get(project=loop.project, period=loop.period)
    assert "数据与上月雷同" in client.get(stale.get_absolute_url()).content.decode()
    listing = client.get(reverse("reports:report_list"), {"period": loop.period_label}).content.decode()
    assert listing.count('data-testid="flag-stale"') == 1


def test_fill_page_queries_do_not_grow_with_projects(loop, django_assert_max_num_queries):
    client = client_for(loop.county_admin)
    services.report_save(actor=loop.owner, project=loop.project, period=loop.period, investment_month=1)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("reports:fill"), {"period": loop.period_label})
    key_list = loop.project.list_entries.get().key_list
    for n in range(12):
        project = ProjectFactory(name=f"批量项目{n}", region=loop.county, stage=Stage.CONSTRUCTION)
        project_services.key_list_add_project(
            key_list=key_list, project=project, actor=loop.city_admin, annual_plan=Decimal("1")
        )
        services.report_save(actor=loop.county_admin, project=project, period=loop.period, investment_month=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("reports:fill"), {"period": loop.period_label})


# ---- review ------------------------------------------------------------------------------------------


def test_review_counts_list_detail_and_accept(loop):
    report = submitted_report(loop, progress_text="主体施工", milestones=["main_structure"])
    client = client_for(loop.county_admin)
    page = client.get(reverse("reports:review"), {"period": loop.period_label})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="review-counts"' in body and "壶关县" in body
    counts = body.split('data-testid="review-counts"')[1].split("</table>")[0]
    assert '<td class="num">2</td><td class="num">1</td><td class="num">0</td>' in counts
    assert report.get_absolute_url() in body and "共 1 条" in body
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "审核通过" in detail and "退回" in detail and "500.00" in detail and "主体完工" in detail
    assert "owner" in detail and "提交" in detail  # the history names who submitted
    response = client.post(reverse("reports:report_accept", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == loop.county_admin
    body = client.get(reverse("reports:review"), {"period": loop.period_label}).content.decode()
    assert "共 0 条" in body


def test_return_needs_a_reason(loop):
    report = submitted_report(loop)
    client = client_for(loop.county_admin)
    before = written()
    response = client.post(reverse("reports:report_return", args=[report.pk]), {"reason": "  "})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    assert written() == before
    response = client.post(reverse("reports:report_return", args=[report.pk]), {"reason": "形象进度描述不具体"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "形象进度描述不具体"
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "退回原因：形象进度描述不具体" in detail


def test_owner_cannot_review_its_own_report(loop):
    report = submitted_report(loop)
    client = client_for(loop.owner)
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "审核通过" not in detail
    response = client.post(reverse("reports:report_accept", args=[report.pk]), follow=True)
    assert "您无权在该范围内进行此操作" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert client.get(reverse("reports:report_correct", args=[report.pk])).status_code == 404


def test_missing_list_and_its_export(loop):
    submitted_report(loop)
    client = client_for(loop.county_admin)
    body = client.get(reverse("reports:missing"), {"period": loop.period_label}).content.decode()
    assert loop.planned.name in body and loop.project.name not in body and "共 1 条" in body
    response = client.get(reverse("reports:missing"), {"period": loop.period_label, "export": "xlsx"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == f"{loop.period_label}未填报项目" and rows[1][0] == "序号"
    assert len(rows) == 3 and rows[2][2] == loop.planned.name
    assert "未填报" in rows[2][-1] and "本月尚未提交" in rows[2][-1]
    response = client.get(reverse("reports:missing"), {"period": "2025-13"})
    assert response.status_code == 200 and "月份“2025-13”不存在" in response.content.decode()
    assert "共 0 条" in response.content.decode()


def test_report_list_filters_and_export(loop):
    submitted_report(loop)
    client = client_for(loop.city_admin)
    url = reverse("reports:report_list")
    assert "共 1 条" in client.get(url, {"status": "submitted"}).content.decode()
    assert "共 0 条" in client.get(url, {"status": "accepted"}).content.decode()
    assert "共 1 条" in client.get(url, {"region": "140427"}).content.decode()
    assert "共 1 条" in client.get(url, {"q": "储能"}).content.decode()
    for garbage in ({"period": "2025-13"}, {"region": "abc"}, {"status": "x"}, {"page": "z"}, {"sort": "x"}):
        assert client.get(url, garbage).status_code < 500
    response = client.get(url, {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "月报" and rows[2][3] == loop.project.name and rows[-1][0] == "合计"


# ---- lock and corrections ----------------------------------------------------------------------------


def test_city_locks_a_month_and_a_reviewer_corrects_with_a_reason(loop):
    report = submitted_report(loop)
    services.report_accept(report=report, actor=loop.county_admin)
    county = client_for(loop.county_admin)
    page = county.get(reverse("reports:locks")).content.decode()
    assert "长治市" in page and 'data-testid="lock-button"' not in page  # a county cannot lock the city's month
    response = county.post(reverse("reports:locks"), {"region": "140400", "period": loop.period_label})
    assert response.status_code == 400 and not MonthLock.objects.exists()

    city = client_for(loop.city_admin)
    page = city.get(reverse("reports:locks")).content.decode()
    assert 'data-testid="lock-button"' in page
    response = city.post(reverse("reports:locks"), {"region": "140400", "period": loop.period_label})
    assert response.status_code == 302
    assert MonthLock.objects.filter(region=loop.city, period=loop.period, locked_by=loop.city_admin).exists()
    page = city.get(reverse("reports:locks")).content.decode()
    assert "已锁定" in page
    response = city.post(reverse("reports:locks"), {"region": "140400", "period": loop.period_label})
    assert response.status_code == 400 and "已锁定" in response.content.decode()
    current = format_period(local_today())
    response = city.post(reverse("reports:locks"), {"region": "140400", "period": current})
    assert response.status_code == 400 and "只能锁定已结束的月份" in response.content.decode()
    response = city.post(reverse("reports:locks"), {"region": "140400", "period": "2025-13"})
    assert response.status_code == 400 and "月份“2025-13”不存在" in response.content.decode()

    detail = city.get(report.get_absolute_url()).content.decode()
    assert reverse("reports:report_correct", args=[report.pk]) in detail
    assert 'data-testid="review-actions"' not in detail  # a locked month is no longer reviewed
    url = reverse("reports:report_correct", args=[report.pk])
    before = written()
    response = city.post(url, {"reason": "", "investment_month": "480", "progress_text": "x"})
    assert response.status_code == 400 and written() == before
    response = city.post(url, {"reason": "统计局核定数", "investment_month": "480", "progress_text": "主体施工"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_correction and report.correction_reason == "统计局核定数" and report.ytd == 480
    for page in (
        city.get(report.get_absolute_url()),
        city.get(reverse("reports:report_list")),
        city.get(reverse("reports:fill"), {"period": loop.period_label}),
        client_for(loop.owner).get(reverse("reports:fill"), {"period": loop.period_label}),
    ):
        assert "更正：统计局核定数" in page.content.decode()


def test_correcting_an_unlocked_month_is_refused(loop):
    report = submitted_report(loop)
    client = client_for(loop.county_admin)
    response = client.post(
        reverse("reports:report_correct", args=[report.pk]), {"reason": "核定", "investment_month": "1"}
    )
    assert response.status_code == 400 and "该月尚未锁定" in response.content.decode()
    report.refresh_from_db()
    assert not report.is_correction


def test_a_negative_month_only_as_a_correction(loop):
    march, april = datetime.date(2025, 3, 1), datetime.date(2025, 4, 1)
    services.report_save(actor=loop.owner, project=loop.project, period=march, investment_month=Decimal("800"))
    report = services.report_save(actor=loop.owner, project=loop.project, period=april, investment_month=500)
    services.month_lock(actor=loop.city_admin, region=loop.city, period=april)
    response = client_for(loop.county_admin).post(
        reverse("reports:report_correct", args=[report.pk]), {"reason": "重复统计冲减", "investment_month": "-100"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.investment_month == -100 and report.is_correction and report.ytd == 700


def test_index_sends_reviewers_to_review_and_owners_to_fill(loop):
    assert client_for(loop.county_admin).get(reverse("reports:index"))["Location"] == reverse("reports:review")
    assert client_for(loop.owner).get(reverse("reports:index"))["Location"] == reverse("reports:fill")


def test_save_and_submit_is_both_or_neither(loop):
    before = written()
    with (
        mock.patch.object(services, "report_submit", side_effect=ValidationError("提交失败")),
        pytest.raises(ValidationError),
    ):
        services.report_save_and_submit(
            actor=loop.owner, project=loop.project, period=loop.period, investment_month=Decimal("5")
        )
    assert written() == before
    report = services.report_save_and_submit(
        actor=loop.owner, project=loop.project, period=loop.period, investment_month=Decimal("5")
    )
    assert report.status == ReportStatus.SUBMITTED and report.ytd == 5


def test_row_errors_follow_the_users_language(loop):
    client = client_for(loop.owner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(
        reverse("reports:fill_row", args=[loop.project.pk]),
        row_data(loop.project, loop.period_label, investment_month="abc"),
        **HTMX,
    )
    assert response.status_code == 400 and "Enter a number." in response.content.decode()


def test_garbage_query_strings_never_make_a_500(loop):
    from tiaodu.core.tests.test_no_500 import GARBAGE

    client = client_for(loop.county_admin)
    pages = ["reports:fill", "reports:review", "reports:missing", "reports:report_list", "reports:locks"]
    for query in [*GARBAGE, {"period": "2025-13"}, {"period": "0000-00"}, {"period": "二〇二五-七"}, {"todo": "x"}]:
        for name in pages:
            assert client.get(reverse(name), query).status_code < 500, (name, query)
        for url in ("/api/reports/", "/api/month-locks/"):
            response = client.get(url, query)
            assert response.status_code < 500, (url, query)
            if response.status_code >= 400:
                assert "error" in response.json()
    for url in ("/reports/0/", "/reports/99999999999999999999/", "/reports/fill/0/", "/api/reports/abc/"):
        assert client.get(url).status_code in (404, 405), url
