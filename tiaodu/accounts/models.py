"""Users and their grants (role × region or organisation)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tiaodu.core.models import TimeStampedModel

from .choices import Role


class User(AbstractUser):
    """用户: a person who logs in. What they may see and do comes from their grants."""

    display_name = models.CharField(_("显示名称"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=32, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Grant(TimeStampedModel):
    """授权: one role of a user — administrator, leader or department at a region, owner of an organisation.

    A region grant covers the region and everything under it. For a department or an owner the
    organisation is given and the region is the organisation's.
    """

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="grants"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("授权")
        verbose_name_plural = _("授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region", "organisation"], name="accounts_unique_grant"),
            models.CheckConstraint(
                condition=Q(role__in=[Role.ADMIN, Role.LEADER]) | Q(organisation__isnull=False),
                name="accounts_org_roles_have_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.label}"

    @property
    def label(self) -> str:
        """How the role reads to a person: 长治市 管理员, 壶关县 管理员, 某某公司 项目单位."""
        if self.organisation_id:
            return f"{self.organisation} · {self.get_role_display()}"
        return f"{self.region} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role in (Role.DEPARTMENT, Role.OWNER):
            if not self.organisation_id:
                raise ValidationError({"organisation": _("行业部门和项目单位角色必须指定单位。")})
            self.region = self.organisation.region

    def save(self, *args, **kwargs) -> None:
        if self.organisation_id and self.role in (Role.DEPARTMENT, Role.OWNER):
            self.region_id = self.organisation.region_id
        super().save(*args, **kwargs)
