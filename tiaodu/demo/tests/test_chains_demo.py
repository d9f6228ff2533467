"""The demo zone's industrial chains, loaded in isolation on the city with its zone (the full demo takes minutes)."""

import time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tiaodu.chains.models import Chain, ChainProject, Member, Output
from tiaodu.core.validators import validate_uscc
from tiaodu.demo import catalog as C
from tiaodu.demo.chains_demo import load_chains
from tiaodu.projects.choices import Stage
from tiaodu.regions.services import region_create_zone
from tiaodu.testing import ProjectFactory, region, system_user

pytestmark = pytest.mark.django_db


def test_four_chains_of_the_zone():
    actor = system_user()
    zone = region_create_zone(
        actor=actor, city=region(C.CITY_CODE), code="140472", name="长治经济技术开发区", short_name="长治经开区"
    )
    ProjectFactory(name="长治经开区光电产业园LED封装项目", region=zone, stage=Stage.CONSTRUCTION)
    ProjectFactory(name="长治经开区智能装备制造项目", region=zone, stage=Stage.CONSTRUCTION)
    began = time.monotonic()
    summary = load_chains(None, SimpleNamespace(actor=actor), lambda message: None)
    assert time.monotonic() - began < 20
    assert summary == {"chains": 4, "enterprises": 77, "projects": 2}
    chains = {c.name: c for c in Chain.objects.filter(region=zone)}
    expected = {
        "高端装备制造产业链": (["原材料", "关键部件、系统总成", "智能煤机、工程机械"], 36),
        "新能源汽车产业链": (["车用原材料", "零部件", "系统总成", "整车", "配套基础设施"], 15),
        "LED产业链": (["材料", "装备", "芯片", "封装", "应用"], 20),
        "光伏产业链": (["多晶硅", "拉棒", "切片", "电池", "组件", "光伏发电"], 6),
    }
    assert set(chains) == set(expected)
    for name, (segments, firms) in expected.items():
        chain = chains[name]
        assert list(chain.segments.order_by("position").values_list("name", flat=True)) == segments
        assert Member.objects.filter(chain=chain).count() == firms
    equipment = chains["高端装备制造产业链"]
    assert Member.objects.filter(chain=equipment, role="master").count() == 2
    assert Member.objects.filter(chain=equipment, role="core").count() == 1
    assert Output.objects.get(chain=equipment, year=2022).actual == Decimal(500000)
    assert Output.objects.get(chain=equipment, year=2025).target == Decimal(1000000)
    led = chains["LED产业链"]
    assert Output.objects.get(chain=led, year=2022).actual == Decimal(560000)
    assert Output.objects.get(chain=led, year=2025).target > Decimal(1000000)
    for member in Member.objects.select_related("organisation"):
        validate_uscc(member.organisation.credit_code)
    assert ChainProject.objects.count() == 2
    # Backdated as the chain's story: set up years ago, enterprises joining since, nothing stamped ahead.
    today = timezone.localdate()
    for chain in chains.values():
        assert timezone.localtime(chain.history.earliest("history_date").history_date).date() < today
    for member in Member.objects.all():
        assert member.joined_on is not None and member.joined_on < today
        record = member.history.earliest("history_date")
        assert timezone.localtime(record.history_date).date() == member.joined_on
    assert len({m.joined_on for m in Member.objects.filter(role="member")}) > 30
    for model in (Chain, Member, Output, ChainProject):
        assert not model.history.filter(history_date__gt=timezone.now()).exists(), model
    assert not Output.objects.filter(created_at__date__gte=today, year__lt=today.year - 1).exists()
    # The zone's login sees the chains, their map and their gaps.
    from django.test import Client

    from tiaodu.accounts.models import User
    from tiaodu.demo.generator import PASSWORD

    assert User.objects.get(username="jingkai_admin").grants.get().region == zone
    client = Client()
    assert client.login(username="jingkai_admin", password=PASSWORD)
    body = client.get(f"/chains/{chains['光伏产业链'].pk}/").content.decode()
    assert body.count('data-testid="gap"') == 4  # 多晶硅 and 光伏发电 empty, 拉棒 and 切片 with one firm
