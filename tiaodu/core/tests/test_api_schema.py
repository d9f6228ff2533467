"""The OpenAPI document generates cleanly: no errors, no warnings, every endpoint described."""

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for expected in [
        "/api/projects/",
        "/api/projects/{id}/transition/",
        "/api/key-lists/{id}/publish/",
        "/api/regions/",
        "/api/organisations/",
        "/api/auth/token/",
    ]:
        assert expected in paths, expected
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_is_served(client, django_user_model):
    assert client.get("/api/schema/").status_code == 200
