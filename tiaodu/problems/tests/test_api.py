"""The problem API: scoped list and detail, record, every workflow verb, refusals as 400 with the message."""

import datetime
import json

import pytest

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.problems.models import Problem
from tiaodu.problems.testing import category

pytestmark = pytest.mark.django_db
TODAY = local_today()


def post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_list_is_scoped_and_filterable(problem_world):
    w = problem_world
    client = client_for(w.admin_a)
    ids = [row["id"] for row in client.get("/api/problems/").json()["results"]]
    assert ids == [w.problem_a.pk]
    assert client.get(f"/api/problems/{w.problem_b.pk}/").status_code == 404
    # B's county is not even a choice: refused, nothing listed.
    response = client.get("/api/problems/", {"region": w.county_b.pk})
    assert response.status_code == 400 and w.problem_b.description not in response.content.decode()
    city = client_for(w.city_admin).get("/api/problems/", {"status": "assigned"}).json()["results"]
    assert [row["id"] for row in city] == [w.problem_b.pk]
    assert city[0]["region"] == w.county_b.code and city[0]["number"] == w.problem_b.number
    response = client.get("/api/problems/", {"status": "bogus"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"


def test_record_and_the_whole_chain_over_the_api(problem_world):
    w = problem_world
    admin, dept = client_for(w.admin_a), client_for(w.dept_a)
    response = post(
        admin,
        "/api/problems/",
        {
            "project": w.project_a.pk,
            "source": "meeting",
            "category": category("拆迁").pk,
            "description": "拆迁户未签约",
            "found_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "open" and response.json()["region"] == w.county_a.code
    deadline = (TODAY + datetime.timedelta(days=7)).isoformat()
    response = post(admin, f"/api/problems/{pk}/assign/", {"department": w.dept_a_org.pk, "deadline": deadline})
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    assert post(dept, f"/api/problems/{pk}/start/").json()["status"] == "in_progress"
    assert post(dept, f"/api/problems/{pk}/answer/", {"answer": "已签约"}).json()["status"] == "answered"
    response = post(admin, f"/api/problems/{pk}/send-back/", {"reason": "缺协议"})
    assert response.json()["status"] == "in_progress" and response.json()["send_back_reason"] == "缺协议"
    post(dept, f"/api/problems/{pk}/answer/", {"answer": "补充协议"})
    response = post(admin, f"/api/problems/{pk}/close/", {"comment": "同意"})
    assert response.json()["status"] == "closed" and response.json()["resolution_days"] == 3
    events = admin.get(f"/api/problems/{pk}/events/").json()
    assert [e["kind"] for e in events] == [
        "recorded",
        "assigned",
        "started",
        "answered",
        "sent_back",
        "answered",
        "closed",
    ]


def test_escalate_over_the_api(problem_world):
    w = problem_world
    response = post(client_for(w.admin_a), f"/api/problems/{w.problem_a.pk}/escalate/", {"reason": "需市级协调"})
    assert response.status_code == 200 and response.json()["level"] == "city"
    response = post(client_for(w.admin_a), f"/api/problems/{w.problem_a.pk}/escalate/", {"reason": "再提"})
    assert response.status_code == 400


def test_refusals_are_400_with_the_message_and_write_nothing(problem_world):
    w = problem_world
    admin = client_for(w.admin_a)
    response = post(admin, f"/api/problems/{w.problem_a.pk}/close/")
    assert response.status_code == 400 and "问题尚未办结，不能销号" in response.json()["error"]["message"]
    response = post(
        admin, f"/api/problems/{w.problem_a.pk}/assign/", {"department": w.dept_a_org.pk, "deadline": "2000-01-01"}
    )
    assert response.status_code == 400 and "办理时限不能早于发现日期" in json.dumps(response.json(), ensure_ascii=False)
    response = post(client_for(w.department), f"/api/problems/{w.problem_b.pk}/answer/", {"answer": "x"})
    assert response.status_code == 400 and "未交办给您的单位" in response.json()["error"]["message"]
    response = post(admin, "/api/problems/", {"source": "meeting", "category": category("其他").pk, "description": "x"})
    assert response.status_code == 400 and "请选择项目" in json.dumps(response.json(), ensure_ascii=False)
    assert Problem.objects.count() == 2
    w.problem_a.refresh_from_db()
    assert w.problem_a.status == "open"


def test_another_county_gets_404_on_every_verb(problem_world):
    w = problem_world
    client = client_for(w.admin_a)
    for verb in ("assign", "start", "answer", "close", "send-back", "escalate"):
        response = post(client, f"/api/problems/{w.problem_b.pk}/{verb}/", {"reason": "x", "answer": "x"})
        assert response.status_code == 404, verb
    assert client.get(f"/api/problems/{w.problem_b.pk}/events/").status_code == 404
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            f"/api/problems/{w.problem_a.pk}/", data="{}", content_type="application/json"
        )
        assert response.status_code == 405


def test_figures_over_the_api(problem_world):
    w = problem_world
    data = client_for(w.city_admin).get("/api/problems/figures/", {"start": "2025-01-01"}).json()
    assert data["totals"]["found"] == 2 and data["totals"]["solved"] == 0
    assert {row["label"] for row in data["by_region"]} == {w.county_a.name, w.county_b.name}
    mine = client_for(w.admin_a).get("/api/problems/figures/", {"start": "2025-01-01"}).json()
    assert [row["label"] for row in mine["by_region"]] == [w.county_a.name]
    bad = client_for(w.admin_a).get("/api/problems/figures/", {"start": "2025-02-30"})
    assert bad.status_code == 400


def test_categories(problem_world):
    names = [row["name"] for row in client_for(problem_world.owner_a).get("/api/problem-categories/").json()["results"]]
    assert "用地" in names and "大气" in names
