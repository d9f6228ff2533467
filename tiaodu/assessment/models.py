"""Assessment (考核): indicators, the actuals departments enter, yearly schemes and their published results.

A scheme (考核方案) of a city (or province) for a year assesses one kind of unit — its counties and
zones, or its departments — on weighted indicators with a target per unit and a scoring rule per
indicator; bonus and deduction items (加扣分) are added per unit. The result table is computed from
the figures Tiaodu already has (computed indicators, see ``sources``) and the accepted actuals
(entered indicators); publishing keeps a snapshot, so a published ranking stays as it was.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tiaodu.core.models import TimeStampedModel, WorkflowEvent
from tiaodu.core.scoping import ADMIN, CHANGE, DEPARTMENT, LEADER, REVIEW, VIEW, RestrictedQuerySet, ScopeSpec

from .choices import ActualEventKind, ActualStatus, AdjustmentKind, Direction, IndicatorKind, ScoringRule, UnitKind

VALUE = {"max_digits": 18, "decimal_places": 4}
POINTS = {"max_digits": 8, "decimal_places": 2}

# Departments enter the actuals of their indicators; the assessing administrators also review them.
ACTUAL_ROLE_ACTIONS = {
    ADMIN: frozenset({VIEW, CHANGE, REVIEW}),
    DEPARTMENT: frozenset({VIEW, CHANGE}),
    LEADER: frozenset({VIEW}),
}


class Indicator(TimeStampedModel):
    """考核指标: what is measured (工业投资增速, 税收收入, 开工率 …), in which unit and which way is better.

    A computed indicator names its ``source`` in the registry of ``assessment.sources``; an entered one
    names the department (责任单位) that enters its actuals. ``min_value``/``max_value`` bound the
    plausible values (a count is never negative).
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(_("指标名称"), max_length=64)
    unit = models.CharField(_("计量单位"), max_length=16, help_text=_("如 %、万元、个。"))
    direction = models.CharField(_("指标方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    kind = models.CharField(_("指标来源"), max_length=10, choices=IndicatorKind.choices)
    source = models.CharField(
        _("计算口径"), max_length=40, blank=True, help_text=_("系统计算指标的数据来源，如 start_rate。")
    )
    department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_indicators",
    )
    min_value = models.DecimalField(_("合理下限"), **VALUE, null=True, blank=True)
    max_value = models.DecimalField(_("合理上限"), **VALUE, null=True, blank=True)
    description = models.TextField(_("指标说明"), blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", with_ancestors=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="assessment_indicator_unique_name",
                violation_error_message=_("该区划已有同名的考核指标。"),
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(max_value__gte=F("min_value")),
                name="assessment_indicator_range",
                violation_error_message=_("合理上限不能小于合理下限。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:indicator_edit", args=[self.pk])

    @property
    def is_computed(self) -> bool:
        return self.kind == IndicatorKind.COMPUTED

    def clean(self) -> None:
        from .sources import SOURCES

        errors = {}
        if self.kind == IndicatorKind.COMPUTED:
            if self.source not in SOURCES:
                errors["source"] = _("系统计算指标须选择计算口径，可选：{codes}。").format(codes="、".join(SOURCES))
            if self.department_id:
                errors["department"] = _("系统计算指标由系统取数，不设填报责任单位。")
        else:
            if self.source:
                errors["source"] = _("部门填报指标不设计算口径。")
            if not self.department_id:
                errors["department"] = _("部门填报指标须指定负责填报的责任单位。")
        if self.min_value is not None and self.max_value is not None and self.max_value < self.min_value:
            errors["max_value"] = _("合理上限不能小于合理下限。")
        if errors:
            raise ValidationError(errors)


class Scheme(TimeStampedModel):
    """考核方案: a year's assessment of a region's counties and zones, or of its departments."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("考核区划"), on_delete=models.PROTECT, related_name="assessment_schemes"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("方案名称"), max_length=100)
    unit_kind = models.CharField(_("考核对象"), max_length=12, choices=UnitKind.choices, default=UnitKind.REGION)
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region")

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "name"],
                name="assessment_scheme_unique_name",
                violation_error_message=_("该区划该年度已有同名的考核方案。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:scheme_detail", args=[self.pk])


class SchemeUnit(models.Model):
    """被考核单位: a county or zone (``region``) or a department (``department``) of a scheme."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="units")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("县区/功能区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("部门"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="scheme__region")

    class Meta:
        verbose_name = _("被考核单位")
        verbose_name_plural = _("被考核单位")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "region"], name="assessment_unit_region_once"),
            models.UniqueConstraint(fields=["scheme", "department"], name="assessment_unit_department_once"),
            models.CheckConstraint(
                condition=Q(region__isnull=True, department__isnull=False)
                | Q(region__isnull=False, department__isnull=True),
                name="assessment_unit_one_kind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.region or self.department)

    @property
    def label(self) -> str:
        return self.region.label if self.region_id else (self.department.short_name or self.department.name)


class SchemeIndicator(models.Model):
    """方案指标: an indicator in a scheme with its weight (权重, all adding up to 100) and scoring rule.

    ``ratio``: score = weight × min(completion, cap), completion = actual ÷ target (target ÷ actual
    when lower is better). ``rank``: the first gets the full weight, each rank below ``rank_step`` less.
    """

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("权重（分）"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))])
    rule = models.CharField(_("计分规则"), max_length=8, choices=ScoringRule.choices, default=ScoringRule.RATIO)
    cap = models.DecimalField(
        _("完成率封顶"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.20"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("完成率计分时的上限，如 1.2 表示最多得权重的 120%。"),
    )
    rank_step = models.DecimalField(
        _("名次级差（分）"), **POINTS, default=Decimal("1"), validators=[MinValueValidator(Decimal(0))]
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="scheme__region")

    class Meta:
        verbose_name = _("方案指标")
        verbose_name_plural = _("方案指标")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "indicator"],
                name="assessment_item_once",
                violation_error_message=_("同一指标在方案中只能出现一次。"),
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="assessment_item_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.weight}"


class Target(models.Model):
    """目标值: what one unit is expected to reach on one indicator of the scheme."""

    item = models.ForeignKey(
        SchemeIndicator, verbose_name=_("方案指标"), on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(SchemeUnit, verbose_name=_("被考核单位"), on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("目标值"), **VALUE)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="item__scheme__region")

    class Meta:
        verbose_name = _("目标值")
        verbose_name_plural = _("目标值")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="assessment_target_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.item.indicator} {self.value}"


class Adjustment(TimeStampedModel):
    """加扣分: a bonus or a deduction for one unit of a scheme, with the reason and the date it counts from."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(
        SchemeUnit, verbose_name=_("被考核单位"), on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=AdjustmentKind.choices)
    points = models.DecimalField(_("分值"), **POINTS, validators=[MinValueValidator(Decimal("0.01"))])
    reason = models.CharField(_("事由"), max_length=200)
    on = models.DateField(_("计分日期"))

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="scheme__region")

    class Meta:
        verbose_name = _("加扣分")
        verbose_name_plural = _("加扣分")
        ordering = ["on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="assessment_adjustment_positive")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.points}"

    @property
    def signed_points(self) -> Decimal:
        return self.points if self.kind == AdjustmentKind.BONUS else -self.points


class Actual(TimeStampedModel):
    """考核实绩: the value of an entered indicator for one unit and period, filled by its department.

    ``month`` 1–12 is the value for January to that month (1–N月累计); 0 is the whole year. ``region``
    is the assessed county or zone, or, for a department, the department's own region (the scope).
    Only accepted (已审核) actuals count in a result.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="actuals"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("县区/功能区"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("部门"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(
        _("月份"), default=0, validators=[MaxValueValidator(12)], help_text=_("1–12 为截至该月累计，0 为全年。")
    )
    value = models.DecimalField(_("实绩值"), **VALUE)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ActualStatus.choices, default=ActualStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    return_reason = models.TextField(_("退回原因"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", role_actions=ACTUAL_ROLE_ACTIONS)

    class Meta:
        verbose_name = _("考核实绩")
        verbose_name_plural = _("考核实绩")
        ordering = ["-year", "-month", "indicator__name", "region__code"]
        indexes = [models.Index(fields=["year", "month", "status"], name="assessment_actual_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "year", "month"],
                condition=Q(department__isnull=True),
                name="assessment_actual_once_region",
                violation_error_message=_("该单位该期间的实绩已存在，请修改原记录。"),
            ),
            models.UniqueConstraint(
                fields=["indicator", "department", "year", "month"],
                condition=Q(department__isnull=False),
                name="assessment_actual_once_department",
                violation_error_message=_("该单位该期间的实绩已存在，请修改原记录。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit_label} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:actual_detail", args=[self.pk])

    @property
    def unit_label(self) -> str:
        return str(self.department or self.region)

    @property
    def period_label(self) -> str:
        if not self.month:
            return str(_("{year}年全年").format(year=self.year))
        return str(_("{year}年1–{month}月").format(year=self.year, month=self.month))

    @property
    def is_editable_by_filler(self) -> bool:
        return self.status in (ActualStatus.DRAFT, ActualStatus.RETURNED)


class ActualEvent(WorkflowEvent):
    """实绩流转记录: saved, submitted, returned (with the reason), accepted."""

    actual = models.ForeignKey(Actual, verbose_name=_("考核实绩"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("动作"), max_length=10, choices=ActualEventKind.choices)

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="actual__region", role_actions=ACTUAL_ROLE_ACTIONS)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("实绩流转记录")
        verbose_name_plural = _("实绩流转记录")


class PublishedResult(models.Model):
    """考核结果发布: the result table of a scheme through a month as it stood when published (locked).

    ``data`` is the whole computed table (values, completion, points, formulas, ranks), so the published
    ranking is reproducible after later corrections of actuals or reports.
    """

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="published")
    month = models.PositiveSmallIntegerField(_("截至月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    data = models.JSONField(_("结果数据"))

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="scheme__region")

    class Meta:
        verbose_name = _("考核结果发布")
        verbose_name_plural = _("考核结果发布")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "month"],
                name="assessment_published_once",
                violation_error_message=_("该期间的考核结果已发布。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} 1–{self.month}"
