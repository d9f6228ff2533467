from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadStage(models.TextChoices):
    """招商项目阶段: 线索 → 洽谈 → 签约 → 落地 → 开工 → 投产 → 达产, or 终止."""

    LEAD = "lead", _("线索")
    NEGOTIATING = "negotiating", _("洽谈")
    SIGNED = "signed", _("签约")
    LANDED = "landed", _("落地")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    CAPACITY = "capacity", _("达产")
    TERMINATED = "terminated", _("终止")


# The main line in order; a lead moves forward along it, or is terminated.
PIPELINE = [
    LeadStage.LEAD,
    LeadStage.NEGOTIATING,
    LeadStage.SIGNED,
    LeadStage.LANDED,
    LeadStage.STARTED,
    LeadStage.PRODUCING,
    LeadStage.CAPACITY,
]

# The date field that records when a lead reached each stage of the main line.
STAGE_DATE_FIELD = {
    LeadStage.LEAD: "registered_on",
    LeadStage.NEGOTIATING: "negotiating_on",
    LeadStage.SIGNED: "signed_on",
    LeadStage.LANDED: "landed_on",
    LeadStage.STARTED: "started_on",
    LeadStage.PRODUCING: "producing_on",
    LeadStage.CAPACITY: "capacity_on",
}


class InvestorOrigin(models.TextChoices):
    """投资方来源地."""

    LOCAL = "local", _("省内")
    OTHER_PROVINCE = "other_province", _("省外")
    ABROAD = "abroad", _("境外")


class LeadSource(models.TextChoices):
    """招商方式: how the lead was found."""

    BY_BUSINESS = "by_business", _("以商招商")
    RESIDENT = "resident", _("驻点招商")
    EXHIBITION = "exhibition", _("展会招商")
    AGENCY = "agency", _("委托招商")
    ONLINE = "online", _("网络招商")
    CHAIN = "chain", _("产业链招商")
    OTHER = "other", _("其他")


class SigningKind(models.TextChoices):
    """签约类型: a framework agreement, a formal contract, or a capital increase (增资)."""

    FRAMEWORK = "framework", _("框架协议")
    CONTRACT = "contract", _("正式合同")
    INCREASE = "increase", _("增资")


class LeadEventKind(models.TextChoices):
    CREATED = "created", _("登记线索")
    ADVANCED = "advanced", _("推进阶段")
    SIGNED = "signed", _("签约")
    FUNDS = "funds", _("资金到位")
    PROJECT = "project", _("关联项目")
    SYNCED = "synced", _("按项目库同步")
    TERMINATED = "terminated", _("终止")


class AlarmKind(models.TextChoices):
    """How an alarm rule decides a lead is late."""

    MONTHS = "months", _("到达阶段后超过规定月数未进入下一阶段")
    PLANNED_PRODUCTION = "planned_production", _("超过计划投产日期仍未投产")
