from django import forms
from django.core.exceptions import ValidationError
from django.forms import Form

# The browser's date picker; the value travels as ISO 8601 whatever the page's language.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: by field where the form has it, else on top.

    ``aliases`` maps a model field to the form field that edits it (birth_year -> date_of_birth).
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = (aliases or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


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
