"""The social-media post a complaint was entered from, for the complainant panel (issue 5).

    {% load social_post %}
    {% social_post_of complaint as post %}

Used only inside the identity panel, i.e. for the staff who may see the complainant's identity:
the post's address may identify its author (S1).
"""

from __future__ import annotations

from django import template

from aduan.backoffice.models import SocialPost
from aduan.complaints.models import Complaint

register = template.Library()


@register.simple_tag
def social_post_of(complaint: Complaint) -> SocialPost | None:
    if complaint.channel != "social_media":
        return None
    return SocialPost.objects.filter(complaint=complaint).exclude(url="").first()
