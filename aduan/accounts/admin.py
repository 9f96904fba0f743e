from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "agency", "is_active", "last_login")
    list_filter = ("role", "agency", "is_active", "is_staff")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Aduan"), {"fields": ("role", "agency", "phone", "language")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Aduan"), {"fields": ("role", "agency", "email")}),
    )
