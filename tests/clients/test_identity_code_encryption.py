"""Identity codes encrypted at rest and found through their keyed blind index (docs/encryption.md)."""

import pytest
from django.core.exceptions import FieldError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from hemkommun.clients import selectors, services
from hemkommun.clients.models import Client
from hemkommun.clients.selectors import ClientSearch
from hemkommun.core import crypto

from ..factories import make_client

CODE = "131052-308T"


def stored_row(client) -> tuple[str, str]:
    """What the database itself holds, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_code, identity_code_index FROM clients_client WHERE id = %s", [client.pk]
        )
        return cursor.fetchone()


def test_the_table_holds_no_clear_identity_code(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, identity_code=" 131052-308t ", birth_year=1952)
    code, index = stored_row(client)
    assert CODE not in code and "131052" not in code and crypto.is_encrypted(code)
    assert "131052" not in index and index == crypto.blind_index(CODE)
    assert Client.objects.get(pk=client.pk).identity_code == CODE


def test_a_client_without_a_code_stores_nothing(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes)
    assert stored_row(client) == ("", "")
    assert not Client.objects.with_identity_code("").exists()


def test_look_up_is_exact_through_the_index(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, identity_code=CODE)
    assert list(Client.objects.with_identity_code(" 131052-308t")) == [client]
    for partial in ("131052", "308T", "131052-308"):
        assert not Client.objects.with_identity_code(partial).exists()
    search = selectors.client_search(user=counsellor_narpes, search=ClientSearch(identity_code="131052-308t"))
    assert list(search) == [client]
    partial = selectors.client_search(user=counsellor_narpes, search=ClientSearch(identity_code="131052"))
    assert not partial.exists()


def test_the_index_follows_every_change_of_the_code(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, identity_code=CODE)
    services.client_update(by=counsellor_narpes, client=client, data={"identity_code": "140390-123M"})
    assert stored_row(client)[1] == crypto.blind_index("140390-123M")
    client.identity_code = CODE
    client.save(update_fields=["identity_code"])
    assert stored_row(client)[1] == crypto.blind_index(CODE)
    Client.objects.filter(pk=client.pk).update(identity_code="")
    assert stored_row(client) == ("", "")


def test_the_database_refuses_a_second_client_with_the_same_code(narpes, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, identity_code=CODE)
    twin = Client(organisation=narpes, family_name="Twin", given_names="T", identity_code=CODE.lower())
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_comparing_the_encrypted_column_is_refused_rather_than_silently_empty(db):
    with pytest.raises(FieldError):
        list(Client.objects.filter(identity_code=CODE))
    with pytest.raises(FieldError):
        list(Client.objects.filter(identity_code__startswith="1310"))
    assert not Client.objects.exclude(identity_code="").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_and_indexes_existing_codes(narpes, counsellor_narpes):
    executor = MigrationExecutor(connection)
    executor.migrate([("clients", "0005_earlier_residence")])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO clients_client (organisation_id, family_name, given_names, family_name_latin,"
                " given_names_latin, preferred_name, external_id, sex, identity_code,"
                " identity_code_is_temporary, migri_customer_number, citizenships, native_language,"
                " interpreter_needed, interpreter_language, phone, email, street_address, postal_code,"
                " post_office, residence_ground, unaccompanied_minor, created_at, updated_at)"
                " VALUES (%s, 'Old', 'Row', 'Old', 'Row', '', '', '', %s, %s, '', '', '', %s, '', '', '',"
                " '', '', '', '', %s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                [narpes.pk, CODE, False, False, False],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    old = Client.objects.get(family_name="Old")
    code, index = stored_row(old)
    assert crypto.is_encrypted(code) and CODE not in code and index == crypto.blind_index(CODE)
    assert old.identity_code == CODE and Client.objects.with_identity_code(CODE).get() == old


def test_a_search_by_part_of_a_code_says_why_it_finds_nothing(client, narpes, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, identity_code=CODE)
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:list"), {"hetu": "131052", "q": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["hetu"][0].code == "identity_code_partial"
    found = client.get(reverse("clients:list"), {"hetu": " 131052-308t ", "q": ""})
    assert found.context["page"].paginator.count == 1
