"""Reference data the pemda maintains: agencies (OPD), categories, regions, causes.

Policy lives here, in the database, editable by admins (Django admin), loaded from files by
`manage.py load_reference_data` (Buton's files ship with the project; any pemda can load its own).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.core.models import TimeStampedModel


class Agency(TimeStampedModel):
    """An OPD (organisasi perangkat daerah) or Setda unit that handles complaints."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(
        _("kind"), max_length=40, blank=True, help_text=_("dinas, badan, bagian_setda, ...")
    )
    affairs = models.TextField(_("affairs (urusan)"), blank=True)
    is_coordinator = models.BooleanField(
        _("coordinating Dinas"),
        default=False,
        help_text=_("The Dinas that runs intake and verification (Dinas Kominfo). Exactly one."),
    )
    # Pasal 3(2)a: the complaint handler's name and office address are public.
    handler_name = models.CharField(_("complaint handler"), max_length=200, blank=True)
    office_address = models.TextField(_("office address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    requires_head_approval = models.BooleanField(
        _("head approves responses"),
        default=False,
        help_text=_("Responses are approved by the agency head before they are sent."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    confidence = models.CharField(_("data confidence"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["is_coordinator"],
                condition=models.Q(is_coordinator=True),
                name="one_coordinating_agency",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @classmethod
    def coordinator(cls) -> Agency | None:
        return cls.objects.filter(is_coordinator=True).first()


class Category(TimeStampedModel):
    """A complaint category (LAPOR!'s list, as a tree) with the agency it goes to by default."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    topic = models.CharField(_("topic"), max_length=80, blank=True)
    default_agency = models.ForeignKey(
        Agency,
        verbose_name=_("default agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    alternative_agencies = models.ManyToManyField(
        Agency, verbose_name=_("alternative agencies"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    notes = models.TextField(_("routing notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def routing_agency(self) -> Agency | None:
        """The agency this category routes to: its own default, else its parent's (R16)."""
        category: Category | None = self
        while category is not None:
            if category.default_agency_id:
                return category.default_agency
            category = category.parent
        return None


class Region(models.Model):
    """An administrative area: kabupaten → kecamatan → desa/kelurahan (Kemendagri codes)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        REGENCY = "regency", _("regency/city")
        DISTRICT = "district", _("district (kecamatan)")
        URBAN_VILLAGE = "urban_village", _("urban village (kelurahan)")
        VILLAGE = "village", _("village (desa)")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Cause(models.Model):
    """Why a complaint arose (penyebab), set by the agency when it responds (Pasal 13)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("cause")
        verbose_name_plural = _("causes")

    def __str__(self) -> str:
        return self.name
