from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock


class TimeStampedModel(models.Model):
    # A default rather than auto_now_add, so replayed history (demo data) keeps its times.
    created_at = models.DateTimeField(
        _("created at"), default=clock.now, db_index=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
