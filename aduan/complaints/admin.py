"""Read-only views of complaints for Dinas admins until the back-office exists.

State changes go through the workflow only, never through this admin; the complainant's
identity is not shown here at all (the back-office's reveal is the way to it).
"""

from django.contrib import admin

from .models import Clock, Complaint, DeadlinePolicy, Event, Message


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = Event
    fields = (
        "created_at",
        "verb",
        "actor",
        "actor_role",
        "from_state",
        "to_state",
        "agency",
        "note",
    )
    readonly_fields = fields


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "kind", "author", "agency", "body")
    readonly_fields = fields


class ClockInline(ReadOnlyInline):
    model = Clock
    fields = (
        "kind",
        "agency",
        "started_at",
        "target_at",
        "due_at",
        "paused_at",
        "stopped_at",
        "stop_reason",
        "working_days_used",
        "target_met",
        "deadline_met",
    )
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = (
        "tracking_code",
        "title",
        "kind",
        "status",
        "channel",
        "lead_agency",
        "received_at",
        "dispatch_due_at",
        "response_due_at",
    )
    list_filter = ("status", "kind", "channel", "anonymous", "private", "lead_agency")
    search_fields = ("tracking_code", "title")
    date_hierarchy = "received_at"
    exclude = ("access_token", "access_token_hash")
    inlines = [EventInline, MessageInline, ClockInline]
    list_select_related = ("lead_agency",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude] + [
            "co_agencies",
            "related",
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "dispatch_working_days",
        "response_target_working_days",
        "response_deadline_working_days",
        "autoclose_days",
        "autoarchive_pending_days",
    )

    def has_add_permission(self, request):
        return not DeadlinePolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
