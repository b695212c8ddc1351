from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.codes import language_choices
from hemkommun.core.forms import style_fields
from hemkommun.organizations.models import Organisation

from .codes import AgeGroup, Channel, Topic
from .models import Contact
from .services.contacts import CONTACT_FIELDS


class ContactForm(forms.ModelForm):
    """A contact: anonymous at the desk (counts only) or with a registered client (notes too)."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Contact
        fields = [field for field in CONTACT_FIELDS if field != "occurred_at"]
        widgets = {
            "channel": forms.RadioSelect,
            "age_group": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisations, anonymous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.fields["organisation"].initial = organisations[0].pk if organisations else None
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["channel"].choices = Channel.choices
        self.fields["age_group"].choices = AgeGroup.choices
        self.fields["language"].choices = [("", _("Not recorded")), *language_choices()]
        if anonymous:
            # Counts only: nothing typed in free text, and the client's age comes as a group.
            del self.fields["notes"]
        else:
            del self.fields["age_group"]
        style_fields(self)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS if name in self.cleaned_data}
