"""Forms of the placements of unaccompanied minors; the services validate again, these collect input.

Plain forms rather than ModelForms: the model's period constraint would otherwise be reported
with Django's generic message before the service could say what is wrong.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation

from .models import MinorPlacement, PlacementAgreement
from .services.minors import EDITABLE_FIELDS


def _model_field(name: str, **kwargs) -> forms.Field:
    """The form field the model gives (label, choices, lengths, help text in every language)."""
    return MinorPlacement._meta.get_field(name).formfield(**kwargs)


class PlacementForm(forms.Form):
    agreement = _model_field("agreement", queryset=PlacementAgreement.objects.none())
    kind = _model_field("kind")
    unit_name = _model_field("unit_name")
    starts_on = _model_field("starts_on", widget=DATE_WIDGET)
    ends_on = _model_field("ends_on", widget=DATE_WIDGET)
    representative = _model_field("representative")
    notes = _model_field("notes", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, municipality: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the municipality's own agreements: another's id is "not one of the choices".
        agreements = self.fields["agreement"]
        agreements.queryset = PlacementAgreement.objects.filter(municipality=municipality).order_by(
            "-starts_on"
        )
        agreements.label_from_instance = _agreement_label
        style_fields(self)

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


def _agreement_label(agreement: PlacementAgreement) -> str:
    period = f"{agreement.starts_on:%Y-%m-%d} – {agreement.ends_on:%Y-%m-%d}"
    return f"{period} ({agreement.decision_reference})" if agreement.decision_reference else period


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day placed"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class PlacementFilterForm(forms.Form):
    """Which placements the list shows: current, ended or all; one municipality or every one."""

    status = forms.ChoiceField(
        label=_("Placements"),
        choices=[("", _("All")), ("current", _("Current")), ("ended", _("Ended"))],
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Organisation.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, municipalities: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Organisation.objects.filter(
            pk__in=[municipality.pk for municipality in municipalities]
        )
        if len(municipalities) < 2:
            del self.fields["municipality"]  # nothing to choose between
        style_fields(self)

    def selection(self) -> dict:
        """The valid choices made; anything else (a bad value in the address) shows everything."""
        if not (self.is_bound and self.is_valid()):
            return {"status": "", "municipality": None}
        return {
            "status": self.cleaned_data["status"],
            "municipality": self.cleaned_data.get("municipality"),
        }
