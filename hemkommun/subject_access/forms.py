from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import style_fields

from .models import SubjectAccessRequest


class ProduceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the PDF document"),
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
        error_messages={"invalid_choice": _("Choose Finnish, Swedish or English.")},
    )
    format = forms.ChoiceField(
        choices=SubjectAccessRequest.Format.choices,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose a PDF document or a JSON file.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
