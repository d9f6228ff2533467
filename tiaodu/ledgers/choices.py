from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("重点项目名单")
    REPORTS = "reports", _("月度调度数据")
    PROBLEMS = "problems", _("问题台账")
    LEADS = "leads", _("招商项目台账")
    ENTERPRISES = "enterprises", _("链上企业名单")
    ACTUALS = "actuals", _("考核实绩")


class UploadStatus(models.TextChoices):
    CHECKING = "checking", _("校验中")
    UPLOADED = "uploaded", _("待确认")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")
