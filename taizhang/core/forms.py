from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# Row ids are 64-bit (BigAutoField). SQLite cannot even bind a larger integer: a tampered
# form asking for one would crash the query instead of finding nothing.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


def as_id(value) -> int | None:
    """A posted id as an int, or None when it cannot be a row's id."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if ID_MIN <= number <= ID_MAX else None


def as_ids(values) -> list[int]:
    """The posted ids that can be rows' ids, in order; anything else is dropped."""
    return [n for n in (as_id(v) for v in values) if n is not None]


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """``ModelMultipleChoiceField`` that refuses impossible ids before asking the database."""

    def _check_values(self, value):
        for pk in value:
            if as_id(pk) is None and str(pk).strip().lstrip("-").isdigit():
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def as_version(value) -> int | None:
    """The version an edit was made on (optimistic locking): None when none was sent; -1
    (which no row ever has, so the edit is refused as stale) when it cannot be one."""
    if value is None or str(value).strip() == "":
        return None
    number = as_id(value)
    return number if number is not None and number >= 0 else -1


class VersionField(forms.IntegerField):
    """The hidden version a page's edit was made on; see ``as_version``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return as_version(value)


class XlsxUploadForm(forms.Form):
    """The one upload form of every .xlsx import (template: ``core/_xlsx_upload_form.html``)."""

    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
