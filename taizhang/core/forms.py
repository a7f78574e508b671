from django import forms
from django.utils.translation import gettext_lazy


class XlsxUploadForm(forms.Form):
    """The one upload form of every .xlsx import (template: ``core/_xlsx_upload_form.html``)."""

    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
