from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles of Perbup Buton 15/2019 Pasal 7 (R11)."""

    ADMIN = "admin", _("Admin (Dinas)")
    LIAISON = "liaison", _("Liaison officer")
    AGENCY_HEAD = "agency_head", _("Agency head")
    MEMBER = "member", _("Coordination team member")
    CHAIR = "chair", _("Coordination team chair")
    PATRON = "patron", _("Coordination team patron")
    REGENT = "regent", _("Regent")


AGENCY_ROLES = frozenset({Role.LIAISON, Role.AGENCY_HEAD})
COORDINATION_ROLES = frozenset({Role.MEMBER, Role.CHAIR, Role.PATRON})
