from django.db import models
from django.utils.translation import gettext_lazy as _

from tiaodu.core import scoping


class Role(models.TextChoices):
    ADMIN = scoping.ADMIN, _("管理员")
    LEADER = scoping.LEADER, _("领导")
    DEPARTMENT = scoping.DEPARTMENT, _("行业部门")
    OWNER = scoping.OWNER, _("项目单位")
