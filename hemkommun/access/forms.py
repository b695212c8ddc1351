import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, MarkedBoundField, style_fields
from hemkommun.organizations.models import Organisation

from .consents import consent_purposes
from .models import Consent, Share


class ShareForm(forms.Form):
    # services.share_create raises these without a field; each is about one of the form's.
    SERVICE_ERROR_FIELDS = {
        "share_to_holder": "organisation",
        "share_purpose": "purpose",
        "share_period": "valid_until",
        "share_after_consent": "valid_until",
        "consent_missing": "consent_given",
    }
    # The consent given with the share is checked by consents.consent_record, by its own fields:
    # its "form" (how it was given) and its "purpose" (case team) are what consent_given says.
    SERVICE_FIELD_ALIASES = {"form": "consent_given", "purpose": "consent_given"}
    bound_field_class = MarkedBoundField

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Share with"))
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    scope = forms.ChoiceField(label=_("Scope"), choices=Share.Scope.choices, initial=Share.Scope.BASIC)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET)
    consent_given = forms.ChoiceField(
        label=_("The client's consent to the share"),
        choices=[("", _("Already recorded on the client's page"))] + list(Consent.Form.choices),
        required=False,
    )

    def __init__(self, *args, client, **kwargs):
        # The consent form on the same page has a purpose, a scope and a valid_until too.
        kwargs.setdefault("auto_id", "share_%s")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=client.organisation_id)
        self.initial.setdefault("valid_until", timezone.localdate() + datetime.timedelta(days=90))
        style_fields(self)


class ConsentForm(forms.Form):
    """A consent the client gave: to which purpose, which data, how and when."""

    bound_field_class = MarkedBoundField

    purpose = forms.ChoiceField(label=_("Purpose"), choices=())
    scope = forms.ChoiceField(label=_("Data"), choices=Share.Scope.choices, initial=Share.Scope.BASIC)
    form = forms.ChoiceField(label=_("Given"), choices=Consent.Form.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Valid until (optional)"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = consent_purposes()
        self.initial.setdefault("given_on", timezone.localdate())
        style_fields(self)
