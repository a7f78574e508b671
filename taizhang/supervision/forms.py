from django import forms
from django.utils.translation import gettext_lazy as _


class NoticeReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your unit's reply"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        max_length=5000,
        help_text=_("Describe the measures taken, the progress made and when the item will be back on schedule."),
    )


class NoticeGenerateForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month", "class": "form-control"}),
    )
    reply_within_workdays = forms.IntegerField(
        label=_("Reply within (working days)"),
        min_value=1,
        max_value=30,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
