from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField, Form

# The browser's date picker; the value travels as ISO 8601 whatever the page's language.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(
    form: Form,
    error: ValidationError,
    aliases: dict[str, str] | None = None,
    codes: dict[str, str] | None = None,
) -> None:
    """Show a service's ValidationError on the form: by field where the form has it, else on top.

    ``aliases`` maps a model field to the form field that edits it (birth_year -> date_of_birth).
    ``codes`` maps the code of an error raised without a field to the form field it is about
    (share_period -> valid_until); an error whose code is not there stays on top of the form.
    """
    if not hasattr(error, "error_dict"):
        for item in error.error_list:
            field = (codes or {}).get(item.code)
            form.add_error(field if field in form.fields else None, item)
        return
    for field, errors in error.error_dict.items():
        field = (aliases or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


class MarkedBoundField(BoundField):
    """A field whose widget shows it is invalid to the eye as well: Bootstrap's ``is-invalid``
    beside the aria-invalid and aria-describedby (``<id>_error``) Django already adds.

    Set it as a form's ``bound_field_class``; templates then render ``{{ field.as_widget }}``."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if attrs.get("aria-invalid") == "true":
            css = attrs.get("class") or (widget or self.field.widget).attrs.get("class", "")
            attrs["class"] = f"{css} is-invalid".strip()
        return attrs


def style_fields(form: Form) -> None:
    """Give every widget its Bootstrap class, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if getattr(widget, "input_type", "") in ("checkbox", "radio"):
            css = "form-check-input"
        elif getattr(widget, "input_type", "") == "select":
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
