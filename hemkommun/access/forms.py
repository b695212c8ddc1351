import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation

from .models import Share


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Share with"))
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    scope = forms.ChoiceField(label=_("Scope"), choices=Share.Scope.choices, initial=Share.Scope.BASIC)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET)

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=client.organisation_id)
        self.initial.setdefault("valid_until", timezone.localdate() + datetime.timedelta(days=90))
        style_fields(self)
