"""The monthly loop over the REST API: the same services, explicit verbs, one error shape, never a 500."""

import json
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tiaodu.accounts.choices import Role
from tiaodu.core.dates import local_today
from tiaodu.core.periods import format_period
from tiaodu.reports import services
from tiaodu.reports.choices import ReportEventKind, ReportStatus
from tiaodu.reports.models import MonthLock, MonthlyReport, ReportEvent
from tiaodu.testing import OrganisationFactory, ProjectFactory, UserFactory

from .test_pages import make_loop

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop():
    return make_loop()


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def written():
    return (
        MonthlyReport.objects.count(),
        MonthlyReport.history.count(),
        ReportEvent.objects.count(),
        MonthLock.objects.count(),
    )


def create_body(loop, **overrides):
    body = {
        "project": loop.project.pk,
        "period": loop.period_label,
        "investment_month": "500.50",
        "progress_text": "主体结构施工",
        "progress_pct": "20.0",
        "milestones": ["main_structure"],
    }
    body.update(overrides)
    return body


def test_the_loop_over_the_api(loop):
    owner, county, city = api_for(loop.owner), api_for(loop.county_admin), api_for(loop.city_admin)
    response = owner.post("/api/reports/", create_body(loop), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["ytd"] == "500.50" and body["since_start"] == "500.50"
    assert body["period"] == loop.period_label and body["region"] == "140427"
    assert body["milestones"] == ["main_structure"] and body["not_submitted"] is True and body["is_stale"] is False
    report_id = body["id"]

    response = owner.patch(f"/api/reports/{report_id}/", {"investment_month": "600"}, format="json")
    assert response.status_code == 200 and response.json()["ytd"] == "600.00"
    assert response.json()["progress_text"] == "主体结构施工"  # PATCH keeps what it does not name
    assert owner.post(f"/api/reports/{report_id}/submit/").json()["status"] == "submitted"

    response = county.post(f"/api/reports/{report_id}/return/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = county.post(f"/api/reports/{report_id}/return/", {"reason": "请补充形象进度"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "returned" and response.json()["return_reason"] == "请补充形象进度"

    response = owner.put(f"/api/reports/{report_id}/", create_body(loop, progress_text="主体结构封顶"), format="json")
    assert response.status_code == 200, response.json()
    assert owner.post(f"/api/reports/{report_id}/submit/").status_code == 200
    response = county.post(f"/api/reports/{report_id}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"

    response = city.post("/api/month-locks/", {"region": "140400", "period": loop.period_label}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["locked_by"] == "city" and response.json()["period"] == loop.period_label

    response = city.post(
        f"/api/reports/{report_id}/correct/", {"reason": "统计局核定", "investment_month": "480"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["is_correction"] is True and body["correction_reason"] == "统计局核定" and body["ytd"] == "480.00"
    assert body["progress_text"] == "主体结构封顶"
    kinds = list(ReportEvent.objects.filter(report_id=report_id).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds[-1] == ReportEventKind.CORRECTED and kinds.count(ReportEventKind.SUBMITTED) == 2


def test_filters(loop):
    services.report_save(actor=loop.owner, project=loop.project, period=loop.period, investment_month=1)
    other = services.report_save(actor=loop.owner, project=loop.planned, period=loop.period)
    services.report_submit(report=other, actor=loop.owner)
    client = api_for(loop.city_admin)

    def ids(**query):
        response = client.get("/api/reports/", query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert len(ids()) == 2
    assert ids(status="submitted") == {other.pk}
    assert ids(project=loop.planned.pk) == {other.pk}
    assert len(ids(period=loop.period_label, region="140427")) == 2
    assert len(ids(region="140400")) == 2  # the city: everything under it
    assert ids(period="2020-01") == set()
    for bad in ({"period": "2025-13"}, {"period": "July"}, {"region": "abc"}, {"status": "nonsense"}):
        response = client.get("/api/reports/", bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "validation_error"
    assert "2025-13" in json.dumps(client.get("/api/reports/", {"period": "2025-13"}).json(), ensure_ascii=False)


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"period": "2025-13"}, "period", "月份“2025-13”不存在"),
        ({"period": "2025/07"}, "period", "年-月"),
        ({"investment_month": "-5"}, "investment_month", "不能为负数"),
        ({"investment_month": "一百"}, "investment_month", ""),
        ({"investment_month": "25000"}, "investment_month", "超过项目总投资"),
        ({"progress_pct": "101"}, "progress_pct", ""),
        ({"milestones": ["flying"]}, "milestones", ""),
        ({"project": 999999}, "project", ""),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(loop, overrides, field, words):
    before = written()
    response = api_for(loop.owner).post("/api/reports/", create_body(loop, **overrides), format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"], error
    assert words in json.dumps(error, ensure_ascii=False)
    assert written() == before


def test_a_project_not_started_cannot_claim_investment(loop):
    before = written()
    response = api_for(loop.owner).post(
        "/api/reports/", create_body(loop, project=loop.planned.pk, investment_month="10"), format="json"
    )
    assert response.status_code == 400 and "尚未开工" in json.dumps(response.json(), ensure_ascii=False)
    assert written() == before


def test_a_project_outside_the_owners_scope_is_refused(loop):
    elsewhere = ProjectFactory(name="别家项目", stage="construction")
    stranger = UserFactory(grants=[(Role.OWNER, OrganisationFactory())])
    before = written()
    for user, project in ((loop.owner, elsewhere), (stranger, loop.project)):
        response = api_for(user).post("/api/reports/", create_body(loop, project=project.pk), format="json")
        assert response.status_code == 400
        assert "project" in response.json()["error"]["fields"]
    assert written() == before


def test_locked_months(loop):
    report = services.report_save(actor=loop.owner, project=loop.project, period=loop.period, investment_month=1)
    services.month_lock(actor=loop.city_admin, region=loop.city, period=loop.period)
    before = written()
    response = api_for(loop.owner).patch(f"/api/reports/{report.pk}/", {"investment_month": "2"}, format="json")
    assert response.status_code == 400 and "已锁定" in response.json()["error"]["message"]
    response = api_for(loop.owner).post(f"/api/reports/{report.pk}/submit/")
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"
    response = api_for(loop.county_admin).post(
        f"/api/reports/{report.pk}/correct/", {"investment_month": "3"}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
    response = api_for(loop.county_admin).post(
        f"/api/reports/{report.pk}/correct/", {"reason": "核定", "investment_month": "x"}, format="json"
    )
    assert response.status_code == 400 and "investment_month" in response.json()["error"]["fields"]
    response = api_for(loop.owner).post(
        f"/api/reports/{report.pk}/correct/", {"reason": "自己改", "investment_month": "3"}, format="json"
    )
    assert response.status_code == 400  # an owner is no reviewer
    assert written() == before


def test_correcting_an_unlocked_month_is_refused(loop):
    report = services.report_save(actor=loop.owner, project=loop.project, period=loop.period, investment_month=1)
    response = api_for(loop.county_admin).post(
        f"/api/reports/{report.pk}/correct/", {"reason": "核定", "investment_month": "3"}, format="json"
    )
    assert response.status_code == 400 and "尚未锁定" in response.json()["error"]["message"]


def test_verbs_in_the_wrong_state(loop):
    report = services.report_save(actor=loop.owner, project=loop.project, period=loop.period, investment_month=1)
    county = api_for(loop.county_admin)
    assert county.post(f"/api/reports/{report.pk}/accept/").status_code == 400  # a draft is not reviewed
    services.report_submit(report=report, actor=loop.owner)
    assert api_for(loop.owner).post(f"/api/reports/{report.pk}/submit/").status_code == 400
    assert api_for(loop.owner).post(f"/api/reports/{report.pk}/accept/").status_code == 400
    assert county.post(f"/api/reports/{report.pk}/accept/").status_code == 200
    assert county.post(f"/api/reports/{report.pk}/accept/").status_code == 400
    response = api_for(loop.owner).patch(f"/api/reports/{report.pk}/", {"period": "2020-01"}, format="json")
    assert response.status_code == 400 and "period" in response.json()["error"]["fields"]
    assert county.post("/api/reports/999999/accept/").status_code == 404
    assert county.post(f"/api/reports/{report.pk}/return/", data="[1]", content_type="application/json").status_code
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_month_locks(loop):
    county, city = api_for(loop.county_admin), api_for(loop.city_admin)
    before = written()
    for client, body, field in (
        (county, {"region": "140400", "period": loop.period_label}, "region"),  # a county cannot lock the city
        (city, {"region": "140427", "period": loop.period_label}, "region"),  # a county's month is not locked alone
        (city, {"region": "140400", "period": "2025-13"}, "period"),
        (city, {"region": "140400", "period": format_period(local_today())}, "period"),  # not over yet
        (city, {"region": "140400"}, "period"),
    ):
        response = client.post("/api/month-locks/", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["error"]["fields"], (body, response.json())
    assert written() == before
    response = city.post("/api/month-locks/", {"region": "140400", "period": loop.period_label}, format="json")
    assert response.status_code == 201
    response = city.post("/api/month-locks/", {"region": "140400", "period": loop.period_label}, format="json")
    assert response.status_code == 400 and "已锁定" in response.json()["error"]["message"]
    listing = county.get("/api/month-locks/", {"period": loop.period_label}).json()
    assert listing["count"] == 1 and listing["results"][0]["region"] == "140400"
    assert county.get("/api/month-locks/", {"period": "2025-13"}).status_code == 400
    lock_id = listing["results"][0]["id"]
    for method in ("put", "patch", "delete"):
        assert getattr(city, method)(f"/api/month-locks/{lock_id}/", {}, format="json").status_code == 405


def test_schema_documents_the_verbs_without_warnings():
    """The reports' part of the OpenAPI document (the whole one is checked in core's schema test)."""
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import DefaultRouter

    from tiaodu.reports.api.views import MonthLockViewSet, MonthlyReportViewSet

    router = DefaultRouter()
    router.register("reports", MonthlyReportViewSet)
    router.register("month-locks", MonthLockViewSet)
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=[path("api/", include(router.urls))]).get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    paths = schema["paths"]
    for expected in (
        "/api/reports/",
        "/api/reports/{id}/",
        "/api/reports/{id}/submit/",
        "/api/reports/{id}/accept/",
        "/api/reports/{id}/return/",
        "/api/reports/{id}/correct/",
        "/api/month-locks/",
    ):
        assert expected in paths, expected
    assert "delete" not in paths["/api/reports/{id}/"]
    request = paths["/api/reports/{id}/return/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert request["$ref"].endswith("ReasonRequest")


def test_the_report_list_query_count_is_bounded(loop, django_assert_max_num_queries):
    client = api_for(loop.city_admin)
    for n in range(10):
        project = ProjectFactory(name=f"批量{n}", region=loop.county, stage="construction")
        services.report_save(actor=loop.county_admin, project=project, period=loop.period, investment_month=Decimal(1))
    with django_assert_max_num_queries(8):
        assert client.get("/api/reports/").json()["count"] == 10
