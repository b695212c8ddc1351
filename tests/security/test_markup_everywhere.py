"""Script and markup in every text field (issue 8): a client with a row in every model the
subject-access registry includes (tests/subject_access/helpers.py) gets markup in every free-text
field of every such row; the client's page, the plan PDF, the subject-access PDF and the client
list's spreadsheet then show it as text, never as markup or a formula.

The fields are found, not listed: every CharField and TextField without choices, long enough for
the payload, of every included model. A new model or field is covered without a change here."""

import html
import io

import openpyxl
import pytest
from django.db import models
from django.urls import reverse
from pypdf import PdfReader

from hemkommun.casework.models import IntegrationPlan
from hemkommun.organizations.models import Role
from hemkommun.subject_access.registry import INCLUDED

from ..factories import UserFactory
from ..subject_access.helpers import rich_client

# Pages, PDFs and a spreadsheet of one large record: run once, on PostgreSQL when there is one.
pytestmark = [pytest.mark.django_db, pytest.mark.one_pass]

PAYLOAD = '=1+1<img src=x onerror="alert(1)">'  # a formula and markup at once
# Fields that hold codes or addresses rather than free text, where markup is refused on entry.
NOT_FREE_TEXT = {"identity_code", "identity_code_index", "email", "phone", "postal_code", "code", "language"}


def _free_text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.is_relation
        and (f.max_length is None or f.max_length >= len(PAYLOAD))
        and f.name not in NOT_FREE_TEXT
    ]


def poison(client) -> int:
    """Put the payload into every free-text field of every row of the client; the count of fields."""
    poisoned = 0
    for entry in INCLUDED:
        names = _free_text_fields(entry.model)
        if not names:
            continue
        for row in entry.rows(client):
            for name in names:
                setattr(row, name, PAYLOAD)
            row.save(update_fields=names)  # save(), not update(): encrypted fields encrypt
            poisoned += len(names)
    return poisoned


@pytest.fixture
def poisoned(narpes):
    worker = UserFactory.with_role(Role.SOCIAL_WORKER, narpes, username="worker.markup")
    client = rich_client(narpes, worker)
    assert poison(client) >= 40  # the walk found the fields: a broken one must not pass
    return client, worker


def _assert_inert(content: str) -> None:
    assert PAYLOAD not in content
    assert "<img src=x" not in content
    assert html.escape(PAYLOAD) in content or html.escape(PAYLOAD, quote=False) in content


def test_the_client_page_shows_markup_as_text(client, poisoned):
    person, worker = poisoned
    client.force_login(worker)
    _assert_inert(client.get(reverse("clients:detail", args=[person.pk])).content.decode())


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_plan_pdf_prints_markup_as_text(client, poisoned):
    person, worker = poisoned
    client.force_login(worker)
    plan = IntegrationPlan.objects.filter(client=person).first()
    response = client.get(reverse("casework:plan_pdf", args=[plan.pk, "en"]))
    assert response.status_code == 200
    assert "<img src=x" in _pdf_text(response.content).replace("\n", "")


def test_the_subject_access_pdf_prints_markup_as_text(client, narpes, poisoned):
    person, _worker = poisoned
    client.force_login(UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes))
    url = reverse("subject_access:client", args=[person.pk])
    response = client.post(url, {"language": "en", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _pdf_text(response.content).replace("\n", "").count("<img src=x") >= 10


def test_the_client_list_spreadsheet_neutralises_formulas(client, poisoned):
    person, worker = poisoned
    client.force_login(worker)
    response = client.get(reverse("clients:export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any("<img src=x" in str(cell.value) for cell in cells)
    assert all(cell.data_type != "f" for cell in cells)
    assert not any(str(cell.value).startswith("=") for cell in cells)
