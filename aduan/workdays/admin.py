from django.contrib import admin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind", "is_active", "legal_basis")
    list_filter = ("kind", "is_active")
    date_hierarchy = "date"
    search_fields = ("name", "legal_basis")
