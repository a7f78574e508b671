"""Forms of the grid pages. Photos are read with ``request.FILES.getlist`` and checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Case, Category


def category_choices(district_id: int) -> list:
    """Second-level types grouped under their class, for a <select> with optgroups."""
    groups: dict[str, list] = {}
    for c in Category.objects.filter(district_id=district_id, is_active=True, parent__isnull=False).select_related(
        "parent"
    ):
        groups.setdefault(c.parent.name, []).append((c.pk, c.name))
    return [("", "---------")] + list(groups.items())


class ReportForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Type"), coerce=int)
    description = forms.CharField(label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    lat = forms.FloatField(widget=forms.HiddenInput, min_value=-90, max_value=90)
    lng = forms.FloatField(widget=forms.HiddenInput, min_value=-180, max_value=180)
    address = forms.CharField(label=_("Address or landmark"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Case.Urgency.choices, initial=Case.Urgency.NORMAL)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, district_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(district_id)

    def clean(self):
        data = super().clean()
        if ("lat" in self.errors or "lng" in self.errors) or data.get("lat") is None:
            self.errors.pop("lat", None)
            self.errors.pop("lng", None)
            self.add_error(None, _("Tap the map or use your location to give the place."))
        return data


class PublicReportForm(ReportForm):
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=30)
