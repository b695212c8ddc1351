"""Forms of the activity pages; the rules are in activities.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.casework.codes import AgeGroup
from hemkommun.clients.codes import language_choices
from hemkommun.core.forms import DATE_WIDGET, style_fields

from .activities import ACTIVITY_FIELDS
from .models import Activity, AnonymousAttendance

ANONYMOUS_ROWS = 4


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    clients = forms.CharField(
        label=_("Clients who came, by record number"),
        required=False,
        max_length=5000,
        help_text=_("Comma-separated, e.g. 12, 57. Only clients you may see."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        genders = AnonymousAttendance.Gender.choices
        for row in range(ANONYMOUS_ROWS):
            self.fields[f"age_group_{row}"] = forms.ChoiceField(
                label=_("Age group"), choices=AgeGroup.choices, initial=AgeGroup.UNKNOWN, required=False
            )
            self.fields[f"gender_{row}"] = forms.ChoiceField(
                label=_("Gender"), choices=genders, required=False
            )
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=_("Language"), choices=[("", "–"), *language_choices()], required=False
            )
            self.fields[f"count_{row}"] = forms.IntegerField(label=_("People"), min_value=1, required=False)
        style_fields(self)

    def clean_clients(self) -> list[int]:
        numbers = [
            part.strip().lstrip("#") for part in self.cleaned_data["clients"].replace(";", ",").split(",")
        ]
        numbers = [number for number in numbers if number]
        bad = [number for number in numbers if not number.isdecimal() or len(number) > 12]
        if bad:
            raise forms.ValidationError(
                _("A record number is digits only: %(bad)s."), params={"bad": ", ".join(bad)}, code="number"
            )
        return [int(number) for number in numbers]

    def anonymous_rows(self):
        """The anonymous rows' fields, for the template: (age group, gender, language, count)."""
        for row in range(ANONYMOUS_ROWS):
            yield tuple(self[f"{name}_{row}"] for name in ("age_group", "gender", "language", "count"))

    def anonymous(self) -> list[tuple[str, str, str, int]]:
        data = self.cleaned_data
        return [
            (data[f"age_group_{row}"], data[f"gender_{row}"], data[f"language_{row}"], data[f"count_{row}"])
            for row in range(ANONYMOUS_ROWS)
            if data.get(f"count_{row}")
        ]
