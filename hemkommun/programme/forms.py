"""Forms of the programme pages. The rules are in services.py; these read what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.core.forms import DATE_WIDGET, style_fields
from hemkommun.core.uploads import Kind, check_upload
from hemkommun.organizations.models import Organisation

from .models import Action, ActionStatus, Indicator, Programme
from .parsing import ProgrammeFileError, parse_file, parse_text
from .services import Period

MAX_UPLOAD = 5 * 1024 * 1024


class ImportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    owners = forms.ModelMultipleChoiceField(
        label=_("Municipalities whose programme it is"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY),
        widget=forms.CheckboxSelectMultiple,
    )
    period = forms.CharField(label=_("Period"), max_length=20, help_text=_("For example 2023-2025."))
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=Programme._meta.get_field("language").choices
    )
    review_due = forms.DateField(
        label=_("Review due"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Empty: counted from the review interval the law sets (kept with its source by the "
            "administrators; every 4 years on the mainland in 2025)."
        ),
    )
    budget_notes = forms.CharField(
        label=_("Budget notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=_("Action programme file"),
        required=False,
        help_text=_("Text with tab-separated tables (copied from Word), or an Excel workbook (.xlsx)."),
    )
    text = forms.CharField(
        label=_("Or paste the action programme"),
        required=False,
        max_length=MAX_UPLOAD,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    dry_run = forms.BooleanField(label=_("Only check, import nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None:
            check_upload(upload, kinds=(Kind.TEXT, Kind.XLSX), max_bytes=MAX_UPLOAD)
        return upload

    def clean_period(self) -> Period:
        return Period.parse(self.cleaned_data["period"])

    def clean(self):
        data = super().clean()
        if "file" in self.errors:  # the upload check has said what is wrong with the file
            return data
        upload, text = data.get("file"), data.get("text", "")
        if upload is None and not text.strip():
            self.add_error("file", _("Choose a file or paste the action programme."))
            return data
        try:
            if upload is not None:
                data["parsed"] = parse_file(upload.read(), upload.name)
            else:
                data["parsed"] = parse_text(text)
        except ProgrammeFileError as error:
            self.add_error("file" if upload is not None else "text", error.messages)
        return data


class StatusesForm(forms.Form):
    """A status and a comment for each action of the programme in one year."""

    def __init__(self, *args, actions, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        choices = [("", "–"), *ActionStatus.Status.choices]
        for action in self.actions:
            status = current.get(action.pk)
            # Each field names the action it belongs to, for screen readers (the page's id).
            described = {"aria-describedby": f"action-{action.pk}"}
            self.fields[f"status_{action.pk}"] = forms.ChoiceField(
                label=_("Status"),
                choices=choices,
                required=False,
                initial=status.status if status else "",
                widget=forms.Select(attrs=described),
            )
            self.fields[f"comment_{action.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=4000,
                initial=status.comment if status else "",
                widget=forms.Textarea(attrs={"rows": 2, **described}),
            )
        style_fields(self)

    def rows(self):
        """Each action with its two fields, for the template."""
        for action in self.actions:
            yield action, self[f"status_{action.pk}"], self[f"comment_{action.pk}"]

    def clean(self):
        data = super().clean()
        for action in self.actions:
            if data.get(f"comment_{action.pk}", "").strip() and not data.get(f"status_{action.pk}"):
                self.add_error(f"status_{action.pk}", _("Choose a status for an action with a comment."))
        return data

    def entries(self) -> list[tuple]:
        return [
            (action, self.cleaned_data[f"status_{action.pk}"], self.cleaned_data[f"comment_{action.pk}"])
            for action in self.actions
        ]


class ApprovalForm(forms.Form):
    approved_by = forms.CharField(
        label=_("Approved by"), max_length=200, required=False, help_text=_("E.g. the council.")
    )
    approved_on = forms.DateField(label=_("Approved on"), required=False, widget=DATE_WIDGET)
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    figure = forms.ChoiceField(
        label=_("Figure counted"),
        choices=[("", "–"), *Indicator.Figure.choices],
        required=False,
        help_text=_(
            "For a computed indicator: what is counted, per year, of the owner municipalities' records."
        ),
    )
    survey_question = forms.IntegerField(
        label=_("Survey question number"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=_("For an indicator from the survey: the average value of the answers to this question."),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("E.g. persons, courses.")
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions it follows up"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = Action.objects.filter(theme__programme=programme).select_related(
            "theme"
        )
        self.fields["actions"].label_from_instance = lambda action: action.action or action.goal
        style_fields(self)


class IndicatorValuesForm(forms.Form):
    """A typed indicator's value and note for each year shown."""

    def __init__(self, *args, years, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            value = current.get(year)
            self.fields[f"value_{year}"] = forms.DecimalField(
                label=str(year),
                required=False,
                max_digits=14,
                decimal_places=2,
                localize=True,  # Finnish and Swedish write a decimal comma
                initial=value.value if value else None,
            )
            self.fields[f"note_{year}"] = forms.CharField(
                label=_("Note"), required=False, max_length=300, initial=value.note if value else ""
            )
        style_fields(self)

    def rows(self):
        for year in self.years:
            yield year, self[f"value_{year}"], self[f"note_{year}"]

    def entries(self) -> list[tuple]:
        return [
            (year, self.cleaned_data[f"value_{year}"], self.cleaned_data[f"note_{year}"])
            for year in self.years
        ]
