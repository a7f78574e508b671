from django.contrib import admin

from .models import SupervisionNotice


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    """Read-only: notices change only through the supervision services."""

    list_display = ("number", "district", "unit", "item", "month", "state", "reply_due")
    list_filter = ("state", "district", "month")
    search_fields = ("number", "item__name", "unit__name")
    list_select_related = ("district", "unit", "item")
    readonly_fields = [f.name for f in SupervisionNotice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
