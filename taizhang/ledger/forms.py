from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import IdsChoiceField, VersionField
from taizhang.org.models import Person, Role, Unit

from .models import KeyProject, KeyTask, Milestone
from .services import PROJECT_FIELDS, TASK_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Posted ids that no row can have are refused before the query (core.forms.IdsChoiceField).
ID_FIELDS = {"cooperating_units": IdsChoiceField, "leaders": IdsChoiceField}


class _ItemForm(forms.ModelForm):
    version = VersionField()

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(district_id=person.district_id, is_active=True)
        self.fields["lead_unit"].queryset = units
        if person.role == Role.UNIT_ADMIN and not self.instance.pk:
            # A unit admin opens items for their own unit only.
            self.fields["lead_unit"].queryset = units.filter(pk=person.unit_id)
            self.fields["lead_unit"].initial = person.unit_id
        self.fields["cooperating_units"].queryset = units
        self.fields["leaders"].queryset = Person.objects.filter(district_id=person.district_id, role=Role.LEADER)
        self.fields["leaders"].label_from_instance = lambda p: f"{p.display_name} {p.title}".strip()
        for name in ("cooperating_units", "leaders"):
            self.fields[name].widget.attrs["size"] = 6
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select | forms.SelectMultiple) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def clean_cooperating_units(self):
        units = self.cleaned_data.get("cooperating_units")
        lead = self.cleaned_data.get("lead_unit")
        if units is not None and lead is not None and lead in units:
            raise forms.ValidationError(_("The lead unit cannot also be a cooperating unit."))
        return units

    def service_values(self) -> dict:
        fields = PROJECT_FIELDS if isinstance(self.instance, KeyProject) else TASK_FIELDS
        return {f: self.cleaned_data[f] for f in fields if f in self.cleaned_data}


class ProjectForm(_ItemForm):
    class Meta:
        model = KeyProject
        fields = [*PROJECT_FIELDS, "cooperating_units", "leaders"]
        field_classes = ID_FIELDS
        widgets = {
            "start_date": DATE,
            "deadline": DATE,
            "completed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"deadline": _("Planned completion date"), "description": _("Construction content")}


class TaskForm(_ItemForm):
    class Meta:
        model = KeyTask
        fields = [*TASK_FIELDS, "cooperating_units", "leaders"]
        field_classes = ID_FIELDS
        widgets = {
            "start_date": DATE,
            "deadline": DATE,
            "completed_on": DATE,
            "source_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "source_quote": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"description": _("Measures")}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "planned_date", "actual_date"]
        widgets = {"planned_date": DATE, "actual_date": DATE}


MilestoneFormSet = forms.formset_factory(
    forms.modelform_factory(Milestone, form=MilestoneForm, fields=["name", "planned_date", "actual_date"]),
    extra=2,
    can_delete=True,
)


def milestones_from_formset(formset) -> list[dict]:
    rows = []
    for f in formset.forms:
        if not f.has_changed() or (formset.can_delete and f.cleaned_data.get("DELETE")):
            continue
        data = f.cleaned_data
        if data.get("name") and data.get("planned_date"):
            rows.append(
                {"name": data["name"], "planned_date": data["planned_date"], "actual_date": data.get("actual_date")}
            )
    return rows


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    week = forms.DateField(label=_("Week (any day in it)"), widget=DATE)
    done = forms.CharField(label=_("Work done this week"), widget=forms.Textarea(attrs={"rows": 4}))
    progress_pct = forms.DecimalField(
        label=_("Progress (%)"), min_value=0, max_value=100, decimal_places=1, required=False
    )
    investment_completed_year = forms.DecimalField(
        label=_("Investment completed this year to date (10k yuan)"), min_value=0, decimal_places=2, required=False
    )
    problems = forms.CharField(label=_("Problems met"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_steps = forms.CharField(label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, is_project: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_project:
            del self.fields["investment_completed_year"]
        for name, field in self.fields.items():
            if name != "attachments":
                field.widget.attrs.setdefault("class", "form-control")


class WhistleForm(forms.Form):
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
    units = IdsChoiceField(
        label=_("Units that must report in"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
    )
    days = forms.IntegerField(
        label=_("Respond within (working days)"),
        min_value=1,
        max_value=30,
        initial=3,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(district_id=person.district_id, is_active=True).exclude(
            kind=Unit.Kind.LEADERSHIP
        )


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class DoneForm(forms.Form):
    actual_date = forms.DateField(widget=DATE, initial=dt.date.today)
