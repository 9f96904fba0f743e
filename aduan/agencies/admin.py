from django.contrib import admin

from .models import Agency, Category, Cause, Region


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "short_name",
        "kind",
        "is_coordinator",
        "handler_name",
        "is_active",
        "confidence",
    )
    list_filter = ("kind", "is_coordinator", "is_active", "confidence")
    search_fields = ("code", "name", "short_name")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "topic", "default_agency", "is_active")
    list_filter = ("topic", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "default_agency", "alternative_agencies")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "latitude", "longitude")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Cause)
class CauseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order", "is_active")
    list_editable = ("order", "is_active")
