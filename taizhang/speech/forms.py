from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import IdsChoiceField
from taizhang.org.models import Person, Unit

from .services import suggested_name


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,  # the extraction library explains empty files in its own words
        label=_("Speech or work report"),
        help_text=_("A .txt (UTF-8 or GBK), .docx or text .pdf file."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.docx,.pdf"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    occasion = forms.CharField(
        label=_("Occasion"),
        max_length=200,
        required=False,
        help_text=_("The meeting or document, e.g. 区委经济工作会议; key tasks will cite it as their source."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    doc_date = forms.DateField(
        label=_("Date of the speech"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )


class _PersonChoice(IdsChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} {obj.title}".strip()


class ProposalForm(forms.Form):
    name = forms.CharField(
        label=_("Task name"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.none(), widget=forms.Select(attrs={"class": "form-select"})
    )
    cooperating_units = IdsChoiceField(
        label=_("Cooperating units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 3}),
    )
    leaders = _PersonChoice(
        label=_("Responsible leaders"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 2}),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )

    def __init__(self, *args, proposal, units, leaders, **kwargs):
        kwargs.setdefault("prefix", f"p{proposal.pk}")
        kwargs.setdefault(
            "initial",
            {
                "name": proposal.suggested_name or suggested_name(proposal.text),
                "lead_unit": proposal.lead_unit_id,
                "cooperating_units": [u.pk for u in proposal.cooperating_units.all()],
                "leaders": [proposal.leader_id] if proposal.leader_id else [],
                "deadline": proposal.deadline_end,
            },
        )
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units
        self.fields["leaders"].queryset = leaders
