from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ProblemCategory


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(SimpleHistoryAdmin):
    """问题类别: the list administrators keep (a category in use is deactivated, not deleted)."""

    list_display = ("name", "group", "sort_order", "is_active")
    list_filter = ("group", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name",)
