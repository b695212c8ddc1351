"""The statistics filters. Every choice is a list of known values: anything else is refused
with a message, never passed on to a query."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.codes import ResidenceGround, Sex, language_choices
from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation, Unit

from .statistics import AGE_GROUPS, Filters

FIRST_YEAR, LAST_YEAR = 2000, 2099


def default_period(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The year of the day, from New Year to New Year's Eve."""
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


class PeriodDateField(forms.DateField):
    widget = DATE_WIDGET
    input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def to_python(self, value):
        day = super().to_python(value)
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="date_range",
            )
        return day


def _any(label) -> list[tuple[str, str]]:
    return [("", label)]


class StatisticsForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Municipality or organisation"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    date_from = PeriodDateField(label=_("From"), required=False)
    date_to = PeriodDateField(label=_("To"), required=False)
    residence_ground = forms.ChoiceField(label=_("Residence ground"), required=False)
    language = forms.ChoiceField(label=_("Native language"), required=False)
    age_group = forms.ChoiceField(label=_("Age group at the end of the period"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    for_sharing = forms.BooleanField(
        label=_("For sharing outside the unit (groups smaller than 5 suppressed)"), required=False
    )

    def __init__(self, *args, organisations: list[Organisation], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.code: o for o in organisations}
        self.units = {
            str(unit.pk): unit
            for unit in Unit.objects.filter(organisation__in=organisations).select_related("organisation")
        }
        self.today = today
        fields = self.fields
        fields["organisation"].choices = _any(_("All mine")) + [(o.code, o.name) for o in organisations]
        fields["unit"].choices = _any(_("All units")) + [
            (pk, f"{unit.organisation.name} / {unit.name}") for pk, unit in self.units.items()
        ]
        fields["residence_ground"].choices = _any(_("All")) + list(ResidenceGround.choices)
        fields["language"].choices = _any(_("All")) + language_choices()
        fields["age_group"].choices = _any(_("All")) + [(code.value, code.label) for code, *_x in AGE_GROUPS]
        fields["sex"].choices = _any(_("All")) + list(Sex.choices)
        first, last = default_period(today)
        fields["date_from"].widget.attrs["placeholder"] = first.isoformat()
        fields["date_to"].widget.attrs["placeholder"] = last.isoformat()
        style_fields(self)

    def clean(self):
        data = super().clean()
        # A missing end is the end of the year the period starts in, and a missing start the start
        # of the year it ends in; with neither, this year.
        given = data.get("date_from") or data.get("date_to") or self.today
        for name, default in zip(("date_from", "date_to"), default_period(given), strict=True):
            if name in self.errors:
                data[name] = None
            elif not data.get(name):
                data[name] = default
                self._show(name, default)
        if data["date_from"] and data["date_to"] and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period comes before its start."))
        organisation = self.organisations.get(data.get("organisation") or "")
        unit = self.units.get(data.get("unit") or "")
        if organisation and unit and unit.organisation_id != organisation.pk:
            self.add_error("unit", _("The unit is not in the municipality or organisation chosen."))
        return data

    def _show(self, name: str, day: datetime.date) -> None:
        """A date taken by default appears in the form as if it had been given."""
        self.data = self.data.copy()
        self.data[name] = day.isoformat()

    def filters(self) -> Filters:
        data = self.cleaned_data
        organisation = self.organisations.get(data["organisation"])
        return Filters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            organisations=(organisation,) if organisation else (),
            unit=self.units.get(data["unit"]),
            residence_ground=data["residence_ground"],
            language=data["language"],
            age_group=data["age_group"],
            sex=data["sex"],
            for_sharing=data["for_sharing"],
        )
