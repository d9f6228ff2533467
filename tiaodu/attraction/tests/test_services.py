"""The lead workflow: every move dated, attributed and kept; bad input refused with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tiaodu.attraction import selectors, services
from tiaodu.attraction.choices import LeadStage
from tiaodu.attraction.models import FundsEntry, Lead, LeadEvent, Signing
from tiaodu.attraction.testing import lead, signed_lead
from tiaodu.core.dates import local_today
from tiaodu.projects.models import Project
from tiaodu.testing import OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = local_today()
D = datetime.timedelta


def _counts():
    return (
        Lead.objects.count(),
        Signing.objects.count(),
        FundsEntry.objects.count(),
        LeadEvent.objects.count(),
        Project.objects.count(),
        Lead.history.model.objects.count(),
    )


def _refused(call, field=None, code=None):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        call()
    assert _counts() == before
    if field:
        assert field in error.value.message_dict, error.value
    if code:
        assert code in {e.code for e in error.value.error_list} | {
            e.code for errors in getattr(error.value, "error_dict", {}).values() for e in errors
        }
    return error.value


def test_full_pipeline_is_dated_attributed_and_kept(world):
    w = world
    item = lead(w, w.admin_a, region=w.county_a, name="甲", registered_on=TODAY - D(400))
    services.lead_advance(actor=w.admin_a, lead=item, to_stage=LeadStage.NEGOTIATING, on=TODAY - D(390))
    services.lead_sign(actor=w.admin_a, lead=item, signed_on=TODAY - D(380), kind="framework", amount=Decimal("1000"))
    services.lead_sign(actor=w.admin_a, lead=item, signed_on=TODAY - D(370), kind="contract", amount=Decimal("1200"))
    company = OrganisationFactory(region=w.county_a)
    services.lead_advance(
        actor=w.admin_a,
        lead=item,
        to_stage="landed",
        on=TODAY - D(300),
        company=company,
        standard_land=True,
        land_area=Decimal("85.5"),
        commitment_system=True,
        agent="王代办",
    )
    services.lead_advance(actor=w.admin_a, lead=item, to_stage="started", on=TODAY - D(200))
    services.lead_add_funds(actor=w.admin_a, lead=item, on=TODAY - D(150), amount=Decimal("300"))
    services.lead_advance(actor=w.admin_a, lead=item, to_stage="producing", on=TODAY - D(100))
    services.lead_advance(actor=w.admin_a, lead=item, to_stage="capacity", on=TODAY - D(10))
    item.refresh_from_db()
    assert item.stage == "capacity" and item.signed_on == TODAY - D(380) and item.landed_on == TODAY - D(300)
    assert item.standard_land and item.land_area == Decimal("85.50") and item.agent == "王代办"
    # The contract after the framework agreement counts nothing: the lead is signed once, at 1000.
    assert services.signed_total(item) == Decimal("1000")
    events = list(item.events.order_by("at", "pk").values_list("kind", "to_state", "actor"))
    assert [e[1] for e in events] == [
        "lead",
        "negotiating",
        "signed",
        "signed",
        "landed",
        "started",
        "started",
        "producing",
        "capacity",
    ]
    assert all(e[2] == w.admin_a.pk for e in events)
    assert item.history.filter(history_user=w.admin_a).count() >= 7


def test_increase_counts_only_the_increase(world):
    w = world
    item = signed_lead(w, w.admin_a, region=w.county_a, name="增资", signed_on=TODAY - D(100), amount=Decimal("5000"))
    services.lead_sign(actor=w.admin_a, lead=item, signed_on=TODAY - D(50), kind="increase", amount=Decimal("800"))
    assert services.signed_total(item) == Decimal("5800")
    # A signing dated before the first one becomes the first: the total counts it, once.
    services.lead_sign(actor=w.admin_a, lead=item, signed_on=TODAY - D(120), kind="framework", amount=Decimal("4000"))
    item.refresh_from_db()
    assert item.signed_on == TODAY - D(120)
    assert services.signed_total(item) == Decimal("4800")


def test_landing_without_company_is_refused(world):
    w = world
    item = signed_lead(w, w.admin_a, region=w.county_a, name="无企业", signed_on=TODAY - D(30))
    error = _refused(lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="landed", on=TODAY), "company")
    assert "落地企业" in str(error)


def test_signing_after_landing_is_refused(world):
    w = world
    item = signed_lead(w, w.admin_a, region=w.county_a, name="先签", signed_on=TODAY - D(30))
    company = OrganisationFactory(region=w.county_a)
    # Landing before the signing date.
    _refused(
        lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="landed", on=TODAY - D(40), company=company),
        "on",
    )
    services.lead_advance(actor=w.admin_a, lead=item, to_stage="landed", on=TODAY - D(20), company=company)
    item.refresh_from_db()
    # A contract dated after the landing.
    error = _refused(
        lambda: services.lead_sign(
            actor=w.admin_a, lead=item, signed_on=TODAY - D(5), kind="contract", amount=Decimal("1")
        ),
        "signed_on",
    )
    assert "不能晚于落地日期" in str(error)
    # An increase after landing is fine.
    services.lead_sign(actor=w.admin_a, lead=item, signed_on=TODAY - D(5), kind="increase", amount=Decimal("1"))


def test_future_dates_and_backward_moves_and_skips_are_refused(world):
    w = world
    item = lead(w, w.admin_a, region=w.county_a, name="日期")
    _refused(lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="negotiating", on=TODAY + D(1)), "on")
    _refused(lambda: lead(w, w.admin_a, region=w.county_a, name="未来", registered_on=TODAY + D(1)), "registered_on")
    _refused(
        lambda: services.lead_sign(
            actor=w.admin_a, lead=item, signed_on=TODAY + D(1), kind="contract", amount=Decimal("1")
        ),
        "signed_on",
    )
    # Skipping to 落地 without the signing amount or the company.
    _refused(lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="landed", on=TODAY), "amount")
    _refused(
        lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="landed", on=TODAY, amount=Decimal("10")),
        "company",
    )
    # With everything it needs, a skip is allowed.
    company = OrganisationFactory(region=w.county_a)
    services.lead_advance(
        actor=w.admin_a, lead=item, to_stage="landed", on=TODAY, amount=Decimal("10"), company=company
    )
    item.refresh_from_db()
    assert item.stage == "landed" and item.signed_on == TODAY and item.negotiating_on == TODAY
    _refused(lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="signed", on=TODAY), "to_stage")
    _refused(lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="nonsense", on=TODAY), "to_stage")


def test_other_bad_input(world):
    w = world
    item = lead(w, w.admin_a, region=w.county_a, name="杂项")
    _refused(lambda: services.lead_add_funds(actor=w.admin_a, lead=item, on=TODAY, amount=Decimal("1")))
    _refused(
        lambda: services.lead_sign(actor=w.admin_a, lead=item, signed_on=TODAY, kind="increase", amount=Decimal("1")),
        "kind",
    )
    _refused(
        lambda: services.lead_sign(actor=w.admin_a, lead=item, signed_on=TODAY, kind="contract", amount=Decimal("-1")),
        "amount",
    )
    _refused(lambda: services.lead_terminate(actor=w.admin_a, lead=item, reason="  "), "reason")
    _refused(lambda: services.lead_create_project(actor=w.admin_a, lead=item), code="not_landed")
    _refused(lambda: lead(w, w.admin_a, region=w.county_b, name="越界"), "region")
    _refused(lambda: services.lead_advance(actor=w.admin_b, lead=item, to_stage="negotiating", on=TODAY))
    services.lead_terminate(actor=w.admin_a, lead=item, reason="投资方战略调整")
    item.refresh_from_db()
    assert item.stage == "terminated" and item.termination_reason == "投资方战略调整"
    _refused(
        lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="negotiating", on=TODAY), code="terminated"
    )


def test_segment_must_belong_to_chain(world):
    from tiaodu.chains.models import Chain, Segment

    w = world
    chain = Chain.objects.create(name="LED产业链", region=w.county_a)
    other = Chain.objects.create(name="光伏产业链", region=w.county_a)
    segment = Segment.objects.create(chain=other, name="电池", position=1)
    _refused(lambda: lead(w, w.admin_a, region=w.county_a, name="错环节", chain=chain, segment=segment), "segment")
    good = Segment.objects.create(chain=chain, name="芯片", position=1)
    item = lead(w, w.admin_a, region=w.county_a, name="好环节", chain=chain, segment=good)
    assert chain.leads.get() == item and good.leads.get() == item


def test_landing_creates_the_registry_project_and_facts_then_come_from_it(world):
    w = world
    item = signed_lead(w, w.admin_a, region=w.county_a, name="转库", signed_on=TODAY - D(60), amount=Decimal("7000"))
    company = OrganisationFactory(region=w.county_a)
    services.lead_advance(actor=w.admin_a, lead=item, to_stage="landed", on=TODAY - D(50), company=company)
    project = services.lead_create_project(actor=w.admin_a, lead=item)
    assert (project.name, project.region, project.owner, project.sector) == ("转库", w.county_a, company, "industry")
    assert project.total_investment == Decimal("7000")
    item.refresh_from_db()
    assert item.project == project
    _refused(lambda: services.lead_create_project(actor=w.admin_a, lead=item), code="linked")
    # 开工 is not typed on the lead: it comes from the project.
    _refused(lambda: services.lead_advance(actor=w.admin_a, lead=item, to_stage="started", on=TODAY), "on")
    from tiaodu.projects.services import project_update

    project_update(project=project, actor=w.admin_a, actual_start_date=TODAY - D(20))
    services.lead_sync_from_project(actor=w.admin_a, lead=item)
    item.refresh_from_db()
    assert item.stage == "started" and item.started_on == TODAY - D(20)


def test_link_existing_project(world):
    w = world
    item = signed_lead(w, w.admin_a, region=w.county_a, name="关联", signed_on=TODAY - D(60))
    company = OrganisationFactory(region=w.county_a)
    services.lead_advance(actor=w.admin_a, lead=item, to_stage="landed", on=TODAY - D(50), company=company)
    _refused(lambda: services.lead_link_project(actor=w.admin_a, lead=item, project=w.project_b), "project")
    project = ProjectFactory(region=w.county_a, owner=company, stage="construction", actual_start_date=TODAY - D(10))
    services.lead_link_project(actor=w.admin_a, lead=item, project=project)
    item.refresh_from_db()
    assert item.project == project and item.stage == "started" and item.started_on == TODAY - D(10)


def test_selectors_for_assessment(world):
    w = world
    a = signed_lead(
        w, w.admin_a, region=w.county_a, name="一", signed_on=datetime.date(2025, 3, 1), amount=Decimal("100")
    )
    services.lead_sign(
        actor=w.admin_a, lead=a, signed_on=datetime.date(2025, 4, 1), kind="contract", amount=Decimal("999")
    )
    services.lead_sign(
        actor=w.admin_a, lead=a, signed_on=datetime.date(2025, 5, 1), kind="increase", amount=Decimal("20")
    )
    signed_lead(w, w.admin_b, region=w.county_b, name="二", signed_on=datetime.date(2025, 3, 5), amount=Decimal("7"))
    services.lead_add_funds(actor=w.admin_a, lead=a, on=datetime.date(2025, 6, 1), amount=Decimal("33"))
    span = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 31)}
    assert selectors.signed_amount(region=w.city, **span) == Decimal("127")
    assert selectors.signed_amount(region=w.county_a, **span) == Decimal("120")
    assert selectors.signed_amount(region=w.city, **span, user=w.admin_b) == Decimal("7")
    assert selectors.signed_amount(region=w.county_a, start=datetime.date(2025, 4, 15), end=span["end"]) == 20
    assert selectors.funds_in_place(region=w.city, **span) == Decimal("33")
    assert selectors.funds_in_place(region=w.county_b, **span) == Decimal("0")


def test_responsible_person_must_be_within_the_actors_regions(world):
    """The form offers only people in the actor's regions; the service refuses anyone else (the API's path)."""
    w = world
    with pytest.raises(ValidationError) as error:
        lead(w, w.admin_a, region=w.county_a, name="壶关越界责任人项目", responsible=w.admin_b)
    assert "responsible" in error.value.message_dict
    assert not Lead.objects.filter(name="壶关越界责任人项目").exists()
    item = lead(w, w.admin_a, region=w.county_a, name="壶关本县责任人项目", responsible=w.admin_a)
    with pytest.raises(ValidationError):
        services.lead_update(actor=w.admin_a, lead=item, responsible=w.admin_b)
    item.refresh_from_db()
    assert item.responsible == w.admin_a
