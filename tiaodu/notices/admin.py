from django.contrib import admin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "text", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("text", "recipient__username")
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False
