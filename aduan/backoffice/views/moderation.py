"""Moderation for the public portal (Pasal 4(3), R8): `/kantor/moderasi/`.

A queue of public, verified reports waiting for approval and of those already published; per
report the complainant's words (kept as they are) next to the public wording, pre-filled with
personal data masked and every mask highlighted, for the admin to edit (names of reported
persons removed) and approve — or to take a report off the portal again. Writes go through
`complaint_publish` / `complaint_unpublish`, which audit them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aduan.accounts.access import complaint_get_for_user
from aduan.accounts.roles import Role
from aduan.complaints.models import Complaint
from aduan.complaints.publication import (
    complaint_publish,
    complaint_unpublish,
    suggested_public_text,
)
from aduan.complaints.workflow.actors import Actor
from aduan.core.exceptions import ApplicationError
from aduan.core.exceptions import PermissionDenied as DomainPermissionDenied

from ..auth import staff_required
from ..manage_forms import PublicTextForm
from ..moderation import (
    complaint_get_for_moderation,
    complaint_list_moderation,
    masked_counts,
    masked_segments,
)

PAGE_SIZE = 25
TABS = ("waiting", "published")


@staff_required(roles=[Role.ADMIN])
@require_http_methods(["GET"])
def moderation(request: HttpRequest) -> HttpResponse:
    """The queue: ?tab=waiting (default, oldest first) or ?tab=published (newest first)."""
    tab = request.GET.get("tab", "waiting")
    if tab not in TABS:
        tab = "waiting"
    queryset = complaint_list_moderation(published=tab == "published")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "page": page,
        "counts": {
            "waiting": complaint_list_moderation(published=False).count()
            if tab != "waiting"
            else page.paginator.count,
            "published": complaint_list_moderation(published=True).count()
            if tab != "published"
            else page.paginator.count,
        },
    }
    return render(request, "backoffice/moderation/queue.html", context)


def _moderatable(request: HttpRequest, pk: int) -> Complaint:
    """The report, through the access check (S3), if it may be moderated (else 404): a
    confidential, archived or not yet verified report never reaches these pages."""
    try:
        complaint_get_for_user(user=request.user, pk=pk)  # type: ignore[arg-type]
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    complaint = complaint_get_for_moderation(pk)
    if complaint is None:
        raise Http404
    return complaint


@staff_required(roles=[Role.ADMIN])
@require_http_methods(["GET", "POST"])
def moderation_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The complainant's words and the public wording to approve (GET) or approve it (POST)."""
    complaint = _moderatable(request, pk)
    suggested_title, suggested_body = suggested_public_text(complaint)
    if request.method == "POST":
        form = PublicTextForm(request.POST)
        if form.is_valid():
            try:
                complaint_publish(
                    complaint=complaint,
                    by=Actor.of(request.user),  # type: ignore[arg-type]
                    title=form.cleaned_data["public_title"],
                    body=form.cleaned_data["public_body"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(code)s is published on the portal.") % {"code": complaint.tracking_code},
                )
                return HttpResponseRedirect(reverse("backoffice:moderation"), status=303)
        status = 400
    else:
        initial = (
            {"public_title": complaint.public_title, "public_body": complaint.public_body}
            if complaint.published
            else {"public_title": suggested_title, "public_body": suggested_body}
        )
        form = PublicTextForm(initial=initial)
        status = 200
    context = {
        "complaint": complaint,
        "form": form,
        "masked_title": masked_counts(complaint.title),
        "masked_body": masked_counts(complaint.body),
        "preview_title": masked_segments(suggested_title),
        "preview_body": masked_segments(suggested_body),
    }
    return render(request, "backoffice/moderation/review.html", context, status=status)


@staff_required(roles=[Role.ADMIN])
@require_POST
def moderation_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a report off the public portal (its public wording is kept for a later approval)."""
    complaint = _moderatable(request, pk)
    complaint_unpublish(complaint=complaint, by=Actor.of(request.user))  # type: ignore[arg-type]
    messages.success(
        request,
        _("%(code)s is no longer shown on the portal.") % {"code": complaint.tracking_code},
    )
    return HttpResponseRedirect(reverse("backoffice:moderation") + "?tab=published", status=303)
