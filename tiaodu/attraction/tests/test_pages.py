"""The pages: list, add (prefilled from a chain gap), the workflow forms, alarms, rules, figures and exports."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tiaodu.attraction.models import AlarmProblem, Lead
from tiaodu.chains.models import Chain, Segment
from tiaodu.conftest import client_for
from tiaodu.core.dates import local_today
from tiaodu.problems.models import Problem
from tiaodu.problems.testing import category
from tiaodu.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()


def _xlsx(content):
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)


def test_list_detail_and_export(lead_world):
    w = lead_world
    client = client_for(w.admin_a)
    body = client.get(reverse("attraction:lead_list")).content.decode()
    assert w.lead_a.name in body and w.lead_b.name not in body
    detail = client.get(w.lead_a.get_absolute_url()).content.decode()
    assert w.lead_a.investor in detail and 'data-testid="advance"' in detail
    text = _xlsx(client.get(reverse("attraction:lead_list"), {"export": "xlsx"}).content)
    assert "招商项目台账" in text and w.lead_a.name in text and "合计" in text
    # The leader reads, without the workflow buttons.
    detail = client_for(w.leader).get(w.lead_b.get_absolute_url()).content.decode()
    assert w.lead_b.name in detail and 'data-testid="advance"' not in detail


def test_add_prefilled_from_chain_gap_and_bad_input(lead_world):
    w = lead_world
    chain = Chain.objects.create(name="LED产业链", region=w.county_a)
    segment = Segment.objects.create(chain=chain, name="芯片", position=3)
    client = client_for(w.admin_a)
    page = client.get(reverse("attraction:lead_add"), {"chain": chain.pk, "segment": segment.pk})
    form = page.context["form"]
    assert form.initial["chain"] == chain.pk and form.initial["segment"] == segment.pk
    assert form.initial["region"] == w.county_a.pk
    # Garbage ids are ignored, never a 500.
    assert client.get(reverse("attraction:lead_add"), {"chain": "x" * 30, "segment": "9" * 30}).status_code == 200
    data = {
        "name": "LED芯片项目",
        "investor": "三安光电",
        "investor_origin": "other_province",
        "source": "chain",
        "sector": "industry",
        "region": w.county_a.pk,
        "chain": chain.pk,
        "segment": segment.pk,
        "intended_investment": "80000",
        "registered_on": TODAY.isoformat(),
    }
    response = client.post(reverse("attraction:lead_add"), data)
    assert response.status_code == 302
    created = Lead.objects.get(name="LED芯片项目")
    assert created.segment == segment and created.created_by == w.admin_a
    before = Lead.objects.count()
    response = client.post(reverse("attraction:lead_add"), {**data, "region": w.county_b.pk})
    assert response.status_code == 400 and Lead.objects.count() == before
    response = client.post(reverse("attraction:lead_add"), {**data, "intended_investment": "-5"})
    assert response.status_code == 400 and Lead.objects.count() == before


def test_workflow_forms(lead_world):
    w = lead_world
    client = client_for(w.admin_a)
    lead = w.lead_a
    url = reverse("attraction:lead_advance", args=[lead.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"to_stage": "landed", "on": TODAY.isoformat()})
    assert response.status_code == 400 and "落地企业" in response.content.decode()
    company = OrganisationFactory(region=w.county_a)
    response = client.post(
        url,
        {
            "to_stage": "landed",
            "on": (TODAY - datetime.timedelta(days=2)).isoformat(),
            "company": company.pk,
            "standard_land": "on",
            "land_area": "50",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == "landed" and lead.land_area == 50
    response = client.post(
        reverse("attraction:lead_sign", args=[lead.pk]),
        {"signed_on": TODAY.isoformat(), "kind": "contract", "amount": "5"},
    )
    assert response.status_code == 400 and "不能晚于落地日期" in response.content.decode()
    response = client.post(reverse("attraction:lead_funds", args=[lead.pk]), {"on": TODAY.isoformat(), "amount": "120"})
    assert response.status_code == 302
    response = client.post(reverse("attraction:lead_project", args=[lead.pk]), {})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.project is not None and lead.project.owner == company
    detail = client.get(lead.get_absolute_url()).content.decode()
    assert 'data-testid="project-progress"' in detail and "120.00" in detail
    assert client.post(reverse("attraction:lead_sync", args=[lead.pk])).status_code == 302
    response = client.post(reverse("attraction:lead_terminate", args=[lead.pk]), {"reason": "", "on": TODAY})
    assert response.status_code == 400
    response = client.post(
        reverse("attraction:lead_terminate", args=[lead.pk]), {"reason": "投资方撤回", "on": TODAY.isoformat()}
    )
    assert response.status_code == 302


def test_alarm_list_counts_filters_export_and_to_problem(lead_world):
    w = lead_world
    client = client_for(w.admin_a)
    page = client.get(reverse("attraction:alarm_list"))
    body = page.content.decode()
    assert page.status_code == 200 and w.lead_a.name in body and w.lead_b.name not in body
    assert page.context["counts"]["total"] == 2
    assert client.get(reverse("attraction:alarm_list"), {"rule": w.rule_signed.pk}).context["counts"]["total"] == 1
    assert client.get(reverse("attraction:alarm_list"), {"team": w.team_a.pk}).context["counts"]["total"] == 1
    assert client.get(reverse("attraction:alarm_list"), {"rule": "abc"}).status_code == 400
    text = _xlsx(client.get(reverse("attraction:alarm_list"), {"export": "xlsx"}).content)
    assert w.lead_a.name in text and "签而未落" in text and w.lead_b.name not in text
    url = reverse("attraction:alarm_problem", args=[w.lead_a.pk, w.rule_signed.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "category": category("其他").pk,
            "source": "meeting",
            "department": w.dept_a_org.pk,
            "deadline": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400 and not Problem.objects.filter(attraction_alarms__isnull=False).exists()
    response = client.post(
        url,
        {
            "category": category("其他").pk,
            "source": "meeting",
            "department": w.dept_a_org.pk,
            "deadline": (TODAY + datetime.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302
    problem = AlarmProblem.objects.get(lead=w.lead_a).problem
    assert response["Location"] == problem.get_absolute_url()
    assert problem.number in client.get(reverse("attraction:alarm_list")).content.decode()


def test_rules_page_city_admin_edits_county_reads(lead_world):
    w = lead_world
    county = client_for(w.admin_a)
    assert "签而未落" in county.get(reverse("attraction:rule_list")).content.decode()
    assert county.get(reverse("attraction:rule_edit", args=[w.rule_signed.pk])).status_code == 404
    city = client_for(w.city_admin)
    url = reverse("attraction:rule_edit", args=[w.rule_signed.pk])
    data = {
        "city": w.city.pk,
        "name": "签而未落",
        "kind": "months",
        "from_stage": "signed",
        "to_stage": "landed",
        "months": "3",
        "sort_order": "10",
        "is_active": "on",
    }
    assert city.post(url, {**data, "to_stage": "lead"}).status_code == 400
    assert city.post(url, data).status_code == 302
    w.rule_signed.refresh_from_db()
    assert w.rule_signed.months == 3
    response = city.post(
        reverse("attraction:rule_add"), {**data, "name": "洽而未签", "from_stage": "negotiating", "to_stage": "signed"}
    )
    assert response.status_code == 302


def test_teams_pages(lead_world):
    w = lead_world
    client = client_for(w.admin_a)
    body = client.get(reverse("attraction:team_list")).content.decode()
    assert w.team_a.name in body and w.team_b.name not in body
    response = client.post(
        reverse("attraction:team_add"), {"region": w.county_a.pk, "name": "壶关县文旅招商专班", "is_active": "on"}
    )
    assert response.status_code == 302
    response = client.post(reverse("attraction:team_add"), {"region": w.county_b.pk, "name": "越界专班"})
    assert response.status_code == 400


def test_figures_page_headline_and_drilldowns(lead_world):
    w = lead_world
    client = client_for(w.city_admin)
    start = (TODAY - datetime.timedelta(days=400)).isoformat()
    page = client.get(reverse("attraction:figures"), {"start": start})
    body = page.content.decode()
    assert "3个项目签约" in body and 'data-testid="landed-series"' in body
    for measure in ("leads", "signed", "landed", "amount", "funds"):
        response = client.get(reverse("attraction:drilldown"), {"start": start, "measure": measure})
        assert response.status_code == 200
        assert (
            client.get(
                reverse("attraction:drilldown"), {"start": start, "measure": measure, "export": "xlsx"}
            ).status_code
            == 200
        )
    assert client.get(reverse("attraction:drilldown"), {"measure": "bogus"}).status_code == 400
    assert (
        client.get(
            reverse("attraction:drilldown"), {"measure": "signed", "group": "region", "key": "1" * 40}
        ).status_code
        == 400
    )
    assert client.get(reverse("attraction:figures"), {"start": "2025-02-30"}).status_code == 400


def test_query_budget_does_not_grow_with_leads(lead_world, django_assert_max_num_queries):
    from tiaodu.attraction.selectors import months_before
    from tiaodu.attraction.testing import signed_lead

    w = lead_world
    client = client_for(w.admin_a)
    for index in range(12):
        signed_lead(
            w,
            w.admin_a,
            region=w.county_a,
            name=f"预算{index}",
            signed_on=months_before(TODAY, 9),
            team=w.team_a,
            responsible=w.admin_a,
        )
    for url in (reverse("attraction:alarm_list"), reverse("attraction:lead_list"), "/api/leads/", "/api/alarms/"):
        client.get(url)
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200
