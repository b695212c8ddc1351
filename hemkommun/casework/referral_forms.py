"""Forms of referrals and follow-ups; the services validate again, these only collect input."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access.models import Consent, Share
from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation

from .models import Aftercare, FamilyReunificationNeed, Referral
from .services.referrals import DEFAULT_ANSWER_DAYS


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Referral to"), choices=())
    to_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(
        label=_("Reason and what is asked"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    scope = forms.ChoiceField(
        label=_("Data the receiver needs"),
        choices=Share.Scope.choices,
        initial=Share.Scope.BASIC,
        help_text=_("Health data only towards a welfare area or for a social-care needs assessment."),
    )
    due_on = forms.DateField(label=_("Answer due"), widget=DATE_WIDGET)
    consent_given = forms.ChoiceField(
        label=_("The client's consent to the referral"),
        choices=[("", _("Already recorded on the client's page"))] + list(Consent.Form.choices),
        required=False,
        help_text=_(
            "A referral passes the client's data on: choose how the client consented now, unless a "
            "consent in force for referrals and the data chosen is recorded."
        ),
    )

    def __init__(self, *args, client, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in Referral.Kind.choices if k in kinds]
        self.fields["to_organisation"].queryset = Organisation.objects.exclude(pk=client.organisation_id)
        self.initial.setdefault("due_on", timezone.localdate() + datetime.timedelta(days=DEFAULT_ANSWER_DAYS))
        style_fields(self)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class FamilyReunificationForm(forms.ModelForm):
    class Meta:
        model = FamilyReunificationNeed
        fields = ["recorded_on", "family_abroad", "guidance_given", "status"]
        widgets = {
            "recorded_on": DATE_WIDGET,
            "family_abroad": forms.Textarea(attrs={"rows": 3}),
            "guidance_given": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("recorded_on", timezone.localdate())
        style_fields(self)


class AftercareForm(forms.ModelForm):
    class Meta:
        model = Aftercare
        fields = ["started_on", "ended_on", "description"]
        widgets = {
            "started_on": DATE_WIDGET,
            "ended_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
