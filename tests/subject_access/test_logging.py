"""Producing a report is itself logged: a note listed on the page, a read event, no identity code
in the write log; bad input gets a translated message and writes nothing."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hemkommun.core.models import ReadEvent
from hemkommun.subject_access.models import SubjectAccessRequest
from tests.factories import make_client

IDENTITY_CODE = "010190-123M"


@pytest.fixture
def client_record(narpes, worker_narpes):
    return make_client(narpes, by=worker_narpes, family_name="Petrenko", identity_code=IDENTITY_CODE)


@pytest.fixture
def url(client_record):
    return reverse("subject_access:client", args=[client_record.pk])


def test_producing_writes_a_note_and_an_export_read_and_the_page_lists_it(
    client, dpo_narpes, client_record, url
):
    client.force_login(dpo_narpes)
    response = client.post(url, {"language": "sv", "format": "pdf"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    note = SubjectAccessRequest.objects.get(client=client_record)
    assert (note.produced_by, note.language, note.format) == (dpo_narpes, "sv", "pdf")
    read = ReadEvent.objects.get(client=client_record, action=ReadEvent.Action.EXPORT)
    assert (read.user, read.context, read.basis) == (
        dpo_narpes,
        "subject access",
        ReadEvent.Basis.OWN_ORGANISATION,
    )
    page = client.get(url).content.decode()
    with translation.override("fi"):
        assert str(SubjectAccessRequest.Format.PDF.label) in page and "Dana Dpo" in page


def test_the_json_file_shows_its_own_production(client, dpo_narpes, client_record, url):
    client.force_login(dpo_narpes)
    data = client.post(url, {"language": "en", "format": "json"}).json()
    sections = {s["model"]: s["rows"] for s in data["sections"]}
    assert [r["format"] for r in sections["subject_access.SubjectAccessRequest"]] == ["json"]
    exports = [r for r in sections["core.ReadEvent"] if r["action"] == "export"]
    assert exports[0]["context"] == "subject access" and exports[0]["user"] == "Dana Dpo"
    assert data["generated_by"]["person"] == "Dana Dpo"
    assert data["generated_by"]["organisation"]["code"] == "545"


def test_no_audit_entry_about_the_production_holds_the_identity_code(client, dpo_narpes, client_record, url):
    client.force_login(dpo_narpes)
    latest = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    client.post(url, {"language": "fi", "format": "json"})
    client.post(url, {"language": "fi", "format": "pdf"})
    entries = LogEntry.objects.filter(pk__gt=latest)
    assert entries.count() == 2  # the two notes
    for entry in entries:
        assert IDENTITY_CODE not in json.dumps(entry.changes_dict) + entry.object_repr
    assert entries.first().actor == dpo_narpes
    reads = ReadEvent.objects.filter(client=client_record, action=ReadEvent.Action.EXPORT)
    assert all(IDENTITY_CODE not in event.context for event in reads)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "de", "format": "pdf"}, "Choose Finnish, Swedish or English."),
        ({"language": "fi", "format": "xml"}, "Choose a PDF document or a JSON file."),
        ({"language": "<script>", "format": "../../etc/passwd"}, "Choose Finnish, Swedish or English."),
        ({}, "This field is required."),
    ],
)
def test_bad_choices_get_a_translated_message_and_write_nothing(
    client, dpo_narpes, client_record, url, data, message
):
    client.force_login(dpo_narpes)
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    with translation.override("sv"):
        expected = gettext(message)
    assert expected in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()


def test_opening_the_page_is_logged_as_a_read_with_its_basis(client, dpo_narpes, client_record, url):
    client.force_login(dpo_narpes)
    client.get(url)
    read = ReadEvent.objects.get(client=client_record, context="subject access page")
    assert read.action == ReadEvent.Action.DETAIL and read.basis == ReadEvent.Basis.OWN_ORGANISATION
