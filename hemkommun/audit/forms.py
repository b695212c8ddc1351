"""The audit log's filters: person (a client of the reader's organisations, by number or name),
staff member, period and action. A client or staff member of another organisation is not told
apart from one that does not exist."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.models import Client
from hemkommun.core.forms import DATE_WIDGET, style_fields

from .labels import action_choices
from .selectors import AuditFilter, staff_of

# A name matching more clients than this is too vague to be a person.
MAX_NAME_MATCHES = 100
# Database ids are 64-bit: a longer number cannot name a client (and would overflow the query).
MAX_ID = 2**63 - 1
NAME_FIELDS = ("family_name", "given_names", "family_name_latin", "given_names_latin")


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Client number or name"),
        required=False,
        max_length=100,
        help_text=_("A client of your organisation."),
    )
    staff = forms.ChoiceField(label=_("Staff member"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=action_choices)

    def __init__(self, *args, organisation_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_ids = organisation_ids
        # Choices, not a model field: a hostile id is checked against this list, never queried.
        staff = staff_of(organisation_ids).order_by("last_name", "first_name", "username")
        self.fields["staff"].choices = [("", _("Everyone"))] + [
            (str(user.pk), user.get_full_name() or user.username) for user in staff
        ]
        style_fields(self)

    def clean_person(self) -> frozenset[int] | None:
        text = self.cleaned_data["person"].strip()
        if not text:
            return None
        clients = Client.objects.filter(organisation__in=self.organisation_ids)
        if text.isdecimal():
            number = int(text)
            found = set(clients.filter(pk=number).values_list("pk", flat=True)) if number <= MAX_ID else set()
            if not found:
                raise ValidationError(_("No client of your organisation has this number."), code="no_client")
            return frozenset(found)
        return self._by_name(clients, text)

    def _by_name(self, clients, text: str) -> frozenset[int]:
        matches = Q()
        for name_field in NAME_FIELDS:
            matches |= Q(**{f"{name_field}__icontains": text})
        found = list(clients.filter(matches).values_list("pk", flat=True)[: MAX_NAME_MATCHES + 1])
        if not found:
            raise ValidationError(_("No client of your organisation has this name."), code="no_client")
        if len(found) > MAX_NAME_MATCHES:
            raise ValidationError(_("Too many clients have this name: give more of it, or the number."))
        return frozenset(found)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def selection(self) -> AuditFilter:
        """The valid form's filters."""
        data = self.cleaned_data
        return AuditFilter(
            client_ids=data.get("person"),
            staff_id=int(data["staff"]) if data.get("staff") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            action=data.get("action") or "",
        )

    def describe(self) -> str:
        """The filters in words, for the notes of an export."""
        data = self.cleaned_data
        parts = []
        if data.get("person") is not None:
            parts.append(_("client %(value)s") % {"value": self.data.get("person", "").strip()})
        if data.get("staff"):
            parts.append(
                _("staff member %(value)s") % {"value": dict(self.fields["staff"].choices)[data["staff"]]}
            )
        if data.get("date_from"):
            parts.append(_("from %(date)s") % {"date": data["date_from"].isoformat()})
        if data.get("date_to"):
            parts.append(_("to %(date)s") % {"date": data["date_to"].isoformat()})
        if data.get("action"):
            parts.append(
                _("action %(value)s") % {"value": _label_of(self.fields["action"].choices, data["action"])}
            )
        return ", ".join(str(part) for part in parts) or str(_("none"))


def _label_of(choices, value: str) -> str:
    for key, label in choices:
        if isinstance(label, list | tuple):
            found = dict(label).get(value)
            if found is not None:
                return str(found)
        elif key == value:
            return str(label)
    return value
