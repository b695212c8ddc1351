"""Key rotation (manage.py rotate_field_keys, docs/encryption.md): encrypt under key A, rotate to
B with A still listed, remove A, and everything still reads."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from hemkommun.casework.models import Assessment
from hemkommun.casework.services import assessments as assessment_services
from hemkommun.clients.models import Client
from hemkommun.core import crypto, field_encryption
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client

KEY_A, KEY_B, KEY_C = (crypto.generate_key() for _ in range(3))
CODES = ["131052-308T", "140390-123M", "010101-123N"]


def stored_key_ids(table: str, column: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608 (names are ours)
        return {crypto.stored_key_id(value) for (value,) in cursor.fetchall()}


def key_id_of(key: str) -> str:
    return crypto.key_id(crypto._decode_key(key, "test"))


def rotate(*args) -> str:
    """The command's report in English (it speaks the operator's language, Finnish by default)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def under_key_a(settings, narpes):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    worker = UserFactory.with_role(Role.CASE_WORKER, narpes)
    clients = [
        make_client(narpes, by=worker, identity_code=code, family_name=f"P{i}")
        for i, code in enumerate(CODES)
    ]
    assessment_services.assessment_create(
        by=worker,
        client=clients[0],
        data={"started_on": datetime.date(2025, 3, 10), "health_notes": "Asthma"},
    )
    assert stored_key_ids("clients_client", "identity_code") == {key_id_of(KEY_A)}
    return clients


def test_rotate_to_a_new_key_then_remove_the_old_one(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    check = rotate("--check")
    assert "clients.Client.identity_code: 3 still to do" in check and "4 values still to do" in check
    output = rotate("--batch", "2")
    assert (
        "clients.Client.identity_code: 2 done" in output and "clients.Client.identity_code: 3 done" in output
    )
    assert "4 values now under key" in output
    assert stored_key_ids("clients_client", "identity_code") == {key_id_of(KEY_B)}
    assert stored_key_ids("casework_assessment", "health_notes") == {key_id_of(KEY_B)}
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert sorted(Client.objects.values_list("identity_code", flat=True)) == sorted(CODES)
    assert Assessment.objects.get().health_notes == "Asthma"
    assert "0 values still to do" in rotate("--check")


def test_an_interrupted_rotation_goes_on_where_it_stopped(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    field = Client._meta.get_field("identity_code")
    assert next(field_encryption.reencrypt(field, batch=1)) == 1  # stopped after the first batch
    assert field_encryption.stale_rows(field).count() == 2
    assert "clients.Client.identity_code: 2 done" in rotate()
    assert stored_key_ids("clients_client", "identity_code") == {key_id_of(KEY_B)}


def test_a_value_under_an_unknown_key_stops_with_a_clear_error(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_C]  # A removed before the rotation: A's values are lost
    with pytest.raises(CommandError, match="does not list"):
        rotate()
    with pytest.raises(crypto.DecryptionError, match=key_id_of(KEY_A)):
        Client.objects.get(identity_code_index=crypto.blind_index(CODES[0])).identity_code  # noqa: B018


def test_the_blind_index_is_recomputed_under_a_new_key(settings, under_key_a):
    settings.BLIND_INDEX_KEY = KEY_C
    # Until the index is recomputed the codes cannot be found: an offline step.
    assert not Client.objects.with_identity_code(CODES[1]).exists()
    assert "3 values still to do" in rotate("--blind-index", "--check")
    assert "3 values now under key" in rotate("--blind-index")
    assert Client.objects.with_identity_code(CODES[1]).get() == under_key_a[1]
    assert "0 values still to do" in rotate("--blind-index", "--check")


def test_a_new_key_is_printed_on_request():
    key = rotate("--generate-key").strip()
    assert len(crypto._decode_key(key, "test")) == 32
