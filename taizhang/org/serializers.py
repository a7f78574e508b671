"""Read-only shapes of units and people for API clients (pickers, ids for the ledger API)."""

from rest_framework import serializers

from .models import Person, Unit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "parent", "sort_order", "is_active"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """A colleague as others see them: no contact details, no account data."""

    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "display_name", "title", "role", "unit"]
        read_only_fields = fields
