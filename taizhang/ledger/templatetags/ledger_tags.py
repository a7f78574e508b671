from django import template
from django.utils.translation import gettext as _

from taizhang.ledger.models import KeyProject, KeyTask
from taizhang.ledger.rows import item_url

register = template.Library()


@register.filter
def field_label(name: str) -> str:
    """The field's verbose name in the reader's language ("milestone:开工" stays readable)."""
    if name.startswith("milestone:"):
        return name.split(":", 1)[1]
    if name == "notice":
        return _("Supervision notice")
    if name in ("cooperating_units", "leaders", "milestones", "status"):
        return str(KeyProject._meta.get_field(name).verbose_name) if name != "milestones" else _("Milestones")
    for model in (KeyProject, KeyTask):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: S112 - not a field of this model; try the next
            continue
    return name


@register.filter
def field_value(value, name: str):
    """A history value as the reader knows it: a choice's label ("在建"), not its code."""
    if value is None or not isinstance(value, str):
        return value
    for model in (KeyProject, KeyTask):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - not a field of this model; try the next
            continue
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return value
    return value


@register.filter(name="item_url")
def item_url_filter(pk) -> str:
    """``{{ item.pk|item_url }}``: the item page's URL (``rows.item_url``)."""
    return item_url(pk)


@register.filter
def as_pair(value):
    """History values are [old, new] pairs; anything else is shown as a single new value."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value
    return (None, value)
