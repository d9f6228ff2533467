"""The chains API: scoped reads, writes through the services, clear 400s, the map, the schema."""

import json

import pytest

from tiaodu.chains.models import Member, Output, Segment
from tiaodu.conftest import client_for
from tiaodu.testing import OrganisationFactory

pytestmark = pytest.mark.django_db


def post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_reads_are_scoped(chain_world):
    w = chain_world
    client = client_for(w.admin_a)
    for prefix, own, other in [
        ("chains", w.chain_a, w.chain_b),
        ("chain-segments", w.segments_a[0], w.segment_b),
        ("chain-members", w.member_a, w.member_b),
        ("chain-outputs", w.output_a, w.output_b),
        ("chain-projects", w.link_a, w.link_b),
    ]:
        ids = [row["id"] for row in client.get(f"/api/{prefix}/").json()["results"]]
        assert own.pk in ids and other.pk not in ids, prefix
        assert client.get(f"/api/{prefix}/{other.pk}/").status_code == 404
    chain = client.get(f"/api/chains/{w.chain_a.pk}/").json()
    assert chain["region"] == w.county_a.code and [s["name"] for s in chain["segments"]] == ["原料", "加工", "应用"]
    assert client.get(f"/api/chain-outputs/{w.output_a.pk}/").json()["actual"] == "1200.50"


def test_map_endpoint(chain_world):
    w = chain_world
    client = client_for(w.admin_a)
    data = client.get(f"/api/chains/{w.chain_a.pk}/map/").json()
    assert data["segments"][0]["enterprises"][0]["name"] == w.owner_org_a.name
    assert client.get(f"/api/chains/{w.chain_b.pk}/map/").status_code == 404


def test_writes_through_services_and_bad_input(chain_world):
    w = chain_world
    client = client_for(w.admin_a)
    response = post(
        client, "/api/chains/", {"name": "壶关API链", "region": w.county_a.code, "segment_names": ["甲", "乙"]}
    )
    assert response.status_code == 201, response.content
    chain_id = response.json()["id"]
    segs = response.json()["segments"]
    assert [s["name"] for s in segs] == ["甲", "乙"]
    response = post(client, "/api/chains/", {"name": "越界", "region": w.county_b.code})
    assert response.status_code == 400 and "region" in response.json()["error"]["fields"]
    org = OrganisationFactory(name="壶关API企业有限公司", region=w.county_a)
    member = {"chain": chain_id, "segment": segs[0]["id"], "organisation": org.pk, "role": "master"}
    response = post(client, "/api/chain-members/", member)
    assert response.status_code == 201, response.content
    member_id = response.json()["id"]
    response = post(client, "/api/chain-members/", {**member, "segment": segs[1]["id"]})
    assert response.status_code == 400
    assert "只能出现一次" in response.json()["error"]["message"]
    other = OrganisationFactory(name="壶关另一企业有限公司", region=w.county_a)
    response = post(client, "/api/chain-members/", {**member, "organisation": other.pk, "segment": w.segments_a[0].pk})
    assert response.status_code == 400 and "segment" in response.json()["error"]["fields"]
    response = post(client, "/api/chain-members/", {**member, "organisation": w.org_b.pk})
    assert response.status_code == 400 and "organisation" in response.json()["error"]["fields"]
    response = post(client, f"/api/chain-members/{member_id}/", {"segment": segs[1]["id"]}, "patch")
    assert response.status_code == 200 and Member.objects.get(pk=member_id).segment_id == segs[1]["id"]
    response = client.delete(f"/api/chain-segments/{segs[1]['id']}/")
    assert response.status_code == 400 and "请先移出" in response.json()["error"]["message"]
    response = post(client, f"/api/chains/{chain_id}/reorder/", {"order": [segs[1]["id"], segs[0]["id"]]})
    assert response.status_code == 200 and [s["name"] for s in response.json()] == ["乙", "甲"]
    response = post(client, f"/api/chains/{chain_id}/reorder/", {"order": [segs[1]["id"]]})
    assert response.status_code == 400
    response = post(client, "/api/chain-segments/", {"chain": chain_id, "name": "丙"})
    assert response.status_code == 201 and response.json()["position"] == 3
    response = post(client, "/api/chain-outputs/", {"chain": chain_id, "year": 2025, "actual": "-1"})
    assert response.status_code == 400
    response = post(client, "/api/chain-outputs/", {"chain": chain_id, "year": 2025, "actual": "12.5", "target": "20"})
    assert response.status_code == 201 and response.json()["actual"] == "12.50"
    assert Output.objects.filter(chain_id=chain_id).count() == 1
    response = post(client, "/api/chain-projects/", {"chain": chain_id, "project": w.project_b.pk})
    assert response.status_code == 400
    response = post(client, "/api/chain-projects/", {"chain": chain_id, "project": w.project_a2.pk})
    assert response.status_code == 201
    assert client.delete(f"/api/chain-projects/{response.json()['id']}/").status_code == 204
    assert client.delete(f"/api/chain-members/{member_id}/").status_code == 204
    assert client.delete(f"/api/chain-segments/{segs[1]['id']}/").status_code == 204
    assert Segment.objects.filter(chain_id=chain_id).count() == 2


def test_schema_lists_chain_endpoints(world):
    client = client_for(world.admin_a)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ["/api/chains/", "/api/chains/{id}/map/", "/api/chain-members/", "/api/chain-outputs/"]:
        assert path in schema["paths"], path
