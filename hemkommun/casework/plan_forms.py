"""Forms of assessments and plans. They parse input; the services hold the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.forms import parse_language_levels
from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.organizations.models import Organisation

from .models import Assessment, IntegrationPlan, Party, PlanGoal, PlanMeasure
from .services.assessments import ASSESSMENT_FIELDS
from .services.common import PARTICIPANT_KINDS
from .services.plans import GOAL_FIELDS, MEASURE_FIELDS, PLAN_FIELDS


def _participant_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind__in=PARTICIPANT_KINDS),
        required=False,
        label=_("Organisations taking part"),
        widget=forms.CheckboxSelectMultiple,
    )


class AssessmentForm(forms.ModelForm):
    languages = forms.CharField(
        label=_("Language skills"),
        required=False,
        max_length=300,
        help_text=_("Language codes with a CEFR level, separated by commas, e.g. fi:A1, en:B2, ar:native."),
    )
    participants = _participant_field()

    class Meta:
        model = Assessment
        fields = list(ASSESSMENT_FIELDS)
        widgets = {
            "requested_on": DATE_WIDGET,
            "started_on": DATE_WIDGET,
            "work_history": forms.Textarea(attrs={"rows": 3}),
            "family_situation": forms.Textarea(attrs={"rows": 3}),
            "language_training_need": forms.Textarea(attrs={"rows": 2}),
            "other_service_needs": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, may_see_health: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_see_health:
            del self.fields["health_notes"]
        if self.instance.pk:
            self.initial["languages"] = ", ".join(
                f"{row.language}:{row.level}" for row in self.instance.languages.all()
            )
            self.initial["participants"] = list(self.instance.participants.all())
        else:
            self.initial.setdefault("started_on", timezone.localdate())
        style_fields(self)

    def clean_languages(self):
        return parse_language_levels(self.cleaned_data["languages"])

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ASSESSMENT_FIELDS if name in self.fields}


class PlanForm(forms.ModelForm):
    participants = _participant_field()

    class Meta:
        model = IntegrationPlan
        fields = list(PLAN_FIELDS)
        widgets = {
            "drafted_on": DATE_WIDGET,
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = Assessment.objects.filter(client=client).exclude(
            status=Assessment.Status.DRAFT
        )
        self.fields["assessment"].label_from_instance = lambda a: (
            f"{a.started_on:%Y-%m-%d} ({a.get_status_display()})"
        )
        if self.instance.pk:
            self.initial["participants"] = list(self.instance.participants.all())
        else:
            self.initial.setdefault("drafted_on", timezone.localdate())
        style_fields(self)

    def _get_validation_exclusions(self):
        # The service checks the period (and the rule set's limits) and says so on the end date;
        # the model's check constraint would pre-empt it with a bare "constraint violated".
        exclusions = super()._get_validation_exclusions()
        exclusions.add("ends_on")
        return exclusions

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS}


class GoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = list(GOAL_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="goal", **kwargs)
        style_fields(self)


class MeasureForm(forms.ModelForm):
    class Meta:
        model = PlanMeasure
        fields = list(MEASURE_FIELDS)
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, prefix="measure", **kwargs)
        self.fields["goal"].queryset = plan.goals.all()
        self.fields["provider"].queryset = Organisation.objects.order_by("name_fi")
        style_fields(self)


class ResponsibilityForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    description = forms.CharField(
        label=_("Undertakes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="responsibility", **kwargs)
        style_fields(self)


class DateForm(forms.Form):
    """One date: the client's acceptance, a review, an end."""

    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )

    def __init__(self, *args, prefix: str, with_notes: bool = False, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        if not with_notes:
            del self.fields["notes"]
        style_fields(self)


class ExtensionForm(forms.Form):
    new_end = forms.DateField(label=_("New end"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="extension", **kwargs)
        style_fields(self)
