"""`{% load portal_files %}` then `<a href="{{ attachment|attachment_url }}">` (S4: the only
way a template links to an attachment is through the authorising view)."""

from __future__ import annotations

from django import template

from aduan.complaints.models import Attachment
from aduan.portal.views.files import attachment_url as _attachment_url

register = template.Library()


@register.filter
def attachment_url(attachment: Attachment) -> str:
    return _attachment_url(attachment)


@register.simple_tag
def staged_uploads(staged: object = None) -> object:
    """`{% staged_uploads staged as s %}`: the form's StagedUploads, or an empty one (a GET)."""
    from aduan.portal.uploads import StagedUploads

    return staged if isinstance(staged, StagedUploads) else StagedUploads()
