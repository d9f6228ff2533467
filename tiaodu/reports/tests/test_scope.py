"""Scope of the monthly loop: another county's administrator and another owner see and change nothing of
yours (pages, API, exports); a leader reads everything in scope and changes nothing."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse

from tiaodu.accounts.choices import Role
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.core.periods import format_period, previous_period
from tiaodu.projects import services as project_services
from tiaodu.reports import services
from tiaodu.testing import UserFactory

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "reports:fill",
    "reports:review",
    "reports:missing",
    "reports:report_list",
    "reports:locks",
    "reports:reminders",
]


@pytest.fixture
def reports(world):
    """Both counties' projects on the published city list of this year, each with a submitted report of last month.

    (``world`` also brings its own reports of 2025; these are the ones of the month being reported now.)
    """
    w = world
    w.period = previous_period(local_today().replace(day=1))
    w.period_label = format_period(w.period)
    system = w.city_admin
    city_list = project_services.key_list_create(actor=system, region=w.city, year=w.period.year, level="city")
    for project in (w.project_a, w.project_b):
        project_services.key_list_add_project(key_list=city_list, project=project, actor=system, annual_plan=1)
    project_services.key_list_publish(key_list=city_list, actor=system)
    w.owner_b = UserFactory(username="owner_b", grants=[(Role.OWNER, w.org_b)])
    # project_a is still in preliminary work: it reports progress, no investment.
    w.mine_a = services.report_save(actor=w.owner_a, project=w.project_a, period=w.period, progress_text="环评")
    services.report_submit(report=w.mine_a, actor=w.owner_a)
    w.mine_b = services.report_save(
        actor=w.owner_b, project=w.project_b, period=w.period, investment_month=Decimal("700"), progress_text="乙进度"
    )
    services.report_submit(report=w.mine_b, actor=w.owner_b)
    return w


def row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"reports", "projects", "figures"}
    }


def xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(c) for s in workbook.worksheets for r in s.iter_rows(values_only=True) for c in r if c)


def object_urls(w, report, project):
    """Every page about one report or project of the monthly loop, with a POST body that would change it."""
    period = {"period": w.period_label}
    return [
        (reverse("reports:report_detail", args=[report.pk]), {}),
        (reverse("reports:report_accept", args=[report.pk]), {}),
        (reverse("reports:report_return", args=[report.pk]), {"reason": "越权退回"}),
        (reverse("reports:report_correct", args=[report.pk]), {"reason": "越权更正", "investment_month": "1"}),
        (
            reverse("reports:fill_row", args=[project.pk]),
            {**period, f"p{project.pk}-investment_month": "9", f"p{project.pk}-action": "submit"},
        ),
    ]


def assert_sees_nothing_of(client, w, secrets, report, project):
    for name in LIST_PAGES:
        for query in ({}, {"period": w.period_label}):
            response = client.get(reverse(name), query)
            assert response.status_code == 200, name
            body = response.content.decode()
            for secret in secrets:
                assert secret not in body, f"{name} shows {secret!r}"
    for name in ("reports:review", "reports:missing", "reports:report_list"):
        response = client.get(reverse(name), {"period": w.period_label, "export": "xlsx"})
        assert response.status_code == 200
        text = xlsx_text(response.content)
        for secret in secrets:
            assert secret not in text, f"{name} export shows {secret!r}"
    before = row_counts()
    for url, data in object_urls(w, report, project):
        assert client.get(url, {"period": w.period_label}).status_code in (404, 405), url
        assert client.post(url, data).status_code in (404, 405), url
    listing = client.get("/api/reports/", {"page_size": 500}).json()
    assert report.pk not in [row["id"] for row in listing["results"]]
    for secret in secrets:
        assert secret not in json.dumps(listing, ensure_ascii=False)
    assert client.get(f"/api/reports/{report.pk}/").status_code == 404
    for verb in ("submit", "accept", "return", "correct"):
        response = client.post(f"/api/reports/{report.pk}/{verb}/", {"reason": "x"}, content_type="application/json")
        assert response.status_code == 404, verb
        assert response.json()["error"]["code"] == "not_found"
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/reports/{report.pk}/", data=json.dumps({"investment_month": "1"}), content_type="application/json"
        )
        assert response.status_code in (404, 405)
    response = client.post(
        "/api/reports/",
        data=json.dumps({"project": project.pk, "period": w.period_label, "investment_month": "1"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "project" in response.json()["error"]["fields"]
    assert row_counts() == before


def test_other_county_admin_sees_and_changes_nothing_of_b(reports):
    w = reports
    client = client_for(w.admin_a)
    assert_sees_nothing_of(client, w, [w.project_b.name, w.org_b.name, "乙进度"], w.mine_b, w.project_b)
    # A's own part is there: the walk does not pass because the pages are empty.
    body = client.get(reverse("reports:review"), {"period": w.period_label}).content.decode()
    counts = body.split('data-testid="review-counts"')[1].split("</table>")[0]
    assert w.project_a.name in body and "长子县" not in counts
    listing = client.get("/api/reports/", {"page_size": 500}).json()["results"]
    assert w.mine_a.pk in [row["id"] for row in listing]
    assert {row["region"] for row in listing} == {"140427"}, listing
    before = row_counts()
    response = client.post(reverse("reports:locks"), {"region": "140400", "period": w.period_label})
    assert response.status_code == 400
    response = client.post(
        "/api/month-locks/",
        data=json.dumps({"region": "140400", "period": w.period_label}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert row_counts() == before


def test_other_owner_sees_and_changes_nothing_of_a(reports):
    w = reports
    client = client_for(w.owner_b)
    secrets = [w.project_a.name, w.project_a2.name, w.owner_org_a.name, "环评"]
    assert_sees_nothing_of(client, w, secrets, w.mine_a, w.project_a)
    assert w.project_b.name in client.get(reverse("reports:fill"), {"period": w.period_label}).content.decode()


def test_owner_does_not_see_other_projects_of_its_own_county(reports):
    w = reports
    body = client_for(w.owner_a).get(reverse("reports:fill"), {"period": w.period_label}).content.decode()
    assert w.project_a.name in body and w.project_a2.name not in body and w.project_b.name not in body


def test_leader_reads_everything_and_changes_nothing(reports):
    w = reports
    client = client_for(w.leader)
    listing = client.get(reverse("reports:report_list"), {"period": w.period_label}).content.decode()
    assert w.project_a.name in listing and w.project_b.name in listing
    detail = client.get(reverse("reports:report_detail", args=[w.mine_b.pk])).content.decode()
    assert "乙进度" in detail and "审核通过" not in detail.split('data-testid="history"')[0]
    fill = client.get(reverse("reports:fill"), {"period": w.period_label}).content.decode()
    assert w.project_b.name in fill and "hx-post" not in fill  # read only
    before = row_counts()
    for url, data in object_urls(w, w.mine_b, w.project_b):
        response = client.post(url, data)
        assert response.status_code in (302, 400, 404, 405), url
    assert client.get(reverse("reports:report_correct", args=[w.mine_b.pk])).status_code == 404
    for verb in ("submit", "accept", "return", "correct"):
        url = f"/api/reports/{w.mine_b.pk}/{verb}/"
        response = client.post(url, {"reason": "x"}, content_type="application/json")
        assert response.status_code == 400, verb
        assert response.json()["error"]["code"] == "validation_error"
    response = client.patch(
        f"/api/reports/{w.mine_b.pk}/", data=json.dumps({"investment_month": "1"}), content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(
        "/api/reports/",
        data=json.dumps({"project": w.project_b.pk, "period": w.period_label}),
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(reverse("reports:locks"), {"region": "140400", "period": w.period_label})
    assert response.status_code == 400
    assert row_counts() == before
    assert client.get(f"/api/reports/{w.mine_b.pk}/").status_code == 200


def test_anonymous_is_sent_to_login(reports):
    from django.test import Client

    client = Client()
    for name in LIST_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/reports/").status_code in (401, 403)
    assert client.get("/api/month-locks/").status_code in (401, 403)
