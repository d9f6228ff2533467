import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region
from tiaodu.testing import admin_of, region

pytestmark = pytest.mark.django_db


def test_city_admin_creates_a_zone_under_its_city():
    admin = admin_of(region("140400"))
    client = client_for(admin)
    response = client.post(
        reverse("regions:zone_add"),
        {"city": region("140400").pk, "code": "140471", "name": "长治高新技术产业开发区", "short_name": "长治高新区"},
    )
    assert response.status_code == 302
    zone = Region.objects.get(code="140471")
    assert zone.level == RegionLevel.ZONE and zone.path == "140000/140400/140471/"
    response = client.post(
        reverse("regions:zone_add"), {"city": region("140400").pk, "code": "140427", "name": "重复", "short_name": ""}
    )
    assert response.status_code == 400 and "已被使用" in response.content.decode()


def test_county_admin_cannot_create_zones():
    from tiaodu.regions import services

    admin = admin_of(region("140427"))
    assert client_for(admin).get(reverse("regions:zone_add")).status_code == 404
    with pytest.raises(ValidationError):
        services.region_create_zone(actor=admin, city=region("140400"), code="140479", name="越权区")
