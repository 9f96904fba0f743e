"""Operator intake (Pasal 10, R23): complaints from the call center, the complaint box and
walk-ins — and messages transcribed from SMS, email, WhatsApp or social media — entered in the
back-office by a Dinas admin. One service: it records the channel and the operator, and the
moment the complaint was really received when that was earlier than its entry (a paper form
from the box, a call taken during an outage), so that the dispatch clock of Pasal 11(2)c runs
from the receipt, not from the typing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.utils.translation import gettext as _

from aduan.accounts.roles import Role
from aduan.audit.services import audit_record
from aduan.complaints.models import Channel, Complaint, InboundKey, Upload
from aduan.complaints.services import ComplaintSubmission, SubmitResult, complaint_submit
from aduan.complaints.workflow.actors import Actor
from aduan.core import clock, crypto
from aduan.core.exceptions import ApplicationError, PermissionDenied

from .models import SocialPost

# Channels an operator enters: the paper and voice ones of Pasal 10 first, then the ones an
# operator transcribes when a message did not arrive through its own adapter.
OPERATOR_CHANNELS: tuple[str, ...] = (
    Channel.CALL_CENTER,
    Channel.COMPLAINT_BOX,
    Channel.WALK_IN,
    Channel.SMS,
    Channel.EMAIL,
    Channel.WHATSAPP,
    Channel.SOCIAL_MEDIA,
)
IDEMPOTENCY_SOURCE = "operator-form"
# How far back a receipt time may go (a box emptied after a long holiday, not last year's mail).
MAX_BACKDATE = dt.timedelta(days=366)


# --- social-media posts (issue 5) --------------------------------------------------------------

# Query parameters that only say how a link was shared, not which post it is.
SHARE_PARAMETERS = frozenset(
    {"fbclid", "gclid", "igsh", "igshid", "si", "mibextid", "ref", "s", "feature", "rdid"}
)
HOST_ALIASES = {"twitter.com": "x.com", "fb.com": "facebook.com"}
# Platforms whose authors are "@handle"s (Facebook and others: a display name as shown).
AT_HANDLES = {"instagram", "x", "tiktok", "youtube"}
MAX_HANDLE = 80


@dataclasses.dataclass(frozen=True)
class SocialPostInput:
    """The post a complaint is entered from: platform, https URL, the author's handle."""

    platform: str
    url: str
    handle: str


def post_url_normalize(url: str) -> str:
    """One spelling per post, for the duplicate check: https, lower-case host without `www.`
    or `m.`, no fragment, no share-tracking parameters, no trailing slash, sorted query."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        host = host.removeprefix(prefix)
    host = HOST_ALIASES.get(host, host)
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in SHARE_PARAMETERS
        and not key.lower().startswith(("utm_", "__cft__", "__tn__"))
    )
    return urlunsplit(("https", host, parts.path.rstrip("/") or "/", urlencode(query), ""))


def post_url_hash(url: str) -> str:
    return crypto.keyed_hash(post_url_normalize(url), purpose="social-post")


def social_handle(platform: str, handle: str) -> str:
    """The complainant's messenger id for a post's author: "instagram:@wa_ode"."""
    text = " ".join(handle.split())[:MAX_HANDLE]
    if platform in AT_HANDLES:
        text = "@" + text.replace(" ", "").lstrip("@")
    return f"{platform}:{text}"


def social_post_duplicate(url: str) -> Complaint | None:
    """The complaint already entered from the same post (the first one), or None."""
    post = (
        SocialPost.objects.filter(url_hash=post_url_hash(url))
        .select_related("complaint")
        .order_by("created_at", "id")
        .first()
    )
    return post.complaint if post is not None else None


def _check_post(post: SocialPostInput | None) -> SocialPostInput:
    if post is None or not post.url.strip() or not post.handle.strip():
        raise ApplicationError(
            _("Enter the address of the post and its author."),
            code="post_missing",
            extra={"field": "post_url"},
        )
    if post.platform not in SocialPost.Platform.values:
        raise ApplicationError(
            _("Choose the platform of the post."),
            code="invalid_platform",
            extra={"field": "platform"},
        )
    parts = urlsplit(post.url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ApplicationError(
            _("Enter the address of the post starting with https://."),
            code="invalid_url",
            extra={"field": "post_url"},
        )
    return post


def social_post_erase(complaint: Complaint) -> bool:
    """Blank the post's URL and hash (with the complainant's identity, S18). Returns whether
    there was one."""
    return bool(
        SocialPost.objects.filter(complaint=complaint).exclude(url="").update(url="", url_hash="")
    )


@transaction.atomic
def complaint_enter_by_operator(
    *,
    submission: ComplaintSubmission,
    by: Actor,
    received_at: dt.datetime | None = None,
    idempotency_key: str = "",
    uploads: Sequence[Upload] = (),
    social_post: SocialPostInput | None = None,
    duplicate_confirmed: bool = False,
) -> SubmitResult:
    """Submit a complaint on behalf of a complainant, as the Dinas admin `by` (R23).

    The complaint records `submitted_by` (the operator) and the channel; `received_at` (optional,
    not in the future, at most a year back) becomes the complaint's receipt time, its first
    event's time and the start of its dispatch clock. The same `idempotency_key` twice creates
    one complaint (S16). The scan or photo of a paper form comes in as `uploads`.

    A complaint from a social-media post (channel social_media) needs `social_post`: the
    author's handle becomes the complainant's messenger id, the URL is kept apart (SocialPost,
    encrypted, never published). A post already entered raises `duplicate_post` (its
    complaint in `extra`) unless `duplicate_confirmed`; a retry of the same submission does not.
    """
    if by.role != Role.ADMIN or by.user is None:
        raise PermissionDenied(
            _("Only a Dinas admin enters complaints for the complainant."), code="forbidden"
        )
    if submission.channel not in OPERATOR_CHANNELS:
        raise ApplicationError(
            _("Choose how the complaint came in."),
            code="invalid_channel",
            extra={"field": "channel"},
        )
    post = None
    if submission.channel == Channel.SOCIAL_MEDIA:
        post = _check_post(social_post)
        submission = dataclasses.replace(
            submission,
            identity=dataclasses.replace(
                submission.identity, messenger_id=social_handle(post.platform, post.handle)
            ),
        )
        retry = (
            bool(idempotency_key)
            and InboundKey.objects.filter(source=IDEMPOTENCY_SOURCE, key=idempotency_key).exists()
        )
        existing = None if retry or duplicate_confirmed else social_post_duplicate(post.url)
        if existing is not None:
            raise ApplicationError(
                _("This post was already entered as complaint %(code)s.")
                % {"code": existing.tracking_code},
                code="duplicate_post",
                extra={
                    "field": "post_url",
                    "complaint_id": existing.pk,
                    "tracking_code": existing.tracking_code,
                },
            )
    now = clock.now()
    if received_at is not None:
        if received_at > now:
            raise ApplicationError(
                _("The time of receipt cannot be in the future."),
                code="future_date",
                extra={"field": "received_at"},
            )
        if received_at < now - MAX_BACKDATE:
            raise ApplicationError(
                _("The time of receipt cannot be more than a year ago."),
                code="too_old",
                extra={"field": "received_at"},
            )
    with clock.frozen_at(received_at or now):
        result = complaint_submit(
            submission=submission,
            by=by,
            idempotency_key=idempotency_key,
            idempotency_source=IDEMPOTENCY_SOURCE,
            uploads=uploads,
        )
    if result.created and post is not None:
        SocialPost.objects.create(
            complaint=result.complaint,
            platform=post.platform,
            url=post.url.strip(),
            url_hash=post_url_hash(post.url),
        )
    if result.created:
        audit_record(
            "complaint.operator_entry",
            actor=by,
            obj=result.complaint,
            data={
                "channel": submission.channel,
                "received_at": result.complaint.received_at.isoformat(),
                "backdated": received_at is not None,
                "attachments": len(uploads),
                **(
                    {"platform": post.platform, "duplicate_confirmed": duplicate_confirmed}
                    if post is not None
                    else {}
                ),
            },
        )
    return result
