"""The dispatch API: meetings with agenda, decisions and tasks; visits with figures; tours with scores and results."""

import datetime
import json

import pytest

from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.problems.testing import category
from tiaodu.testing import OfficialFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_meeting_chain_over_the_api(problem_world):
    w = problem_world
    client = client_for(w.city_admin)
    response = post(
        client,
        "/api/meetings/",
        {"region": w.city.code, "title": "周调度会", "kind": "weekly", "level": "city", "date": TODAY.isoformat()},
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    proposals = client.get(f"/api/meetings/{pk}/proposals/").json()
    assert any(p["project"] == w.project_b.pk and "overdue" in p["reasons"] for p in proposals)
    meeting = post(client, f"/api/meetings/{pk}/agenda/", {"project": w.project_b.pk, "reason": "overdue"}).json()
    item = meeting["items"][0]["id"]
    response = post(client, f"/api/meetings/{pk}/decisions/", {"item": item, "decisions": "限期拨付"})
    assert response.json()["decisions"] == "限期拨付"
    deadline = (TODAY + datetime.timedelta(days=5)).isoformat()
    task = {"item": item, "category": category("资金").pk, "description": "拨付", "department": w.department_org.pk}
    response = post(client, f"/api/meetings/{pk}/tasks/", {**task, "deadline": deadline})
    assert response.status_code == 201 and response.json()["status"] == "assigned"
    assert response.json()["project"] == w.project_b.pk and response.json()["level"] == "city"
    bad = post(client, f"/api/meetings/{pk}/tasks/", {**task, "deadline": "2000-01-01"})
    assert bad.status_code == 400 and "办理时限不能早于发现日期" in json.dumps(bad.json(), ensure_ascii=False)
    assert post(client, f"/api/meetings/{pk}/held/", {}).json()["status"] == "held"
    assert post(client, f"/api/meetings/{pk}/held/", {}).status_code == 400


def test_visits_and_tours_over_the_api(problem_world):
    w = problem_world
    client = client_for(w.city_admin)
    leader = OfficialFactory(name="丙市长", region=w.city)
    response = post(
        client,
        "/api/site-visits/",
        {"region": w.city.code, "date": TODAY.isoformat(), "leaders": [leader.pk], "projects": [w.project_a.pk]},
    )
    assert response.status_code == 201, response.json()
    visit = response.json()["id"]
    found = post(
        client,
        f"/api/site-visits/{visit}/problems/",
        {"project": w.project_a.pk, "category": category("用地").pk, "description": "用地"},
    )
    assert found.status_code == 201 and found.json()["source"] == "site_visit"
    figures = client.get("/api/site-visits/figures/").json()
    assert (figures["person_visits"], figures["project_visits"], figures["problems_found"]) == (1, 1, 1)
    tour = post(
        client,
        "/api/inspection-tours/",
        {
            "region": w.city.code,
            "title": "拉练",
            "year": TODAY.year,
            "quarter": 1,
            "date": TODAY.isoformat(),
            "projects": [w.project_a.pk, w.project_b.pk],
            "criteria": [
                {"name": "进度", "weight": "60", "max_score": "100"},
                {"name": "保障", "weight": "40", "max_score": "50"},
            ],
        },
    )
    assert tour.status_code == 201, tour.json()
    tour = tour.json()
    progress, support = (c["id"] for c in tour["criteria"])
    scores = [
        {"project": w.project_a.pk, "criterion": progress, "score": "80"},
        {"project": w.project_a.pk, "criterion": support, "score": "50"},
    ]
    results = post(client, f"/api/inspection-tours/{tour['id']}/scores/", scores).json()
    assert results["projects"][0]["total"] == "88.00" and results["projects"][0]["rank"] == 1
    bad = post(client, f"/api/inspection-tours/{tour['id']}/scores/", [{**scores[1], "score": "60"}])
    assert bad.status_code == 400 and "得分应在 0 到 50 之间" in json.dumps(bad.json(), ensure_ascii=False)


def test_another_county_reaches_nothing(dispatch_world):
    w = dispatch_world
    client = client_for(w.admin_a)
    for prefix, obj in (("meetings", w.meeting_b), ("site-visits", w.visit_b), ("inspection-tours", w.tour_b)):
        assert obj.pk not in [row["id"] for row in client.get(f"/api/{prefix}/").json()["results"]]
        assert client.get(f"/api/{prefix}/{obj.pk}/").status_code == 404
    for url in (
        f"/api/meetings/{w.meeting_b.pk}/agenda/",
        f"/api/meetings/{w.meeting_b.pk}/decisions/",
        f"/api/meetings/{w.meeting_b.pk}/tasks/",
        f"/api/meetings/{w.meeting_b.pk}/held/",
        f"/api/site-visits/{w.visit_b.pk}/problems/",
        f"/api/inspection-tours/{w.tour_b.pk}/scores/",
    ):
        assert post(client, url, {}).status_code == 404, url
    for url in (f"/api/meetings/{w.meeting_b.pk}/proposals/", f"/api/inspection-tours/{w.tour_b.pk}/results/"):
        assert client.get(url).status_code == 404
    assert client.get("/api/site-visits/figures/").json()["visits"] == 0


def test_lists_do_not_grow_queries_with_rows(dispatch_world, django_assert_max_num_queries):
    from tiaodu.dispatch import services

    w = dispatch_world
    for index in range(6):
        meeting = services.meeting_schedule(
            actor=w.admin_b, region=w.county_b, title=f"会{index}", date=TODAY, kind="weekly", level="county"
        )
        services.agenda_add(actor=w.admin_b, meeting=meeting, project=w.project_b)
        services.visit_record(
            actor=w.admin_b, region=w.county_b, date=TODAY, leaders=[w.official_b], projects=[w.project_b]
        )
    client = client_for(w.admin_b)
    for url in (
        "/api/meetings/",
        "/api/site-visits/",
        "/api/inspection-tours/",
        "/meetings/",
        "/visits/",
        "/visits/figures/drilldown/?start=2025-01-01&measure=person_visits",
        "/visits/figures/drilldown/?start=2025-01-01&measure=project_visits",
    ):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200, url
