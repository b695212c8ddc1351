"""The survey pages of staff: write the survey, open it, hand out links, read the results; and
the public page where a person answers through their link, without an account."""

from django.conf.locale import LANG_INFO
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.clients.codes import LANGUAGES
from hemkommun.core.forms import add_service_errors
from hemkommun.core.spreadsheets import spreadsheet_response

from . import surveys
from .survey_forms import InvitationsForm, QuestionForm, SurveyCreateForm, SurveyTextsForm
from .survey_models import RIGHT_TO_LEFT, Invitation, Question, Survey
from .views import readable_programme, writable_programme


def _survey(user, pk: int, *, write: bool) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("programme"), pk=pk)
    (writable_programme if write else readable_programme)(user, survey.programme_id)
    return survey


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, pk: int):
    programme = writable_programme(request.user, pk)
    form = SurveyCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            survey = surveys.survey_create(by=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("programme:survey", pk=survey.pk)
    return render(request, "programme/survey/create.html", {"programme": programme, "form": form})


@login_required
def survey_detail(request, pk: int):
    survey = _survey(request.user, pk, write=False)
    invitations = survey.invitations.aggregate(made=Count("pk"), used=Count("pk", filter=Q(used=True)))
    shown_in = _shown_language(survey)
    context = {
        "survey": survey,
        "languages": [
            (code, LANGUAGES.get(code, code), survey.texts.get(code, {})) for code in survey.language_codes
        ],
        "questions": [(q, q.text(shown_in)) for q in survey.questions.order_by("position")],
        "shown_in": shown_in,
        "invitations": invitations,
        "invitations_form": InvitationsForm(),
        "may_write": _may_write(request.user, survey),
        "responses": survey.responses.count(),
    }
    return render(request, "programme/survey/detail.html", context)


def _may_write(user, survey: Survey) -> bool:
    try:
        writable_programme(user, survey.programme_id)
    except Http404:
        return False
    return True


def _shown_language(survey: Survey) -> str:
    """The page's language where the survey has it, else the survey's first language."""
    language = (get_language() or "fi")[:2]
    return language if language in survey.language_codes else survey.language_codes[0]


@login_required
@require_http_methods(["GET", "POST"])
def survey_texts(request, pk: int, language: str):
    survey = _survey(request.user, pk, write=True)
    if language not in survey.language_codes:
        raise Http404
    form = SurveyTextsForm(request.POST or None, initial=survey.texts.get(language, {}), language=language)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.survey_texts_set(
                by=request.user, survey=survey, language=language, values=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Texts saved."))
            return redirect("programme:survey", pk=survey.pk)
    context = {"survey": survey, "form": form, "language": LANGUAGES.get(language, language)}
    return render(request, "programme/survey/texts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, question_pk: int | None = None):
    survey = _survey(request.user, pk, write=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey) if question_pk else None
    form = QuestionForm(
        request.POST or None, languages=survey.language_codes, initial=_question_initial(question)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            surveys.question_save(
                by=request.user,
                survey=survey,
                question=question,
                kind=data["kind"],
                texts=form.texts(),
                options=data["options"],
                groups_results=data["groups_results"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("programme:survey", pk=survey.pk)
    return render(
        request, "programme/survey/question.html", {"survey": survey, "question": question, "form": form}
    )


def _question_initial(question: Question | None) -> dict:
    if question is None:
        return {"kind": Question.Kind.CHOICE}
    initial = {"kind": question.kind, "groups_results": question.groups_results}
    for code, text in question.texts.items():
        initial[f"text_{code}"] = text
        initial[f"options_{code}"] = "\n".join(option["texts"].get(code, "") for option in question.options)
    values = [option.get("value") for option in question.options]
    initial["values"] = (
        ", ".join(str(value) for value in values) if any(v is not None for v in values) else ""
    )
    return initial


@login_required
@require_POST
def question_delete(request, pk: int, question_pk: int):
    survey = _survey(request.user, pk, write=True)
    question = get_object_or_404(Question, pk=question_pk, survey=survey)
    try:
        surveys.question_delete(by=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("programme:survey", pk=survey.pk)


@login_required
@require_POST
def survey_state(request, pk: int, action: str):
    survey = _survey(request.user, pk, write=True)
    change = {"open": surveys.survey_open, "close": surveys.survey_close}.get(action)
    if change is None:
        raise Http404
    try:
        change(by=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The survey is open.") if action == "open" else _("The survey is closed.")
        )
    return redirect("programme:survey", pk=survey.pk)


@login_required
@require_POST
def invitations_create(request, pk: int):
    """New links, downloaded at once as a spreadsheet: hand each to one person."""
    survey = _survey(request.user, pk, write=True)
    form = InvitationsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("programme:survey", pk=survey.pk)
    try:
        created = surveys.invitations_create(by=request.user, survey=survey, count=form.cleaned_data["count"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programme:survey", pk=survey.pk)
    rows = [[request.build_absolute_uri(reverse("survey_answer", args=[i.token]))] for i in created]
    return spreadsheet_response(
        file_format="csv",
        filename=f"survey-{survey.year}-links-{timezone.localtime():%Y%m%d%H%M}",
        sheet=_("Links"),
        headers=["link"],
        rows=rows,
        notes=[_("Each link is for one person and can be used once.")],
    )


@login_required
def survey_results(request, pk: int):
    survey = _survey(request.user, pk, write=False)
    language = _shown_language(survey)
    context = {
        "survey": survey,
        "results": surveys.survey_results(survey, language),
        "shown_in": language,
        "minimum": surveys.MIN_GROUP,
    }
    return render(request, "programme/survey/results.html", context)


# --- the public page --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def survey_answer(request, token: str):
    """Answered without an account: the link itself is the key, once."""
    invitation = Invitation.objects.select_related("survey").filter(token=token).first()
    if invitation is None:
        raise Http404
    survey = invitation.survey
    language = request.GET.get("lang") or request.POST.get("lang") or survey.language_codes[0]
    if language not in survey.language_codes:
        language = survey.language_codes[0]
    context = {
        "survey": survey,
        "language": language,
        "direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
        "languages": [(code, own_name(code)) for code in survey.language_codes],
        "texts": survey.texts.get(language, {}),
    }
    if invitation.used or survey.status != Survey.Status.OPEN:
        return render(request, "programme/survey/unavailable.html", context, status=410)
    if request.method == "POST":
        try:
            surveys.answer_submit(token=token, language=language, answers=_posted_answers(request, survey))
        except surveys.InvitationUsed:
            return render(request, "programme/survey/unavailable.html", context, status=410)
        return render(request, "programme/survey/thanks.html", context)
    questions = [
        (question, question.text(language), _option_texts(question, language))
        for question in survey.questions.order_by("position")
    ]
    return render(request, "programme/survey/answer.html", {**context, "questions": questions})


# Names of languages in themselves, for the languages Django does not know by that name.
OWN_NAMES = {
    "am": "አማርኛ",
    "kmr": "Kurmancî",
    "ku": "Kurdî",
    "prs": "دری",
    "ps": "پښتو",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "tl": "Tagalog",
    "zh": "中文",
}


def own_name(code: str) -> str:
    """A language's name as its speakers write it: someone looking for their language reads that."""
    return OWN_NAMES.get(code) or LANG_INFO.get(code, {}).get("name_local") or str(LANGUAGES.get(code, code))


def _option_texts(question: Question, language: str) -> list[tuple[int, str]]:
    return [(index, option["texts"].get(language, "")) for index, option in enumerate(question.options)]


def _posted_answers(request, survey: Survey) -> dict[int, object]:
    answers: dict[int, object] = {}
    for question in survey.questions.all():
        value = request.POST.get(f"q{question.pk}", "")
        if question.kind == Question.Kind.CHOICE:
            if value.isdecimal() and len(value) <= 3:  # an option's number, never a long one
                answers[question.pk] = int(value)
        elif value.strip():
            answers[question.pk] = value
    return answers
