from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemSource(models.TextChoices):
    """问题来源: where a problem was found."""

    SITE_VISIT = "site_visit", _("现场调研")
    MEETING = "meeting", _("调度会议")
    INSPECTION_TOUR = "inspection_tour", _("观摩拉练")
    COMPLAINT = "complaint", _("上级督察交办")
    OWNER_REPORT = "owner_report", _("项目单位反映")
    ATTRACTION_ALARM = "attraction_alarm", _("三未预警")  # 签而未落、落而未投、投而未产 (attraction)


class ProblemStatus(models.TextChoices):
    """问题状态: 待交办 → 已交办 → 办理中 → 已办结 → 已销号. Overdue is derived, never a status."""

    OPEN = "open", _("待交办")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已办结")
    CLOSED = "closed", _("已销号")


class CoordinationLevel(models.TextChoices):
    """协调层级 (分级分层调度): where a problem is coordinated; escalated upward when a level cannot solve it."""

    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")


LEVEL_ORDER = [CoordinationLevel.COUNTY, CoordinationLevel.CITY, CoordinationLevel.PROVINCE]


class CategoryGroup(models.TextChoices):
    PROJECT = "project", _("项目推进")
    ENVIRONMENT = "environment", _("生态环境")


class ProblemEventKind(models.TextChoices):
    RECORDED = "recorded", _("登记")
    ASSIGNED = "assigned", _("交办")
    STARTED = "started", _("签收办理")
    ANSWERED = "answered", _("办结")
    SENT_BACK = "sent_back", _("退回重办")
    CLOSED = "closed", _("销号")
    ESCALATED = "escalated", _("提级协调")


class AttachmentStage(models.TextChoices):
    RECORD = "record", _("问题材料")
    ANSWER = "answer", _("办结佐证")


# Bootstrap colours of the status badges.
STATUS_COLORS = {
    ProblemStatus.OPEN: "secondary",
    ProblemStatus.ASSIGNED: "primary",
    ProblemStatus.IN_PROGRESS: "info",
    ProblemStatus.ANSWERED: "warning",
    ProblemStatus.CLOSED: "success",
}
