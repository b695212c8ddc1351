"""The subject-access PDF, rendered by WeasyPrint and read back with pypdf."""

import datetime
import logging
from dataclasses import dataclass
from io import BytesIO

import pytest
from django.db import transaction
from django.utils import formats, translation
from pypdf import PdfReader

from hemkommun.casework.models import Assessment, PlanGoal
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role
from hemkommun.subject_access.document import report_pdf
from tests.factories import OrganisationFactory, UserFactory, ensure_rule_sets, make_client

from .helpers import IDENTITY_CODE, rich_client

# WeasyPrint's rendering does not depend on the database: run once, on PostgreSQL when there is
# one (scripts/test.sh).
pytestmark = pytest.mark.one_pass

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


@dataclass
class Rendered:
    text: str
    pdf: bytes
    warnings: list[str]


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker) -> tuple[dict[str, Rendered], datetime.date]:
    """The rich client's report in fi, sv and en, rendered once for the whole module (each takes
    seconds); the records are made in a transaction rolled back before the first test runs."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_rule_sets()
        narpes = OrganisationFactory.municipality("545", "Närpes")
        worker = UserFactory.with_role(Role.CASE_WORKER, narpes, first_name="Anna", last_name="Berg")
        dpo = UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes)
        subject = rich_client(narpes, worker)
        rendered = {}
        for language in ("fi", "sv", "en"):
            pdf, warnings = _render(subject, dpo, narpes, language)
            rendered[language] = Rendered(_text(pdf), pdf, warnings)
        transaction.set_rollback(True)
    return rendered, subject.arrival_date


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_report_reads_in_the_chosen_language_with_dates_in_its_format(reports, language):
    rendered, arrival_date = reports
    report = rendered[language]
    with translation.override(language):
        headings = [str(m._meta.verbose_name_plural).capitalize() for m in (Assessment, PlanGoal, ReadEvent)]
        arrival = formats.date_format(arrival_date, "DATE_FORMAT")
        own = str(ReadEvent.Basis.OWN_ORGANISATION.label)
    for heading in headings:
        assert heading in report.text
    assert arrival in report.text and own in report.text
    assert PdfReader(BytesIO(report.pdf)).trailer["/Root"]["/Lang"] == language
    assert not [w for w in report.warnings if MISSING_GLYPH in w]


def test_dates_differ_between_languages(reports):
    """A check that the format really follows the language (fi and en write dates differently)."""
    rendered, arrival_date = reports
    dates = {}
    for language in ("fi", "en"):
        with translation.override(language):
            dates[language] = formats.date_format(arrival_date, "DATE_FORMAT")
    assert dates["fi"] != dates["en"]
    assert dates["fi"] in rendered["fi"].text and dates["en"] not in rendered["fi"].text


def test_the_subject_reads_their_identity_code_health_notes_and_typed_notes(reports):
    text = reports[0]["en"].text
    assert IDENTITY_CODE in text
    assert "Ryggbesvär." in text and "Fysioterapi." in text  # health notes and a health goal
    assert "Storgatan 1 A 2" in text  # the flat of the family's arrival
    assert "Anna Berg" in text  # who recorded and read


def test_markup_in_notes_is_printed_as_text(reports):
    text = reports[0]["en"].text
    assert "Asked about <b>housing</b>." in text
    assert "Annat <b>stöd</b>." in text


def test_markup_in_names_is_printed_as_text(narpes, worker_narpes, dpo_narpes):
    hostile = make_client(
        narpes, by=worker_narpes, family_name="<script>x</script>", given_names="<i>Eve</i>"
    )
    text = _text(_render(hostile, dpo_narpes, narpes, "en")[0])
    assert "<script>x</script>, <i>Eve</i>" in text


def test_arabic_name_comes_back_in_logical_order(reports):
    report = reports[0]["fi"]
    # Each word in logical order (a visual-order result would read "نسحلا"); pypdf gives the
    # words of a right-to-left line from left to right, so their order is not compared.
    assert "الحسن" in report.text and "أحمد" in report.text and "نسحلا" not in report.text
    assert not [char for char in report.text if "\ufb50" <= char <= "\ufeff"]  # no presentation forms
    assert not [w for w in report.warnings if MISSING_GLYPH in w]


def test_cyrillic_name_renders(narpes, worker_narpes, dpo_narpes):
    client = make_client(narpes, by=worker_narpes, family_name="Шевченко", given_names="Олена")
    pdf, warnings = _render(client, dpo_narpes, narpes, "sv")
    assert "Шевченко, Олена" in _text(pdf)
    assert not [w for w in warnings if MISSING_GLYPH in w]


def test_a_language_other_than_fi_sv_en_is_refused(narpes, worker_narpes, dpo_narpes):
    client = make_client(narpes, by=worker_narpes)
    with pytest.raises(ValueError):
        report_pdf(client=client, by=dpo_narpes, organisation=narpes, language="de")
