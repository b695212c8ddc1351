"""Hostile and careless input: markup, injection-like searches, bad codes and dates, odd URLs.

Bad input never yields a 500, never half-writes, never loses what was typed, and never shows
markup as markup or another organisation's client.
"""

import datetime
import html

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from hemkommun.clients import services
from hemkommun.clients.models import Client, ClientLanguage, ClientNameToken
from hemkommun.organizations.models import Role

from ..factories import UnitFactory, UserFactory, make_client

CODE = "131052-308T"
TEMPORARY_CODE = "010101-950B"  # individual number 950: a temporary code
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FREE_TEXT_FIELDS = (
    "family_name",
    "given_names",
    "family_name_latin",
    "given_names_latin",
    "preferred_name",
    "phone",
    "street_address",
    "post_office",
    "external_id",
)
SHORT_TAG = "<b>1</b>"


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are checked by their English text: the pages are asked for in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def form_data(org, **overrides) -> dict:
    data = {
        "organisation": org.pk,
        "family_name": "Nyström",
        "given_names": "Leila",
        "date_of_birth": "",
        "client_since": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def errors_of(response) -> dict:
    assert response.status_code == 200, "a refused submit shows the form again"
    return response.context["form"].errors


# --- markup ------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_markup_in_every_text_field_is_shown_as_text(client, narpes, counsellor_narpes, payload):
    client.force_login(counsellor_narpes)
    # The postal code holds only ten characters: it gets a short tag of its own.
    data = form_data(narpes, **dict.fromkeys(FREE_TEXT_FIELDS, payload), postal_code=SHORT_TAG)
    response = client.post(reverse("clients:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    created = Client.objects.get()
    assert created.family_name == payload and created.street_address == payload
    # Change it once, so the history has old and new markup in it.
    services.client_update(client=created, by=counsellor_narpes, data={"post_office": payload + "2"})

    pages = {
        "detail": client.get(reverse("clients:detail", args=[created.pk])),
        "list": client.get(reverse("clients:list")),
        "edit": client.get(reverse("clients:edit", args=[created.pk])),
    }
    for name, page in pages.items():
        content = page.content.decode()
        assert page.status_code == 200
        assert payload not in content, f"raw markup on the {name} page"
        assert "<img src=x" not in content and "<script>alert" not in content
        assert html.escape(payload) in content, f"the text itself is missing on the {name} page"
        if name != "list":
            assert SHORT_TAG not in content and html.escape(SHORT_TAG) in content
    history = pages["detail"].content.decode().split('id="history-heading"')[1]
    assert html.escape(payload + "2") in history


def test_markup_in_share_purpose_is_shown_as_text(client, narpes_client, vasa, narpes):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")
    client.force_login(coordinator)
    until = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    data = {
        "organisation": vasa.pk,
        "purpose": IMG,
        "scope": "basic",
        "valid_until": until,
        "consent_given": "oral",
    }
    client.post(reverse("clients:share", args=[narpes_client.pk]), data)
    content = client.get(reverse("clients:detail", args=[narpes_client.pk])).content.decode()
    assert IMG not in content
    assert html.escape(IMG) in content


def test_markup_in_existing_name_stays_text_in_the_duplicate_message(client, narpes, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, family_name=SCRIPT, identity_code=CODE)
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, identity_code=CODE))
    content = response.content.decode()
    assert SCRIPT not in content
    assert html.escape(SCRIPT) in content


# --- searches ----------------------------------------------------------------------------------

HOSTILE_SEARCHES = [
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE clients_client; --",
    "%",
    "%%",
    "_",
    "__",
    "*",
    "\\",
    "%' --",
    "1985' OR '1'='1",
    "\u202ejarvinen",  # right-to-left override
    "ja\u0301rvinen",  # combining accent
    "j\u200darvinen",  # zero-width joiner
    "ｊａｒｖｉｎｅｎ",  # fullwidth letters
    "🙂",
    "İ",
    "a" * 10_000,
    "\x00",
    "jarvinen\x00",
]


@pytest.fixture
def two_municipalities(narpes, vasa, narpes_client, counsellor_narpes):
    """Närpes has Järvinen and Korhonen; Vasa has its own Järvinen the Närpes staff must never see."""
    make_client(narpes, by=counsellor_narpes, family_name="Korhonen", birth_year=1985)
    return make_client(vasa, family_name="Järvinen", given_names="Vasa", birth_year=1952, identity_code=CODE)


@pytest.mark.parametrize("term", HOSTILE_SEARCHES)
@pytest.mark.parametrize("field", ["q", "dob", "hetu"])
def test_hostile_search_never_fails_nor_widens(client, two_municipalities, counsellor_narpes, term, field):
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:list"), {field: term})
    assert response.status_code == 200
    page = response.context["page"]
    shown = list(page.object_list) if page else []
    assert two_municipalities not in shown
    assert "Vasa" not in response.content.decode().split("<main")[1]
    # Punctuation and markup are not wildcards: they match no one rather than everyone.
    if not any(ch.isalnum() for ch in term):
        assert shown == []


def test_search_for_punctuation_only_finds_nobody(narpes_client, counsellor_narpes):
    from hemkommun.clients.selectors import ClientSearch, client_search

    for term in ("%", "_", "' --", "*", "🙂"):
        assert not client_search(user=counsellor_narpes, search=ClientSearch(text=term)).exists()


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("abcd", "Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."),
        ("1985-13", "This date of birth does not exist."),
        ("2999", "The date of birth must be between 1900 and today."),
    ],
)
def test_bad_date_in_search_gets_a_message(client, narpes_client, counsellor_narpes, term, message):
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:list"), {"dob": term})
    assert response.status_code == 200
    assert message in response.content.decode()


# --- identity codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("131052-308X", "The check character of the identity code is wrong: check for typing errors."),
        ("131052308T", "An identity code has 11 characters, e.g. 131052-308T."),
        ("321352-308T", "This is not a valid Finnish personal identity code."),
        ("abc", "An identity code has 11 characters, e.g. 131052-308T."),
    ],
)
def test_invalid_identity_code_gets_a_clear_message(client, narpes, counsellor_narpes, code, message):
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, identity_code=code))
    assert "identity_code" in errors_of(response)
    assert message in response.content.decode()
    assert not Client.objects.exists()


def test_temporary_code_is_refused_unless_marked(client, narpes, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, identity_code=TEMPORARY_CODE))
    assert "identity_code" in errors_of(response)
    assert "This is a temporary identity code: mark it as temporary if that is intended." in (
        response.content.decode()
    )
    assert not Client.objects.exists()
    marked = form_data(narpes, identity_code=TEMPORARY_CODE, identity_code_is_temporary="on")
    response = client.post(reverse("clients:create"), marked)
    assert response.status_code == 302
    assert Client.objects.get().identity_code_is_temporary


def test_duplicate_identity_code_points_to_the_visible_record(
    client, narpes, narpes_client, counsellor_narpes
):
    services.client_update(client=narpes_client, by=counsellor_narpes, data={"identity_code": CODE})
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, identity_code=CODE))
    assert errors_of(response)["identity_code"]
    content = response.content.decode()
    assert "A client with this identity code is already registered:" in content
    assert f'href="{reverse("clients:detail", args=[narpes_client.pk])}"' in content
    assert "Järvinen" in content
    assert Client.objects.count() == 1


def test_duplicate_identity_code_elsewhere_reveals_nothing(
    client, narpes, vasa, narpes_client, counsellor_narpes
):
    services.client_update(client=narpes_client, by=counsellor_narpes, data={"identity_code": CODE})
    counsellor_vasa = UserFactory.with_role(Role.COUNSELLOR, vasa, username="counsellor.vasa")
    client.force_login(counsellor_vasa)
    response = client.post(
        reverse("clients:create"), form_data(vasa, identity_code=CODE, family_name="Nyström")
    )
    assert errors_of(response)["identity_code"]
    content = response.content.decode()
    assert "already registered in another organisation" in content
    assert "Järvinen" not in content and "Oleksandr" not in content
    assert reverse("clients:detail", args=[narpes_client.pk]) not in content
    assert Client.objects.count() == 1


def test_duplicate_identity_code_on_edit_is_refused_too(client, narpes, narpes_client, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, family_name="Korhonen", identity_code=CODE)
    client.force_login(counsellor_narpes)
    data = form_data(narpes, family_name="Järvinen", given_names="Oleksandr", identity_code=CODE)
    del data["organisation"]
    response = client.post(reverse("clients:edit", args=[narpes_client.pk]), data)
    assert "Korhonen" in str(errors_of(response)["identity_code"])
    narpes_client.refresh_from_db()
    assert narpes_client.identity_code == ""


# --- nothing typed is lost ---------------------------------------------------------------------


def test_failed_submit_keeps_every_typed_value(client, narpes, vasa, counsellor_narpes):
    client.force_login(counsellor_narpes)
    typed = form_data(
        narpes,
        family_name="Шевченко",
        given_names="Олександр",
        family_name_latin="Shevchenko",
        given_names_latin="Oleksandr",
        preferred_name="Sasha",
        date_of_birth="1985-03",
        sex="M",
        identity_code="131052-308X",  # wrong check character: the one error
        migri_customer_number="12345678",
        citizenships="UA",
        native_language="uk",
        interpreter_needed="on",
        interpreter_language="ru",
        phone="+358 40 123 4567",
        email="sasha@example.org",
        street_address="Storgatan 1 A 2",
        postal_code="64200",
        post_office="Närpes",
        municipality_of_residence=vasa.pk,
        home_municipality_date="2024-02-01",
        arrival_date="2023-11-15",
        first_permit_date="2023-10-01",
        residence_ground="temporary_protection",
        unaccompanied_minor="on",
        external_id="X-77",
        other_languages="en:B1, fi:A1",
    )
    response = client.post(reverse("clients:create"), typed)
    errors = errors_of(response)
    assert list(errors) == ["identity_code"]
    form = response.context["form"]
    content = response.content.decode()
    for name, value in typed.items():
        shown = form[name].value()
        if value == "on":
            assert shown is True, name
            assert f'name="{name}" id="id_{name}" checked' in content, name
        else:
            assert str(shown) == str(value), name
    for text in (
        "Шевченко",
        "Олександр",
        "Sasha",
        "1985-03",
        "131052-308X",
        "sasha@example.org",
        "en:B1, fi:A1",
    ):
        assert f'value="{text}"' in content, text
    assert '<option value="uk" selected>' in content
    assert '<option value="temporary_protection" selected>' in content
    assert not Client.objects.exists()


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/clients/abc/",
        "/clients/-1/",
        "/clients/1.5/",
        "/clients/0/",
        "/clients/99999999999999999999999999/",
        "/clients/9223372036854775808/",
        "/clients/99999999999999999999999999/edit/",
        "/clients/abc/edit/",
        "/clients/%00/",
        "/clients/１/",
    ],
)
def test_odd_ids_answer_404(client, narpes_client, counsellor_narpes, path):
    client.force_login(counsellor_narpes)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("pk", ["99999999999999999999999999", "9223372036854775808", "abc"])
def test_odd_ids_on_share_answer_404(client, narpes, counsellor_narpes, pk):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")
    client.force_login(coordinator)
    assert client.post(f"/clients/{pk}/share/", {"purpose": "x"}).status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999999999", "\x00"])
def test_odd_page_numbers_do_not_fail(client, narpes_client, counsellor_narpes, page):
    client.force_login(counsellor_narpes)
    assert client.get(reverse("clients:list"), {"page": page}).status_code == 200


# --- dates of birth ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1990-13", "This date of birth does not exist."),
        ("1990-02-30", "This date of birth does not exist."),
        ("1990-00", "This date of birth does not exist."),
        ("2999", "The date of birth must be between 1900 and today."),
        ("1899-12-31", "The date of birth must be between 1900 and today."),
        ("abcd", "Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."),
        ("14.3.1985", "Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."),
        ("1985-3", "Write the date of birth as YYYY, YYYY-MM or YYYY-MM-DD."),
    ],
)
def test_bad_birth_dates_get_clear_messages(client, narpes, counsellor_narpes, typed, message):
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, date_of_birth=typed))
    assert "date_of_birth" in errors_of(response)
    content = response.content.decode()
    assert message in content
    assert f'value="{typed}"' in content
    assert not Client.objects.exists()


def test_identity_code_and_birth_date_mismatch_is_shown(client, narpes, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = client.post(
        reverse("clients:create"), form_data(narpes, identity_code=CODE, date_of_birth="1953")
    )
    assert "identity_code" in errors_of(response)
    assert "The identity code does not match the date of birth." in response.content.decode()


# --- organisation tampering --------------------------------------------------------------------


def test_foreign_organisation_in_create_form_is_refused(client, narpes, vasa, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(vasa))
    assert "organisation" in errors_of(response)
    assert not Client.objects.exists()


@pytest.mark.parametrize("organisation", ["abc", "99999999999999999999999", "", "-1"])
def test_nonsense_organisation_in_create_form_is_refused(client, narpes, counsellor_narpes, organisation):
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, organisation=organisation))
    assert "organisation" in errors_of(response)
    assert not Client.objects.exists()


def test_foreign_unit_in_edit_form_is_refused(client, vasa, narpes, narpes_client, counsellor_narpes):
    foreign_unit = UnitFactory(organisation=vasa)
    client.force_login(counsellor_narpes)
    data = form_data(
        narpes, family_name="Järvinen", given_names="Oleksandr", responsible_unit=foreign_unit.pk
    )
    del data["organisation"]
    response = client.post(reverse("clients:edit", args=[narpes_client.pk]), data)
    assert "responsible_unit" in errors_of(response)
    narpes_client.refresh_from_db()
    assert narpes_client.responsible_unit is None


def test_nul_byte_in_a_name_is_refused_not_failed(client, narpes, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, family_name="Nyst\x00röm"))
    assert "family_name" in errors_of(response)
    assert not Client.objects.exists()


def test_overlong_input_is_refused_not_failed(client, narpes, counsellor_narpes):
    client.force_login(counsellor_narpes)
    long = "A" * 5000
    data = form_data(narpes, family_name=long, phone=long, external_id=long, other_languages=long)
    response = client.post(reverse("clients:create"), data)
    assert {"family_name", "phone", "external_id", "other_languages"} <= set(errors_of(response))
    assert not Client.objects.exists()


def test_duplicate_external_id_is_a_form_error_not_a_crash(client, narpes, counsellor_narpes):
    make_client(narpes, by=counsellor_narpes, family_name="Korhonen", external_id="X-1")
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:create"), form_data(narpes, external_id="X-1"))
    assert "external_id" in errors_of(response)
    assert Client.objects.count() == 1


# --- no half-writes ----------------------------------------------------------------------------


class FailingTable:
    """Stands in for a database that fails mid-transaction: any INSERT into one table errors."""

    def __init__(self, table: str):
        self.table = table

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and f'"{self.table}"' in sql:
            raise DatabaseError(f"simulated failure writing {self.table}")
        return execute(sql, params, many, context)


@pytest.mark.parametrize("table", ["clients_clientlanguage", "clients_clientnametoken", "auditlog_logentry"])
def test_failing_create_leaves_nothing_behind(narpes, counsellor_narpes, table):
    with connection.execute_wrapper(FailingTable(table)), pytest.raises(DatabaseError):
        services.client_create(
            by=counsellor_narpes,
            organisation=narpes,
            data={"family_name": "Halfway", "given_names": "Written"},
            languages=[("en", "B1"), ("fi", "A1")],
        )
    assert not Client.objects.exists()
    assert not ClientNameToken.objects.exists()
    assert not ClientLanguage.objects.exists()


def test_failing_update_keeps_the_old_record_whole(narpes, narpes_client, counsellor_narpes):
    services.client_update(client=narpes_client, by=counsellor_narpes, data={}, languages=[("sv", "B2")])
    with connection.execute_wrapper(FailingTable("clients_clientlanguage")), pytest.raises(DatabaseError):
        services.client_update(
            client=narpes_client,
            by=counsellor_narpes,
            data={"family_name": "Renamed"},
            languages=[("en", "C1")],
        )
    stored = Client.objects.get(pk=narpes_client.pk)
    assert stored.family_name == "Järvinen"
    assert set(ClientNameToken.objects.values_list("token", flat=True)) == {"jarvinen", "oleksandr"}
    assert list(ClientLanguage.objects.values_list("language", "level")) == [("sv", "B2")]


def test_refused_service_call_writes_nothing(narpes, counsellor_narpes):
    with pytest.raises(Exception) as error:
        services.client_create(
            by=counsellor_narpes,
            organisation=narpes,
            data={"family_name": "Refused", "given_names": "X", "birth_day": 3},
            languages=[("xx", "B1")],
        )
    assert error.typename == "ValidationError"
    assert not Client.objects.exists()
    assert not ClientNameToken.objects.exists()
    assert not ClientLanguage.objects.exists()


def test_other_organisation_id_in_service_is_refused(narpes, vasa, counsellor_narpes):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.client_create(
            by=counsellor_narpes, organisation=vasa, data={"family_name": "X", "given_names": "Y"}
        )
    assert not Client.objects.exists()


def test_reporting_user_cannot_create_through_the_service(narpes):
    from django.core.exceptions import ValidationError

    reporter = UserFactory.with_role(Role.REPORTING, narpes, username="reporter")
    with pytest.raises(ValidationError):
        services.client_create(
            by=reporter, organisation=narpes, data={"family_name": "X", "given_names": "Y"}
        )
    assert not Client.objects.exists()


def test_duplicate_identity_code_of_a_shared_record_points_to_it(client, narpes, vasa, narpes_client):
    """A share makes the record visible, so the pointer may be shown to the recipient."""
    from ..factories import make_share

    holder = UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")
    services.client_update(client=narpes_client, by=holder, data={"identity_code": CODE})
    make_share(narpes_client, vasa, by=holder)
    client.force_login(UserFactory.with_role(Role.COUNSELLOR, vasa, username="counsellor.vasa"))
    response = client.post(reverse("clients:create"), form_data(vasa, identity_code=CODE))
    assert errors_of(response)["identity_code"]
    assert f'href="{reverse("clients:detail", args=[narpes_client.pk])}"' in response.content.decode()
    assert Client.objects.count() == 1
