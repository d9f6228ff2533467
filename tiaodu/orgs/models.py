"""Organisations (project owners, departments) and officials (包联领导)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec
from tiaodu.core.validators import validate_uscc

from .choices import OrganisationKind


class Organisation(TimeStampedModel):
    """单位: a project owner (项目单位/业主), a government department (行业部门/责任单位) or another body.

    Departments are renamed and merged (机构改革): a unit is never deleted but dissolved on a date,
    pointing to its successor, and its field history keeps the names it had, so an old figure still
    names the unit of its time.
    """

    name = models.CharField(_("单位名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    kind = models.CharField(_("单位类型"), max_length=16, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, null=True, unique=True, validators=[validate_uscc]
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="organisations"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    established_on = models.DateField(_("设立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销/合并日期"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("承继单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )

    history = HistoricalRecords(no_db_index=["region", "successor", "credit_code"])  # read by record only
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner="", with_ancestors=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = pgettext_lazy("plural", "单位")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="orgs_unique_name_in_region"),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="orgs_dissolved_after_established",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:organisation_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def clean(self) -> None:
        if self.credit_code is not None:
            self.credit_code = self.credit_code.strip().upper() or None
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("承继单位不能是本单位。")})
        if self.successor_id and not self.dissolved_on:
            raise ValidationError({"dissolved_on": _("指定承继单位时须填写撤销/合并日期。")})
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": _("撤销/合并日期不能早于设立日期。")})


class Official(TimeStampedModel):
    """领导: an official who can be a project's 包联领导, chair a meeting or lead a chain (链长)."""

    name = models.CharField(_("姓名"), max_length=32)
    title = models.CharField(_("职务"), max_length=64)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="officials"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="officials"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official",
    )
    is_active = models.BooleanField(_("在任"), default=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", with_ancestors=True)

    class Meta:
        verbose_name = _("领导")
        verbose_name_plural = pgettext_lazy("plural", "领导")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return str(_("{name}（{title}）").format(name=self.name, title=self.title))

    def get_absolute_url(self) -> str:
        return reverse("orgs:official_detail", args=[self.pk])
