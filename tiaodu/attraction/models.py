"""Investment attraction (招商引资): teams, leads moving from 线索 to 达产, signings, funds, and the 三未 alarm rules.

A lead (线索) belongs to a county or zone (``region``), is worked by an attraction team (招商专班)
and a responsible person, and moves along 线索 → 洽谈 → 签约 → 落地 → 开工 → 投产 → 达产 (or is
terminated). Each stage's date is kept on the lead (so alarms and figures are plain SQL filters),
every move is a ``LeadEvent`` and field history is kept by simple-history. When it lands it becomes
(or is linked to) a registry project; from then on start, investment and commissioning come from the
project and its monthly reports.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tiaodu.core.models import TimeStampedModel, WorkflowEvent
from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec
from tiaodu.projects.choices import Sector

from .choices import (
    PIPELINE,
    STAGE_DATE_FIELD,
    AlarmKind,
    InvestorOrigin,
    LeadEventKind,
    LeadSource,
    LeadStage,
    SigningKind,
)

MONEY = {"max_digits": 16, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class AttractionTeam(TimeStampedModel):
    """招商专班: the team of a county or zone that works the leads, with its leader."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="attraction_teams"
    )
    name = models.CharField(_("专班名称"), max_length=64)
    leader = models.ForeignKey(
        "orgs.Official",
        verbose_name=_("专班负责人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attraction_teams",
    )
    contact_person = models.CharField(_("联系人"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region")

    class Meta:
        verbose_name = _("招商专班")
        verbose_name_plural = pgettext_lazy("plural", "招商专班")
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="attraction_team_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attraction:team_list") + f"?region={self.region_id}"


class Lead(TimeStampedModel):
    """招商线索/招商项目: one investor's intended project, from the first contact to full production."""

    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=128)
    investor_origin = models.CharField(
        _("投资方来源"), max_length=16, choices=InvestorOrigin.choices, default=InvestorOrigin.OTHER_PROVINCE
    )
    source = models.CharField(_("招商方式"), max_length=16, choices=LeadSource.choices, default=LeadSource.OTHER)
    sector = models.CharField(_("行业类别"), max_length=16, choices=Sector.choices)
    chain = models.ForeignKey(
        "chains.Chain",
        verbose_name=_("产业链"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    segment = models.ForeignKey(
        "chains.Segment",
        verbose_name=_("产业链环节"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    intended_investment = models.DecimalField(_("意向投资额（万元）"), **MONEY, validators=NON_NEGATIVE)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("落地区划"), on_delete=models.PROTECT, related_name="leads"
    )
    team = models.ForeignKey(
        AttractionTeam,
        verbose_name=_("招商专班"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attraction_leads",
    )
    description = models.TextField(_("项目概况"), blank=True)
    planned_production_date = models.DateField(_("计划投产日期"), null=True, blank=True)

    stage = models.CharField(
        _("阶段"), max_length=16, choices=LeadStage.choices, default=LeadStage.LEAD, editable=False
    )
    registered_on = models.DateField(_("线索登记日期"))
    negotiating_on = models.DateField(_("洽谈日期"), null=True, blank=True, editable=False)
    signed_on = models.DateField(_("首次签约日期"), null=True, blank=True, editable=False)
    landed_on = models.DateField(_("落地日期"), null=True, blank=True, editable=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, editable=False)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True, editable=False)
    capacity_on = models.DateField(_("达产日期"), null=True, blank=True, editable=False)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True, editable=False)
    termination_reason = models.TextField(_("终止原因"), blank=True, editable=False)

    # 落地: the registered company and its land.
    company = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("落地企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attraction_leads",
        editable=False,
    )
    standard_land = models.BooleanField(_("标准地出让"), default=False, editable=False)
    land_area = models.DecimalField(
        _("用地面积（亩）"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )
    commitment_system = models.BooleanField(_("承诺制"), default=False, editable=False)
    agent = models.CharField(_("领办代办员"), max_length=64, blank=True, editable=False)
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("库内项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner="company")

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = pgettext_lazy("plural", "招商项目")
        ordering = ["-registered_on", "-pk"]
        indexes = [
            models.Index(fields=["stage", "signed_on"], name="attraction_stage_signed"),
            models.Index(fields=["signed_on"], name="attraction_signed_on"),
            models.Index(fields=["landed_on"], name="attraction_landed_on"),
            models.Index(fields=["started_on"], name="attraction_started_on"),
            models.Index(fields=["registered_on"], name="attraction_registered_on"),
            # The default 三未 rules: "next stage not reached (NULL), reference date before the threshold".
            models.Index(fields=["landed_on", "signed_on"], name="attraction_alarm_signed"),
            models.Index(fields=["started_on", "landed_on"], name="attraction_alarm_landed"),
            models.Index(fields=["producing_on", "planned_production_date"], name="attraction_alarm_started"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(intended_investment__gte=0), name="attraction_investment_not_negative"),
            models.CheckConstraint(
                condition=Q(land_area__isnull=True) | Q(land_area__gte=0), name="attraction_land_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(landed_on__isnull=True) | Q(company__isnull=False),
                name="attraction_landed_has_company",
                violation_error_message=_("已落地的项目必须有落地企业。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attraction:lead_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"ZS{self.pk:06d}" if self.pk else ""

    @property
    def is_terminated(self) -> bool:
        return self.stage == LeadStage.TERMINATED

    @property
    def reached_stage(self) -> str:
        """The furthest main-line stage reached (a terminated lead keeps the one it had)."""
        reached = LeadStage.LEAD
        for stage in PIPELINE:
            if getattr(self, STAGE_DATE_FIELD[stage]):
                reached = stage
        return reached

    def stage_dates(self) -> list[tuple[str, str, object]]:
        return [(stage, LeadStage(stage).label, getattr(self, STAGE_DATE_FIELD[stage])) for stage in PIPELINE]

    def clean(self) -> None:
        if self.segment_id and (not self.chain_id or self.segment.chain_id != self.chain_id):
            raise ValidationError({"segment": _("所选环节不属于该产业链。")}, code="segment_chain")
        if self.team_id and self.region_id and not self.region.path.startswith(self.team.region.path):
            raise ValidationError({"team": _("招商专班不属于该项目所在区划。")}, code="team_region")
        if self.chain_id and self.region_id:
            chain_path = self.chain.region.path
            if not (self.region.path.startswith(chain_path) or chain_path.startswith(self.region.path)):
                raise ValidationError({"chain": _("所选产业链不属于该项目所在区划。")}, code="chain_region")


class Signing(TimeStampedModel):
    """签约记录: a framework agreement, a formal contract, or a capital increase (增资), with its amount.

    ``counted_amount`` is what the signed-amount figure counts: the first signing's amount, nothing
    for later signings of the same lead (a contract after its framework agreement), and the
    increase of a 增资. The service keeps it, recomputing the lead's signings after each change.
    """

    lead = models.ForeignKey(Lead, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="signings")
    signed_on = models.DateField(_("签约日期"))
    kind = models.CharField(_("签约类型"), max_length=16, choices=SigningKind.choices)
    amount = models.DecimalField(_("签约金额（万元）"), **MONEY, validators=NON_NEGATIVE)
    counted_amount = models.DecimalField(_("计入签约额（万元）"), **MONEY, default=Decimal("0"), editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="lead__region", owner="lead__company")

    class Meta:
        verbose_name = _("签约记录")
        verbose_name_plural = pgettext_lazy("plural", "签约记录")
        ordering = ["signed_on", "pk"]
        indexes = [models.Index(fields=["signed_on"], name="attraction_signing_on")]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="attraction_signing_not_negative")]

    def __str__(self) -> str:
        return f"{self.lead} {self.get_kind_display()} {self.signed_on}"


class FundsEntry(TimeStampedModel):
    """到位资金: money actually put in place on a date (万元); a lead's funds in place are their sum."""

    lead = models.ForeignKey(Lead, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="funds")
    on = models.DateField(_("到位日期"))
    amount = models.DecimalField(_("到位资金（万元）"), **MONEY, validators=NON_NEGATIVE)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="lead__region", owner="lead__company")

    class Meta:
        verbose_name = _("到位资金")
        verbose_name_plural = pgettext_lazy("plural", "到位资金")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["on"], name="attraction_funds_on")]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="attraction_funds_not_negative")]

    def __str__(self) -> str:
        return f"{self.lead} {self.on} {self.amount}"


class LeadEvent(WorkflowEvent):
    """招商项目推进记录: each step (stage move, signing, funds, project link, termination) — who, when, why."""

    lead = models.ForeignKey(Lead, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("动作"), max_length=16, choices=LeadEventKind.choices)
    effective_date = models.DateField(_("发生日期"))

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="lead__region", owner="lead__company")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("招商项目推进记录")
        verbose_name_plural = pgettext_lazy("plural", "招商项目推进记录")

    def __str__(self) -> str:
        return f"{self.lead_id} {self.kind}"


class AlarmRule(TimeStampedModel):
    """三未预警规则: a city's rule for a lead that is late (签而未落, 落而未投, 投而未产, or its own).

    ``months``: a lead that reached ``from_stage`` more than this many months ago and has not reached
    ``to_stage``. ``planned_production``: a lead that reached ``from_stage``, has not reached
    ``to_stage`` and is past its planned production date.
    """

    city = models.ForeignKey(
        "regions.Region", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="alarm_rules"
    )
    name = models.CharField(_("预警名称"), max_length=32)
    kind = models.CharField(_("预警方式"), max_length=24, choices=AlarmKind.choices, default=AlarmKind.MONTHS)
    from_stage = models.CharField(_("已到达阶段"), max_length=16, choices=[(s.value, s.label) for s in PIPELINE[:-1]])
    to_stage = models.CharField(_("未到达阶段"), max_length=16, choices=[(s.value, s.label) for s in PIPELINE[1:]])
    months = models.PositiveSmallIntegerField(_("允许月数"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="city", with_ancestors=True)

    class Meta:
        verbose_name = _("三未预警规则")
        verbose_name_plural = pgettext_lazy("plural", "三未预警规则")
        ordering = ["city__code", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="attraction_rule_unique_name"),
            models.CheckConstraint(
                condition=~Q(kind=AlarmKind.MONTHS) | Q(months__isnull=False),
                name="attraction_rule_months_given",
                violation_error_message=_("按月数预警的规则须填写允许月数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def from_field(self) -> str:
        return STAGE_DATE_FIELD[self.from_stage]

    @property
    def to_field(self) -> str:
        return STAGE_DATE_FIELD[self.to_stage]

    def describe(self) -> str:
        if self.kind == AlarmKind.PLANNED_PRODUCTION:
            return str(
                _("已{from_stage}、超过计划投产日期仍未{to_stage}").format(
                    from_stage=LeadStage(self.from_stage).label, to_stage=LeadStage(self.to_stage).label
                )
            )
        return str(
            _("{from_stage}后 {months} 个月仍未{to_stage}").format(
                from_stage=LeadStage(self.from_stage).label,
                months=self.months,
                to_stage=LeadStage(self.to_stage).label,
            )
        )

    def clean(self) -> None:
        if self.from_stage and self.to_stage and PIPELINE.index(self.to_stage) <= PIPELINE.index(self.from_stage):
            raise ValidationError({"to_stage": _("未到达阶段必须在已到达阶段之后。")}, code="stage_order")
        if self.kind == AlarmKind.MONTHS and not self.months:
            raise ValidationError({"months": _("按月数预警的规则须填写允许月数（至少 1 个月）。")}, code="months")
        if self.city_id and self.city.level != "city":
            raise ValidationError({"city": _("预警规则按市设置。")}, code="not_city")


class AlarmProblem(TimeStampedModel):
    """An alarm turned into a ledger problem (转为问题): one per lead and rule, so it is not raised twice."""

    lead = models.ForeignKey(Lead, verbose_name=_("招商项目"), on_delete=models.CASCADE, related_name="alarm_problems")
    rule = models.ForeignKey(AlarmRule, verbose_name=_("预警规则"), on_delete=models.CASCADE, related_name="+")
    problem = models.ForeignKey(
        "problems.Problem", verbose_name=_("问题"), on_delete=models.CASCADE, related_name="attraction_alarms"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="lead__region", owner="lead__company")

    class Meta:
        verbose_name = _("预警转问题")
        verbose_name_plural = pgettext_lazy("plural", "预警转问题")
        constraints = [models.UniqueConstraint(fields=["lead", "rule"], name="attraction_alarm_problem_once")]

    def __str__(self) -> str:
        return f"{self.lead_id}/{self.rule_id} → {self.problem_id}"
