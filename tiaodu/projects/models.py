"""The key-project registry: projects, their stage moves, and the yearly key-project lists."""

import functools
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tiaodu.core.dates import local_today
from tiaodu.core.models import TimeStampedModel, WorkflowEvent
from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec
from tiaodu.core.validators import validate_project_code

from .choices import MAIN_LINE, STAGE_POOL, Industry, KeyLevel, KeyListStatus, Nature, Pool, Sector, Stage

MONEY = {"max_digits": 16, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]

# The fact (a field) that must be present for a project to be in a stage; checked for every
# stage up to and including the one the project is in.
STAGE_FACTS: dict[str, tuple[str, ...]] = {
    Stage.PLANNING: (),
    Stage.PRELIMINARY: (),
    Stage.CONSTRUCTION: ("code", "actual_start_date"),
    Stage.OPERATING: ("actual_commissioning_date",),
    Stage.CAPACITY: ("capacity_date",),
}


class ProjectQuerySet(RestrictedQuerySet):
    def with_related(self) -> "ProjectQuerySet":
        return self.select_related("region", "region__parent", "owner", "leader", "responsible_department")

    def active(self) -> "ProjectQuerySet":
        return self.exclude(stage=Stage.WITHDRAWN)


class Project(TimeStampedModel):
    """重点项目: one physical project, kept across years and lists, moving through the four pools."""

    code = models.CharField(
        _("项目代码"),
        max_length=24,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_project_code],
        help_text=_("全国投资项目在线审批监管平台赋予的项目代码；谋划阶段可暂缺。"),
    )
    name = models.CharField(_("项目名称"), max_length=200)
    # Indexed by (owner, stage) and (region, stage) below: an index of the column alone would only
    # cost every write.
    owner = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("项目单位"),
        on_delete=models.PROTECT,
        related_name="projects",
        db_index=False,
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="projects", db_index=False
    )
    address = models.CharField(_("建设地点"), max_length=200, blank=True)
    sector = models.CharField(_("行业类别"), max_length=16, choices=Sector.choices)
    industry = models.CharField(_("国民经济行业门类"), max_length=1, choices=Industry.choices, blank=True)
    nature = models.CharField(_("建设性质"), max_length=16, choices=Nature.choices)
    total_investment = models.DecimalField(_("总投资（万元）"), **MONEY, validators=NON_NEGATIVE)
    construction_content = models.TextField(_("建设内容及规模"), blank=True)

    planned_start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    planned_completion_date = models.DateField(_("计划竣工日期"), null=True, blank=True)
    planned_commissioning_date = models.DateField(_("计划投产日期"), null=True, blank=True)
    actual_start_date = models.DateField(_("实际开工日期"), null=True, blank=True)
    actual_completion_date = models.DateField(_("实际竣工日期"), null=True, blank=True)
    actual_commissioning_date = models.DateField(_("实际投产日期"), null=True, blank=True)
    capacity_date = models.DateField(_("达产日期"), null=True, blank=True)
    in_statistics = models.BooleanField(_("已入统"), default=False, help_text=_("已纳入统计部门固定资产投资统计库。"))

    leader = models.ForeignKey(
        "orgs.Official",
        verbose_name=_("包联领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    responsible_department = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("包联部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_projects",
    )
    task_force = models.CharField(_("工作专班"), max_length=100, blank=True)
    service_agent = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("代办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="serviced_projects",
    )

    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.PLANNING)
    stage_since = models.DateField(_("进入本阶段日期"), null=True, blank=True)
    previous_stage = models.CharField(
        _("停缓建/退库前阶段"), max_length=16, choices=Stage.choices, blank=True, editable=False
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

    # The history is read by record (``id``): the indexes the foreign keys would get on it only slow
    # down every write (an import writes 50,000 records at once).
    history = HistoricalRecords(
        no_db_index=["code", "owner", "region", "leader", "responsible_department", "service_agent", "created_by"]
    )
    objects = ProjectQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner="owner")

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["region__code", "name"]
        indexes = [
            models.Index(fields=["region", "stage"], name="projects_region_stage"),
            models.Index(fields=["owner", "stage"], name="projects_owner_stage"),
            models.Index(fields=["stage", "actual_start_date"], name="projects_stage_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gte=0), name="projects_investment_non_negative"),
            models.CheckConstraint(
                condition=Q(actual_commissioning_date__isnull=True)
                | Q(actual_start_date__isnull=False, actual_commissioning_date__gte=F("actual_start_date")),
                name="projects_commissioning_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity_date__isnull=True)
                | Q(actual_commissioning_date__isnull=False, capacity_date__gte=F("actual_commissioning_date")),
                name="projects_capacity_after_commissioning",
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=[Stage.CONSTRUCTION, Stage.OPERATING, Stage.CAPACITY])
                | Q(actual_start_date__isnull=False),
                name="projects_started_has_start_date",
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=[Stage.OPERATING, Stage.CAPACITY]) | Q(actual_commissioning_date__isnull=False),
                name="projects_operating_has_commissioning_date",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.CAPACITY) | Q(capacity_date__isnull=False),
                name="projects_capacity_has_capacity_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def pool(self) -> Pool | None:
        """The pool (库) the project sits in; a suspended project stays in its pool, a withdrawn one has none."""
        stage = self.previous_stage if self.stage == Stage.SUSPENDED else self.stage
        return STAGE_POOL.get(stage)

    @property
    def total_investment_yi(self) -> Decimal:
        """Total investment in 亿元 (1 亿元 = 10,000 万元)."""
        return self.total_investment / Decimal(10000)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.code is not None:
            self.code = self.code.strip().upper() or None
        today = local_today()
        for field in ("actual_start_date", "actual_completion_date", "actual_commissioning_date", "capacity_date"):
            value = getattr(self, field)
            if value and value > today:
                errors.setdefault(field, []).append(
                    _("{field}不能晚于今天（{today}）。").format(
                        field=self._meta.get_field(field).verbose_name, today=today.isoformat()
                    )
                )
        pairs = [
            ("planned_start_date", "planned_completion_date", _("计划竣工日期不能早于计划开工日期。")),
            ("planned_start_date", "planned_commissioning_date", _("计划投产日期不能早于计划开工日期。")),
            ("actual_start_date", "actual_completion_date", _("实际竣工日期不能早于实际开工日期。")),
            ("actual_start_date", "actual_commissioning_date", _("实际投产日期不能早于实际开工日期。")),
            ("actual_commissioning_date", "capacity_date", _("达产日期不能早于实际投产日期。")),
        ]
        for earlier, later, message in pairs:
            a, b = getattr(self, earlier), getattr(self, later)
            if a and b and b < a:
                errors.setdefault(later, []).append(message)
        for field in ("actual_commissioning_date", "actual_completion_date"):
            if getattr(self, field) and not self.actual_start_date:
                errors.setdefault("actual_start_date", []).append(
                    _("已填写{field}的项目必须有实际开工日期。").format(field=self._meta.get_field(field).verbose_name)
                )
        if self.capacity_date and not self.actual_commissioning_date:
            errors.setdefault("actual_commissioning_date", []).append(_("已达产的项目必须有实际投产日期。"))
        for field in missing_stage_facts(self, self.effective_stage):
            errors.setdefault(field, []).append(
                _("处于“{stage}”阶段的项目必须填写{field}。").format(
                    stage=Stage(self.effective_stage).label, field=self._meta.get_field(field).verbose_name
                )
            )
        if errors:
            raise ValidationError(errors)

    @property
    def effective_stage(self) -> str:
        """The main-line stage whose facts must hold: a suspended or withdrawn project keeps its earlier facts."""
        if self.stage in (Stage.SUSPENDED, Stage.WITHDRAWN):
            return self.previous_stage or Stage.PLANNING
        return self.stage


def missing_stage_facts(project: Project, stage: str) -> list[str]:
    """The facts (field names) a project lacks to be in ``stage``, in the order they are needed."""
    return [field for field in _facts_up_to(stage) if not getattr(project, field)]


@functools.cache
def _facts_up_to(stage: str) -> tuple[str, ...]:
    """The facts a project needs to be in ``stage``: those of every main-line stage up to it (none off it)."""
    if stage not in MAIN_LINE:
        return ()
    return tuple(field for step in MAIN_LINE[: MAIN_LINE.index(stage) + 1] for field in STAGE_FACTS[step])


class StageTransition(WorkflowEvent):
    """阶段变更记录: one move of a project between stages, with the date of the fact that justified it."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="transitions")
    effective_date = models.DateField(_("发生日期"))

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="project__region", owner="project__owner")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")

    def __str__(self) -> str:
        return f"{self.project} {self.from_state} → {self.to_state}"

    @property
    def from_label(self) -> str:
        return Stage(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return Stage(self.to_state).label


class KeyList(TimeStampedModel):
    """重点项目名单: a year's list at one level (省级/市级/县级), kept by a city or county.

    A city keeps its share of the provincial list and its own city list; a county keeps its county
    list. Publishing (发布) fixes the list's date; later adjustments are still recorded in history.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("编制区划"), on_delete=models.PROTECT, related_name="key_lists"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("重点级别"), max_length=16, choices=KeyLevel.choices)
    title = models.CharField(_("名单名称"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=KeyListStatus.choices, default=KeyListStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    note = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", with_ancestors=True)

    class Meta:
        verbose_name = _("重点项目名单")
        verbose_name_plural = _("重点项目名单")
        ordering = ["-year", "region__code", "level"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "level"], name="projects_one_list_per_region_year_level"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="projects_list_year_range"),
        ]

    def __str__(self) -> str:
        return self.title or self.default_title()

    def get_absolute_url(self) -> str:
        return reverse("projects:keylist_detail", args=[self.pk])

    def default_title(self) -> str:
        level_word = {
            KeyLevel.PROVINCE: _("省级重点工程项目"),
            KeyLevel.CITY: _("市级重点项目"),
            KeyLevel.COUNTY: _("县级重点项目"),
        }[KeyLevel(self.level)]
        return _("{region}{year}年{level}").format(region=self.region.name, year=self.year, level=level_word)

    @property
    def is_published(self) -> bool:
        return self.status == KeyListStatus.PUBLISHED


class KeyListEntry(TimeStampedModel):
    """名单项目: a project on a year's list, with its annual planned investment (年度计划投资).

    ``nature`` is the project's nature *as listed that year*: a project new (新建) on the 2024 list is
    continued (续建) on the 2025 list; the start rate counts the new ones of the year.
    """

    key_list = models.ForeignKey(  # indexed by the (key_list, project) constraint
        KeyList, verbose_name=_("名单"), on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="list_entries")
    nature = models.CharField(_("当年建设性质"), max_length=16, choices=Nature.choices)
    annual_plan = models.DecimalField(_("年度计划投资（万元）"), **MONEY, validators=NON_NEGATIVE)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords(no_db_index=["key_list"])  # read by record, and by project (its page)
    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="project__region", owner="project__owner")

    class Meta:
        verbose_name = _("名单项目")
        verbose_name_plural = _("名单项目")
        ordering = ["key_list", "project__region__code", "project__name"]
        constraints = [
            models.UniqueConstraint(fields=["key_list", "project"], name="projects_project_once_per_list"),
            models.CheckConstraint(condition=Q(annual_plan__gte=0), name="projects_annual_plan_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.key_list} · {self.project}"
