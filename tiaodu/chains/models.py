"""Industrial chains (产业链链长制): ordered segments, the enterprises in them, output and projects.

A chain (e.g. LED: 材料 → 装备 → 芯片 → 封装 → 应用) belongs to a city or zone, is led by an official
(链长) and steered by a responsible department. Enterprises (``orgs.Organisation`` of kind enterprise)
are placed in one segment of a chain with a role; segments with no or few enterprises are the gaps
that targeted attraction (招商图谱) aims at.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tiaodu.core.models import TimeStampedModel
from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec

from .choices import MemberRole


class Chain(TimeStampedModel):
    """产业链: one chain steered by a city or zone."""

    name = models.CharField(_("产业链名称"), max_length=64)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="chains"
    )
    leader = models.ForeignKey(
        "orgs.Official",
        verbose_name=_("链长"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chains_led",
    )
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("牵头部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chains_steered",
    )
    description = models.TextField(_("简介"), blank=True)
    gap_threshold = models.PositiveSmallIntegerField(
        _("薄弱环节企业数"),
        default=2,
        help_text=_("环节内企业少于此数即视为缺链、薄弱环节。"),
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region")

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = pgettext_lazy("plural", "产业链")
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="chains_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chains:chain_detail", args=[self.pk])


class Segment(TimeStampedModel):
    """环节: one link of a chain, in order from upstream to downstream."""

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(_("环节名称"), max_length=64)
    position = models.PositiveSmallIntegerField(_("顺序"))
    description = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="chain__region")

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = pgettext_lazy("plural", "产业链环节")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="chains_unique_segment_position"),
            models.UniqueConstraint(fields=["chain", "name"], name="chains_unique_segment_name"),
        ]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"


class Member(TimeStampedModel):
    """An enterprise placed in one segment of a chain, with its role; at most once per chain."""

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="members")
    segment = models.ForeignKey(Segment, verbose_name=_("环节"), on_delete=models.PROTECT, related_name="members")
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="chain_memberships"
    )
    role = models.CharField(_("角色"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("入链日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="chain__region", owner="organisation")

    class Meta:
        verbose_name = _("链上企业")
        verbose_name_plural = pgettext_lazy("plural", "链上企业")
        ordering = ["chain", "segment__position", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "organisation"], name="chains_enterprise_once_per_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}（{self.get_role_display()}）"

    def clean(self) -> None:
        if self.segment_id and self.chain_id and self.segment.chain_id != self.chain_id:
            raise ValidationError({"segment": _("所选环节不属于该产业链。")})


class Output(TimeStampedModel):
    """A chain's output value (产值) for a year: actual and target, in 万元."""

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="outputs")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    actual = models.DecimalField(
        _("实际产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    target = models.DecimalField(
        _("目标产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="chain__region")

    class Meta:
        verbose_name = _("产业链产值")
        verbose_name_plural = pgettext_lazy("plural", "产业链产值")
        ordering = ["chain", "year"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "year"], name="chains_one_output_per_year"),
            models.CheckConstraint(
                condition=(Q(actual__isnull=True) | Q(actual__gte=0)) & (Q(target__isnull=True) | Q(target__gte=0)),
                name="chains_output_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain.name} {self.year}"


class ChainProject(TimeStampedModel):
    """A registry project that builds a chain (补链、延链、强链), optionally in one segment."""

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="chain_projects")
    segment = models.ForeignKey(
        Segment, verbose_name=_("环节"), on_delete=models.PROTECT, null=True, blank=True, related_name="chain_projects"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="chain_links"
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="chain__region", owner="project__owner")

    class Meta:
        verbose_name = _("产业链项目")
        verbose_name_plural = pgettext_lazy("plural", "产业链项目")
        ordering = ["chain", "segment__position", "project__name"]
        constraints = [models.UniqueConstraint(fields=["chain", "project"], name="chains_project_once_per_chain")]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.project}"

    def clean(self) -> None:
        if self.segment_id and self.chain_id and self.segment.chain_id != self.chain_id:
            raise ValidationError({"segment": _("所选环节不属于该产业链。")})
