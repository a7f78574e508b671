from django.contrib import admin

from .models import ItemEvent, KeyProject, KeyTask, Milestone


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district", "lead_unit", "phase", "status")
    list_filter = ("district", "status", "phase", "category")
    search_fields = ("name", "code")
    inlines = [MilestoneInline]


@admin.register(KeyTask)
class KeyTaskAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district", "lead_unit", "deadline", "status")
    list_filter = ("district", "status")
    search_fields = ("name", "code")


@admin.register(ItemEvent)
class ItemEventAdmin(admin.ModelAdmin):
    """History is append-only: visible to platform admins, never changeable."""

    list_display = ("at", "item", "actor", "kind", "summary")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
