"""The subject-access PDF, rendered by WeasyPrint and read back with pypdf."""

import logging
from io import BytesIO

import pytest
from django.utils import formats, translation
from pypdf import PdfReader

from hemkommun.casework.models import Assessment, PlanGoal
from hemkommun.core.models import ReadEvent
from hemkommun.subject_access.document import report_pdf
from tests.factories import make_client

from .helpers import IDENTITY_CODE

MISSING_GLYPH = ".notdef glyph"  # WeasyPrint's warning when no font has a character


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _render(client, by, organisation, language) -> tuple[bytes, list[str]]:
    logger, handler = logging.getLogger("weasyprint"), _Warnings()
    logger.addHandler(handler)
    try:
        return report_pdf(
            client=client, by=by, organisation=organisation, language=language
        ), handler.messages
    finally:
        logger.removeHandler(handler)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_report_reads_in_the_chosen_language_with_dates_in_its_format(
    subject, dpo_narpes, narpes, language
):
    pdf, warnings = _render(subject, dpo_narpes, narpes, language)
    text = _text(pdf)
    with translation.override(language):
        headings = [str(m._meta.verbose_name_plural).capitalize() for m in (Assessment, PlanGoal, ReadEvent)]
        arrival = formats.date_format(subject.arrival_date, "DATE_FORMAT")
        own = str(ReadEvent.Basis.OWN_ORGANISATION.label)
    for heading in headings:
        assert heading in text
    assert arrival in text and own in text
    assert PdfReader(BytesIO(pdf)).trailer["/Root"]["/Lang"] == language
    assert not [w for w in warnings if MISSING_GLYPH in w]


def test_dates_differ_between_languages(subject, dpo_narpes, narpes):
    """A check that the format really follows the language (fi and en write dates differently)."""
    dates = {}
    for language in ("fi", "en"):
        with translation.override(language):
            dates[language] = formats.date_format(subject.arrival_date, "DATE_FORMAT")
    assert dates["fi"] != dates["en"]
    fi_text = _text(_render(subject, dpo_narpes, narpes, "fi")[0])
    assert dates["fi"] in fi_text and dates["en"] not in fi_text


def test_the_subject_reads_their_identity_code_health_notes_and_typed_notes(subject, dpo_narpes, narpes):
    text = _text(_render(subject, dpo_narpes, narpes, "en")[0])
    assert IDENTITY_CODE in text
    assert "Ryggbesvär." in text and "Fysioterapi." in text  # health notes and a health goal
    assert "Storgatan 1 A 2" in text  # the flat of the family's arrival
    assert "Anna Berg" in text  # who recorded and read


def test_markup_in_names_and_notes_is_printed_as_text(narpes, worker_narpes, dpo_narpes, subject):
    text = _text(_render(subject, dpo_narpes, narpes, "en")[0])
    assert "Asked about <b>housing</b>." in text
    assert "Annat <b>stöd</b>." in text
    hostile = make_client(
        narpes, by=worker_narpes, family_name="<script>x</script>", given_names="<i>Eve</i>"
    )
    text = _text(_render(hostile, dpo_narpes, narpes, "en")[0])
    assert "<script>x</script>, <i>Eve</i>" in text


def test_arabic_name_comes_back_in_logical_order(subject, dpo_narpes, narpes):
    pdf, warnings = _render(subject, dpo_narpes, narpes, "fi")
    text = _text(pdf)
    # Each word in logical order (a visual-order result would read "نسحلا"); pypdf gives the
    # words of a right-to-left line from left to right, so their order is not compared.
    assert "الحسن" in text and "أحمد" in text and "نسحلا" not in text
    assert not [char for char in text if "\ufb50" <= char <= "\ufeff"]  # no presentation forms
    assert not [w for w in warnings if MISSING_GLYPH in w]


def test_cyrillic_name_renders(narpes, worker_narpes, dpo_narpes):
    client = make_client(narpes, by=worker_narpes, family_name="Шевченко", given_names="Олена")
    pdf, warnings = _render(client, dpo_narpes, narpes, "sv")
    assert "Шевченко, Олена" in _text(pdf)
    assert not [w for w in warnings if MISSING_GLYPH in w]


def test_a_language_other_than_fi_sv_en_is_refused(subject, dpo_narpes, narpes):
    with pytest.raises(ValueError):
        report_pdf(client=subject, by=dpo_narpes, organisation=narpes, language="de")
