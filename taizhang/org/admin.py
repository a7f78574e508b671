from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import District, Person, Unit


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "code")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "kind", "parent", "is_active")
    list_filter = ("district", "kind")
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ("username", "full_name", "district", "unit", "role", "is_active")
    list_filter = ("district", "role")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Taizhang", {"fields": ("district", "unit", "role", "full_name", "title", "phone")}),
    )
