"""The yearly survey: written in several languages, answered without an account through a link
used once, results withheld for groups of fewer than 5, and an indicator from the answers."""

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from hemkommun.organizations.models import Role
from hemkommun.programme import services, surveys
from hemkommun.programme.indicators import programme_values
from hemkommun.programme.models import Indicator, Invitation, Response, Survey
from hemkommun.programme.parsing import parse_text

from ..factories import UserFactory

TABLE = "Grunden\nMål\tÅtgärd\tUppföljning\nDelaktighet\tTolkning\tÅrligen enkät för invandrare\n"
LANGUAGES = ["fi", "sv", "en", "ar"]
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-23 10:00 +0200", tick=False):
        yield


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def programme(narpes, coordinator):
    return services.programme_import(
        by=coordinator,
        owners=[narpes],
        period=services.Period(2024, 2026),
        parsed=parse_text(TABLE),
        title="P",
    )


def in_all(text: str) -> dict[str, str]:
    return {code: f"{text} ({code})" for code in LANGUAGES}


def option(text: str, value=None) -> dict:
    return {"value": value, "texts": in_all(text)}


@pytest.fixture
def survey(programme, coordinator) -> Survey:
    survey = surveys.survey_create(by=coordinator, programme=programme, year=2026, languages=LANGUAGES)
    surveys.survey_texts_set(
        by=coordinator,
        survey=survey,
        language="ar",
        values={"title": "استبيان المهاجرين", "intro": "", "submit": "إرسال", "thanks": "شكرا لك"},
    )
    surveys.question_save(
        by=coordinator,
        survey=survey,
        kind="choice",
        texts=in_all("Age"),
        options=[option("under 30"), option("30 or over")],
        groups_results=True,
    )
    surveys.question_save(
        by=coordinator,
        survey=survey,
        kind="choice",
        texts=in_all("How well do the services serve you?"),
        options=[option("well", "5"), option("so-so", "3"), option("badly", "1")],
    )
    surveys.question_save(by=coordinator, survey=survey, kind="text", texts=in_all("What should change?"))
    return surveys.survey_open(by=coordinator, survey=survey)


def answer(client, survey, language: str, age: int, rating: int, text: str = ""):
    invitation = Invitation.objects.create(survey=survey, token=f"t{Invitation.objects.count()}-{language}")
    age_question, rating_question, text_question = survey.questions.order_by("position")
    return client.post(
        reverse("survey_answer", args=[invitation.token]),
        {
            "lang": language,
            f"q{age_question.pk}": age,
            f"q{rating_question.pk}": rating,
            f"q{text_question.pk}": text,
        },
    )


def test_a_survey_is_written_in_every_language_before_it_opens(programme, coordinator):
    survey = surveys.survey_create(
        by=coordinator, programme=programme, year=2025, languages=["fi", "sv", "ar"]
    )
    assert survey.texts["fi"]["submit"] and "ar" not in survey.texts
    with pytest.raises(ValidationError) as error:
        surveys.question_save(by=coordinator, survey=survey, kind="text", texts={"fi": "Mitä?", "sv": "Vad?"})
    assert error.value.code == "text_missing"
    surveys.question_save(
        by=coordinator, survey=survey, kind="text", texts={"fi": "Mitä?", "sv": "Vad?", "ar": "ماذا؟"}
    )
    with pytest.raises(ValidationError) as error:
        surveys.survey_open(by=coordinator, survey=survey)
    assert error.value.code == "texts_missing" and "ar" in error.value.messages[0]
    with pytest.raises(ValidationError):
        surveys.survey_create(by=coordinator, programme=programme, year=2025, languages=["fi"])
    with pytest.raises(ValidationError):
        surveys.survey_create(by=coordinator, programme=programme, year=2024, languages=["xx"])


def test_an_open_survey_keeps_its_questions(survey, coordinator):
    with pytest.raises(ValidationError) as error:
        surveys.question_save(by=coordinator, survey=survey, kind="text", texts=in_all("More?"))
    assert error.value.code == "not_draft"


def test_a_person_answers_in_arabic_without_an_account_once(client, survey):
    invitation = surveys.invitations_create(by=survey.created_by, survey=survey, count=1)[0]
    url = reverse("survey_answer", args=[invitation.token])
    page = client.get(url, {"lang": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in page and "إرسال" in page and "Age (ar)" in page
    assert "العربيّة" in page and "suomi" in page  # each language by its own name
    age, rating, text = survey.questions.order_by("position")
    response = client.post(
        url, {"lang": "ar", f"q{age.pk}": "0", f"q{rating.pk}": "2", f"q{text.pk}": "<b>مرحبا</b>"}
    )
    assert response.status_code == 200 and "شكرا لك" in response.content.decode()
    stored = Response.objects.get()
    assert stored.language == "ar"
    assert {(a.question_id, a.option, a.text) for a in stored.answers.all()} == {
        (age.pk, 0, ""),
        (rating.pk, 2, ""),
        (text.pk, None, "<b>مرحبا</b>"),
    }
    # The link is spent: a second submit adds nothing.
    again = client.post(url, {"lang": "ar", f"q{age.pk}": "1"})
    assert again.status_code == 410 and Response.objects.count() == 1
    assert client.get(reverse("survey_answer", args=["no-such-link"])).status_code == 404
    # Nothing ties the answers to the link.
    assert "invitation" not in {f.name for f in Response._meta.get_fields()}


def test_answers_out_of_range_are_left_out_and_a_closed_survey_takes_none(client, survey, coordinator):
    age, rating, text = survey.questions.order_by("position")
    invitation = Invitation.objects.create(survey=survey, token="x1")
    client.post(
        reverse("survey_answer", args=["x1"]), {f"q{age.pk}": "9", f"q{rating.pk}": "-1", "q999999": "1"}
    )
    assert not Response.objects.get().answers.exists()
    invitation.refresh_from_db()
    assert invitation.used
    surveys.survey_close(by=coordinator, survey=survey)
    Invitation.objects.create(survey=survey, token="x2")
    assert client.post(reverse("survey_answer", args=["x2"]), {f"q{age.pk}": "0"}).status_code == 410
    assert Response.objects.count() == 1


def test_results_withhold_every_group_of_fewer_than_5(client, survey):
    # Six answers: five under 30 and one over; four in Arabic, two in Finnish; ratings 5,5,5,3,1,5.
    for language, age, rating in [
        ("ar", 0, 0),
        ("ar", 0, 0),
        ("ar", 0, 0),
        ("ar", 0, 1),
        ("fi", 0, 2),
        ("fi", 1, 0),
    ]:
        answer(client, survey, language, age, rating, text="")
    with translation.override("en"):
        results = {r.question.position: r for r in surveys.survey_results(survey, "en")}
    rating = results[2]
    assert (rating.overall.answers, rating.overall.counts) == (6, [4, 1, 1])
    # A breakdown with any group under 5 is withheld whole: the one person over 30 would otherwise
    # be the whole minus those under 30.
    for _title, groups in rating.groups:
        assert not any(group.shown for group in groups)
    # Free texts show only from 5 answers on.
    assert results[3].texts == []


def test_a_breakdown_shows_when_every_group_has_5_and_no_answer_counts_as_a_group(client, survey):
    for rating in (0, 0, 0, 1, 2):
        answer(client, survey, "ar", 0, rating)
    for rating in (0, 0, 0, 0, 1):
        answer(client, survey, "fi", 1, rating)
    with translation.override("en"):
        rating = {r.question.position: r for r in surveys.survey_results(survey, "en")}[2]
        groups = dict(rating.groups)
        assert {g.label: g.counts for g in groups["Age (en)"]} == {
            "under 30 (en)": [3, 1, 1],
            "30 or over (en)": [4, 1, 0],
        }
        assert {g.label: g.counts for g in groups["Language of the answer"]} == {
            "Arabic": [3, 1, 1],
            "Finnish": [4, 1, 0],
        }
    # One more answer that leaves the age unanswered: a group of 1 appears, the age breakdown goes.
    invitation = Invitation.objects.create(survey=survey, token="no-age")
    _age, rating_question, _text = survey.questions.order_by("position")
    client.post(
        reverse("survey_answer", args=[invitation.token]), {"lang": "fi", f"q{rating_question.pk}": 0}
    )
    with translation.override("en"):
        rating = {r.question.position: r for r in surveys.survey_results(survey, "en")}[2]
        groups = dict(rating.groups)
        assert not any(g.shown for g in groups["Age (en)"])
        assert {g.label: g.counts for g in groups["Language of the answer"]} == {
            "Arabic": [3, 1, 1],
            "Finnish": [5, 1, 0],
        }


def test_the_results_page_shows_only_what_may_be_shown(client, survey, narpes):
    for index in range(4):
        answer(client, survey, "ar", 0, 0, text=f"svar {index}")
    client.force_login(UserFactory.with_role(Role.REPORTING, narpes))
    page = client.get(reverse("programme:survey_results", args=[survey.pk])).content.decode()
    assert "svar 0" not in page and 'class="withheld"' in page
    answer(client, survey, "fi", 1, 1, text="svar 4")
    page = client.get(reverse("programme:survey_results", args=[survey.pk])).content.decode()
    assert "svar 0" in page and "svar 4" in page


def test_an_indicator_averages_a_question_from_5_answers(client, programme, survey, coordinator):
    indicator = services.indicator_save(
        by=coordinator, programme=programme, name="Nöjdhet", kind=Indicator.Kind.SURVEY, survey_question=2
    )
    for rating in (0, 0, 1, 2):
        answer(client, survey, "fi", 0, rating)
    assert programme_values(programme, [2026])[indicator.pk][2026] is None
    answer(client, survey, "fi", 0, 0)
    # (5 + 5 + 3 + 1 + 5) / 5
    assert programme_values(programme, [2025, 2026])[indicator.pk] == {2025: None, 2026: Decimal("3.80")}


def test_the_staff_pages_write_the_survey_and_hand_out_links(client, programme, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("programme:survey_create", args=[programme.pk]), {"year": "2025", "languages": "fi, sv, en"}
    )
    survey = Survey.objects.get(year=2025)
    assert response.url == reverse("programme:survey", args=[survey.pk])
    url = reverse("programme:question_create", args=[survey.pk])
    form = {"kind": "choice", "text_fi": "Ikä", "text_sv": "Ålder", "text_en": "Age"}
    bad = client.post(
        url, {**form, "options_fi": "alle 30\n30+", "options_sv": "under 30", "options_en": "under 30\n30+"}
    )
    assert bad.status_code == 200 and 'id="form-errors"' in bad.content.decode()
    good = {
        **form,
        "options_fi": "alle 30\n30+",
        "options_sv": "under 30\n30+",
        "options_en": "under 30\n30+",
        "values": "1, 2",
    }
    assert client.post(url, good).status_code == 302
    question = survey.questions.get()
    assert [o["value"] for o in question.options] == ["1", "2"] and question.options[1]["texts"][
        "sv"
    ] == "30+"
    assert client.post(reverse("programme:survey_state", args=[survey.pk, "open"])).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    links = client.post(reverse("programme:invitations_create", args=[survey.pk]), {"count": "3"})
    rows = [
        row
        for row in csv.reader(io.StringIO(links.content.decode("utf-8-sig")))
        if row and "/survey/" in row[0]
    ]
    assert len(rows) == 3 and Invitation.objects.filter(survey=survey).count() == 3
    assert client.get(rows[0][0].replace("http://testserver", "")).status_code == 200


@pytest.mark.parametrize("role", [Role.REPORTING, Role.COUNSELLOR])
def test_readers_see_the_survey_but_do_not_write_it(client, survey, narpes, role):
    client.force_login(UserFactory.with_role(role, narpes))
    assert client.get(reverse("programme:survey", args=[survey.pk])).status_code == 200
    assert (
        client.post(reverse("programme:invitations_create", args=[survey.pk]), {"count": "1"}).status_code
        == 404
    )
    assert client.post(reverse("programme:survey_state", args=[survey.pk, "close"])).status_code == 404
    assert not Invitation.objects.exists()


def test_another_municipality_and_anonymous_visitors_find_no_staff_page(client, survey, vasa):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    for url in (
        reverse("programme:survey", args=[survey.pk]),
        reverse("programme:survey_results", args=[survey.pk]),
    ):
        assert client.get(url).status_code == 404
    client.logout()
    response = client.get(reverse("programme:survey_results", args=[survey.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_the_unused_link_page_speaks_the_visitors_language(client, survey):
    with translation.override("fi"):
        expected = translation.gettext(
            "This link has been used already, or the survey is not open. Thank you."
        )
    invitation = Invitation.objects.create(survey=survey, token="used")
    answer_url = reverse("survey_answer", args=[invitation.token])
    client.post(answer_url, {})
    assert expected in client.get(answer_url).content.decode()


def test_the_surveys_go_on_with_the_latest_version(programme, survey, coordinator):
    revision = services.programme_revise(by=coordinator, programme=programme)
    survey.refresh_from_db()
    assert survey.programme == revision and not programme.surveys.exists()


def test_a_revised_programme_keeps_its_survey_indicator_in_both_versions(
    client, programme, survey, coordinator
):
    indicator = services.indicator_save(
        by=coordinator, programme=programme, name="Nöjdhet", kind=Indicator.Kind.SURVEY, survey_question=2
    )
    for rating in (0, 0, 1, 2, 0):
        answer(client, survey, "fi", 0, rating)
    revision = services.programme_revise(by=coordinator, programme=programme)
    copy = revision.indicators.get()
    assert copy.survey_question == 2
    expected = Decimal("3.80")
    assert programme_values(revision, [2026])[copy.pk][2026] == expected
    assert programme_values(programme, [2026])[indicator.pk][2026] == expected  # the earlier version too
    with pytest.raises(ValidationError):  # a superseded version gets no new survey
        surveys.survey_create(by=coordinator, programme=programme, year=2025, languages=["fi"])


def test_bad_option_values_and_hostile_numbers_get_messages_not_errors(
    client, programme, coordinator, narpes
):
    client.force_login(coordinator)
    draft = surveys.survey_create(by=coordinator, programme=programme, year=2025, languages=["fi"])
    url = reverse("programme:question_create", args=[draft.pk])
    for values in ("NaN, 1", "1e30, 1", "inf, 1", "1.234, 1", "x, y"):
        response = client.post(
            url, {"kind": "choice", "text_fi": "Ikä", "options_fi": "a\nb", "values": values}
        )
        assert response.status_code == 200 and 'id="form-errors"' in response.content.decode(), values
    assert not draft.questions.exists()
    with pytest.raises(ValidationError):  # a draft is not closed: it is opened or left as it is
        surveys.survey_close(by=coordinator, survey=draft)
    page = client.get(reverse("programme:detail", args=[programme.pk]), {"year": "1" * 5000})
    assert page.status_code == 200


def test_a_public_answer_with_a_huge_number_is_left_out(client, survey):
    age, _rating, _text = survey.questions.order_by("position")
    Invitation.objects.create(survey=survey, token="huge")
    response = client.post(reverse("survey_answer", args=["huge"]), {f"q{age.pk}": "1" * 5000})
    assert response.status_code == 200 and not Response.objects.get().answers.exists()
