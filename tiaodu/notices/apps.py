from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "tiaodu.notices"
    label = "notices"
    verbose_name = _("站内通知")
