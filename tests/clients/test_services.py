"""Rules of client_create and client_update, and the semantics of client_search."""

import pytest
from django.core.exceptions import ValidationError

from hemkommun.clients import selectors, services
from hemkommun.clients.models import ClientLanguage, ClientNameToken
from hemkommun.clients.selectors import ClientSearch
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client

CODE = "131052-308T"  # born 13 October 1952


def create(organisation, by, languages=(), **data):
    data.setdefault("family_name", "Virtanen")
    data.setdefault("given_names", "Aino")
    return services.client_create(by=by, organisation=organisation, data=data, languages=languages)


def error_codes(excinfo) -> dict[str, set[str]]:
    return {field: {e.code for e in errors} for field, errors in excinfo.value.error_dict.items()}


def search(user, **parts):
    return list(selectors.client_search(user=user, search=ClientSearch(**parts)))


# --- Latin form of names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "given", "latin_family", "latin_given"),
    [
        ("Järvinen", "Åsa Maria", "Järvinen", "Åsa Maria"),  # Latin letters stay as written
        ("Nguyễn", "Thị Hoa", "Nguyễn", "Thị Hoa"),
        ("Шевченко", "Олександр", "Shevchenko", "Oleksandr"),
        ("Иванова", "Мария", "Ivanova", "Mariya"),
        ("حسن", "علي", "Hsn", "Ly"),  # the ʿayn (a backtick in anyascii) is dropped
    ],
)
def test_latin_form_follows_the_script(narpes, counsellor_narpes, family, given, latin_family, latin_given):
    client = create(narpes, counsellor_narpes, family_name=family, given_names=given)
    assert (client.family_name, client.given_names) == (family, given)
    assert (client.family_name_latin, client.given_names_latin) == (latin_family, latin_given)


def test_latin_form_given_by_staff_is_kept(narpes, counsellor_narpes):
    client = create(
        narpes,
        counsellor_narpes,
        family_name="حسن",
        given_names="علي",
        family_name_latin="Hassan",
        given_names_latin="Ali",
    )
    assert (client.family_name_latin, client.given_names_latin) == ("Hassan", "Ali")


def test_names_are_trimmed_and_spaces_collapsed(narpes, counsellor_narpes):
    client = create(narpes, counsellor_narpes, family_name="  Järvinen ", given_names="Anna \t  Liisa")
    assert (client.family_name, client.given_names) == ("Järvinen", "Anna Liisa")


def test_family_name_is_required(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, family_name="   ")
    assert "family_name" in excinfo.value.error_dict


# --- dates and identity codes ------------------------------------------------------------------


def test_identity_code_matching_the_date_of_birth_is_accepted(narpes, counsellor_narpes):
    for birth in ({}, {"birth_year": 1952}, {"birth_year": 1952, "birth_month": 10}):
        client = create(narpes, counsellor_narpes, identity_code=CODE.lower(), **birth)
        assert client.identity_code == CODE
        client.delete()
    create(narpes, counsellor_narpes, identity_code=CODE, birth_year=1952, birth_month=10, birth_day=13)


@pytest.mark.parametrize(
    "birth",
    [
        {"birth_year": 1953},
        {"birth_year": 1952, "birth_month": 11},
        {"birth_year": 1952, "birth_month": 10, "birth_day": 14},
    ],
)
def test_identity_code_contradicting_the_date_of_birth_is_refused(narpes, counsellor_narpes, birth):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, identity_code=CODE, **birth)
    assert error_codes(excinfo) == {"identity_code": {"identity_code_birth_mismatch"}}


def test_day_without_month_is_refused(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, birth_year=1985, birth_day=14)
    assert "birth_day_without_month" in error_codes(excinfo)["birth_day"]


def test_uncertain_birth_date_never_gets_an_invented_day(narpes, counsellor_narpes):
    year_only = create(narpes, counsellor_narpes, birth_year=1985)
    year_only.refresh_from_db()
    assert (year_only.birth_month, year_only.birth_day) == (None, None)
    assert year_only.date_of_birth_display == "1985"


def test_temporary_identity_code_needs_the_mark(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, identity_code="010101-950B")
    assert "identity_code" in excinfo.value.error_dict
    client = create(narpes, counsellor_narpes, identity_code="010101-950B", identity_code_is_temporary=True)
    assert client.identity_code_is_temporary


def test_same_identity_code_twice_is_refused(narpes, counsellor_narpes):
    create(narpes, counsellor_narpes, identity_code=CODE)
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, identity_code=CODE, family_name="Other")
    assert "identity_code_taken" in error_codes(excinfo)["identity_code"]


def test_naming_the_holder_of_a_taken_identity_code_is_a_logged_read(
    narpes, vasa, counsellor_narpes, counsellor_vasa
):
    existing = create(narpes, counsellor_narpes, identity_code=CODE)
    ReadEvent.objects.all().delete()
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, identity_code=CODE, family_name="Other")
    assert existing.display_name in str(excinfo.value.error_dict["identity_code"][0].message)
    read = ReadEvent.objects.get()
    assert (read.user, read.client, read.action, read.basis) == (
        counsellor_narpes,
        existing,
        ReadEvent.Action.DUPLICATE,
        ReadEvent.Basis.OWN_ORGANISATION,
    )
    # Another municipality learns only that the code is taken: no name, and so no read.
    with pytest.raises(ValidationError) as excinfo:
        create(vasa, counsellor_vasa, identity_code=CODE, family_name="Other")
    assert existing.display_name not in str(excinfo.value.error_dict["identity_code"][0].message)
    assert ReadEvent.objects.count() == 1


def test_saving_a_client_again_with_its_own_code_is_fine(narpes, counsellor_narpes):
    client = create(narpes, counsellor_narpes, identity_code=CODE)
    services.client_update(client=client, by=counsellor_narpes, data={"phone": "040 1"})


# --- other rules -------------------------------------------------------------------------------


def test_interpreter_needed_without_language_is_refused(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, interpreter_needed=True)
    assert "interpreter_language_missing" in error_codes(excinfo)["interpreter_language"]
    client = create(narpes, counsellor_narpes, interpreter_needed=True, interpreter_language="ar")
    assert client.interpreter_language == "ar"


@pytest.mark.parametrize(
    ("typed", "stored"), [("sy, iq", "SY, IQ"), (" UA ", "UA"), ("SY,,IQ,", "SY, IQ"), ("", "")]
)
def test_citizenships_are_normalised(narpes, counsellor_narpes, typed, stored):
    assert create(narpes, counsellor_narpes, citizenships=typed).citizenships == stored


@pytest.mark.parametrize("typed", ["Syria", "SYR", "S1", "SY; IQ", "<b>"])
def test_citizenships_must_be_two_letter_codes(narpes, counsellor_narpes, typed):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, citizenships=typed)
    assert "citizenship_code" in error_codes(excinfo)["citizenships"]


def test_unknown_language_code_is_refused(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, languages=[("xx", "B1")])
    assert "language_code" in error_codes(excinfo)["languages"]
    assert not ClientLanguage.objects.exists()


def test_unknown_language_level_is_refused(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, languages=[("en", "fluent-ish")])
    assert "language_level" in error_codes(excinfo)["languages"]


def test_unknown_native_language_is_refused(narpes, counsellor_narpes):
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, native_language="xx")
    assert "native_language" in excinfo.value.error_dict


def test_languages_are_replaced_on_update(narpes, counsellor_narpes):
    client = create(narpes, counsellor_narpes, languages=[("en", "B1"), ("fi", "A1")])
    services.client_update(
        client=client, by=counsellor_narpes, data={}, languages=[("fi", "A2"), ("sv", "A1")]
    )
    assert set(client.languages.values_list("language", "level")) == {("fi", "A2"), ("sv", "A1")}
    services.client_update(client=client, by=counsellor_narpes, data={"phone": "1"})  # None: untouched
    assert client.languages.count() == 2


def test_same_external_id_twice_in_one_organisation_is_refused(narpes, vasa, counsellor_narpes):
    create(narpes, counsellor_narpes, external_id="A-1")
    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, external_id="A-1", family_name="Other")
    assert "external_id_taken" in error_codes(excinfo)["external_id"]
    make_client(vasa, external_id="A-1")  # another organisation's register may use the same id


def test_unit_of_another_organisation_is_refused(narpes, vasa, counsellor_narpes):
    from ..factories import UnitFactory

    with pytest.raises(ValidationError) as excinfo:
        create(narpes, counsellor_narpes, responsible_unit=UnitFactory(organisation=vasa))
    assert "unit_elsewhere" in error_codes(excinfo)["responsible_unit"]


def test_fields_outside_the_register_cannot_be_set(narpes, narpes_client, counsellor_narpes, vasa):
    with pytest.raises(ValueError):
        services.client_update(client=narpes_client, by=counsellor_narpes, data={"organisation": vasa})


def test_update_needs_edit_rights(narpes, narpes_client):
    dpo = UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes, username="dpo")
    with pytest.raises(ValidationError) as excinfo:
        services.client_update(client=narpes_client, by=dpo, data={"phone": "1"})
    assert excinfo.value.code == "edit_forbidden"


# --- name tokens and search ----------------------------------------------------------------------


def test_name_tokens_are_rebuilt_on_rename(narpes, narpes_client, counsellor_narpes):
    assert set(ClientNameToken.objects.values_list("token", flat=True)) == {"jarvinen", "oleksandr"}
    services.client_update(
        client=narpes_client,
        by=counsellor_narpes,
        data={"family_name": "Ahonen", "family_name_latin": "", "preferred_name": "Sasha"},
    )
    assert set(ClientNameToken.objects.values_list("token", flat=True)) == {"ahonen", "oleksandr", "sasha"}
    assert search(counsellor_narpes, text="ahonen") == [narpes_client]
    assert search(counsellor_narpes, text="sasha") == [narpes_client]
    assert search(counsellor_narpes, text="jarvinen") == []


@pytest.fixture
def people(narpes, counsellor_narpes):
    """A small register: Latin, Cyrillic and Arabic names, exact and uncertain birth dates."""
    make = lambda **data: make_client(narpes, by=counsellor_narpes, **data)  # noqa: E731
    return {
        "jarvinen": make(
            family_name="Järvinen", given_names="Anna Maria", birth_year=1985, birth_month=3, birth_day=14
        ),
        "jarvi": make(family_name="Järvi", given_names="Mikko", birth_year=1985),
        "march": make(family_name="Korhonen", given_names="Anna", birth_year=1985, birth_month=3),
        "april": make(
            family_name="Korpela", given_names="Maria", birth_year=1985, birth_month=4, birth_day=1
        ),
        "shevchenko": make(family_name="Шевченко", given_names="Олександр", birth_year=1990),
        "hassan": make(
            family_name="حسن", given_names="علي", family_name_latin="Hassan", given_names_latin="Ali"
        ),
        "coded": make(family_name="Nieminen", given_names="Eero", identity_code=CODE),
    }


def test_search_is_a_prefix_per_word_in_any_order(people, counsellor_narpes):
    assert search(counsellor_narpes, text="jär") == [people["jarvi"], people["jarvinen"]]
    assert search(counsellor_narpes, text="järvinen") == [people["jarvinen"]]
    assert search(counsellor_narpes, text="anna järvinen") == [people["jarvinen"]]
    assert search(counsellor_narpes, text="Järvinen, Anna") == [people["jarvinen"]]
    assert search(counsellor_narpes, text="mar jarv") == [people["jarvinen"]]
    assert search(counsellor_narpes, text="anna") == [people["jarvinen"], people["march"]]
    assert search(counsellor_narpes, text="arvinen") == []  # a prefix, not a substring


def test_search_without_diacritics_finds_diacritics(people, counsellor_narpes):
    assert search(counsellor_narpes, text="jarvinen") == [people["jarvinen"]]
    assert search(counsellor_narpes, text="JARVINEN") == [people["jarvinen"]]


def test_search_finds_original_script_and_latin(people, counsellor_narpes):
    assert search(counsellor_narpes, text="Шевченко") == [people["shevchenko"]]
    assert search(counsellor_narpes, text="shevchenko") == [people["shevchenko"]]
    assert search(counsellor_narpes, text="Олександр shev") == [people["shevchenko"]]
    assert search(counsellor_narpes, text="hassan") == [people["hassan"]]
    assert search(counsellor_narpes, text="ali hassan") == [people["hassan"]]
    assert search(counsellor_narpes, text="حسن") == [people["hassan"]]


def test_date_of_birth_search_includes_uncertain_dates(people, counsellor_narpes):
    born_1985 = {people[key] for key in ("jarvinen", "jarvi", "march", "april")}
    assert set(search(counsellor_narpes, date_of_birth="1985")) == born_1985
    # Known only as 1985 (or 1985-03) may still be the person born in March 1985.
    assert set(search(counsellor_narpes, date_of_birth="1985-03")) == {
        people["jarvinen"],
        people["jarvi"],
        people["march"],
    }
    assert set(search(counsellor_narpes, date_of_birth="1985-03-14")) == {
        people["jarvinen"],
        people["jarvi"],
        people["march"],
    }
    assert search(counsellor_narpes, date_of_birth="1985-03-15") == [people["jarvi"], people["march"]]
    assert search(counsellor_narpes, date_of_birth="1986") == []


def test_date_and_name_search_combine(people, counsellor_narpes):
    assert search(counsellor_narpes, text="anna", date_of_birth="1985-03-14") == [
        people["jarvinen"],
        people["march"],
    ]


def test_identity_code_search_is_exact(people, counsellor_narpes):
    assert search(counsellor_narpes, identity_code=CODE) == [people["coded"]]
    assert search(counsellor_narpes, identity_code=CODE.lower()) == [people["coded"]]
    assert search(counsellor_narpes, identity_code="131052") == []
    assert search(counsellor_narpes, identity_code="131052-308") == []


def test_bad_date_in_search_raises_a_validation_error(people, counsellor_narpes):
    for typed in ("abcd", "1985-13", "1985-02-30", "2999", "1985-00"):
        with pytest.raises(ValidationError):
            search(counsellor_narpes, date_of_birth=typed)
