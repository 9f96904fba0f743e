"""The report form (/lapor/), its receipt (/lapor/tanda-terima/<code>/) and the category
suggestion (/lapor/saran-kategori/?q=).

The form works without JavaScript; the installed app (PWA) posts the same fields with
`Accept: application/json` and gets JSON back (201 / 400 / 429). A submission carries a
`submission_id` (UUID4 made when the form is shown) used as the idempotency key, so a
double click or a resent POST creates one complaint and shows the same receipt (S16).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aduan.agencies.models import Category, Region
from aduan.complaints.codes import access_token_hash, new_tracking_code
from aduan.complaints.models import Complaint, DeadlinePolicy, InboundKey
from aduan.complaints.services import complaint_submit
from aduan.core.exceptions import ApplicationError
from aduan.core.ratelimit import Verdict, client_ip, too_many_requests

from .. import antispam
from ..forms import ReportForm, parse_submission_id
from ..suggest import CategoryText, suggest_categories
from ..uploads import StagedUploads

IDEMPOTENCY_SOURCE = "web-form"
SESSION_RECEIPTS = "aduan_receipts"
MAX_RECEIPTS = 20


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _map() -> dict[str, str] | None:
    """The optional map pin (ADUAN_MAP_TILE_URL): tiles, attribution, the kabupaten's centre."""
    if not settings.ADUAN_MAP_TILE_URL:
        return None
    pemda = Region.objects.filter(
        code=settings.ADUAN_PEMDA_CODE, latitude__isnull=False, longitude__isnull=False
    ).first()
    return {
        "tiles": settings.ADUAN_MAP_TILE_URL,
        "attribution": settings.ADUAN_MAP_ATTRIBUTION,
        "lat": f"{pemda.latitude:.6f}" if pemda else "",
        "lon": f"{pemda.longitude:.6f}" if pemda else "",
    }


def _page(
    request: HttpRequest,
    form: ReportForm,
    *,
    challenge: antispam.Challenge | None = None,
    staged: StagedUploads,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "challenge": challenge,
        "staged": staged,
        "error_summary": form.error_summary(staged.field_id, staged.errors)
        if form.is_bound
        else [],
        "honeypot": antispam.HONEYPOT_FIELD,
        "suggest_url": reverse("portal:report_suggest"),
        "privacy_url": reverse("portal:privacy"),
        "map": _map(),
    }
    return _no_store(render(request, "portal/report.html", context, status=status))


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """Show the form (GET) or accept a report (POST)."""
    if request.method == "POST":
        return _submit(request)
    form = ReportForm(initial=ReportForm.fresh_initial())
    return _page(request, form, staged=StagedUploads.from_request(request))


def _too_many(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    if _wants_json(request):
        response = JsonResponse(
            {"errors": {"__all__": [_("Too many reports from here. Please try again later.")]}},
            status=429,
        )
        response["Retry-After"] = str(verdict.retry_after)
        return _no_store(response)
    return too_many_requests(request, verdict)


def _fake_success(request: HttpRequest) -> HttpResponse:
    """What a bot that filled the honeypot sees: success, but nothing was stored."""
    if _wants_json(request):
        code = new_tracking_code()
        return JsonResponse(
            {
                "tracking_code": code,
                "receipt_url": reverse("portal:receipt", args=[code]),
                "private_url": "",
            },
            status=201,
        )
    return _no_store(render(request, "portal/report_sent.html"))


def _invalid(
    request: HttpRequest,
    form: ReportForm,
    challenge: antispam.Challenge | None,
    staged: StagedUploads,
) -> HttpResponse:
    if _wants_json(request):
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        for message in staged.errors:
            errors.setdefault(staged.field_name, []).append(str(message))
        body: dict[str, Any] = {"errors": errors}
        if challenge is not None:
            body["challenge"] = {"question": challenge.question, "token": challenge.token}
        return _no_store(JsonResponse(body, status=400))
    return _page(request, form, challenge=challenge, staged=staged, status=400)


def _challenge_error(result: antispam.Answer | None) -> str:
    if result is antispam.Answer.WRONG:
        return _("That answer is not right. Please answer the new question.")
    if result is antispam.Answer.EXPIRED:
        return _("The question has expired. Please answer the new question.")
    return _(
        "Many reports came from here in a short time. Please answer the question below "
        "so that we know a person is sending this one."
    )


def _submit(request: HttpRequest) -> HttpResponse:
    ip = client_ip(request)
    verdict = antispam.check_hard_limit(ip)
    if not verdict.allowed:
        return _too_many(request, verdict)
    if antispam.honeypot_filled(request.POST):
        return _fake_success(request)

    data = request.POST.copy()  # mutable: the page may come back with a fresh question or id
    form = ReportForm(data)
    form.is_valid()
    staged = StagedUploads.from_request(request)  # new files are checked even if errors
    submission_id = (
        form.cleaned_data.get("submission_id")
        or parse_submission_id(request.headers.get("Idempotency-Key"))
        or str(uuid.uuid4())
    )
    contacts = antispam.contact_keys(request.POST.get("phone", ""), request.POST.get("email", ""))

    data["submission_id"] = submission_id  # a form shown again keeps (or gets) its id

    is_retry = InboundKey.objects.filter(source=IDEMPOTENCY_SOURCE, key=submission_id).exists()
    needs_question = not is_retry and (
        antispam.filled_too_fast(request.POST.get("started", ""))
        or antispam.soft_limited(ip, contacts)
    )
    if needs_question:
        token = request.POST.get("challenge_token", "")
        answer = (
            antispam.check_answer(token, request.POST.get("challenge_answer", ""))
            if token
            else None
        )
        if answer is not antispam.Answer.RIGHT:
            form.add_error("challenge_answer", _challenge_error(answer))

    challenge = None
    if needs_question and (form.errors or staged.errors):
        # Each question answers once: a form shown again asks a new one (no error if the
        # last answer was right and only other fields need correcting).
        data["challenge_answer"] = ""
        challenge = antispam.new_challenge()
    if form.errors or staged.errors:
        return _invalid(request, form, challenge, staged)

    try:
        result = complaint_submit(
            submission=form.to_submission(language=get_language() or "id", ip_address=ip),
            idempotency_key=submission_id,
            idempotency_source=IDEMPOTENCY_SOURCE,
            uploads=staged.uploads,
            share_location=bool(form.cleaned_data.get("share_location")),
        )
    except ApplicationError as exc:
        if exc.code == "idempotency_key_reused":
            form.add_error(
                None,
                _(
                    "This form was already sent with other content. Check your report and "
                    "send it again to make a new report."
                ),
            )
            data["submission_id"] = str(uuid.uuid4())
        else:
            form.add_service_error(exc)
        return _invalid(request, form, challenge, staged)

    complaint = result.complaint
    if result.created:
        antispam.count_submission(ip, contacts)
    # A retry knew the secret submission id and sent the same content: it is the submitter.
    _remember(request, complaint.tracking_code, result.access_token or complaint.access_token)
    if _wants_json(request):
        return _no_store(JsonResponse(_receipt_json(complaint, request), status=201))
    response = HttpResponseRedirect(reverse("portal:receipt", args=[complaint.tracking_code]))
    response.status_code = 303  # See Other: the receipt is fetched with GET
    return response


def _remember(request: HttpRequest, code: str, token: str) -> None:
    receipts = dict(request.session.get(SESSION_RECEIPTS, {}))
    receipts.pop(code, None)
    receipts[code] = token
    request.session[SESSION_RECEIPTS] = dict(list(receipts.items())[-MAX_RECEIPTS:])


def _private_url(code: str, token: str) -> str:
    return f"{settings.ADUAN_SITE_URL}{reverse('portal:complaint', args=[code])}?t={token}"


def _receipt_json(complaint: Complaint, request: HttpRequest) -> dict[str, str]:
    code = complaint.tracking_code
    token = request.session.get(SESSION_RECEIPTS, {}).get(code, "")
    return {
        "tracking_code": code,
        "receipt_url": reverse("portal:receipt", args=[code]),
        "private_url": _private_url(code, token),
    }


@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt, only for the browser session that sent the report (else 404)."""
    token = request.session.get(SESSION_RECEIPTS, {}).get(code)
    if not token:
        raise Http404
    complaint = get_object_or_404(
        Complaint.objects.select_related("region__parent", "category", "complainant"),
        tracking_code=code,
    )
    if not constant_time_compare(access_token_hash(token), complaint.access_token_hash):
        raise Http404
    complainant = getattr(complaint, "complainant", None)
    context = {
        "complaint": complaint,
        "private_url": _private_url(code, token),
        "policy": DeadlinePolicy.current(),
        "sent_by_sms": bool(complainant and complainant.phone),
        "sent_by_email": bool(complainant and complainant.email),
        "track_url": reverse("portal:complaint", args=[code]),
    }
    response = render(request, "portal/receipt.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return _no_store(response)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Categories that fit the text in ?q= (JSON), best first."""
    text = request.GET.get("q", "")[:10_000]
    categories = [
        CategoryText(
            pk=c.pk,
            name=c.name,
            topic=c.topic,
            parent_name=c.parent.name if c.parent else "",
            notes=c.notes,
        )
        for c in Category.objects.filter(is_active=True).select_related("parent")
    ]
    suggestions = suggest_categories(text, categories)
    return JsonResponse(
        {
            "suggestions": [
                {"id": s.pk, "name": s.name, "parent": s.parent_name} for s in suggestions
            ]
        }
    )
