"""Reads of regions."""

from tiaodu.core.scoping import CHANGE, VIEW

from .choices import RegionLevel
from .models import Region, RegionQuerySet


def region_choices(user, *, action: str = CHANGE, levels: list[str] | None = None) -> RegionQuerySet:
    """Regions a user may pick in a form: by default those they may file things under."""
    qs = Region.objects.restrict(user, action).filter(is_active=True)
    if levels:
        qs = qs.filter(level__in=levels)
    return qs.select_related("parent").order_by("path")


def project_region_choices(user, *, action: str = CHANGE) -> RegionQuerySet:
    """Where a project can be: a county or a zone (a city-level project is filed under the city)."""
    return region_choices(user, action=action, levels=[RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE])


def region_list(user) -> RegionQuerySet:
    return Region.objects.restrict(user, VIEW).select_related("parent").order_by("path")
