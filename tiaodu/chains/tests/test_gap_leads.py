"""招商图谱: a chain's gap lists the leads aimed at it, and a new lead started from the gap lands there."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tiaodu.attraction import services as attraction_services
from tiaodu.attraction.models import Lead
from tiaodu.attraction.testing import lead
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today

pytestmark = pytest.mark.django_db


def _gap(body: str, segment_pk: int) -> str:
    start = body.index(f'data-testid="gap" data-segment="{segment_pk}"')
    return body[start : body.find("</li>", start)]


def test_a_gap_lists_its_leads_and_starts_a_new_one(chain_world):
    w = chain_world
    chain, gap = w.chain_a, w.segments_a[1]  # 加工: no enterprise, a gap
    aimed = lead(w, w.admin_a, region=w.county_a, name="壶关碳纤维加工招商项目", chain=chain, segment=gap)
    dropped = lead(w, w.admin_a, region=w.county_a, name="壶关已终止加工项目", chain=chain, segment=gap)
    attraction_services.lead_terminate(actor=w.admin_a, lead=dropped, reason="投资方撤回")
    elsewhere = lead(w, w.admin_a, region=w.county_a, name="壶关原料招商项目", chain=chain, segment=w.segments_a[0])
    client = client_for(w.admin_a)
    url = reverse("chains:chain_detail", args=[chain.pk])
    body = client.get(url).content.decode()
    panel = _gap(body, gap.pk)
    assert aimed.name in panel and aimed.get_absolute_url() in panel
    assert dropped.name not in panel and elsewhere.name not in panel
    # Start a new lead from the gap: the form comes with the chain and the segment chosen.
    new_url = unescape(re.search(r'href="([^"]+)" data-testid="gap-new-lead"', panel)[1])
    form = client.get(new_url).context["form"]
    assert form.initial["chain"] == chain.pk and form.initial["segment"] == gap.pk
    response = client.post(
        new_url,
        {
            "name": "壶关复合材料加工招商项目",
            "investor": "江苏测试新材料集团",
            "investor_origin": form.fields["investor_origin"].choices[0][0],
            "source": form.fields["source"].choices[0][0],
            "sector": "industry",
            "region": w.county_a.pk,
            "chain": chain.pk,
            "segment": gap.pk,
            "intended_investment": "20000",
            "registered_on": local_today().isoformat(),
        },
    )
    assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
    created = Lead.objects.get(name="壶关复合材料加工招商项目")
    assert (created.chain, created.segment) == (chain, gap)
    assert created.name in _gap(client.get(url).content.decode(), gap.pk)


def test_a_leader_sees_the_leads_but_no_button_and_another_county_sees_nothing(chain_world):
    w = chain_world
    gap = w.segments_a[1]
    lead(w, w.admin_a, region=w.county_a, name="壶关碳纤维加工招商项目", chain=w.chain_a, segment=gap)
    url = reverse("chains:chain_detail", args=[w.chain_a.pk])
    panel = _gap(client_for(w.leader).get(url).content.decode(), gap.pk)
    assert "壶关碳纤维加工招商项目" in panel and "gap-new-lead" not in panel
    assert client_for(w.admin_b).get(url).status_code == 404
