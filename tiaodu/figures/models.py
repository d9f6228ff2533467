"""The figure base, kept in tables: one row per key-list entry and month, current and as locked.

``FigureRow`` is the current figure base (a rollup): for every entry of a published list, one row
per month of the list's year, with what the entry counts for at the end of that month. The writes
that change those values (reports, opening balances, projects and their stages, lists) refresh the
rows of the projects and years they touch, in the same transaction (``figures.rollup``).

``FigureSnapshotRow`` is the figures' memory: the rows of a month as they stood when the month was
locked, copied once at the lock and never changed.

Both have exactly the columns of ``figures.selectors.live_base`` (the definition, computed from the
reports), so the same aggregation computes the figures "current" or "as locked", and the same
drill-down lists the rows behind them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec
from tiaodu.projects.choices import KeyLevel, Nature, Sector, Stage

MONEY = {"max_digits": 16, "decimal_places": 2}

# The value columns, in the order of ``figures.selectors.live_base``'s annotations.
VALUE_COLUMNS = (
    "level",
    "sector",
    "nature",
    "annual_plan",
    "ytd",
    "started",
    "resumed",
    "planned_commissioning",
    "commissioned",
    "stage",
    "reported",
    "is_primary",
)


class FigureColumns(models.Model):
    """One key-list entry as it counts in the figures of one month."""

    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    key_list = models.ForeignKey("projects.KeyList", verbose_name=_("名单"), on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("重点级别"), max_length=16, choices=KeyLevel.choices)
    sector = models.CharField(_("行业类别"), max_length=16, choices=Sector.choices)
    nature = models.CharField(_("当年建设性质"), max_length=16, choices=Nature.choices)
    annual_plan = models.DecimalField(_("年度计划投资（万元）"), **MONEY)
    ytd = models.DecimalField(_("自年初累计完成投资（万元）"), **MONEY)
    started = models.BooleanField(_("已开工"))
    resumed = models.BooleanField(_("已复工"))
    planned_commissioning = models.BooleanField(_("计划当年投产"))
    commissioned = models.BooleanField(_("已投产"))
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    reported = models.BooleanField(_("本月已报"))
    # The entry on the project's highest list of the year (figures without a level count a project once).
    is_primary = models.BooleanField(_("按最高级别计入"))

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner="project__owner")

    class Meta:
        abstract = True


class FigureRow(FigureColumns):
    """当前指标底数: an entry of a published list as it counts at the end of ``period`` (a month of its year)."""

    # A derived table, rewritten for every project and month a write touches (50,000 projects × the rest
    # of the year after an import), so it carries as little as the reads need:
    # - no single-column indexes: the unique (entry, period) and (project, period) serve the lookups by
    #   entry and project, (period, region) those by region (always within months); a list's or a
    #   region's rows are looked up only when one is deleted, which Tiaodu does not do;
    # - no foreign-key constraints in the database (PostgreSQL checks each deferred one per row at
    #   commit: 1.4 million checks, 6 s, after a 50,000-row import). The rows are written only by
    #   ``figures.rollup`` from existing entries, projects, regions and lists, in the transaction that
    #   changes them; Django still cascades a deleted entry or project to its rows, and
    #   ``tiaodu rollup check`` compares the table with the definition.
    # - rows are updated in place, not deleted and inserted again (``figures.rollup._update``): on
    #   PostgreSQL the table leaves half of each page free (fillfactor 50, migration 0009) for the new
    #   version of its rows — a HOT update, with no index entry to write.
    entry = models.ForeignKey(
        "projects.KeyListEntry",
        verbose_name=_("名单项目"),
        on_delete=models.CASCADE,
        related_name="figure_rows",
        db_index=False,
        db_constraint=False,
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    key_list = models.ForeignKey(
        "projects.KeyList",
        verbose_name=_("名单"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.DateField(_("月份"))

    class Meta:
        verbose_name = _("当前指标底数")
        verbose_name_plural = _("当前指标底数")
        constraints = [models.UniqueConstraint(fields=["entry", "period"], name="figures_row_entry_period")]
        indexes = [
            # No value column in any index (not even as an INCLUDE: the sums are read from FigureTotal),
            # so that the refresh's UPDATEs change no index.
            models.Index(fields=["period", "region"], name="figures_row_period_region"),
            models.Index(fields=["project", "period"], name="figures_row_project_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} · {self.project_id}"


class FigureSnapshotRow(FigureColumns):
    """锁定时的指标底数: one key-list entry as it counted in the figures when its month was locked."""

    lock = models.ForeignKey(
        "reports.MonthLock", verbose_name=_("月份锁定"), on_delete=models.CASCADE, related_name="snapshot_rows"
    )
    entry_id = models.BigIntegerField(_("名单项目"))
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="+")
    key_list = models.ForeignKey("projects.KeyList", verbose_name=_("名单"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("锁定指标底数")
        verbose_name_plural = _("锁定指标底数")
        indexes = [models.Index(fields=["lock", "level"], name="figures_snapshot_lock_level")]

    def __str__(self) -> str:
        return f"{self.lock} · {self.project_id}"


# The sums kept per group of figure rows, named after the aggregates of ``selectors.row_aggregates``
# ("start_rate__n" is kept as ``start_rate_n``).
COUNT_TOTALS = (
    "total",
    "reported_n",
    "start_rate_n",
    "start_rate_d",
    "resumption_rate_n",
    "resumption_rate_d",
    "commissioning_rate_n",
    "commissioning_rate_d",
    *(f"stage_{stage}" for stage in Stage.values),
)
MONEY_TOTALS = ("investment_completion_rate_n", "investment_completion_rate_d")


class FigureTotal(models.Model):
    """当前指标汇总: the figure rows of a month summed per region, list level, sector and primacy.

    Derived from ``FigureRow`` by ``figures.rollup`` (refreshed with the rows it sums), so the
    figures of a city, a ranking or a year's series add up a few hundred of these instead of tens
    of thousands of rows. The drill-downs still list the rows.
    """

    period = models.DateField(_("月份"))
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("重点级别"), max_length=16, choices=KeyLevel.choices)
    sector = models.CharField(_("行业类别"), max_length=16, choices=Sector.choices)
    is_primary = models.BooleanField(_("按最高级别计入"))
    total = models.PositiveIntegerField()
    reported_n = models.PositiveIntegerField()
    start_rate_n = models.PositiveIntegerField()
    start_rate_d = models.PositiveIntegerField()
    resumption_rate_n = models.PositiveIntegerField()
    resumption_rate_d = models.PositiveIntegerField()
    commissioning_rate_n = models.PositiveIntegerField()
    commissioning_rate_d = models.PositiveIntegerField()
    investment_completion_rate_n = models.DecimalField(max_digits=18, decimal_places=2)
    investment_completion_rate_d = models.DecimalField(max_digits=18, decimal_places=2)
    stage_planning = models.PositiveIntegerField()
    stage_preliminary = models.PositiveIntegerField()
    stage_construction = models.PositiveIntegerField()
    stage_operating = models.PositiveIntegerField()
    stage_capacity = models.PositiveIntegerField()
    stage_suspended = models.PositiveIntegerField()
    stage_withdrawn = models.PositiveIntegerField()

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region")  # owners read their own projects' rows, not these sums

    class Meta:
        verbose_name = _("当前指标汇总")
        verbose_name_plural = _("当前指标汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "region", "level", "sector", "is_primary"], name="figures_total_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} · {self.region_id} · {self.level} · {self.sector}"
