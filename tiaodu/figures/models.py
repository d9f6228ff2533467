"""The figures' memory: what each list entry counted for when a month was locked."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.core.scoping import RestrictedQuerySet, ScopeSpec
from tiaodu.projects.choices import KeyLevel, Nature, Sector, Stage

MONEY = {"max_digits": 16, "decimal_places": 2}


class FigureSnapshotRow(models.Model):
    """锁定时的指标底数: one key-list entry as it counted in the figures when its month was locked.

    Its columns are exactly those of the live figure base (``figures.selectors.figure_base``), so
    the same aggregation computes the figures "current" or "as locked", and the same drill-down
    lists the rows behind them. Rows are written once, at the lock, and never changed.
    """

    lock = models.ForeignKey(
        "reports.MonthLock", verbose_name=_("月份锁定"), on_delete=models.CASCADE, related_name="snapshot_rows"
    )
    entry_id = models.BigIntegerField(_("名单项目"))
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    key_list = models.ForeignKey("projects.KeyList", verbose_name=_("名单"), on_delete=models.PROTECT, related_name="+")
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

    objects = RestrictedQuerySet.as_manager()
    scope = ScopeSpec(region="region", owner="project__owner")

    class Meta:
        verbose_name = _("锁定指标底数")
        verbose_name_plural = _("锁定指标底数")
        indexes = [models.Index(fields=["lock", "level"], name="figures_snapshot_lock_level")]

    def __str__(self) -> str:
        return f"{self.lock} · {self.project_id}"
