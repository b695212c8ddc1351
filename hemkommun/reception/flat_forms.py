"""Forms of the flat pages. They parse input; services/housing.py holds the rules."""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation

from .models import ArrivalGroup, Flat, FurnishingItem
from .services.arrivals import PENDING
from .services.housing import FLAT_FIELDS

# Decimals typed the Finnish and Swedish way (86,5) as well as 86.5: a text box that accepts
# the page's own decimal comma, with the numeric keyboard on phones.
DECIMAL_WIDGET = forms.TextInput(attrs={"inputmode": "decimal"})


class FlatForm(forms.ModelForm):
    """A flat's data; on a new flat also its municipality, when the user runs reception in several."""

    class Meta:
        model = Flat
        fields = list(FLAT_FIELDS)
        widgets = {"size_m2": DECIMAL_WIDGET, "rent_eur": DECIMAL_WIDGET}
        localized_fields = ["size_m2", "rent_eur"]

    def __init__(self, *args, municipalities: list[Organisation] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities and len(municipalities) > 1:
            self.fields = {
                "municipality": forms.ModelChoiceField(
                    label=_("Municipality"),
                    queryset=Organisation.objects.filter(pk__in=[m.pk for m in municipalities]),
                ),
                **self.fields,
            }
        self.fields["rooms"].widget.attrs["min"] = 1  # the model's validator; the column allows 0
        style_fields(self)

    def flat_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in FLAT_FIELDS}


class FurnishingForm(forms.ModelForm):
    class Meta:
        model = FurnishingItem
        fields = ["item", "quantity", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model allows 0 (a positive small integer); a line of the list is at least one thing.
        self.fields["quantity"] = forms.IntegerField(
            label=self.fields["quantity"].label, min_value=1, max_value=999, initial=1
        )
        style_fields(self)


class FurnishingStateForm(forms.Form):
    """The state of one line of the list, labelled with the thing itself for screen readers."""

    state = forms.ChoiceField(label=_("State"), choices=FurnishingItem.State.choices)

    def __init__(self, *args, item: FurnishingItem, **kwargs):
        kwargs.setdefault("initial", {"state": item.state})
        super().__init__(*args, prefix=f"state-{item.pk}", **kwargs)
        self.fields["state"].label = _("State of %(item)s") % {"item": item.item}
        style_fields(self)


def _group_label(group: ArrivalGroup) -> str:
    return _("%(reference)s, expected %(date)s (%(kind)s)") % {
        "reference": group.reference,
        "date": date_format(group.expected_on, "SHORT_DATE_FORMAT"),
        "kind": group.get_kind_display(),
    }


class AssignForm(forms.Form):
    """The flat for one of the municipality's pending arrivals, from their arrival by default."""

    group = forms.ModelChoiceField(label=_("Arrival"), queryset=ArrivalGroup.objects.none())
    starts_on = forms.DateField(
        label=capfirst(_("assigned from")),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: the expected arrival date."),
    )
    ends_on = forms.DateField(
        label=capfirst(_("assigned until")),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: until further notice."),
    )

    def __init__(self, *args, flat: Flat, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        # Only this municipality's pending arrivals: another's group id is "not a valid choice".
        self.fields["group"].queryset = ArrivalGroup.objects.filter(
            municipality_id=flat.municipality_id, status__in=PENDING
        ).order_by("expected_on", "id")
        self.fields["group"].label_from_instance = _group_label
        style_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("group") is not None and data.get("starts_on") is None:
            data["starts_on"] = data["group"].expected_on
        return data


class EndForm(forms.Form):
    """The last day of one assignment."""

    ends_on = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)

    def __init__(self, *args, assignment, **kwargs):
        # Today, unless the family has not moved in yet: an end before the start is refused.
        default = assignment.ends_on or max(timezone.localdate(), assignment.starts_on)
        kwargs.setdefault("initial", {"ends_on": default})
        super().__init__(*args, prefix=f"end-{assignment.pk}", **kwargs)
        style_fields(self)


AVAILABILITY = [
    ("", _("All flats")),
    ("free", _("Free on the day")),
    ("taken", _("Taken on the day")),
]


@dataclass(frozen=True)
class FlatSelection:
    """Which flats the list shows, and the day their assignments are seen from."""

    on: datetime.date
    availability: str = ""
    municipality: Organisation | None = None


class FlatFilterForm(forms.Form):
    availability = forms.ChoiceField(label=_("Show"), choices=AVAILABILITY, required=False)
    on = forms.DateField(label=_("Day"), required=False, widget=DATE_WIDGET, help_text=_("Empty: today."))

    def __init__(self, *args, municipalities: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        if len(municipalities) > 1:
            self.fields["municipality"] = forms.ModelChoiceField(
                label=_("Municipality"),
                queryset=Organisation.objects.filter(pk__in=[m.pk for m in municipalities]),
                required=False,
                empty_label=_("All my municipalities"),
            )
        style_fields(self)

    def selection(self) -> FlatSelection:
        # A bad day or choice in the address shows its error and the list as if unfiltered.
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return FlatSelection(
            on=data.get("on") or timezone.localdate(),
            availability=data.get("availability") or "",
            municipality=data.get("municipality"),
        )
