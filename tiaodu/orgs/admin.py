from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Official, Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    search_fields = ["name", "credit_code"]
    list_display = ("name", "kind", "region", "credit_code")
    list_filter = ("kind",)
    autocomplete_fields = ["region", "successor"]


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin):
    search_fields = ["name", "title"]
    list_display = ("name", "title", "organisation", "region", "user")
    autocomplete_fields = ["region", "organisation", "user"]
