from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import OutboxMessage
from .services import outbox_retry_dead


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox and its dead letters (S17). Addresses are never shown here."""

    list_display = (
        "created_at",
        "template",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "complaint",
    )
    list_filter = ("status", "channel", "template")
    fields = (
        "created_at",
        "template",
        "channel",
        "language",
        "complaint",
        "to_user",
        "to_complainant",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "claimed_at",
        "claimed_by",
        "sent_at",
        "provider_message_id",
        "last_error",
        "idempotency_key",
    )
    readonly_fields = fields
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected dead letters again"))
    def retry(self, request, queryset):
        count = outbox_retry_dead(queryset.values_list("id", flat=True))
        self.message_user(
            request,
            _("%(count)s messages will be sent again.") % {"count": count},
            messages.SUCCESS,
        )
