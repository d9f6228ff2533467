from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MonthLock, MonthlyReport, ReportingRule


@admin.register(ReportingRule)
class ReportingRuleAdmin(SimpleHistoryAdmin):
    """The deadline and review time of a city: set here by a system administrator."""

    list_display = ("region", "deadline_day", "review_days")
    autocomplete_fields = ["region"]


@admin.register(MonthLock)
class MonthLockAdmin(admin.ModelAdmin):
    """Locks are made by the service (with the figures kept as locked); here they are only read."""

    list_display = ("region", "period", "locked_at", "locked_by")
    list_filter = ("period",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(SimpleHistoryAdmin):
    """Reports change only through the monthly loop's pages and API; here they are only read."""

    list_display = ("project", "period", "status", "investment_month", "ytd", "is_correction")
    list_filter = ("status", "is_correction", "period")
    search_fields = ["project__name", "project__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
