"""The integration plan as a PDF: the real document is opened, its text read back with pypdf and
its pages drawn and searched with pypdfium2 (as tests/core/test_pdf.py does for the base layout)."""

import datetime
import logging
import re
import unicodedata
from io import BytesIO

import pypdfium2
import pytest
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from hemkommun.casework.models import (
    IntegrationPlan,
    Party,
    PlanExtension,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
)
from hemkommun.casework.plan_document import (
    CLIENT_TEXTS,
    KEYS,
    STAFF_LANGUAGES,
    document_languages,
    document_texts,
    plan_pdf,
)
from hemkommun.core.pdf import is_rtl

from ..factories import OrganisationFactory, make_client

D = datetime.date
ARABIC_FAMILY, ARABIC_GIVEN = "العلي", "فاطمة"
ARABIC_NAME = f"{ARABIC_FAMILY} {ARABIC_GIVEN}"  # as printed: family name first
LATIN_NAME = "Al-Ali Fatima"
GOAL_TEXT = "Oppii suomea arjen tilanteisiin"
MEASURE_TEXT = "Kotoutumiskoulutus"
MARKUP = "<b>x</b>"
A4_RATIO = 297 / 210
BOTTOM_MARGIN = 22 / 25.4 * 72  # pdf/base.html's 22 mm in points
MISSING_GLYPH = ".notdef glyph"  # WeasyPrint's warning when no font has a character
HEADINGS = ["title", "client", "period", "goals", "measures", "responsibilities", "participants"]
HEADINGS += ["reviews", "extensions", "acceptance", "place_and_date", "client_signature", "printed_on"]
# What the fi and sv catalogues already say, written out so that a broken lookup cannot pass.
KNOWN = {
    "fi": ["Kotoutumissuunnitelma", "Asiakas", "Tavoitteet", "Toimenpiteet", "Kieli", "Suunniteltu"],
    "sv": ["Integrationsplan", "Klient", "Mål", "Åtgärder", "Språk", "Planerad"],
}


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _render(plan, language: str) -> tuple[bytes, list[str]]:
    """The PDF and what WeasyPrint warned about while drawing it."""
    logger, handler = logging.getLogger("weasyprint"), _Warnings()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        return plan_pdf(plan=plan, language=language, include_health=True), handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _boxes_of(pdf: bytes, text: str) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in points of each character of each occurrence of text on page 1."""
    text_page = pypdfium2.PdfDocument(pdf)[0].get_textpage()
    searcher, boxes = text_page.search(text, match_case=True), []
    while found := searcher.get_next():
        index, count = found
        boxes += [text_page.get_charbox(i) for i in range(index, index + count)]
    assert boxes, f"{text!r} is not on page 1"
    return boxes


def _page_image(pdf: bytes) -> Image.Image:
    return pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("L")


def _dark_pixels(image: Image.Image) -> int:
    return sum(image.histogram()[:128])


def _ink_under(pdf: bytes, boxes) -> bool:
    """Whether the page has dark pixels inside the boxes: the letters were drawn, not only placed."""
    image = _page_image(pdf)
    left, bottom = min(box[0] for box in boxes), min(box[1] for box in boxes)
    right, top = max(box[2] for box in boxes), max(box[3] for box in boxes)
    # PDF coordinates grow upwards from the bottom of the page, image rows downwards from the top.
    return _dark_pixels(image.crop((left, image.height - top, right, image.height - bottom))) > 0


def _footer(page: pypdfium2.PdfPage) -> str:
    """The characters in the bottom margin from left to right as they stand on the page, no spaces."""
    text_page = page.get_textpage()
    chars = [
        (text_page.get_charbox(i), text_page.get_text_range(i, 1)) for i in range(text_page.count_chars())
    ]
    in_margin = [(box[0], char) for box, char in chars if box[3] < BOTTOM_MARGIN and not char.isspace()]
    return "".join(char for _left, char in sorted(in_margin))


@pytest.fixture
def arabic_client(narpes, counsellor_narpes):
    return make_client(
        narpes,
        by=counsellor_narpes,
        family_name=ARABIC_FAMILY,
        given_names=ARABIC_GIVEN,
        family_name_latin="Al-Ali",
        given_names_latin="Fatima",
        birth_year=1990,
        native_language="ar",
        interpreter_needed=True,
        interpreter_language="ar",
    )


def make_plan(client, worker, *, measures: int = 2) -> IntegrationPlan:
    """A multisectoral plan with something in every section, made directly with the ORM."""
    plan = IntegrationPlan.objects.create(
        client=client,
        organisation=client.organisation,
        worker=worker,
        status=IntegrationPlan.Status.AGREED,
        drafted_on=D(2025, 5, 6),
        starts_on=D(2025, 5, 15),
        ends_on=D(2026, 5, 15),
        agreed_on=D(2025, 5, 15),
        multisectoral=True,
        summary="Suunnitelma tehtiin tulkin kanssa.",
    )
    plan.participants.add(OrganisationFactory.welfare_area())
    language = PlanGoal.objects.create(
        plan=plan, kind=PlanGoal.Kind.LANGUAGE, description=GOAL_TEXT, target_level="A2"
    )
    PlanGoal.objects.create(plan=plan, kind=PlanGoal.Kind.EMPLOYMENT, description=MARKUP)
    for number in range(1, measures + 1):
        PlanMeasure.objects.create(
            plan=plan,
            goal=language,
            service=f"{MEASURE_TEXT} {number}",
            provider=client.organisation,
            starts_on=D(2025, 6, 1),
            ends_on=D(2025, 12, 20),
        )
    PlanResponsibility.objects.create(plan=plan, party=Party.CLIENT, description="Osallistuu kurssille.")
    PlanReview.objects.create(plan=plan, reviewed_on=D(2025, 11, 1), reviewed_by=worker, notes="Etenee.")
    PlanExtension.objects.create(
        plan=plan,
        decided_on=D(2026, 4, 1),
        decided_by=worker,
        previous_end=D(2026, 5, 15),
        new_end=D(2026, 11, 15),
        reason="Kurssi jatkuu.",
    )
    return plan


@pytest.fixture
def plan(arabic_client, counsellor_narpes):
    return make_plan(arabic_client, counsellor_narpes)


# The fixed texts


def test_every_client_language_has_every_key_and_nothing_else():
    for language, texts in CLIENT_TEXTS.items():
        assert set(texts) == KEYS, language
        assert all(text.strip() == text and text for text in texts.values()), language


def test_the_table_covers_the_languages_clients_speak_most():
    assert set(CLIENT_TEXTS) == {"ar", "fa", "prs", "ckb", "uk", "ru", "so", "ti"}
    assert not set(CLIENT_TEXTS) & set(STAFF_LANGUAGES)


@pytest.mark.parametrize("language", ["fa", "prs", "ckb"])
def test_persian_script_tables_use_persian_letters(language):
    """ی and ک, not the Arabic ي and ك that look alike in the middle of a word."""
    text = "".join(CLIENT_TEXTS[language].values())
    assert "ي" not in text and "ك" not in text


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_staff_language_texts_come_from_gettext(language):
    texts = document_texts(language)
    assert set(texts) == KEYS
    with translation.override(language):
        assert texts["goal_kind.language"] == str(PlanGoal.Kind.LANGUAGE.label)


@pytest.mark.parametrize("language", ["de", "xx", "", "AR"])
def test_a_language_without_texts_is_refused(plan, language):
    with pytest.raises(ValueError):
        plan_pdf(plan=plan, language=language, include_health=True)


# Which languages a plan can be printed in


@pytest.mark.parametrize(
    ("native", "interpreter", "expected"),
    [
        ("ar", "ar", ["fi", "sv", "en", "ar"]),
        ("ckb", "ar", ["fi", "sv", "en", "ckb", "ar"]),
        ("de", "ru", ["fi", "sv", "en", "ru"]),  # no German table: the interpreter language only
        ("sv", "", ["fi", "sv", "en"]),
        ("", "", ["fi", "sv", "en"]),
    ],
)
def test_document_languages(narpes, counsellor_narpes, native, interpreter, expected):
    client = make_client(
        narpes,
        by=counsellor_narpes,
        native_language=native,
        interpreter_needed=bool(interpreter),
        interpreter_language=interpreter,
    )
    the_plan = make_plan(client, counsellor_narpes, measures=0)
    assert document_languages(the_plan) == expected


# Text read back


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_headings_and_typed_texts_come_back_in_a_staff_language(plan, language):
    pdf, warnings = _render(plan, language)
    text = _text(pdf)
    texts = document_texts(language)
    for key in HEADINGS:
        assert texts[key] in text, key
    for known in KNOWN[language]:
        assert known in text
    assert GOAL_TEXT in text
    assert f"{MEASURE_TEXT} 1" in text and f"{MEASURE_TEXT} 2" in text
    assert ARABIC_NAME in text and LATIN_NAME in text
    assert PdfReader(BytesIO(pdf)).trailer["/Root"]["/Lang"] == language
    assert warnings == []


def test_markup_typed_into_a_goal_is_printed_as_text(plan):
    assert MARKUP in _text(_render(plan, "fi")[0])


def test_ukrainian_document_has_cyrillic_labels_and_staff_data_as_typed(plan):
    pdf, warnings = _render(plan, "uk")
    text = _text(pdf)
    uk = CLIENT_TEXTS["uk"]
    for key in ("title", "client", "goals", "measures", "goal_kind.language", "measure_status.planned"):
        assert uk[key] in text, key
    assert GOAL_TEXT in text and f"{MEASURE_TEXT} 1" in text  # not translated
    assert warnings == []


@pytest.mark.parametrize("language", sorted(CLIENT_TEXTS))
def test_every_client_language_prints_its_title_with_no_glyph_missing(plan, language):
    """Compared code point for code point: pypdf gives right-to-left text back in logical order."""
    pdf, warnings = _render(plan, language)
    text = _text(pdf)
    assert unicodedata.normalize("NFC", CLIENT_TEXTS[language]["title"]) in unicodedata.normalize("NFC", text)
    assert not [warning for warning in warnings if MISSING_GLYPH in warning]
    assert PdfReader(BytesIO(pdf)).trailer["/Root"]["/Lang"] == language


def test_arabic_title_and_name_come_back_in_logical_order(plan):
    text = _text(_render(plan, "ar")[0])
    assert CLIENT_TEXTS["ar"]["title"] in text
    assert ARABIC_NAME in text  # a visual-order result would read "ةمطاف يلعلا"
    assert LATIN_NAME in text
    assert not [char for char in text if "\ufb50" <= char <= "\ufeff"]  # no presentation forms


# Where the text stands on the page


@pytest.mark.parametrize(
    ("language", "title", "side"),
    [
        ("ar", "خطة", "right"),
        ("fa", "ادغام", "right"),
        ("prs", "ادغام", "right"),
        ("fi", "Kotoutumissuunnitelma", "left"),
    ],
)
def test_text_starts_on_the_side_the_document_language_reads_from(plan, language, title, side):
    """A word of the title is searched, not all of it: pdfium reads the lam-alef ligature (لا)
    back as "ال" and puts a hamza above before its letter, so it cannot find the whole title
    (pypdf reads those back right: see the tests above)."""
    pdf = _render(plan, language)[0]
    middle = pypdfium2.PdfDocument(pdf)[0].get_width() / 2
    for text in (title, ARABIC_NAME):
        boxes = _boxes_of(pdf, text)
        if side == "left":
            assert max(right for _left, _bottom, right, _top in boxes) < middle, text
        else:
            assert min(left for left, _bottom, _right, _top in boxes) > middle, text
        assert _ink_under(pdf, boxes), f"{text!r} left no ink on the page"


def test_typed_text_keeps_its_own_direction_in_a_right_to_left_document(plan):
    """A Finnish note in the Arabic document keeps its full stop after its last word (to the right
    of it), where an RTL line would move it to the left end; and it still starts on the right half."""
    pdf = _render(plan, "ar")[0]
    *letters, stop = _boxes_of(pdf, "kurssille.")
    assert stop[0] >= letters[-1][2] - 0.5
    assert (
        max(right for _left, _bottom, right, _top in letters) > pypdfium2.PdfDocument(pdf)[0].get_width() / 2
    )


# Pages


def test_a_long_plan_runs_over_pages_each_with_its_footer(arabic_client, counsellor_narpes):
    long_plan = make_plan(arabic_client, counsellor_narpes, measures=30)
    pdf = _render(long_plan, "fi")[0]
    pages = pypdfium2.PdfDocument(pdf)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert _footer(page) == f"Sivu{number}/{len(pages)}"
    text = _text(pdf)
    printed = {int(number) for number in re.findall(rf"{MEASURE_TEXT} (\d+)", text)}
    assert printed == set(range(1, 31))


def test_a_health_goal_is_printed_only_for_readers_who_may_see_health_data(plan):
    PlanGoal.objects.create(plan=plan, kind=PlanGoal.Kind.HEALTH, description="Trauma therapy weekly")
    with_health = _text(plan_pdf(plan=plan, language="fi", include_health=True))
    without = _text(plan_pdf(plan=plan, language="fi", include_health=False))
    assert "Trauma therapy weekly" in with_health
    assert "Trauma therapy weekly" not in without


def test_the_first_page_renders_to_a_non_blank_a4_png(plan):
    pdf = _render(plan, "ar")[0]
    assert pypdfium2.PdfDocument(pdf)[0].get_size() == pytest.approx((595.28, 841.89), abs=0.5)
    png = BytesIO()
    pypdfium2.PdfDocument(pdf)[0].render(scale=100 / 72).to_pil().save(png, format="PNG")
    assert png.getvalue().startswith(b"\x89PNG\r\n")
    image = Image.open(BytesIO(png.getvalue())).convert("L")
    width, height = image.size
    assert height / width == pytest.approx(A4_RATIO, rel=0.01)
    assert _dark_pixels(image) > 0.001 * width * height, "the page is blank"


# Queries


@pytest.mark.parametrize("measures", [1, 30])
def test_the_document_reads_the_plan_in_a_handful_of_queries(
    arabic_client, counsellor_narpes, django_assert_max_num_queries, measures
):
    the_plan = make_plan(arabic_client, counsellor_narpes, measures=measures)
    the_plan = IntegrationPlan.objects.get(pk=the_plan.pk)  # nothing cached on the instance
    with django_assert_max_num_queries(7):
        plan_pdf(plan=the_plan, language="sv", include_health=True)


def test_right_to_left_is_what_core_pdf_says():
    """The client languages of the table that read right to left are exactly these."""
    assert {language for language in CLIENT_TEXTS if is_rtl(language)} == {"ar", "fa", "prs", "ckb"}
