"""The yearly survey: writing it, inviting, answering without an account, and its results.

Small groups are never shown: a question's results need at least MIN_GROUP answers, and so does
each group they are broken down by (answer language, or a background question such as age
group). A smaller group is shown as "fewer than 5", its counts withheld.
"""

import secrets
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from hemkommun.clients.codes import LANGUAGES

from .models import Answer, Invitation, Programme, Question, Response, Survey
from .services import EARLIEST_YEAR, LATEST_YEAR, check_writer, refuse_superseded

MIN_GROUP = 5
MOST_INVITATIONS = 1000
TEXT_LIMIT = 2000
TEXT_KEYS = ("title", "intro", "submit", "thanks")
REQUIRED_TEXTS = ("title", "submit", "thanks")


# --- writing the survey ---------------------------------------------------------------------------


def survey_create(*, by, programme: Programme, year: int, languages: list[str]) -> Survey:
    """A draft survey of the programme for the year, offered in ``languages``. The texts of the
    page come filled in Finnish, Swedish and English; the other languages are to be written."""
    check_writer(by, programme)
    refuse_superseded(programme)
    languages = list(dict.fromkeys(code.strip().lower() for code in languages if code.strip()))
    errors: dict[str, list] = {}
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        errors["year"] = [ValidationError(_("Give a year from 2000 to 2100."), code="year_range")]
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        message = _("Give the languages as codes known to the register, e.g. fi, sv, en, ar.")
        errors["languages"] = [ValidationError(message, code="language_code")]
    if Survey.objects.filter(programme=programme, year=year).exists():
        errors.setdefault("year", []).append(
            ValidationError(_("The programme already has a survey for this year."), code="survey_exists")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(by):
        return Survey.objects.create(
            programme=programme,
            year=year,
            languages=", ".join(languages),
            texts={code: _default_texts(code, year) for code in languages if code in ("fi", "sv", "en")},
            created_by=by,
        )


def _default_texts(language: str, year: int) -> dict[str, str]:
    with translation.override(language):
        return {
            "title": _("Survey of immigrants %(year)s") % {"year": year},
            "intro": _(
                "Your answers help the municipality to improve its services. You answer anonymously: "
                "nobody can tell who gave which answers. Every question may be left unanswered."
            ),
            "submit": _("Send the answers"),
            "thanks": _("Thank you for your answers."),
        }


def survey_texts_set(*, by, survey: Survey, language: str, values: Mapping[str, str]) -> Survey:
    """The page's texts (title, introduction, button, thanks) in one of the survey's languages."""
    check_writer(by, survey.programme)
    _check_draft(survey)
    if language not in survey.language_codes:
        raise ValidationError(_("The survey is not offered in this language."), code="language_not_offered")
    texts = {key: (values.get(key) or "").strip() for key in TEXT_KEYS}
    if any(len(text) > TEXT_LIMIT for text in texts.values()):
        raise ValidationError(
            _("Write at most %(limit)s characters.") % {"limit": TEXT_LIMIT}, code="too_long"
        )
    with transaction.atomic(), set_actor(by):
        survey.texts = {**survey.texts, language: texts}
        survey.save(update_fields=["texts"])
    return survey


def question_save(
    *,
    by,
    survey: Survey,
    kind: str,
    texts: Mapping[str, str],
    options: list[dict] = (),
    groups_results: bool = False,
    question: Question | None = None,
) -> Question:
    """Add a question, or change ``question``. ``texts`` and each option's ``texts`` need every
    language of the survey; an option may have a numeric ``value``."""
    check_writer(by, survey.programme)
    _check_draft(survey)
    texts = {code: (texts.get(code) or "").strip() for code in survey.language_codes}
    options = [] if kind == Question.Kind.TEXT else list(options)
    _check_question(survey, kind, texts, options)
    with transaction.atomic(), set_actor(by):
        question = question or Question(survey=survey, position=survey.questions.count() + 1)
        question.kind, question.texts, question.options = kind, texts, options
        question.groups_results = groups_results and kind == Question.Kind.CHOICE
        question.save()
    return question


def _check_question(survey: Survey, kind: str, texts: dict, options: list[dict]) -> None:
    missing = [code for code, text in texts.items() if not text]
    if kind not in Question.Kind.values:
        raise ValidationError(_("Choose the kind of question."), code="kind_missing")
    if missing:
        raise ValidationError(
            _("Write the question in every language of the survey: %(missing)s is missing.")
            % {"missing": ", ".join(missing)},
            code="text_missing",
        )
    if kind == Question.Kind.CHOICE and len(options) < 2:
        raise ValidationError(
            _("A question to choose from needs at least two options."), code="options_missing"
        )
    for option in options:
        if any(not (option.get("texts", {}).get(code) or "").strip() for code in survey.language_codes):
            raise ValidationError(
                _("Write every option in every language of the survey."), code="option_text_missing"
            )


def question_delete(*, by, question: Question) -> None:
    check_writer(by, question.survey.programme)
    _check_draft(question.survey)
    with transaction.atomic(), set_actor(by):
        survey = question.survey
        question.delete()
        for position, remaining in enumerate(survey.questions.order_by("position"), start=1):
            if remaining.position != position:
                remaining.position = position
                remaining.save(update_fields=["position"])


def survey_open(*, by, survey: Survey) -> Survey:
    """Open the survey for answers; from now on its questions stay as they are."""
    check_writer(by, survey.programme)
    _check_draft(survey)
    missing = [
        code for code in survey.language_codes if any(not survey.text(code, key) for key in REQUIRED_TEXTS)
    ]
    if missing:
        raise ValidationError(
            _("Write the title, the button and the thanks in every language: %(missing)s is missing.")
            % {"missing": ", ".join(missing)},
            code="texts_missing",
        )
    if not survey.questions.exists():
        raise ValidationError(_("The survey has no questions."), code="no_questions")
    with transaction.atomic(), set_actor(by):
        survey.status = Survey.Status.OPEN
        survey.save(update_fields=["status"])
    return survey


def survey_close(*, by, survey: Survey) -> Survey:
    check_writer(by, survey.programme)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."), code="not_open")
    with transaction.atomic(), set_actor(by):
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status"])
    return survey


def invitations_create(*, by, survey: Survey, count: int) -> list[Invitation]:
    """``count`` new links, each for one person."""
    check_writer(by, survey.programme)
    if not 1 <= count <= MOST_INVITATIONS:
        raise ValidationError(
            {"count": _("Create from 1 to %(most)s links at a time.") % {"most": MOST_INVITATIONS}},
            code="invitation_count",
        )
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError(_("The survey is closed."), code="survey_closed")
    with transaction.atomic(), set_actor(by):
        return [
            Invitation.objects.create(survey=survey, token=secrets.token_urlsafe(32)) for _i in range(count)
        ]


def _check_draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(
            _("The survey has been opened: its questions and texts stay as they were answered."),
            code="not_draft",
        )


# --- answering ----------------------------------------------------------------------------------------


class InvitationUsed(Exception):
    """The link has been used already, or its survey is not open."""


def answer_submit(*, token: str, language: str, answers: Mapping[int, object]) -> Response:
    """One person's answers through their link: {question id: option index or text}. The link
    is marked used in the same transaction, so a second submit (or a double click) adds nothing."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("survey").filter(token=token).first()
        )
        if invitation is None or invitation.used or invitation.survey.status != Survey.Status.OPEN:
            raise InvitationUsed
        survey = invitation.survey
        if language not in survey.language_codes:
            language = survey.language_codes[0]
        questions = {question.pk: question for question in survey.questions.all()}
        rows = [_answer(questions[pk], value) for pk, value in answers.items() if pk in questions]
        response = Response.objects.create(survey=survey, language=language)
        for question, option, text in filter(None, rows):
            Answer.objects.create(response=response, question=question, option=option, text=text)
        invitation.used = True
        invitation.save(update_fields=["used"])
    return response


def _answer(question: Question, value) -> tuple[Question, int | None, str] | None:
    """The answer as stored, or None when left unanswered or not one of the options."""
    if question.kind == Question.Kind.TEXT:
        text = str(value or "").strip()[:TEXT_LIMIT]
        return (question, None, text) if text else None
    if isinstance(value, int) and 0 <= value < len(question.options):
        return question, value, ""
    return None


# --- results --------------------------------------------------------------------------------------------


@dataclass
class GroupResult:
    label: str
    answers: int
    counts: list[int] | None  # per option; None when the group is too small to show

    @property
    def shown(self) -> bool:
        return self.counts is not None


@dataclass
class QuestionResult:
    question: Question
    overall: GroupResult
    groups: list[tuple[str, list[GroupResult]]] = field(default_factory=list)  # (grouped by, groups)
    texts: list[str] = field(default_factory=list)  # free-text answers, when enough to show


def survey_results(survey: Survey, language: str) -> list[QuestionResult]:
    """Every question's results, withholding any group of fewer than MIN_GROUP answers. Labels
    are in ``language`` where the survey has it, else in its first language."""
    shown_in = language if language in survey.language_codes else survey.language_codes[0]
    questions = list(survey.questions.order_by("position"))
    chosen, written = _answers_by_question(survey)
    languages = dict(Response.objects.filter(survey=survey).values_list("pk", "language"))
    # (title, the grouping question's id or None, response -> group label)
    groupings = [
        (_("Language of the answer"), None, {r: str(LANGUAGES.get(c, c)) for r, c in languages.items()})
    ]
    for grouping in (q for q in questions if q.groups_results):
        labels = [option["texts"].get(shown_in, "") for option in grouping.options]
        label_of = {r: labels[o] for r, o in chosen[grouping.pk].items()}
        groupings.append((grouping.text(shown_in), grouping.pk, label_of))
    results = []
    for question in questions:
        if question.kind == Question.Kind.TEXT:
            texts = written[question.pk]
            shown = sorted(texts) if len(texts) >= MIN_GROUP else []
            results.append(QuestionResult(question, GroupResult("", len(texts), None), texts=shown))
            continue
        picks = chosen[question.pk]
        result = QuestionResult(question, _group("", picks.values(), len(question.options)))
        if result.overall.shown:
            for title, grouping_id, label_of in groupings:
                if grouping_id != question.pk:
                    result.groups.append((title, _breakdown(picks, label_of, len(question.options))))
        results.append(result)
    return results


def _answers_by_question(survey: Survey) -> tuple[dict[int, dict], dict[int, list[str]]]:
    """The options chosen (question -> response -> option) and the texts written, per question."""
    chosen: dict[int, dict] = defaultdict(dict)
    written: dict[int, list[str]] = defaultdict(list)
    rows = Answer.objects.filter(response__survey=survey).values_list(
        "response_id", "question_id", "option", "text"
    )
    for response_id, question_id, option, text in rows:
        if option is not None:
            chosen[question_id][response_id] = option
        elif text:
            written[question_id].append(text)
    return chosen, written


def _breakdown(picks: dict, label_of: dict, option_count: int) -> list[GroupResult]:
    """The answers by group. A breakdown is shown only when every group has MIN_GROUP answers,
    those who left the grouping unanswered included: otherwise a small group could be read as
    the whole minus the groups shown, so none of it is shown."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for response_id, option in picks.items():
        by_label[label_of.get(response_id, "")].append(option)
    if any(len(options) < MIN_GROUP for options in by_label.values()):
        return [
            GroupResult(label or _("No answer"), len(options), None)
            for label, options in sorted(by_label.items())
        ]
    return [
        _group(label or _("No answer"), options, option_count) for label, options in sorted(by_label.items())
    ]


def _group(label: str, options, option_count: int) -> GroupResult:
    options = list(options)
    if len(options) < MIN_GROUP:
        return GroupResult(label, len(options), None)
    counted = Counter(options)
    return GroupResult(label, len(options), [counted.get(index, 0) for index in range(option_count)])


def question_average(question: Question) -> Decimal | None:
    """The average value of the options chosen (those with a value), or None below MIN_GROUP."""
    values = [
        Decimal(str(question.options[option]["value"]))
        for option in question.answers.exclude(option=None).values_list("option", flat=True)
        if question.options[option].get("value") not in (None, "")
    ]
    if len(values) < MIN_GROUP:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
