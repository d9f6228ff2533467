"""The figures over the API: the CLI's JSON, rankings, paged drill-downs; scoped, one error shape."""

import io
import json
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from tiaodu.figures.selectors import RATES, FigureQuery, figures
from tiaodu.testing import PASSWORD

from .test_series import JULY, figure_city_fixture  # noqa: F401  (the fixture figure_city)

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_figures_are_the_same_json_as_the_command(figure_city):
    w = figure_city
    response = api_for(w.city_admin).get("/api/figures/", {"period": "2025-07", "region": "140400"})
    assert response.status_code == 200
    body = response.json()
    assert body == figures(w.city_admin, FigureQuery(period=JULY, region=w.city)).as_json()
    out = io.StringIO()
    call_command("figures", "--period", "2025-07", "--region", "140400", "--json", stdout=out)
    assert json.loads(out.getvalue()) == body
    assert body["start_rate"] == {"numerator": 2, "denominator": 4, "rate": "50.0"}
    assert body["investment_completion_rate"]["numerator"] == "10100.00"
    assert body["stages"]["construction"] == 4 and body["as_of"] == "current"


def test_token_authentication_and_defaults(figure_city, monkeypatch):
    monkeypatch.setattr("tiaodu.figures.forms.last_finished_month", lambda: JULY)
    client = APIClient()
    token = client.post("/api/auth/token/", {"username": "city_admin", "password": PASSWORD}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    body = client.get("/api/figures/").json()
    assert body["period"] == "2025-07" and body["region"] == "140400" and body["projects"] == 7


def test_ranking(figure_city):
    client = api_for(figure_city.city_admin)
    body = client.get("/api/figures/ranking/", {"period": "2025-07", "rate": "resumption_rate"}).json()
    assert body["rate"] == "resumption_rate" and body["label"] == "复工率"
    assert [(r["rank"], r["region"], r["rate"]) for r in body["results"]] == [
        (1, "140427", "100.0"),
        (1, "140428", "100.0"),
    ]
    money = client.get("/api/figures/ranking/", {"period": "2025-07", "rate": "investment_completion_rate"}).json()
    assert money["results"][0] == {
        "rank": 1,
        "region": "140428",
        "region_name": "长子县",
        "numerator": "7100.00",
        "denominator": "10000.00",
        "rate": "71.0",
    }
    for bad in ({}, {"rate": "speed"}):
        response = client.get("/api/figures/ranking/", {"period": "2025-07", **bad})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error" and "rate" in response.json()["error"]["fields"]


def test_drilldown_is_paged_and_its_count_is_the_numerator(figure_city):
    w = figure_city
    client = api_for(w.city_admin)
    expected = figures(w.city_admin, FigureQuery(period=JULY, region=w.city))
    for key, rate in RATES.items():
        body = client.get("/api/figures/drilldown/", {"period": "2025-07", "rate": key, "page_size": 500}).json()
        if rate.money_field:
            assert sum(Decimal(r["ytd"]) for r in body["results"]) == expected.rates[key].numerator
        else:
            assert body["count"] == expected.rates[key].numerator, key
    page = client.get("/api/figures/drilldown/", {"period": "2025-07", "rate": "all", "page_size": 3}).json()
    assert page["count"] == 7 and len(page["results"]) == 3 and page["next"]
    row = next(
        r
        for r in client.get("/api/figures/drilldown/", {"period": "2025-07", "rate": "start_rate"}).json()["results"]
        if r["name"] == w.a1.name
    )
    assert row == {
        "project": w.a1.pk,
        "code": w.a1.code,
        "name": w.a1.name,
        "region": "140427",
        "region_name": "壶关县",
        "owner": w.a1.owner.name,
        "level": "city",
        "sector": "industry",
        "nature": "new",
        "annual_plan": "3000.00",
        "ytd": "2000.00",
        "actual_start_date": "2025-03-10",
        "stage": "construction",
        "reported": True,
    }


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/api/figures/", {"period": "2025-13"}, "period"),
        ("/api/figures/", {"region": "999999"}, "region"),
        ("/api/figures/", {"level": "town"}, "level"),
        ("/api/figures/", {"period": "2025-07", "as_of": "lock"}, "as_of"),
        ("/api/figures/drilldown/", {"rate": "nope"}, "rate"),
        ("/api/figures/drilldown/", {"part": "half"}, "part"),
        ("/api/figures/ranking/", {"rate": "start_rate", "sector": "x"}, "sector"),
    ],
)
def test_bad_questions_get_the_one_error_shape(figure_city, url, params, field):
    response = api_for(figure_city.city_admin).get(url, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"] and error["message"]


def test_anonymous_is_refused_in_the_error_shape():
    for url in ("/api/figures/", "/api/figures/ranking/?rate=start_rate", "/api/figures/drilldown/"):
        response = APIClient().get(url)
        assert response.status_code in (401, 403)
        assert "error" in response.json()


def test_another_county_sees_nothing_of_this_one(figure_city):
    w = figure_city
    client = api_for(w.admin_b)
    secrets = [w.a1.name, w.a2.name, w.a3.name, w.project_a.name, "壶关县", "140427"]
    own = client.get("/api/figures/", {"period": "2025-07"})
    assert own.json() == figures(w.admin_b, FigureQuery(period=JULY, region=w.county_b)).as_json()
    responses = [
        own,
        client.get("/api/figures/ranking/", {"period": "2025-07", "rate": "start_rate"}),
        client.get("/api/figures/drilldown/", {"period": "2025-07", "rate": "all", "page_size": 500}),
        client.get("/api/figures/drilldown/", {"period": "2025-07", "rate": "lagging"}),
    ]
    for response in responses:
        assert response.status_code == 200
        for secret in secrets:
            assert secret not in response.content.decode(), secret
    for url in ("/api/figures/", "/api/figures/drilldown/"):
        for code in ("140427", "140400"):
            response = client.get(url, {"period": "2025-07", "region": code})
            assert response.status_code == 400 and "region" in response.json()["error"]["fields"]
            assert "壶关" not in response.content.decode() and "长治" not in response.content.decode()


def test_schema_documents_the_figures(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    for path in ("/api/figures/", "/api/figures/ranking/", "/api/figures/drilldown/"):
        assert path in paths
    parameters = {p["name"] for p in paths["/api/figures/drilldown/"]["get"]["parameters"]}
    assert {"period", "region", "level", "sector", "as_of", "rate", "part", "page"} <= parameters
