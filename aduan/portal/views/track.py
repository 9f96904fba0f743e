"""Tracking a report: the public timeline by tracking code, the private link, and what the
complainant may do from the private page (Pasal 5(2)a, 9(1)d, 12; S5, S7, S18).

Views parse, call one service or transition, and render; the complainant acts as
`Actor.complainant()` only after the session holds a grant from the private link.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aduan.agencies.models import Agency
from aduan.complaints import data_rights
from aduan.complaints.codes import normalize_tracking_code
from aduan.complaints.models import Complainant, Complaint, Message, Upload
from aduan.complaints.redaction import public_text
from aduan.complaints.selectors import complaint_public_timeline
from aduan.complaints.services import (
    complaint_add_complainant_message,
    complaint_by_access_token,
)
from aduan.complaints.uploads import attachments_from_uploads
from aduan.complaints.workflow import transitions as t
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import Status
from aduan.core import clock
from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import Limit, client_ip, hit, peek, too_many_requests

from .. import access
from ..track_forms import (
    ConfirmForm,
    ErasureForm,
    FollowUpForm,
    IdentityForm,
    MessageForm,
    RateForm,
    ResendLinkForm,
    SupplementForm,
    TrackLookupForm,
)
from ..uploads import StagedUploads
from ..wording import complainant_actions, date_words, event_text, next_step
from .files import attachment_url

# S7. Look-ups of a complaint without a grant (typed codes, public pages) per IP; private-link
# attempts with a wrong token per IP (a valid link never counts); lost-link requests per IP
# and per contact. Carrier-grade NAT puts many phones behind one address: stay generous.
LOOKUP_LIMIT = Limit("track_lookup", 60, 600)
TOKEN_LIMIT = Limit("track_token", 10, 3600)
RESEND_IP_LIMIT = Limit("resend_link_ip", 10, 3600)
RESEND_CONTACT_LIMIT = Limit("resend_link_contact", 3, 3600)


# --- headers -------------------------------------------------------------------------------


def _private(response: HttpResponse, *, referrer: str = "same-origin") -> HttpResponse:
    """Pages that may carry private data are never cached (S9) and never send a Referer to
    another site. The response to a URL holding a private link's token sends none at all
    (`no-referrer`, S5); the pages themselves use `same-origin`, because under `no-referrer`
    browsers send `Origin: null` with a form's POST and Django's CSRF check (rightly) refuses
    it — and those pages' URLs never hold the token."""
    response["Referrer-Policy"] = referrer
    response["Cache-Control"] = "no-store"
    return response


def _see_other(url: str) -> HttpResponse:
    """303 See Other: after a POST (PRG) and after the private link's exchange."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# --- dates in words --------------------------------------------------------------------------


# --- what a page shows -----------------------------------------------------------------------


@dataclass
class TimelineEntry:
    state: str
    moment: dt.datetime
    when: str
    text: str


@dataclass
class ConversationEntry:
    kind: str
    side: str
    mine: bool
    moment: dt.datetime
    when: str
    text: str
    attachments: list[dict[str, Any]] = field(default_factory=list)


def _timeline(complaint: Complaint, show_agency: bool) -> list[TimelineEntry]:
    entries = []
    for event in complaint_public_timeline(complaint):
        state = event.to_state or complaint.status
        entries.append(
            TimelineEntry(
                state=str(Status(state).label) if state in Status.values else state,
                moment=event.created_at,
                when=clock.format_local(event.created_at),
                text=event_text(event, show_agency),
            )
        )
    return entries


def _attachment_links(attachments: list[Any]) -> list[dict[str, Any]]:
    links = []
    for attachment in attachments:
        url = attachment_url(attachment)
        links.append({"name": attachment.original_name, "size": attachment.size, "url": url})
    return links


def _conversation(complaint: Complaint) -> list[ConversationEntry]:
    """Every message but internal notes; the Dinas/agency side by agency, never by person."""
    coordinator = Agency.coordinator()
    entries = []
    qs = (
        complaint.messages.exclude(kind__in=Message.INTERNAL_KINDS)
        .select_related("agency")
        .prefetch_related("attachments")
    )
    for m in qs:
        if m.from_complainant:
            side = _("You")
        else:
            agency = m.agency or coordinator
            side = str(agency) if agency is not None else _("The Dinas")
        visible = [a for a in m.attachments.all() if not a.is_internal]
        entries.append(
            ConversationEntry(
                kind=m.get_kind_display(),
                side=side,
                mine=m.from_complainant,
                moment=m.created_at,
                when=clock.format_local(m.created_at),
                text=m.body,
                attachments=_attachment_links(visible),
            )
        )
    return entries


def _responses(complaint: Complaint, complainant: Complainant | None) -> list[dict[str, Any]]:
    return [
        {
            "agency": str(m.agency) if m.agency_id else "",
            "moment": m.created_at,
            "when": clock.format_local(m.created_at),
            "text": public_text(m.body, complainant),
        }
        for m in complaint.messages.filter(kind=Message.Kind.RESPONSE).select_related("agency")
    ]


ACTION_FORMS: dict[str, type[django_forms.Form]] = {
    "supplement": SupplementForm,
    "follow_up": FollowUpForm,
    "confirm": ConfirmForm,
    "rate": RateForm,
    "message": MessageForm,
    "identity": IdentityForm,
    "erasure": ErasureForm,
}


def _render_complaint(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    staged: StagedUploads | None = None,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    granted = access.has_access(request, complaint)
    complainant = Complainant.objects.filter(complaint=complaint).first()
    public = not complaint.private
    show_details = granted or public
    context: dict[str, Any] = {
        "complaint": complaint,
        "granted": granted,
        "show_details": show_details,
        "status_label": complaint.get_status_display(),
        "next_step": next_step(complaint, show_details, granted),
        "timeline": _timeline(complaint, show_details),
        "notice": notice,
        "staged": staged,
        "lead_agency": (
            complaint.lead_agency
            if show_details
            and complaint.status
            in (Status.DISPATCHED, Status.IN_PROGRESS, Status.RESPONDED, Status.CLOSED)
            else None
        ),
    }
    if show_details:
        context["category"] = complaint.category
        region = complaint.region
        context["area"] = (
            f"{region.name}, {region.parent.name}"
            if region is not None and region.parent is not None
            else region
        )
    if public and not granted:
        context["responses"] = _responses(complaint, complainant)
        if complaint.published:
            context["public_title"] = public_text(complaint.public_title, complainant)
            context["public_body"] = public_text(complaint.public_body, complainant)
    if granted:
        actions = complainant_actions(complaint)
        forms = {
            name: form_class(prefix=name)
            for name, form_class in ACTION_FORMS.items()
            if name in actions or name in ("identity", "erasure")
        }
        if complainant is not None and "identity" in forms:
            forms["identity"] = IdentityForm(
                prefix="identity",
                initial={f: getattr(complainant, f) for f in data_rights.CORRECTABLE_FIELDS},
            )
        forms.update(bound or {})
        question = (
            complaint.messages.filter(kind=Message.Kind.QUESTION).order_by("-created_at").first()
            if complaint.status == Status.PENDING
            else None
        )
        context.update(
            {
                "actions": actions,
                "forms": forms,
                "question": question,
                "conversation": _conversation(complaint),
                "complainant": complainant,
                "attachments": _attachment_links(
                    list(complaint.attachments.filter(is_internal=False, message__isnull=True))
                ),
                "rating_label": (
                    dict(RateForm.base_fields["satisfaction"].choices).get(  # type: ignore[attr-defined]
                        complaint.satisfaction
                    )
                    if complaint.satisfaction
                    else None
                ),
                "autoclose_date": (
                    date_words(complaint.autoclose_at) if complaint.autoclose_at else ""
                ),
            }
        )
    return _private(render(request, "portal/track_complaint.html", context, status=status))


# --- look-up -----------------------------------------------------------------------------------


def _render_lookup(
    request: HttpRequest, form: TrackLookupForm, *, status: int = 200, not_found: bool = False
) -> HttpResponse:
    return _private(
        render(
            request,
            "portal/track.html",
            {"form": form, "not_found": not_found},
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The tracking-code form. Typed codes are forgiving (case, spaces, dashes, confusables); a
    wrong check character is refused without a database look-up. GET ?kode=... works too."""
    data = request.POST if request.method == "POST" else request.GET
    raw = data.get("code", data.get("kode"))
    if raw is None:
        return _render_lookup(request, TrackLookupForm())
    form = TrackLookupForm({"code": raw})
    if not form.is_valid():
        return _render_lookup(request, form, status=400)
    verdict = hit(LOOKUP_LIMIT, client_ip(request))
    if not verdict.allowed:
        return too_many_requests(request, verdict)
    code = form.cleaned_data["code"]
    if not Complaint.objects.filter(tracking_code=code).exists():
        return _render_lookup(request, form, status=404, not_found=True)
    return _private(redirect(reverse("portal:complaint", args=[code]), permanent=False))


def _find(code: str) -> Complaint | None:
    return (
        Complaint.objects.select_related("lead_agency", "category", "region__parent")
        .defer("access_token")
        .filter(tracking_code=code)
        .first()
    )


@require_http_methods(["GET"])
def complaint(request: HttpRequest, code: str) -> HttpResponse:
    """The public timeline, and with a grant the private page; `?t=` exchanges a private link's
    token for a grant and redirects to the URL without it (S5)."""
    canonical = normalize_tracking_code(code)
    if canonical is None:
        form = TrackLookupForm({"code": code})
        form.is_valid()
        return _render_lookup(request, form, status=404)
    token = request.GET.get("t")
    if canonical != code:
        target = reverse("portal:complaint", args=[canonical])
        if token is not None:
            target += "?" + request.GET.urlencode()
        return _private(redirect(target), referrer="no-referrer")
    ip = client_ip(request)
    if token is not None:
        return _exchange_token(request, canonical, token, ip)
    found = _find(canonical)
    if found is None or not access.has_access(request, found):
        verdict = hit(LOOKUP_LIMIT, ip)
        if not verdict.allowed:
            return too_many_requests(request, verdict)
    if found is None:
        return _render_lookup(
            request, TrackLookupForm({"code": canonical}), status=404, not_found=True
        )
    return _render_complaint(request, found)


def _exchange_token(request: HttpRequest, code: str, token: str, ip: str) -> HttpResponse:
    """Every answer to a URL with a token is a redirect to the URL without it (S5)."""
    if peek(TOKEN_LIMIT, ip) >= TOKEN_LIMIT.count:
        return _private(too_many_requests(request, hit(TOKEN_LIMIT, ip)), referrer="no-referrer")
    opened = complaint_by_access_token(token)
    if opened is not None and opened.tracking_code == code:
        access.grant(request, opened)
    else:
        # A wrong token: no grant, counted against the address, the public view with a message.
        hit(TOKEN_LIMIT, ip)
        verdict = hit(LOOKUP_LIMIT, ip)
        if not verdict.allowed:
            return _private(too_many_requests(request, verdict), referrer="no-referrer")
        messages.error(
            request,
            _(
                "This private link is not valid. Check that you copied all of it, or ask for "
                "it again."
            ),
        )
    return _private(_see_other(reverse("portal:complaint", args=[code])), referrer="no-referrer")


# --- the complainant's actions (private page only) ------------------------------------------


def _granted_complaint(request: HttpRequest, code: str) -> Complaint:
    found = _find(code)
    if found is None or not access.has_access(request, found):
        raise Http404
    return found


def _back(code: str, anchor: str = "") -> HttpResponse:
    url = reverse("portal:complaint", args=[code]) + (f"#{anchor}" if anchor else "")
    return _private(_see_other(url))


Perform = Callable[[Complaint, dict[str, Any], list[Upload]], str]


def _action(
    name: str, perform: Perform, *, anchor: str = "", files: bool = False
) -> Callable[[HttpRequest, str], HttpResponse]:
    """A POST-only view: validate the form (and its files, when it takes some), call `perform`
    (a service or a transition), and redirect with a flash message (PRG); refusals change
    nothing and are shown clearly; files already accepted survive a form error."""

    @require_POST
    def view(request: HttpRequest, code: str) -> HttpResponse:
        found = _granted_complaint(request, code)
        form = ACTION_FORMS[name](request.POST, prefix=name)
        staged = StagedUploads.from_request(request) if files else None
        if not form.is_valid() or (staged is not None and staged.errors):
            return _render_complaint(request, found, bound={name: form}, staged=staged, status=400)
        try:
            success = perform(found, form.cleaned_data, staged.uploads if staged else [])
        except ApplicationError as exc:
            target = exc.extra.get("field")
            if target in form.fields:
                form.add_error(target, exc.message)
                return _render_complaint(
                    request, found, bound={name: form}, staged=staged, status=400
                )
            messages.error(request, exc.message)
            return _back(code, anchor)
        messages.success(request, success)
        return _back(code, anchor)

    view.__name__ = f"complaint_{name}"
    return view


def _with_files(c: Complaint, kind: str, uploads: list[Upload]) -> None:
    """The staged files become attachments of the message just written (same transaction)."""
    if uploads:
        message = c.messages.filter(kind=kind).latest("created_at", "id")
        attachments_from_uploads(complaint=c, uploads=uploads, message=message)


@transaction.atomic
def _supplement(c: Complaint, data: dict[str, Any], uploads: list[Upload]) -> str:
    t.complaint_supplement(complaint=c, by=Actor.complainant(), text=data["text"], channel="web")
    _with_files(c, Message.Kind.SUPPLEMENT, uploads)
    return _("Thank you. Your answer was sent and the report is verified again.")


@transaction.atomic
def _follow_up(c: Complaint, data: dict[str, Any], uploads: list[Upload]) -> str:
    t.complaint_follow_up(complaint=c, by=Actor.complainant(), text=data["text"], channel="web")
    _with_files(c, Message.Kind.FOLLOW_UP, uploads)
    return _("Your reply was sent back to the agency, with a new deadline to answer.")


def _confirm(c: Complaint, data: dict[str, Any], uploads: list[Upload]) -> str:
    t.complaint_confirm(
        complaint=c,
        by=Actor.complainant(),
        satisfaction=data.get("satisfaction"),
        comment=data.get("comment", ""),
    )
    return _("Thank you. The report is closed.")


def _rate(c: Complaint, data: dict[str, Any], uploads: list[Upload]) -> str:
    t.complaint_rate(
        complaint=c,
        by=Actor.complainant(),
        satisfaction=data["satisfaction"],
        comment=data.get("comment", ""),
    )
    return _("Thank you for your rating.")


def _message(c: Complaint, data: dict[str, Any], uploads: list[Upload]) -> str:
    complaint_add_complainant_message(complaint=c, text=data["text"], channel="web")
    return _("Your message was added to the report.")


def _identity(c: Complaint, data: dict[str, Any], uploads: list[Upload]) -> str:
    changed = data_rights.complainant_correct_identity(
        complaint=c,
        name=data["name"],
        phone=data["phone"],
        email=data["email"],
        address=data["address"],
    )
    if not changed:
        return _("Nothing was changed.")
    return _("Your details were corrected.")


def _erasure(c: Complaint, data: dict[str, Any], uploads: list[Upload]) -> str:
    data_rights.complainant_request_erasure(complaint=c)
    if Complaint.objects.filter(pk=c.pk, status__in=[Status.CLOSED, Status.ARCHIVED]).exists():
        return _("Your personal data was deleted. The report itself is kept, without your name.")
    return _(
        "Your request was recorded and the Dinas was told. Your personal data will be deleted "
        "when the report closes."
    )


complaint_supplement = _action("supplement", _supplement, anchor="status", files=True)
complaint_follow_up = _action("follow_up", _follow_up, anchor="status", files=True)
complaint_confirm = _action("confirm", _confirm, anchor="status")
complaint_rate = _action("rate", _rate, anchor="rating")
complaint_message = _action("message", _message, anchor="conversation")
complaint_identity = _action("identity", _identity, anchor="my-data")
complaint_erasure = _action("erasure", _erasure, anchor="my-data")


@require_POST
def complaint_withdraw_consent(request: HttpRequest, code: str) -> HttpResponse:
    found = _granted_complaint(request, code)
    try:
        data_rights.complainant_withdraw_consent(complaint=found)
    except Complainant.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _(
            "Your consent was withdrawn and the Dinas was told. Your data is used only to finish "
            "this report, and deleted when it closes."
        ),
    )
    return _back(code, "my-data")


@require_POST
def complaint_export(request: HttpRequest, code: str) -> HttpResponse:
    """S18: my data and its processing trail, as a JSON download."""
    found = _granted_complaint(request, code)
    try:
        data = data_rights.complainant_data_export(complaint=found)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(code, "my-data")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="aduan-{found.tracking_code}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


# --- the lost link -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def resend_link(request: HttpRequest) -> HttpResponse:
    """Lost the private link? It is sent again to the phone or email used — never shown, and
    the answer is the same whether or not a report matched (no enumeration)."""
    if request.method == "GET":
        return _private(render(request, "portal/track_resend.html", {"form": ResendLinkForm()}))
    verdict = hit(RESEND_IP_LIMIT, client_ip(request))
    if not verdict.allowed:
        return too_many_requests(request, verdict)
    form = ResendLinkForm(request.POST)
    if form.is_valid():
        try:
            channel, contact = data_rights.normalize_contact(form.cleaned_data["contact"])
        except ApplicationError as exc:
            form.add_error("contact", exc.message)
        else:
            verdict = hit(RESEND_CONTACT_LIMIT, f"{channel}:{contact}")
            if not verdict.allowed:
                return too_many_requests(request, verdict)
            data_rights.private_link_resend(contact=contact)
            messages.success(request, resend_answer())
            return _private(_see_other(reverse("portal:resend_link")))
    return _private(render(request, "portal/track_resend.html", {"form": form}, status=400))


def resend_answer() -> str:
    """The one neutral answer of the lost-link page."""
    return _(
        "If a report was made with this phone number or email address, its private link has "
        "been sent there. It can take a few minutes to arrive. For your safety the link is "
        "never shown on this page."
    )
