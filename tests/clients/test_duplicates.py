"""Finding possible duplicates across scripts and spellings (hemkommun/clients/duplicates.py)."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from hemkommun.clients import duplicates, services
from hemkommun.clients.duplicates import duplicate_candidates, name_key
from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role
from hemkommun.retention.erasure import anonymise_client

from ..factories import UserFactory, make_client, make_share


def identity_code(born: str, number: int) -> str:
    """A valid identity code for a date of birth ddmmyy in the 1900s."""
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(f"{born}{number:03d}") % 31]
    return f"{born}-{number:03d}{check}"


def find(by, **person):
    return duplicate_candidates(by=by, **person)


def named_ids(result) -> list[int]:
    return [candidate.client_id for candidate in result.named]


# --- the name key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("Олександр", "Oleksandr", "Aleksandr", "Alexander", "Александр"),
        ("محمد", "Mohammed", "Muhammad", "Mohamad", "Muhammed"),
        ("Yusuf", "Jusuf", "Youssef", "يوسف"),
        ("Järvinen", "Jarvinen", "JARVINEN"),
        ("Шевченко", "Shevchenko", "Ševtšenko"),
        ("Сергій", "Serhii", "Sergei"),
        ("عبد الرحمن", "Abdulrahman", "Abd al-Rahman", "Abdel Rahman", "Abdurrahman"),
        ("الحسن", "Al-Hassan", "Hassan"),
    ],
)
def test_spellings_of_one_name_have_one_key(spellings):
    assert len({name_key(spelling) for spelling in spellings}) == 1, [name_key(s) for s in spellings]


@pytest.mark.parametrize(("first", "second"), [("Ali", "Omar"), ("Farid", "Karim"), ("Aino", "Eero")])
def test_different_names_have_different_keys(first, second):
    assert name_key(first) != name_key(second)


def test_the_key_is_lower_case_latin_words_whatever_is_typed():
    key = name_key("<script>alert('x')</script>", "%_\\", "Robert'); DROP TABLE clients;--")
    assert re.fullmatch(r"[a-z]+( [a-z]+)*", key), key
    assert name_key("%", "_", "123") == ""


@pytest.mark.django_db
def test_python_trigram_similarity_is_pg_trgm_similarity():
    assert duplicates.trigram_similarity("mgmd al", "mgmd al") == 1.0
    assert duplicates.trigram_similarity("", "mgmd") == 0.0
    if connection.vendor == "postgresql":
        pairs = [("mgmd al", "mgmd algsn"), ("alksndr xvcnk", "xvcnk"), ("a", "ab"), ("ysf", "asf bd")]
        with connection.cursor() as cursor:
            for first, second in pairs:
                cursor.execute("SELECT similarity(%s, %s)", [first, second])
                assert cursor.fetchone()[0] == pytest.approx(duplicates.trigram_similarity(first, second))
            # The % operator of the prefilter uses this; scoring asks for the same floor.
            cursor.execute("SHOW pg_trgm.similarity_threshold")
            assert float(cursor.fetchone()[0]) == duplicates.PREFILTER_SIMILARITY


# --- the key is kept with the names ------------------------------------------------------------


def test_the_services_keep_the_key_with_the_names(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, family_name="Шевченко", given_names="Олександр")
    assert client.name_key == "alksndr xvcnk"
    services.client_update(client=client, by=counsellor_narpes, data={"given_names_latin": "Oleksandr"})
    services.client_update(client=client, by=counsellor_narpes, data={"family_name": "Коваленко"})
    client.refresh_from_db()
    assert client.name_key == name_key("Коваленко", "Олександр", "Shevchenko", "Oleksandr")


def test_an_anonymised_client_keeps_no_key_and_is_no_candidate(narpes, counsellor_narpes):
    client = make_client(
        narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed", birth_year=1985
    )
    anonymise_client(client)
    client.refresh_from_db()
    assert client.name_key == ""
    assert find(counsellor_narpes, family_name="Ali", given_names="Mohammed", birth_year=1985).named == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_clients_their_keys(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, family_name="Шевченко", given_names="Олександр")
    executor = MigrationExecutor(connection)
    executor.migrate([("clients", "0006_encrypt_identity_code")])
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE clients_client SET given_names = 'Олена', given_names_latin = ''")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    client.refresh_from_db()
    assert client.name_key == name_key("Шевченко", "Олена", "Shevchenko") == "aln xvcnk"


# --- the examples are found --------------------------------------------------------------


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        (("Шевченко", "Олександр", (1987, 5, 12)), ("Shevchenko", "Oleksandr", (1987, 5, 12))),
        (("Шевченко", "Олександр", (1987, 5, 12)), ("Shevchenko", "Aleksandr", (1987, None, None))),
        (("Shevchenko", "Oleksandr", (1987, None, None)), ("Шевченко", "Александр", (1987, 5, 12))),
        (("Ali", "Mohammed", (1985, 3, 14)), ("Ali", "Muhammad", (1985, 3, 14))),
        (("علي", "محمد", (1985, 3, 14)), ("Ali", "Mohamad", (1985, None, None))),
        (("Ali", "Mohammed", (1985, 3, 14)), ("Mohammed", "Ali", (1985, 3, 14))),  # swapped
        (("Järvinen", "Aino", (1979, 2, 3)), ("Jarvinen", "Aino", (1979, 2, 3))),  # no diacritics
        (("Söderström", "Anna-Britta", (1955, None, None)), ("Soderstrom", "Anna Britta", (1955, 12, 24))),
        (("Abdi", "Yusuf", (1995, None, None)), ("Abdi", "Youssef", (1996, None, None))),  # year one off
    ],
)
def test_the_same_person_written_otherwise_is_found(narpes, counsellor_narpes, registered, typed):
    family, given, (year, month, day) = registered
    existing = make_client(
        narpes,
        by=counsellor_narpes,
        family_name=family,
        given_names=given,
        birth_year=year,
        birth_month=month,
        birth_day=day,
    )
    family, given, (year, month, day) = typed
    result = find(
        counsellor_narpes,
        family_name=family,
        given_names=given,
        birth_year=year,
        birth_month=month,
        birth_day=day,
    )
    assert named_ids(result) == [existing.pk]
    assert result.named[0].reason == duplicates.NAME
    assert duplicates.THRESHOLD <= result.named[0].score <= 1


def test_an_identity_code_finds_the_client_whatever_the_names(narpes, counsellor_narpes):
    code = identity_code("131052", 308)
    existing = make_client(narpes, by=counsellor_narpes, identity_code=code, family_name="Virtanen")
    result = find(counsellor_narpes, family_name="Other", given_names="Name", identity_code=code.lower())
    assert [(c.client_id, c.score, c.reason) for c in result.named] == [
        (existing.pk, 1.0, duplicates.IDENTITY_CODE)
    ]


# --- different people are not proposed -----------------------------------------------------------


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        # brothers: the same family name, other given names and birth years
        (("Hassan", "Ahmed", (1990, 1, 1)), ("Hassan", "Omar", (1992, 6, 15))),
        # brothers with the same placeholder date of birth
        (("Hassan", "Ahmed", (1990, 1, 1)), ("Hassan", "Ali", (1990, 1, 1))),
        # namesakes born in other years
        (("Ali", "Mohammed", (1985, 3, 14)), ("Ali", "Mohammed", (1991, 7, 1))),
        (("Ali", "Mohammed", (1985, None, None)), ("Ali", "Mohammed", (1987, None, None))),
        # namesakes whose exact dates of birth differ
        (("Ali", "Mohammed", (1985, 3, 14)), ("Ali", "Mohammed", (1985, 11, 30))),
        (("Ali", "Mohammed", (1985, 3, None)), ("Ali", "Mohammed", (1985, 4, None))),
        # twins, a brother and a sister
        (("Järvinen", "Aino", (1979, 2, 3)), ("Järvinen", "Anna", (1979, 2, 3))),
        (("Ahmadi", "Farid", (1999, 7, 7)), ("Ahmadi", "Farida", (1999, 7, 7))),
    ],
)
def test_different_people_with_similar_names_are_not_proposed(narpes, counsellor_narpes, registered, typed):
    family, given, (year, month, day) = registered
    make_client(
        narpes,
        by=counsellor_narpes,
        family_name=family,
        given_names=given,
        birth_year=year,
        birth_month=month,
        birth_day=day,
    )
    family, given, (year, month, day) = typed
    result = find(
        counsellor_narpes,
        family_name=family,
        given_names=given,
        birth_year=year,
        birth_month=month,
        birth_day=day,
    )
    assert result.named == [] and not result.elsewhere


def test_two_permanent_identity_codes_are_two_people(narpes, counsellor_narpes):
    make_client(
        narpes,
        by=counsellor_narpes,
        family_name="Ali",
        given_names="Mohammed",
        identity_code=identity_code("140385", 123),
    )
    same_name_other_code = find(
        counsellor_narpes,
        family_name="Ali",
        given_names="Mohammed",
        birth_year=1985,
        birth_month=3,
        birth_day=14,
        identity_code=identity_code("140385", 457),
    )
    assert same_name_other_code.named == []
    temporary = find(
        counsellor_narpes,
        family_name="Ali",
        given_names="Mohammed",
        birth_year=1985,
        birth_month=3,
        birth_day=14,
        identity_code=identity_code("140385", 901),
    )
    assert len(temporary.named) == 1


def test_the_client_itself_is_excluded(narpes, counsellor_narpes):
    client = make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed")
    assert (
        find(counsellor_narpes, family_name="Ali", given_names="Mohammed", exclude_pk=client.pk).named == []
    )


# --- access: named only to those who may see the client -----------------------------------------


def test_a_candidate_the_user_may_see_is_named_and_the_naming_logged(narpes, counsellor_narpes):
    existing = make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed")
    ReadEvent.objects.all().delete()
    result = find(counsellor_narpes, family_name="Ali", given_names="Muhammad")
    assert named_ids(result) == [existing.pk] and not result.elsewhere
    assert result.named[0].client.display_name == "Ali, Mohammed"
    read = ReadEvent.objects.get()
    assert (read.user, read.client, read.action) == (counsellor_narpes, existing, ReadEvent.Action.DUPLICATE)


def test_a_candidate_in_another_organisation_is_never_named(narpes, vasa, counsellor_narpes, counsellor_vasa):
    make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed")
    ReadEvent.objects.all().delete()
    result = find(counsellor_vasa, family_name="Ali", given_names="Muhammad")
    # Only that one exists elsewhere, as for a taken identity code: no name, no id, no read.
    assert result.named == [] and result.elsewhere
    assert not ReadEvent.objects.exists()


def test_a_shared_candidate_is_named_to_the_organisation_it_is_shared_with(
    narpes, vasa, counsellor_narpes, counsellor_vasa
):
    existing = make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed")
    hidden = make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohamad")
    make_share(existing, vasa)
    result = find(counsellor_vasa, family_name="Ali", given_names="Muhammad")
    assert named_ids(result) == [existing.pk] and result.elsewhere
    assert hidden.pk not in named_ids(result)


def test_hidden_candidates_do_not_take_the_places_of_visible_ones(narpes, vasa, counsellor_vasa):
    admin = UserFactory.with_role(Role.ADMINISTRATOR, narpes)
    for _number in range(3):
        make_client(narpes, by=admin, family_name="Ali", given_names="Mohammed")
    visible = make_client(vasa, by=counsellor_vasa, family_name="Ali", given_names="Mohamad")
    result = duplicate_candidates(by=counsellor_vasa, family_name="Ali", given_names="Muhammad", limit=1)
    assert named_ids(result) == [visible.pk] and result.elsewhere


# --- hostile input ---------------------------------------------------------------------------------


def test_a_markup_name_is_harmless(narpes, counsellor_narpes):
    markup = "<script>alert(1)</script>"
    existing = make_client(
        narpes, by=counsellor_narpes, family_name=markup, given_names="Ali", birth_year=1990
    )
    result = find(counsellor_narpes, family_name=markup, given_names="Ali", birth_year=1990)
    assert named_ids(result) == [existing.pk]
    # Wildcards of LIKE and quotes are only characters: they find nothing and break nothing.
    for typed in ("%", "_", "' OR 1=1 --", "\\"):
        assert find(counsellor_narpes, family_name=typed, given_names=typed).named == []


# --- cost -----------------------------------------------------------------------------------------


def queries_for(user, **person) -> int:
    with CaptureQueriesContext(connection) as queries:
        duplicate_candidates(by=user, **person)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_candidates(narpes, vasa, counsellor_narpes):
    admin = UserFactory.with_role(Role.ADMINISTRATOR, vasa)
    make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed")
    make_client(vasa, by=admin, family_name="Ali", given_names="Mohammed")
    # Once first, so that what is cached per user (the shares it sees) is cached in both counts.
    find(counsellor_narpes, family_name="Ali", given_names="Muhammad")
    few = queries_for(counsellor_narpes, family_name="Ali", given_names="Muhammad")
    for _number in range(8):
        make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed")
        make_client(vasa, by=admin, family_name="Ali", given_names="Mohamad")
    assert len(find(counsellor_narpes, family_name="Ali", given_names="Muhammad").named) == 9
    assert queries_for(counsellor_narpes, family_name="Ali", given_names="Muhammad") == few


def test_no_query_when_there_is_nothing_to_look_for(counsellor_narpes):
    assert queries_for(counsellor_narpes, family_name="%", given_names="") == 0


def plan(wanted) -> str:
    sql, params = duplicates._prefiltered(Client.objects.order_by(), wanted).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test table is too small for the planner to prefer an index: forbid the table scan.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return str(cursor.fetchall())


def test_the_search_uses_an_index(narpes, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, family_name="Ali", given_names="Mohammed", birth_year=1985)
    if connection.vendor == "postgresql":
        # The trigram index answers even when the year of birth is not known.
        assert "client_name_key_trgm_idx" in plan(duplicates.probe(family_name="Ali", given_names="Muhammad"))
    else:
        wanted = duplicates.probe(family_name="Ali", given_names="Muhammad", birth_year=1985)
        assert "client_birth_idx" in plan(wanted)
