"""Forms of the arrival pages. They parse input; the services in services/arrivals.py hold the rules."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.clients.codes import Relation, ResidenceGround, Sex
from hemkommun.clients.dates import parse_birth_date
from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation, User

from .models import ArrivalGroup, ArrivalTask
from .services.arrivals import move_grounds, task_assignees

MAX_PERSONS = 30
MAX_TEMPLATE_TASKS = 60


def _organisations(kind: str):
    return Organisation.objects.filter(kind=kind).order_by("name_fi")


class ArrivalForm(forms.Form):
    """An expected quota family, or (with the move fields) a reception centre's placement request."""

    municipality = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Municipality"))
    welfare_area = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Welfare area"))
    reference = forms.CharField(
        label=_("Reference"), max_length=100, help_text=_("E.g. the state centre's case number.")
    )
    expected_on = forms.DateField(label=_("Expected arrival"), widget=DATE_WIDGET)
    permit_granted_on = forms.DateField(
        label=_("Residence permits granted on"), required=False, widget=DATE_WIDGET
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No health data here: the welfare area records the health flags."),
    )

    def __init__(self, *args, municipalities: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Organisation.objects.filter(
            pk__in=[m.pk for m in municipalities]
        )
        self.fields["welfare_area"].queryset = _organisations(Organisation.Kind.WELFARE_AREA)
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
        style_fields(self)


class MoveForm(ArrivalForm):
    reception_centre = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Reception centre")
    )
    move_type = forms.ChoiceField(label=_("Type of move"), choices=ArrivalGroup.MoveType.choices)
    placement_requested_on = forms.DateField(label=_("Placement requested on"), widget=DATE_WIDGET)
    residence_ground = forms.ChoiceField(label=_("Residence ground"))
    family_reunification = forms.CharField(
        label=_("Family reunification"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Family members still abroad and applications for family reunification pending."),
    )
    field_order = [
        "municipality",
        "welfare_area",
        "reception_centre",
        "reference",
        "placement_requested_on",
        "move_type",
        "expected_on",
        "residence_ground",
        "permit_granted_on",
        "family_reunification",
        "notes",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reception_centre"].queryset = _organisations(Organisation.Kind.RECEPTION_CENTRE)
        self.fields["expected_on"].label = _("Date of the move")
        # The grounds in force today in the municipalities offered; the service checks the move's
        # own date and jurisdiction.
        today = timezone.localdate()
        grounds = set().union(
            *(move_grounds(m.jurisdiction, today) for m in self.fields["municipality"].queryset)
        )
        self.fields["residence_ground"].choices = [
            (g.value, g.label) for g in ResidenceGround if g in grounds
        ]
        self.order_fields(self.field_order)

    def move_data(self) -> dict:
        return {
            field: self.cleaned_data[field]
            for field in ("reception_centre", "move_type", "placement_requested_on", "residence_ground")
        } | {"family_reunification": self.cleaned_data["family_reunification"]}


class MemberForm(forms.Form):
    """One person of the group, anonymised: no names until they arrive."""

    relation = forms.ChoiceField(label=_("Relation"), choices=[("", "–"), *Relation.choices], required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "–"), *Sex.choices], required=False)
    languages = forms.CharField(label=_("Languages"), required=False, max_length=100)
    education = forms.CharField(label=_("Education"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year and year > datetime.date.today().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("relation"):
            self.add_error("relation", _("Choose the person's relation in the family."))
        return data


class BaseMemberFormSet(forms.BaseFormSet):
    def members(self) -> list[dict]:
        """The rows filled in; empty rows are left out."""
        return [
            {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
            for form in self.forms
            if form.has_changed()
        ]


def member_formset(data=None, *, persons: int):
    formset_class = forms.formset_factory(
        MemberForm,
        formset=BaseMemberFormSet,
        extra=max(1, min(persons, MAX_PERSONS)),
        max_num=MAX_PERSONS,
        absolute_max=MAX_PERSONS,
        validate_max=True,
    )
    return formset_class(data, prefix="member")


class DateChangeForm(forms.Form):
    expected_on = forms.DateField(label=_("New arrival date"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class TaskForm(forms.Form):
    """A task's status and the person responsible for it, chosen from ``assignees`` (a list of
    users, read once for all the tasks on a page rather than once per select)."""

    status = forms.ChoiceField(label=_("Status"), choices=ArrivalTask.Status.choices)
    responsible_user = forms.TypedChoiceField(label=_("Responsible person"), required=False, empty_value=None)

    def __init__(self, *args, assignees: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.assignees = {str(user.pk): user for user in assignees}
        field = self.fields["responsible_user"]
        field.choices = [("", "–")] + [
            (pk, user.get_full_name() or user.username) for pk, user in self.assignees.items()
        ]
        field.coerce = self.assignees.__getitem__
        style_fields(self)


class ConvertForm(forms.Form):
    arrived_on = forms.DateField(label=_("Arrived on"), widget=DATE_WIDGET)
    move_reported_on = forms.DateField(label=_("Move report received on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, group: ArrivalGroup, **kwargs):
        super().__init__(*args, **kwargs)
        if group.kind != "reception_centre":
            del self.fields["move_reported_on"]
        style_fields(self)


class PersonForm(forms.Form):
    """What is known of one person on arrival: the names at least."""

    family_name = forms.CharField(label=_("Family name"), max_length=200)
    given_names = forms.CharField(label=_("Given names"), max_length=200)
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, or only YYYY-MM or YYYY when the day or month is not known."),
    )
    identity_code = forms.CharField(label=_("Personal identity code"), required=False, max_length=11)
    native_language = forms.CharField(label=_("Native language"), required=False, max_length=10)

    def __init__(self, *args, member, **kwargs):
        kwargs.setdefault("prefix", f"person-{member.pk}")
        super().__init__(*args, **kwargs)
        self.member = member
        if member.birth_year:
            self.fields["date_of_birth"].initial = str(member.birth_year)
        first_language = member.languages.replace(";", ",").split(",")[0].strip()
        self.fields["native_language"].initial = first_language
        style_fields(self)

    def clean_date_of_birth(self):
        return parse_birth_date(self.cleaned_data["date_of_birth"])

    def client_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "date_of_birth"}
        year, month, day = self.cleaned_data["date_of_birth"]
        if year:
            data.update(birth_year=year, birth_month=month, birth_day=day)
        return {key: value for key, value in data.items() if value not in ("", None)}


class TemplateItemForm(forms.Form):
    """One task of a template. The rows posted are the whole new template, so a stale page of
    one coordinator never breaks on another's changes: the last save wins."""

    title = forms.CharField(label=_("Task"), max_length=200)
    offset_days = forms.IntegerField(
        label=_("Days from arrival"),
        min_value=-365,
        max_value=365,
        help_text=_("Negative before the arrival, e.g. -14; 0 on the day; 14 two weeks after."),
    )
    responsible = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Responsible organisation"),
        help_text=_("Empty: the municipality itself. A health task is always the welfare area's."),
    )
    health_related = forms.BooleanField(
        label=_("Health task"),
        required=False,
        help_text=_("Seen with the health flags by the welfare area only."),
    )

    def __init__(self, *args, responsible_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_choices
        style_fields(self)


def template_formset(data=None, *, template, responsible_choices):
    formset_class = forms.formset_factory(
        TemplateItemForm,
        extra=2,
        can_delete=True,
        max_num=MAX_TEMPLATE_TASKS,
        absolute_max=MAX_TEMPLATE_TASKS,
        validate_max=True,
    )
    initial = [
        {
            "title": item.title,
            "offset_days": item.offset_days,
            "responsible": item.responsible_id,
            "health_related": item.health_related,
        }
        for item in template.items.all()
    ]
    return formset_class(
        data, initial=initial, prefix="item", form_kwargs={"responsible_choices": responsible_choices}
    )


class HealthFlagsForm(forms.Form):
    """The welfare area's health flags of one expected person."""

    health_flags = forms.CharField(
        label=_("Health flags"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, member, **kwargs):
        kwargs.setdefault("prefix", f"health-{member.pk}")
        kwargs.setdefault("initial", {"health_flags": member.health_flags})
        super().__init__(*args, **kwargs)
        self.member = member
        style_fields(self)


def task_forms_for(user, tasks) -> list[tuple[ArrivalTask, TaskForm | None]]:
    """Each task with a form if the user may handle it. Tasks of one organisation and kind share
    their list of assignees, so a long task list costs a query per organisation, not per task."""
    assignees: dict[tuple, list] = {}
    rows = []
    for task in tasks:
        if not policy.can_handle_arrival_task(user, task):
            rows.append((task, None))
            continue
        key = (task.responsible_id, policy.arrival_task_roles(task))
        if key not in assignees:
            assignees[key] = list(task_assignees(task))
        form = TaskForm(
            prefix=f"task-{task.pk}",
            initial={"status": task.status, "responsible_user": task.responsible_user_id},
            assignees=assignees[key],
        )
        rows.append((task, form))
    return rows
