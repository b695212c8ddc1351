"""Anonymising and erasing a client who has consents, one of them carrying a share (Share.consent
is PROTECT), and anonymising clients whose identity codes are encrypted."""

import json

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction

from hemkommun.access.models import Consent, Purpose, Share
from hemkommun.clients.models import Client
from hemkommun.retention import erasure

from ..factories import make_client, make_share
from .conftest import at, d

pytestmark = pytest.mark.django_db
SECRET = "Salainen"  # written into the consents' notes: none of it may survive


@pytest.fixture
def consenting(narpes, vasa, counsellor_narpes):
    """A client with a consent in force carrying a share, and a withdrawn one."""
    client = make_client(narpes, by=counsellor_narpes, family_name="Eskola", identity_code="131052-308T")
    in_force = _consent(client, counsellor_narpes, note=f"{SECRET} given at the office")
    share = make_share(client, vasa, by=counsellor_narpes)
    share.consent = in_force
    share.save(update_fields=["consent"])
    withdrawn = _consent(client, counsellor_narpes, note=f"{SECRET} by phone")
    withdrawn.withdrawn_at, withdrawn.withdrawn_by = at("2026-03-01"), counsellor_narpes
    withdrawn.withdrawal_note = f"{SECRET} withdrew it at the reception"
    withdrawn.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    return client


def _consent(client, by, *, note: str) -> Consent:
    return Consent.objects.create(
        client=client,
        purpose=Purpose.CASE_TEAM,
        form=Consent.Form.WRITTEN,
        given_on=d("2026-01-15"),
        note=note,
        recorded_by=by,
    )


def secret_left() -> list[str]:
    """Where the consents' free text still is: their rows and the write log."""
    notes = Consent.objects.values_list("note", "withdrawal_note")
    logged = LogEntry.objects.values_list("changes", flat=True)
    return [text for text in (*map(json.dumps, notes), *map(json.dumps, logged)) if SECRET in text]


def test_the_setup_has_notes_and_a_share_resting_on_a_consent(consenting):
    assert len(secret_left()) >= 3  # the three notes, in their rows and in the write log
    assert Share.objects.get(client=consenting).consent.client == consenting


def test_anonymisation_clears_the_consents_notes_and_their_write_log(consenting):
    with transaction.atomic():
        erasure.anonymise_client(consenting)

    assert not Share.objects.filter(client=consenting).exists()
    assert secret_left() == []


def test_erasure_deletes_the_consents_and_the_share_resting_on_one(consenting):
    with transaction.atomic():
        erasure.erase_client(consenting)

    assert not Client.objects.filter(pk=consenting.pk).exists()
    assert not Consent.objects.exists() and not Share.objects.exists()


def test_erasure_leaves_no_consent_note_in_the_write_log(consenting):
    with transaction.atomic():
        erasure.erase_client(consenting)

    assert secret_left() == []


def stored_codes(*clients) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_code, identity_code_index FROM clients_client WHERE id IN (%s, %s)",
            [client.pk for client in clients],
        )
        return cursor.fetchall()


def test_two_anonymised_clients_do_not_collide_on_the_emptied_identity_code(narpes, counsellor_narpes):
    first = make_client(narpes, by=counsellor_narpes, identity_code="131052-308T")
    second = make_client(narpes, by=counsellor_narpes, identity_code="140390-123M", family_name="Other")
    assert all(code and index for code, index in stored_codes(first, second))

    for client in (first, second):
        with transaction.atomic():
            erasure.anonymise_client(client)

    # The constraint on the index leaves out empty values; both are empty, in the column too.
    assert stored_codes(first, second) == [("", ""), ("", "")]
    assert not Client.objects.with_identity_code("131052-308T").exists()
