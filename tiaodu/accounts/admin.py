from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Grant, User


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 1
    autocomplete_fields = ["region", "organisation"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    """Superusers manage logins and grants here; everyone else works in the application."""

    inlines = [GrantInline]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Tiaodu"), {"fields": ("display_name", "phone")}))
    list_display = ("username", "display_name", "email", "is_active", "is_superuser")
