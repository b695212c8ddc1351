"""The forecast's choices: whose compensation and which months."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import style_fields
from hemkommun.core.uploads import Kind, check_upload
from hemkommun.organizations.models import Organisation

MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MAX_MONTHS = 60


class MonthField(forms.DateField):
    """A month as YYYY-MM, kept as its first day."""

    widget = MONTH_WIDGET
    input_formats = ["%Y-%m"]

    def to_python(self, value):
        month = super().to_python(value)
        if month and not 2000 <= month.year <= 2099:
            raise forms.ValidationError(_("Give a month between 2000 and 2099."), code="month_range")
        return month


class ForecastForm(forms.Form):
    payee = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Paid to"))
    first = MonthField(label=_("From month"))
    last = MonthField(label=_("To month"))

    def __init__(self, *args, payees: list[Organisation], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee"].queryset = Organisation.objects.filter(pk__in=[p.pk for p in payees])
        self.fields["payee"].initial = payees[0].pk if payees else None
        self.fields["first"].initial = datetime.date(today.year, 1, 1)
        self.fields["last"].initial = datetime.date(today.year, 12, 1)
        style_fields(self)

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                self.add_error("last", _("The last month comes before the first."))
            elif (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
                self.add_error("last", _("Choose at most 60 months."))
        return data


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class SpecificationForm(forms.Form):
    """The state's payment specification for a payee (columns: docs/compensation.md)."""

    payee = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Paid to"))
    specification = forms.FileField(
        label=_("Payment specification (CSV)"),
        help_text=_("Columns identity_code, month (YYYY-MM) and amount_eur, with a header row."),
    )

    def __init__(self, *args, payees: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee"].queryset = Organisation.objects.filter(pk__in=[p.pk for p in payees])
        style_fields(self)

    def clean_specification(self):
        upload = self.cleaned_data["specification"]
        check_upload(upload, kinds=(Kind.CSV,), max_bytes=MAX_UPLOAD_BYTES)
        return upload
