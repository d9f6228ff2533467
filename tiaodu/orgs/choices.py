from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    DEPARTMENT = "department", _("政府部门")
    GOVERNMENT = "government", _("人民政府/管委会")
    INSTITUTION = "institution", _("事业单位")
    OTHER = "other", _("其他")
