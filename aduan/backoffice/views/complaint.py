"""One complaint: header, text, timeline, conversation (with internal notes), attachments,
identity (privacy model), possible duplicates and exactly the actions the user may do now.

- GET  /kantor/aduan/<pk>/                 the page (`?template=<id>` prefills the response)
- POST /kantor/aduan/<pk>/aksi/<verb>/     one action (actions.ACTIONS); PRG with a flash — or,
  asked by htmx (`HX-Request`), done in place: the answer is the page's main part
  (`_fragment.html`: #complaint-page, swapped by the form's hx-post, and the message for the
  aria-live region as an out-of-band swap) with the status the full page would have had
  (200 done, 400 form errors, 403 refused, 409 stale)
- POST /kantor/aduan/<pk>/catatan/         the internal note (the same as aksi/note/)
- POST /kantor/aduan/<pk>/identitas/       an admin reveals an anonymous identity (S2)
- GET  /kantor/aduan/<pk>/templat/         the response textarea prefilled (htmx fragment)

The complaint is obtained only through `complaint_get_for_user` (S3): a complaint the user may
not see is a 404, never a partial page. An action the user's role/agency or the complaint's
state does not allow is a 403 and changes nothing (and is audited); an action on a complaint
that changed since the form was rendered is a 409 with the current page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from aduan.accounts.access import complaint_get_for_user, complaints_visible_to
from aduan.accounts.models import User
from aduan.accounts.roles import Role
from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint
from aduan.complaints.workflow.actors import Actor
from aduan.complaints.workflow.states import ActorRole, Status
from aduan.core.exceptions import ApplicationError, PermissionDenied
from aduan.portal.uploads import StagedUploads

from .. import services
from ..actions import (
    ACTIONS,
    ActionForm,
    ActionRun,
    ActionSpec,
    RespondForm,
    RevealForm,
    available_actions,
    templates_for,
)
from ..auth import staff_required
from ..duplicates import duplicate_candidates

EVENT_LABELS = {
    "submit": gettext_lazy("Received"),
    "dispatch": gettext_lazy("Verified and dispatched"),
    "redispatch": gettext_lazy("Dispatched again"),
    "request_info": gettext_lazy("Complainant asked for information"),
    "supplement": gettext_lazy("Complainant answered"),
    "archive": gettext_lazy("Archived"),
    "forward_out": gettext_lazy("Handed on (outside the authority)"),
    "acknowledge": gettext_lazy("Taken up by the agency"),
    "return": gettext_lazy("Returned to the Dinas"),
    "respond": gettext_lazy("Responded"),
    "follow_up": gettext_lazy("Complainant replied to the response"),
    "confirm": gettext_lazy("Confirmed by the complainant"),
    "rate": gettext_lazy("Rated by the complainant"),
    "auto_close": gettext_lazy("Closed automatically"),
    "auto_archive": gettext_lazy("Archived automatically"),
    "restore": gettext_lazy("Reopened"),
    "note": gettext_lazy("Internal note"),
    "field_check": gettext_lazy("Field check"),
    "coordinate": gettext_lazy("Coordination team note"),
    "co_agency_input": gettext_lazy("Input asked from a co-agency"),
    "link": gettext_lazy("Linked to a related complaint"),
    "draft_submit": gettext_lazy("Response submitted for the head's approval"),
    "draft_reject": gettext_lazy("Response sent back by the head"),
    "message": gettext_lazy("Message from the complainant"),
    "target_passed": gettext_lazy("Service target passed"),
    "overdue": gettext_lazy("Deadline passed"),
    "identity_corrected": gettext_lazy("Identity corrected by the complainant"),
    "identity_erased": gettext_lazy("Identity erased"),
}


def _get(request: HttpRequest, pk: int) -> Complaint:
    try:
        complaint_get_for_user(user=request.user, pk=pk)  # type: ignore[arg-type]
    except PermissionDenied:
        raise Http404 from None
    return (
        Complaint.objects.select_related(
            "category",
            "region__parent",
            "lead_agency",
            "suggested_agency",
            "duplicate_of",
            "complainant",
            "cause",
            "submitted_by",
        )
        .prefetch_related("co_agencies")
        .get(pk=pk)
    )


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _page_url(complaint: Complaint, anchor: str = "") -> str:
    url = reverse("backoffice:complaint", kwargs={"pk": complaint.pk})
    return f"{url}#{anchor}" if anchor else url


def _forms_for(
    request: HttpRequest,
    complaint: Complaint,
    actor: Actor,
    bound: ActionForm | None,
) -> list[tuple[ActionSpec, ActionForm]]:
    user: User = request.user  # type: ignore[assignment]
    result = []
    for spec in available_actions(complaint, actor):
        if bound is not None and bound.verb == spec.verb:
            result.append((spec, bound))
            continue
        initial: dict[str, Any] = {}
        if spec.verb == "respond":
            template = _chosen_template(request, complaint)
            if template is not None:
                initial["text"] = template.body
        result.append((spec, spec.form(complaint=complaint, user=user, initial=initial)))
    return result


def _chosen_template(request: HttpRequest, complaint: Complaint) -> Any:
    raw = request.GET.get("template", "")
    if not raw.isdigit():
        return None
    return templates_for(complaint).filter(pk=int(raw)).first()


def _render_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: ActionForm | None = None,
    staged: StagedUploads | None = None,
    status: int = 200,
    revealed: services.IdentityView | None = None,
    reveal_form: RevealForm | None = None,
    notice: str = "",
    fragment: bool = False,
    flash: str = "",
    flash_level: str = "success",
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    actor = Actor.of(user)
    identity = revealed or services.identity_for_staff(user=user, complaint=complaint)
    events = list(
        complaint.events.select_related("actor", "actor_agency", "agency").order_by(
            "created_at", "id"
        )
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.verb, event.verb)  # type: ignore[attr-defined]
        event.role_label = _label(ActorRole, event.actor_role)  # type: ignore[attr-defined]
        event.from_label = _label(Status, event.from_state)  # type: ignore[attr-defined]
        event.to_label = _label(Status, event.to_state)  # type: ignore[attr-defined]
    note_verbs = {
        e.data.get("message"): e.verb
        for e in events
        if e.verb in {"field_check", "coordinate", "co_agency_input", "draft_reject"}
    }
    conversation = list(
        complaint.messages.select_related("author", "agency", "cause").prefetch_related(
            "attachments"
        )
    )
    for message in conversation:
        message.note_label = EVENT_LABELS.get(note_verbs.get(message.pk, ""), "")  # type: ignore[attr-defined]
    lead_staff = (
        user.role in (Role.LIAISON, Role.AGENCY_HEAD)
        and user.agency_id is not None
        and user.agency_id == complaint.lead_agency_id
    )
    draft = services.waiting_draft(complaint) if (lead_staff or user.role == Role.ADMIN) else None
    actions = _forms_for(request, complaint, actor, bound)
    if draft is not None:
        actions = [(s, f) for s, f in actions if s.verb != "respond" or user.role != Role.LIAISON]
    is_admin = user.role == Role.ADMIN
    context = {
        "complaint": complaint,
        "events": events,
        "event_labels": EVENT_LABELS,
        "conversation": conversation,
        "attachments": list(complaint.attachments.select_related("message")),
        "identity": identity,
        "identity_hidden": complaint.anonymous and identity is None,
        "can_reveal": is_admin and complaint.anonymous and revealed is None,
        "reveal_form": reveal_form or RevealForm(),
        "duplicates": duplicate_candidates(complaint=complaint, user=user),
        "actions": actions,
        "open_verb": bound.verb if bound is not None else "",
        "staged": staged,
        "draft": draft,
        "needs_head_approval": services.needs_head_approval(complaint, actor),
        "response_templates": list(templates_for(complaint))
        if any(spec.verb == "respond" for spec, _f in actions)
        else [],
        "chosen_template": request.GET.get("template", ""),
        "is_admin": is_admin,
        "can_archive_duplicate": any(spec.verb == "archive" for spec, _f in actions),
        "can_link": any(spec.verb == "link" for spec, _f in actions),
        "notice": notice,
        "co_agencies": list(complaint.co_agencies.all()),
        "related": list(complaint.related.filter(pk__in=complaints_visible_to(user).values("pk"))),
        "complaint_version": services.version_of(complaint),
        "open_states": {Status.DISPATCHED, Status.IN_PROGRESS},
        "flash": flash,
        "flash_level": flash_level,
    }
    if fragment:
        response = render(request, "backoffice/complaint/_fragment.html", context, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response
    return render(request, "backoffice/complaint/detail.html", context, status=status)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@staff_required
@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_page(request, _get(request, pk))


@staff_required
@require_GET
def complaint_response_text(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the response textarea prefilled from the chosen template."""
    complaint = _get(request, pk)
    spec = ACTIONS["respond"]
    actor = Actor.of(request.user)  # type: ignore[arg-type]
    try:
        spec.check(complaint, actor)
    except ApplicationError:
        raise Http404 from None
    template = _chosen_template(request, complaint)
    form = RespondForm(
        complaint=complaint,
        user=request.user,  # type: ignore[arg-type]
        initial={"text": template.body if template else ""},
    )
    return render(request, "backoffice/complaint/_response_text.html", {"form": form})


def _denied(request: HttpRequest, complaint: Complaint, verb: str, exc: ApplicationError) -> None:
    audit_record(
        "complaint.denied",
        actor=request.user,
        obj=complaint,
        data={"verb": verb, "code": exc.code},
    )


@staff_required
@require_POST
def complaint_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    spec = ACTIONS.get(verb)
    if spec is None:
        raise Http404
    complaint = _get(request, pk)
    user: User = request.user  # type: ignore[assignment]
    actor = Actor.of(user)
    posted_state = request.POST.get("state", "")
    htmx = _is_htmx(request)
    try:
        spec.check(complaint, actor)
    except PermissionDenied as exc:
        _denied(request, complaint, verb, exc)
        return _forbidden(request, exc, complaint if htmx else None)
    except ApplicationError as exc:
        if spec.changes_state and posted_state and posted_state != complaint.status:
            return _render_page(
                request, complaint, status=409, notice=_stale_message(), fragment=htmx
            )
        _denied(request, complaint, verb, exc)
        return _forbidden(request, exc, complaint if htmx else None)
    staged = StagedUploads.from_request(request) if spec.files else None
    form = spec.form(request.POST, complaint=complaint, user=user)
    if not form.is_valid() or (staged is not None and staged.errors):
        return _invalid(request, complaint, form, staged, htmx)
    run = ActionRun(
        complaint=complaint,
        actor=actor,
        data=form.cleaned_data,
        uploads=staged.uploads if staged is not None else [],
    )
    try:
        result = spec.perform(run)
    except services.ComplaintChanged:
        return _render_page(
            request, _get(request, pk), status=409, notice=_stale_message(), fragment=htmx
        )
    except PermissionDenied as exc:
        return _forbidden(request, exc, complaint if htmx else None)
    except ApplicationError as exc:
        form.add_application_error(exc)
        return _invalid(request, complaint, form, staged, htmx)
    done = spec.done
    if verb == "respond" and result.__class__.__name__ == "ResponseDraft":
        done = _("The response waits for the agency head's approval.")  # type: ignore[assignment]
    if htmx:
        # In place: the page as it is now (a fresh read: the action changed it), the message
        # for the live region; no flash left for the next page.
        return _render_page(request, _get(request, pk), fragment=True, flash=str(done))
    messages.success(request, str(done))
    return SeeOther(_page_url(complaint))


def _invalid(
    request: HttpRequest,
    complaint: Complaint,
    form: ActionForm,
    staged: StagedUploads | None,
    htmx: bool,
) -> HttpResponse:
    """The page again with the form open and its errors beside the fields (400)."""
    return _render_page(
        request,
        complaint,
        bound=form,
        staged=staged,
        status=400,
        fragment=htmx,
        flash=_("Nothing was changed: correct the form below.") if htmx else "",
        flash_level="error",
    )


class SeeOther(HttpResponseRedirect):
    """PRG: after a POST, GET the page (303)."""

    status_code = 303


def _stale_message() -> str:
    return _("This complaint was changed by someone else meanwhile; here is its current state.")


def _forbidden(
    request: HttpRequest, exc: ApplicationError, complaint: Complaint | None = None
) -> HttpResponse:
    """403: the refusal page; in place (htmx, `complaint` given), the complaint as it is with
    the refusal as its notice."""
    if complaint is not None:
        return _render_page(
            request,
            complaint,
            status=403,
            notice=f"{exc.message} {_('Nothing was changed.')}",
            fragment=True,
        )
    return render(
        request,
        "backoffice/complaint/forbidden.html",
        {"message": exc.message},
        status=403,
    )


def complaint_note(request: HttpRequest, pk: int) -> HttpResponse:
    """`/catatan/`: the internal note, the same as `aksi/note/`."""
    return complaint_action(request, pk, "note")  # type: ignore[no-any-return,unused-ignore]


@staff_required(roles=[Role.ADMIN])
@require_POST
def complaint_identity_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """S2: the identity of an anonymous complainant, for this response only, after a reason."""
    complaint = _get(request, pk)
    if not complaint.anonymous:
        return redirect(_page_url(complaint, "identity"))
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _render_page(request, complaint, reveal_form=form, status=400)
    try:
        identity = services.identity_reveal(
            user=request.user,  # type: ignore[arg-type]
            complaint=complaint,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except ApplicationError as exc:
        form.add_error("reason", exc.message)
        return _render_page(request, complaint, reveal_form=form, status=400)
    return _render_page(
        request,
        complaint,
        revealed=identity or services.IdentityView("", "", "", "", "", "", revealed=True),
    )


__all__ = [
    "complaint_action",
    "complaint_detail",
    "complaint_identity_reveal",
    "complaint_note",
    "complaint_response_text",
]
