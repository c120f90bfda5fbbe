from django import template

from learning.blocks import SOURCE_CHOICES

register = template.Library()

_SOURCE_TITLES = {key: title.split(" · ", 1)[1] for key, title in SOURCE_CHOICES}


@register.filter
def source_title(source_id: str) -> str:
    """The human title of a seed document, e.g. "003" → "Køge Kommune: Handleplan …"."""
    return _SOURCE_TITLES.get(source_id, source_id)


_WIDGET_CLASSES = {
    "checkbox": "form-checkbox",
    "radio": "form-radio",
    "select": "form-select",
    "textarea": "form-input",
}


@register.filter
def dkfds_widget(bound_field):
    """Render a form field's widget with the DKFDS class and the ARIA links to its hint and errors."""
    attrs = {"class": _WIDGET_CLASSES.get(bound_field.widget_type, "form-input")}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
