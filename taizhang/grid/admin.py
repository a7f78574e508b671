from django.contrib import admin

from .models import (
    Case,
    CaseAssignment,
    CaseEvent,
    Category,
    DispatchModel,
    GridCell,
    GridMember,
    RoutingRule,
    UnitLeader,
)


class GridMemberInline(admin.TabularInline):
    model = GridMember
    extra = 0
    raw_id_fields = ["person"]


@admin.register(GridCell)
class GridCellAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "street", "community", "head", "district"]
    list_filter = ["district", "street"]
    search_fields = ["code", "name"]
    raw_id_fields = ["head"]
    inlines = [GridMemberInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "parent",
        "dispatch_limit",
        "dispatch_unit",
        "handle_limit",
        "handle_unit",
        "is_active",
    ]
    list_filter = ["district", "is_active"]
    search_fields = ["code", "name"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "street", "unit", "district"]
    list_filter = ["district", "street"]


@admin.register(UnitLeader)
class UnitLeaderAdmin(admin.ModelAdmin):
    list_display = ["unit", "leader"]
    raw_id_fields = ["leader"]


class AssignmentInline(admin.TabularInline):
    model = CaseAssignment
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in CaseAssignment._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_state", "to_state", "unit", "note"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the closed loop (grid.services)."""

    list_display = ["id", "category", "state", "street", "source", "created_at"]
    list_filter = ["district", "state", "source", "urgency"]
    search_fields = ["id", "description", "address"]
    inlines = [AssignmentInline, EventInline]
    list_select_related = ["category", "street"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(DispatchModel)
class DispatchModelAdmin(admin.ModelAdmin):
    list_display = ["district", "trained_at", "n_cases", "accuracy"]
    exclude = ["blob"]
    readonly_fields = ["district", "trained_at", "n_cases", "accuracy"]
