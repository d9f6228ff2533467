from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    """An enterprise's place in a chain (链长制)."""

    MASTER = "master", _("链主企业")
    CORE = "core", _("链核企业")
    MEMBER = "member", _("链上企业")
