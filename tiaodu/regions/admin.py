from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    search_fields = ["code", "name"]
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    readonly_fields = ("path",)
