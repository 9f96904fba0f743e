"""What a browser session may see of a complaint without a staff account.

The private link's token is exchanged for a grant stored in the session (S5: the token leaves
the URL at first use); the grant holds the complaint's primary key, so later requests need no
token at all. Uploads waiting for a form are owned by a keyed hash of the session key.
"""

from __future__ import annotations

from django.http import HttpRequest

from aduan.complaints.models import Complaint
from aduan.core.crypto import keyed_hash

SESSION_GRANTS = "aduan_complaints"
MAX_GRANTS = 50


def grant(request: HttpRequest, complaint: Complaint) -> None:
    """Let this session act as the complainant of `complaint` (after a valid private link)."""
    grants = [pk for pk in request.session.get(SESSION_GRANTS, []) if pk != complaint.pk]
    grants.append(complaint.pk)
    request.session[SESSION_GRANTS] = grants[-MAX_GRANTS:]
    request.session.cycle_key()  # a new session id once it carries a grant


def has_access(request: HttpRequest, complaint: Complaint) -> bool:
    return complaint.pk in request.session.get(SESSION_GRANTS, [])


def revoke(request: HttpRequest, complaint: Complaint) -> None:
    request.session[SESSION_GRANTS] = [
        pk for pk in request.session.get(SESSION_GRANTS, []) if pk != complaint.pk
    ]


def owner_key(request: HttpRequest) -> str:
    """A stable, non-reversible owner id for this browser session (creates the session)."""
    if not request.session.session_key:
        request.session.save()
    return keyed_hash(request.session.session_key or "", purpose="upload-owner")
