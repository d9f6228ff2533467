"""The REST API: token login, the same validation as the forms, one error shape, never a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tiaodu.core.dates import local_today
from tiaodu.projects.choices import Stage
from tiaodu.projects.models import Project, StageTransition
from tiaodu.testing import PASSWORD, OrganisationFactory, ProjectFactory, admin_of, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return admin_of(region("140427"), username="hg_admin")


@pytest.fixture
def api(admin):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "hg_admin", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.fixture
def owner(admin):
    return OrganisationFactory(region=region("140427"), actor=admin)


def payload(owner_org, **overrides):
    body = {
        "name": "壶关县年产5万吨新材料项目",
        "owner": owner_org.pk,
        "region": "140427",
        "sector": "industry",
        "nature": "new",
        "total_investment": "52000.50",
    }
    body.update(overrides)
    return body


def test_token_login_wrong_password_is_a_clear_400():
    response = APIClient().post("/api/auth/token/", {"username": "nobody", "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_create_read_update_and_transition(api, owner, admin):
    response = api.post("/api/projects/", payload(owner, code="2025-140427-44-01-000321"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region"] == "140427" and body["total_investment"] == "52000.50" and body["stage"] == "planning"
    project_id = body["id"]
    response = api.patch(f"/api/projects/{project_id}/", {"total_investment": "60000"}, format="json")
    assert response.status_code == 200 and response.json()["total_investment"] == "60000.00"
    response = api.post(
        f"/api/projects/{project_id}/transition/",
        {"to_stage": "construction", "date": "2025-04-18", "reason": "开工仪式"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["to_state"] == "construction"
    project = Project.objects.get(pk=project_id)
    assert project.stage == Stage.CONSTRUCTION and str(project.actual_start_date) == "2025-04-18"
    history = api.get(f"/api/projects/{project_id}/history/").json()
    assert history[0]["kind"] == "stage" and history[0]["title"] == "谋划 → 在建"
    assert history[0]["actor"] == "hg_admin"


def test_stage_cannot_be_patched_directly(api, admin):
    project = ProjectFactory(actor=admin)
    response = api.patch(f"/api/projects/{project.pk}/", {"stage": "construction"}, format="json")
    assert response.status_code == 400
    assert "stage" in response.json()["error"]["fields"]
    project.refresh_from_db()
    assert project.stage == Stage.PLANNING


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"code": "2025-1404-44-01-1"}, "code", "项目代码应为24位"),
        ({"total_investment": "-5"}, "total_investment", ""),
        ({"total_investment": "一百万"}, "total_investment", ""),
        ({"region": "999999"}, "region", ""),
        ({"region": "140428"}, "region", ""),
        ({"owner": 999999}, "owner", ""),
        ({"stage": "construction", "code": "2025-140427-44-01-000001"}, "actual_start_date", "实际开工日期"),
        (
            {"stage": "construction", "code": "2025-140427-44-01-000001", "actual_start_date": "2999-01-01"},
            "actual_start_date",
            "不能晚于今天",
        ),
        ({"sector": "mining"}, "sector", ""),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_is_written(api, owner, overrides, field, words):
    before = Project.objects.count(), Project.history.count(), StageTransition.objects.count()
    response = api.post("/api/projects/", payload(owner, **overrides), format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"], error
    assert words in json.dumps(error, ensure_ascii=False)
    assert (Project.objects.count(), Project.history.count(), StageTransition.objects.count()) == before


def test_duplicate_code_is_refused(api, owner, admin):
    ProjectFactory(actor=admin, code="2025-140427-44-01-000777")
    response = api.post("/api/projects/", payload(owner, code="2025-140427-44-01-000777"), format="json")
    assert response.status_code == 400 and "code" in response.json()["error"]["fields"]


def test_messages_follow_the_request_language(api, owner):
    response = api.post("/api/projects/", payload(owner, code="bad"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    message = json.dumps(response.json(), ensure_ascii=False)
    assert "24 characters" in message, message


def test_malformed_body_is_a_400(api):
    response = api.post("/api/projects/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    response = api.post("/api/projects/1/transition/", data="[]", content_type="application/json")
    assert response.status_code in (400, 404)


def test_transition_without_its_fact_is_refused(api, admin):
    project = ProjectFactory(actor=admin, stage=Stage.CONSTRUCTION)
    for body in (
        {"to_stage": "withdrawn", "date": "2025-01-01"},
        {"to_stage": "operating"},
        {"to_stage": "operating", "date": str(local_today().replace(year=local_today().year + 1))},
        {"to_stage": "capacity", "date": "2025-08-01"},
    ):
        response = api.post(f"/api/projects/{project.pk}/transition/", body, format="json")
        assert response.status_code == 400, (body, response.content)
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "owner",
                "region",
                "sector",
                "nature",
                "total_investment",
                "code",
                "stage",
                "actual_start_date",
                "planned_start_date",
                "leader",
                "in_statistics",
            ]
        ),
        st.one_of(
            st.none(),
            st.text(max_size=30),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.booleans(),
            st.lists(st.integers(), max_size=2),
        ),
    )
)
def test_no_payload_makes_a_500(api, body):
    response = api.post("/api/projects/", body, format="json")
    assert response.status_code in (201, 400), response.content
