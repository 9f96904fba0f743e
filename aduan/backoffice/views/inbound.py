"""The inbound monitor (issue 5), for the Dinas admin:

- GET  /kantor/kelola/masuk/                 what came in on the channels: newest first,
  filtered by channel and status, 50 a page, senders masked and texts PII-masked; above it
  the last 24 hours per channel (last message stored, counts per status, failures).
- POST /kantor/kelola/masuk/<pk>/ulang/      process a failed message again (audited).
- POST /kantor/kelola/masuk/<pk>/blokir/     block the message's sender (audited by the
  blocklist service, aduan.intake.abuse.sender_block).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.core.exceptions import ApplicationError
from aduan.intake.abuse import mask_address, sender_block
from aduan.intake.models import InboundRecord

from ..auth import staff_required
from ..inbound_monitor import (
    blocked_records,
    channel_label,
    inbound_channels,
    inbound_health,
    inbound_list,
    inbound_retry,
    text_preview,
)

admin_only = staff_required(roles=[Role.ADMIN])
# Column heads of the health overview (the statuses' own labels are sentences).
STATUS_HEADS = {
    InboundRecord.Status.RECEIVED: gettext_lazy("Waiting"),
    InboundRecord.Status.PROCESSED: gettext_lazy("Processed"),
    InboundRecord.Status.IGNORED: gettext_lazy("Ignored"),
    InboundRecord.Status.REJECTED: gettext_lazy("Rejected"),
    InboundRecord.Status.FAILED: gettext_lazy("Failed"),
}
PER_PAGE = 50


class SeeOther(HttpResponseRedirect):
    status_code = 303


class InboundFilterForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *InboundRecord.Status.choices],
    )

    def __init__(self, *args: Any, channels: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (channel, channel_label(channel)) for channel in (channels or inbound_channels())
        ]


def _query(form: InboundFilterForm) -> str:
    data = form.cleaned_data if form.is_valid() else {}
    return urlencode({k: v for k, v in data.items() if v})


def _monitor_url(query: str) -> str:
    url = reverse("backoffice:inbound")
    return f"{url}?{query}" if query else url


@admin_only
@require_GET
def inbound(request: HttpRequest) -> HttpResponse:
    health = inbound_health()  # also tells which channels have records
    form = InboundFilterForm(request.GET or None, channels=[row.channel for row in health])
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    listed = inbound_list(channel=filters.get("channel", ""), status=filters.get("status", ""))
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    records = list(page.object_list)
    blocked = blocked_records(records)
    rows = [
        {
            "record": record,
            "channel": channel_label(record.channel),
            "sender": mask_address(record.channel, record.sender),
            "blocked": record.pk in blocked,
            "status": InboundRecord.Status(record.status).label,
            "text": text_preview(record.subject, record.text),
            "error": text_preview("", record.error, 200),
        }
        for record in records
    ]
    query = _query(form) if form.is_bound else ""
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "health": health,
        "status_heads": [STATUS_HEADS[s] for s in InboundRecord.Status],
        "query": query,
        "page_prefix": f"?{query}&page=" if query else "?page=",
        "filters": {"channel": filters.get("channel", ""), "status": filters.get("status", "")},
        "filtered": bool(filters and any(filters.values())),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "backoffice/inbound/monitor.html", context, status=status)


def _back(request: HttpRequest) -> str:
    """Back to the list as it was filtered (only our own query string is kept)."""
    form = InboundFilterForm(
        {"channel": request.POST.get("channel", ""), "status": request.POST.get("status", "")}
    )
    return _monitor_url(_query(form))


@admin_only
@require_POST
def inbound_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        outcome = inbound_retry(record_id=pk, by=user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return SeeOther(_back(request))
    if outcome.record.status == InboundRecord.Status.PROCESSED:
        messages.success(request, _("The message was processed."))
    else:
        messages.error(
            request,
            _("The message could not be processed: %(error)s")
            % {"error": text_preview("", outcome.record.error, 200)},
        )
    return SeeOther(_back(request))


@admin_only
@require_POST
def inbound_block_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(InboundRecord, pk=pk)
    try:
        sender_block(
            by=request.user,
            channel=record.channel,
            record=record,
            note=_("Blocked from the inbound monitor."),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The sender %(sender)s is blocked on %(channel)s.")
            % {
                "sender": mask_address(record.channel, record.sender),
                "channel": channel_label(record.channel),
            },
        )
    return SeeOther(_back(request))


__all__ = ["inbound", "inbound_block_view", "inbound_retry_view"]
