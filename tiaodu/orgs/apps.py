from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "tiaodu.orgs"
    label = "orgs"
    verbose_name = _("单位与领导")
