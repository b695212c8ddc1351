"""Forms of the survey pages of staff: the survey, its texts, its questions and its links. (The
public answering page reads its POST itself: its questions are the survey's own.)"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from hemkommun.clients.codes import LANGUAGES
from hemkommun.core.forms import style_fields

from .survey_models import RIGHT_TO_LEFT, Question
from .surveys import MOST_INVITATIONS

MOST_VALUE = 1_000_000


def _direction(language: str) -> dict:
    return {"dir": "rtl" if language in RIGHT_TO_LEFT else "ltr", "lang": language}


class SurveyCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        initial="fi, sv, en",
        help_text=_(
            "Language codes, comma-separated: Finnish, Swedish and English, and the clients' languages (ar, uk, so …)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def clean_languages(self) -> list[str]:
        return [code.strip().lower() for code in self.cleaned_data["languages"].split(",") if code.strip()]


class SurveyTextsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    submit = forms.CharField(label=_("Text of the send button"), max_length=100)
    thanks = forms.CharField(label=_("Thanks after sending"), max_length=500)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update(_direction(language))
        style_fields(self)


class QuestionForm(forms.Form):
    """The question in each language of the survey; for a choice, its options one a line in
    each language (the same number of lines), and optionally their values."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    groups_results = forms.BooleanField(
        label=_("Background question: show the other results by its answers too"), required=False
    )
    values = forms.CharField(
        label=_("Values of the options"),
        required=False,
        max_length=500,
        help_text=_(
            "Optional, one per option, comma-separated: e.g. 5, 4, 3, 2, 1. Indicators average them."
        ),
    )

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            name = LANGUAGES.get(code, code)
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name},
                max_length=1000,
                required=False,
                widget=forms.TextInput(attrs=_direction(code)),
            )
            self.fields[f"options_{code}"] = forms.CharField(
                label=_("Options (%(language)s), one a line") % {"language": name},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4, **_direction(code)}),
            )
        style_fields(self)

    def language_rows(self):
        for code in self.languages:
            yield self[f"text_{code}"], self[f"options_{code}"]

    def clean(self):
        data = super().clean()
        if data.get("kind") != Question.Kind.CHOICE:
            data["options"] = []
            return data
        lines = {
            code: [line.strip() for line in data.get(f"options_{code}", "").splitlines() if line.strip()]
            for code in self.languages
        }
        counts = {len(options) for options in lines.values()}
        if len(counts) > 1:
            raise forms.ValidationError(
                _("Give the same number of options in every language."), code="option_count"
            )
        count = counts.pop() if counts else 0
        values = self._values(data.get("values", ""), count)
        data["options"] = [
            {"value": values[index], "texts": {code: lines[code][index] for code in self.languages}}
            for index in range(count)
        ]
        return data

    def _values(self, text: str, count: int) -> list:
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not parts:
            return [None] * count
        try:
            numbers = [Decimal(part) for part in parts]
        except InvalidOperation:
            numbers = []
        # Finite, in a sensible range and to the cent: their average is shown and exported.
        if not numbers or any(not n.is_finite() or abs(n) > MOST_VALUE or n != round(n, 2) for n in numbers):
            raise forms.ValidationError(
                _("The values are numbers from -1000000 to 1000000, comma-separated."), code="values"
            )
        if len(numbers) != count:
            raise forms.ValidationError(_("Give one value for each option, or none."), code="values_count")
        return [str(number) for number in numbers]

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code in self.languages}


class InvitationsForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of links"), min_value=1, max_value=MOST_INVITATIONS, initial=20
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
