from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "actor_label",
        "actor_role",
        "actor_agency",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("action", "actor_role")
    search_fields = ("actor_label", "object_id", "request_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
