from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    """指标方向: whether a higher or a lower value is better (e.g. 能耗 is better lower)."""

    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class IndicatorKind(models.TextChoices):
    """指标来源: computed by Tiaodu from its own figures, or entered by the responsible department."""

    COMPUTED = "computed", _("系统计算")
    ENTERED = "entered", _("部门填报")


class UnitKind(models.TextChoices):
    """被考核对象: a scheme assesses one kind of unit."""

    REGION = "region", _("县区和功能区")
    DEPARTMENT = "department", _("部门")


class ScoringRule(models.TextChoices):
    """计分规则."""

    RATIO = "ratio", _("完成率计分（封顶）")
    RANK = "rank", _("排名计分")


class ActualStatus(models.TextChoices):
    """实绩状态: the responsible department drafts and submits; the assessing office accepts or returns."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已审核")


class ActualEventKind(models.TextChoices):
    SAVED = "saved", _("保存草稿")
    SUBMITTED = "submitted", _("提交")
    RETURNED = "returned", _("退回")
    ACCEPTED = "accepted", _("审核通过")


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("加分")
    DEDUCTION = "deduction", _("扣分")
