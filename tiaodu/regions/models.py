"""Regions: the GB/T 2260 province → city → county tree, plus functional zones under a city."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec

from .choices import RegionLevel


class RegionQuerySet(RestrictedQuerySet):
    def subtree(self, region: "Region") -> "RegionQuerySet":
        return self.filter(path__startswith=region.path)

    def below_city(self) -> "RegionQuerySet":
        """Counties and zones: the units that figures are ranked by."""
        return self.filter(level__in=[RegionLevel.COUNTY, RegionLevel.ZONE])


class Region(models.Model):
    """行政区划: a province, city or county by its GB/T 2260 code, or a functional zone (高新区, 经开区).

    ``path`` lists the codes from the province down (``140000/140400/140427/``) so that "this region
    and everything under it" is one indexed prefix match; scoping relies on it.
    """

    code = models.CharField(
        _("区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("区划代码应为6位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(_("路径"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("有效"), default=True)

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()
    scope = ScopeSpec(region="", with_ancestors=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = self.compute_path()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("regions:region_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.strip("/").split("/") if code != self.code]

    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent else ''}{self.code}/"

    def clean(self) -> None:
        expected_parent = {
            RegionLevel.PROVINCE: None,
            RegionLevel.CITY: RegionLevel.PROVINCE,
            RegionLevel.COUNTY: RegionLevel.CITY,
            RegionLevel.ZONE: RegionLevel.CITY,
        }.get(self.level)
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": _("省级区划没有上级区划。")})
        if expected_parent is not None and (self.parent is None or self.parent.level != expected_parent):
            raise ValidationError(
                {
                    "parent": _("该级别的区划必须隶属于一个{level}区划。").format(
                        level=RegionLevel(expected_parent).label
                    )
                }
            )
