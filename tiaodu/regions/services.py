"""Writes to the region tree: administrators add and rename functional zones under their city."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tiaodu.core.services import require_scope, save_attributed

from .choices import RegionLevel
from .models import Region


@transaction.atomic
def region_create_zone(*, actor, city: Region, code: str, name: str, short_name: str = "") -> Region:
    """Add a functional zone (功能区: 高新区, 经开区) under a city.

    Zones are not in GB/T 2260; their six-digit code is assigned locally (the statistics codes use
    ``CCCC7x`` for zones, which is the convention to follow) and must not collide with any region.
    """
    if city.level != RegionLevel.CITY:
        raise ValidationError({"parent": _("功能区只能设在地级市下。")})
    zone = Region(code=code, name=name, short_name=short_name, level=RegionLevel.ZONE, parent=city)
    require_scope(actor, city, field="parent")
    if Region.objects.filter(code=code).exists():
        raise ValidationError({"code": _("区划代码{code}已被使用。").format(code=code)}, code="duplicate_code")
    return save_attributed(zone, actor=actor)


@transaction.atomic
def region_update(*, region: Region, actor, name: str, short_name: str = "") -> Region:
    """Rename a region or set its short name; codes and the tree do not change here."""
    require_scope(actor, region)
    region.name = name
    region.short_name = short_name
    return save_attributed(region, actor=actor)
