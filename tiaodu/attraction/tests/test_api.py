"""The API: leads with their workflow verbs, teams, alarm rules, alarms, figures — scoped and in the schema."""

import datetime
import json

import pytest

from tiaodu.attraction.models import Lead
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.problems.testing import category
from tiaodu.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_lead_life_over_the_api(lead_world):
    w = lead_world
    client = client_for(w.admin_a)
    response = _post(
        client,
        "/api/leads/",
        {
            "name": "接口项目",
            "investor": "投资方",
            "sector": "industry",
            "intended_investment": "1000.5",
            "region": w.county_a.code,
            "team": w.team_a.pk,
        },
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["stage"] == "lead" and response.json()["intended_investment"] == "1000.50"
    response = _post(client, f"/api/leads/{pk}/advance/", {"to_stage": "landed"})
    assert response.status_code == 400 and "amount" in response.json()["error"]["fields"]
    response = _post(
        client, f"/api/leads/{pk}/sign/", {"signed_on": TODAY.isoformat(), "kind": "contract", "amount": "900"}
    )
    assert response.status_code == 200 and response.json()["stage"] == "signed"
    response = _post(client, f"/api/leads/{pk}/advance/", {"to_stage": "landed"})
    assert response.status_code == 400 and "company" in response.json()["error"]["fields"]
    company = OrganisationFactory(region=w.county_a)
    response = _post(client, f"/api/leads/{pk}/advance/", {"to_stage": "landed", "company": company.pk})
    assert response.status_code == 200 and response.json()["company"] == company.pk
    response = _post(client, f"/api/leads/{pk}/funds/", {"on": TODAY.isoformat(), "amount": "10"})
    assert response.status_code == 200 and response.json()["funds"][0]["amount"] == "10.00"
    response = _post(client, f"/api/leads/{pk}/project/", {})
    assert response.status_code == 200 and response.json()["project"]
    assert client.get(f"/api/leads/{pk}/events/").status_code == 200
    response = _post(client, f"/api/leads/{pk}/terminate/", {"reason": ""})
    assert response.status_code == 400
    response = _post(client, f"/api/leads/{pk}/terminate/", {"reason": "撤资"})
    assert response.status_code == 200 and response.json()["stage"] == "terminated"
    assert _post(client, f"/api/leads/{pk}/advance/", {"to_stage": "started"}).status_code == 400
    response = client.patch(f"/api/leads/{w.lead_a.pk}/", data='{"name": "改名"}', content_type="application/json")
    assert response.status_code == 200 and Lead.objects.get(pk=w.lead_a.pk).name == "改名"
    ids = [row["id"] for row in client.get("/api/leads/").json()["results"]]
    assert w.lead_b.pk not in ids and w.lead_a.pk in ids


def test_teams_rules_alarms_and_figures(lead_world):
    w = lead_world
    client = client_for(w.admin_a)
    assert [t["name"] for t in client.get("/api/attraction-teams/").json()["results"]] == [w.team_a.name]
    rules = client.get("/api/alarm-rules/").json()["results"]
    assert [r["name"] for r in rules] == ["签而未落", "落而未投", "投而未产"]
    assert (
        client.patch(
            f"/api/alarm-rules/{w.rule_signed.pk}/", data='{"months": 2}', content_type="application/json"
        ).status_code
        == 400
    )
    city = client_for(w.city_admin)
    response = city.patch(
        f"/api/alarm-rules/{w.rule_signed.pk}/", data='{"months": 7}', content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["months"] == 7
    alarms = client.get("/api/alarms/").json()["results"]
    assert {a["lead"] for a in alarms} == {w.lead_a.pk, w.lead_a_landed.pk}
    assert client.get("/api/alarms/", {"rule": "x"}).status_code == 400
    response = _post(
        client,
        "/api/alarms/to-problem/",
        {
            "lead": w.lead_a.pk,
            "rule": w.rule_signed.pk,
            "category": category("其他").pk,
            "department": w.dept_a_org.pk,
            "deadline": (TODAY + datetime.timedelta(days=9)).isoformat(),
        },
    )
    assert response.status_code == 201 and response.json()["number"].startswith("WT")
    figures = client.get("/api/leads/figures/", {"start": "2020-01-01"}).json()
    assert figures["totals"]["signed"] == 2 and figures["by_region"][0]["label"] == "壶关县"
    assert client.get("/api/leads/figures/", {"start": "nonsense"}).status_code == 400
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/leads/{id}/advance/", "/api/alarms/", "/api/alarm-rules/", "/api/leads/figures/"):
        assert path in schema
