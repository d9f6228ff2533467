"""The demo's investment attraction, loaded in isolation on a small city (the full demo takes minutes)."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from tiaodu.accounts.choices import Role
from tiaodu.attraction import selectors
from tiaodu.attraction.models import AttractionTeam, Lead, Signing
from tiaodu.chains.models import Chain, Segment
from tiaodu.core.dates import local_today
from tiaodu.demo import attraction_demo
from tiaodu.demo import catalog as C
from tiaodu.projects.choices import Stage
from tiaodu.testing import ProjectFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def test_leads_in_every_stage_and_alarm_linked_to_chains_and_projects(monkeypatch):
    from tiaodu.regions.services import region_create_zone

    city, huguan = region(C.CITY_CODE), region(C.HUGUAN)
    admin = UserFactory(username="city_admin", grants=[(Role.ADMIN, city)])
    zone = region_create_zone(
        actor=admin, city=city, code=attraction_demo.JINGKAI, name="长治经济技术开发区", short_name="长治经开区"
    )
    chain = Chain.objects.create(name="LED产业链", region=zone)
    for position, name in enumerate(("材料", "装备", "芯片", "封装", "应用"), start=1):
        Segment.objects.create(chain=chain, name=name, position=position)
    for index in range(12):
        stage = (Stage.CONSTRUCTION, Stage.OPERATING, Stage.CAPACITY)[index % 3]
        ProjectFactory(name=f"在建项目{index}", region=zone if index % 2 else huguan, stage=stage)
    monkeypatch.setattr(attraction_demo, "LEAD_COUNT", 60)
    monkeypatch.setattr(attraction_demo.C, "COUNTIES", tuple(c for c in C.COUNTIES if c[0] == C.HUGUAN))
    monkeypatch.setattr(attraction_demo.C, "ZONES", tuple(z for z in C.ZONES if z[0] == attraction_demo.JINGKAI))
    loader = SimpleNamespace(regions={r.code: r for r in (city, huguan, zone)}, actor=admin, users={})
    attraction_demo.load_attraction(None, loader, lambda message: None)
    assert Lead.objects.count() == 60 and AttractionTeam.objects.count() == 3
    stages = set(Lead.objects.values_list("stage", flat=True))
    assert stages >= {"lead", "negotiating", "signed", "landed", "started", "producing", "terminated"}
    rows = list(selectors.alarm_rows(admin, local_today()))
    rules = {r.pk: r.name for r in selectors.rules_for(admin)}
    assert {rules[r[1]] for r in rows} == {"签而未落", "落而未投", "投而未产"}
    assert Signing.objects.filter(kind="increase").exists()
    assert Lead.objects.filter(project__isnull=False, stage__in=["started", "producing", "capacity"]).exists()
    assert Lead.objects.filter(project__isnull=False, stage="landed").exists()
    zone_leads = Lead.objects.filter(region=zone)
    assert zone_leads.exists() and all(lead.chain == chain for lead in zone_leads)
    assert all(lead.segment.chain_id == chain.pk for lead in zone_leads if lead.segment_id)
    # Every record is dated when it happened: a lead's history starts on its registration day and
    # runs forward in time; signings on their dates; nothing is stamped ahead of the clock.
    now = timezone.now()
    for lead in Lead.objects.all():
        stamps = list(lead.history.order_by("history_id").values_list("history_date", flat=True))
        assert stamps == sorted(stamps) and stamps[-1] <= now
        assert timezone.localtime(stamps[0]).date() == lead.registered_on
    for signing in Signing.objects.all():
        for stamp in signing.history.values_list("history_date", flat=True):
            assert timezone.localtime(stamp).date() == signing.signed_on
