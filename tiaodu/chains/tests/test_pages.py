"""The chain pages: list, detail with map data, drill-downs, exports and the forms."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tiaodu.chains.models import Member, Output, Segment
from tiaodu.conftest import client_for
from tiaodu.testing import OrganisationFactory

pytestmark = pytest.mark.django_db


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def test_list_shows_own_chains_with_counts_and_exports(chain_world):
    w = chain_world
    client = client_for(w.admin_a)
    body = client.get(reverse("chains:chain_list")).content.decode()
    assert w.chain_a.name in body and w.chain_b.name not in body
    assert "1,200.50" in body and "2,000.00" in body
    rows = xlsx_rows(client.get(reverse("chains:chain_list"), {"export": "xlsx"}).content)
    assert rows[0][0] == "产业链一览表" and rows[1][0] == "单位：万元" and rows[2][0] == "序号"
    assert rows[3][1] == w.chain_a.name
    assert rows[-1][0] == "合计"
    # Masters 1, cores 0, members 1, gaps: 3 segments with fewer than 2 enterprises.
    assert rows[3][5:9] == [1, 0, 1, 3]
    city = client_for(w.city_admin).get(reverse("chains:chain_list")).content.decode()
    assert w.chain_a.name in city and w.chain_b.name in city


def test_detail_map_gaps_and_figures(chain_world):
    w = chain_world
    client = client_for(w.admin_a)
    response = client.get(w.chain_a.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="chain-map"' in body and "echarts.min.js" in body
    assert reverse("orgs:organisation_detail", args=[w.owner_org_a.pk]) in body
    assert reverse("projects:project_detail", args=[w.project_a.pk]) in body
    assert body.count('data-testid="gap"') == 3
    assert 'data-testid="gap-actions"' in body
    data = client.get(reverse("chains:chain_map_json", args=[w.chain_a.pk])).json()
    assert [s["name"] for s in data["segments"]] == ["原料", "加工", "应用"]
    first = data["segments"][0]
    assert first["enterprises"][0]["name"] == w.owner_org_a.name and first["enterprises"][0]["role"] == "master"
    assert first["enterprises"][0]["url"] == w.owner_org_a.get_absolute_url()
    assert first["projects"][0]["url"] == w.project_a.get_absolute_url()
    assert all(s["is_gap"] for s in data["segments"])


def test_project_ytd_comes_from_the_figure_base(chain_world):
    from tiaodu.figures.models import FigureRow

    w = chain_world
    row = FigureRow.objects.filter(project=w.project_a, period__year=2025, is_primary=True).order_by("-period").first()
    client = client_for(w.admin_a)
    from tiaodu.chains import selectors

    link = selectors.chain_projects(w.chain_a, w.admin_a, year=2025).get()
    assert row is not None and link.ytd == row.ytd == 0  # on the list, nothing reported
    # B's project reported 900 in May and 300 in June: 1,200 completed in 2025.
    assert selectors.chain_projects(w.chain_b, w.admin_b, year=2025).get().ytd == Decimal("1200")
    # A year the project is on no published list: no figure, shown as "—", never a made-up zero.
    assert selectors.chain_projects(w.chain_a, w.admin_a, year=2019).get().ytd is None
    rows = xlsx_rows(client.get(reverse("chains:project_rows", args=[w.chain_a.pk]), {"export": "xlsx"}).content)
    assert rows[1][0] == "单位：万元" and rows[3][2] == w.project_a.name and rows[-1][0] == "合计"


def test_drilldowns(chain_world):
    w = chain_world
    client = client_for(w.admin_a)
    url = reverse("chains:member_rows", args=[w.chain_a.pk])
    assert w.owner_org_a.name in client.get(url, {"role": "master"}).content.decode()
    assert w.owner_org_a.name not in client.get(url, {"role": "core"}).content.decode()
    assert w.owner_org_a.name not in client.get(url, {"segment": w.segments_a[1].pk}).content.decode()
    assert client.get(url, {"segment": "x"}).status_code == 200
    rows = xlsx_rows(client.get(url, {"export": "xlsx"}).content)
    assert rows[2][1] == w.owner_org_a.name
    out = xlsx_rows(client.get(reverse("chains:output_rows", args=[w.chain_a.pk]), {"export": "xlsx"}).content)
    assert out[3][1] == 2025 and out[-1][0] == "合计"


def test_forms(chain_world):
    w = chain_world
    client = client_for(w.admin_a)
    response = client.post(
        reverse("chains:chain_add"),
        {"name": "壶关新能源产业链", "region": w.county_a.pk, "gap_threshold": 3, "segments": "电池 → 电机\n整车"},
    )
    assert response.status_code == 302
    chain = w.county_a.chains.get(name="壶关新能源产业链")
    assert list(chain.segments.values_list("name", flat=True)) == ["电池", "电机", "整车"]
    # Out-of-scope region: a clear message, nothing written.
    response = client.post(reverse("chains:chain_add"), {"name": "越界", "region": w.county_b.pk, "gap_threshold": 2})
    assert response.status_code == 400
    segment = chain.segments.get(name="电池")
    org = OrganisationFactory(name="壶关电池科技有限公司", region=w.county_a)
    add = reverse("chains:member_add", args=[chain.pk])
    assert client.post(add, {"organisation": org.pk, "segment": segment.pk, "role": "master"}).status_code == 302
    response = client.post(add, {"organisation": org.pk, "segment": segment.pk, "role": "member"})
    assert response.status_code == 400 and "只能出现一次" in response.content.decode()
    response = client.post(add, {"organisation": org.pk, "segment": w.segments_a[0].pk, "role": "member"})
    assert response.status_code == 400
    assert Member.objects.filter(chain=chain).count() == 1
    response = client.post(reverse("chains:output_set", args=[chain.pk]), {"year": 2025, "actual": "-3"})
    assert response.status_code == 400 and "负数" in response.content.decode()
    assert client.post(reverse("chains:output_set", args=[chain.pk]), {"year": 2025, "actual": "30"}).status_code == 302
    assert Output.objects.get(chain=chain).actual == 30
    # Removing a segment with an enterprise: message on the chain page, nothing removed.
    response = client.post(reverse("chains:segment_remove", args=[segment.pk]), follow=True)
    assert "请先移出" in response.content.decode()
    assert Segment.objects.filter(pk=segment.pk).exists()
    member = Member.objects.get(chain=chain)
    edit = reverse("chains:member_edit", args=[member.pk])
    assert client.get(edit).status_code == 200
    last = chain.segments.get(name="整车")
    assert client.post(edit, {"segment": last.pk, "role": "core"}).status_code == 302
    assert Member.objects.get(pk=member.pk).segment == last
    assert client.post(reverse("chains:segment_move", args=[last.pk]), {"step": "-1"}).status_code == 302
    assert list(chain.segments.values_list("name", flat=True)) == ["电池", "整车", "电机"]
    assert client.post(reverse("chains:segment_edit", args=[segment.pk]), {"name": "动力电池"}).status_code == 302
    assert client.post(reverse("chains:segment_add", args=[chain.pk]), {"name": "回收"}).status_code == 302
    link = reverse("chains:project_link", args=[chain.pk])
    assert client.post(link, {"project": w.project_b.pk}).status_code == 400
    assert client.post(link, {"project": w.project_a2.pk, "segment": segment.pk}).status_code == 302
    unlink = chain.chain_projects.get()
    assert client.post(reverse("chains:project_unlink", args=[unlink.pk])).status_code == 302
    assert client.post(reverse("chains:member_remove", args=[member.pk])).status_code == 302
    assert client.post(reverse("chains:segment_remove", args=[segment.pk])).status_code == 302
    edit_chain = reverse("chains:chain_edit", args=[chain.pk])
    assert client.get(edit_chain).status_code == 200
    response = client.post(edit_chain, {"name": "壶关新能源汽车产业链", "region": w.county_a.pk, "gap_threshold": 2})
    assert response.status_code == 302


def test_leader_reads_but_cannot_change(chain_world):
    w = chain_world
    client = client_for(w.leader)
    body = client.get(w.chain_a.get_absolute_url()).content.decode()
    assert w.chain_a.name in body and reverse("chains:chain_edit", args=[w.chain_a.pk]) not in body
    assert client.get(reverse("chains:chain_edit", args=[w.chain_a.pk])).status_code == 404
    assert client.post(reverse("chains:member_remove", args=[w.member_a.pk])).status_code == 404
    assert json.loads(client.get(reverse("chains:chain_map_json", args=[w.chain_a.pk])).content)["chain"]["id"]
