"""Forms of placement agreements; the services validate again, these only collect input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation

from .agreement_services import MAX_PLACES, agreement_years
from .models import PlaceCategory, PlacementAgreement

# How many years one table may show: enough for a long agreement, small enough to read.
MAX_YEARS_SHOWN = 10


class AgreementForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Organisation.objects.none())
    state_centre = forms.ModelChoiceField(
        label=_("Regional state centre"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.STATE_CENTRE),
    )
    starts_on = forms.DateField(label=_("In force from"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("In force until"), widget=DATE_WIDGET)
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200, required=False)
    welfare_area = forms.ModelChoiceField(
        label=_("Welfare area"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.WELFARE_AREA),
        required=False,
        help_text=_("The welfare area must be heard before the agreement is made."),
    )
    welfare_consulted_on = forms.DateField(
        label=_("Welfare area heard on"), widget=DATE_WIDGET, required=False
    )
    consultation_notes = forms.CharField(
        label=_("What the welfare area said"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, municipalities=None, agreement: PlacementAgreement | None = None, **kwargs):
        """A new agreement names its municipality (one the user coordinates); an edited one keeps it."""
        if agreement is not None:
            kwargs.setdefault("initial", {field: getattr(agreement, field) for field in self.editable()})
        super().__init__(*args, **kwargs)
        if agreement is not None:
            del self.fields["municipality"]
        else:
            ids = [municipality.pk for municipality in municipalities or []]
            self.fields["municipality"].queryset = Organisation.objects.filter(pk__in=ids)
            if len(ids) == 1:
                self.fields["municipality"].initial = ids[0]
        style_fields(self)

    @classmethod
    def editable(cls) -> list[str]:
        return [name for name in cls.base_fields if name != "municipality"]


class PlacesForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    category = forms.ChoiceField(label=_("Category"), choices=PlaceCategory.choices)
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=MAX_PLACES)

    def __init__(self, *args, agreement: PlacementAgreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(agreement)
        style_fields(self)


class RoundForm(forms.Form):
    year = forms.TypedChoiceField(label=_("For the year"), coerce=int, choices=())
    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET)
    outcome = forms.CharField(
        label=_("Outcome"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agreement: PlacementAgreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(agreement)
        self.initial.setdefault("held_on", timezone.localdate())
        style_fields(self)


def _year_choices(agreement: PlacementAgreement) -> list[tuple[int, int]]:
    return [(year, year) for year in agreement_years(agreement)]


class YearsForm(forms.Form):
    """The filter of the places table: which municipality (of the user's) and which years."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All my municipalities"),
    )
    first_year = forms.IntegerField(label=_("From the year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("To the year"), min_value=2000, max_value=2100)

    def __init__(self, data=None, *, municipalities, **kwargs):
        this_year = timezone.localdate().year
        # The current year and the next two, unless asked otherwise.
        defaults = {"first_year": this_year, "last_year": this_year + 2}
        super().__init__(data if data else None, initial=defaults, **kwargs)
        self.defaults = defaults
        self.municipalities = list(municipalities)
        self.fields["municipality"].queryset = Organisation.objects.filter(
            pk__in=[municipality.pk for municipality in self.municipalities]
        )
        style_fields(self)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and not 0 <= last - first < MAX_YEARS_SHOWN:
            raise forms.ValidationError(
                _("Choose from 1 to %(max)s years, the first before the last.") % {"max": MAX_YEARS_SHOWN},
                code="years",
            )
        return data

    def selection(self) -> tuple[list[Organisation], list[int]]:
        """The municipalities and years chosen; the defaults where the filter was not valid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else self.defaults
        chosen = data.get("municipality")
        municipalities = [chosen] if chosen else self.municipalities
        return municipalities, list(range(data["first_year"], data["last_year"] + 1))
