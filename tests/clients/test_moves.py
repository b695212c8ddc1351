"""Moves between municipalities: the earlier home kept, the checks, the page and who may use it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from hemkommun.clients.models import Client, EarlierResidence
from hemkommun.clients.moves import client_move, client_move_undo, home_municipality
from hemkommun.organizations.models import Jurisdiction, Organisation, Role

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
TODAY = D(2026, 11, 23)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12), tick=False):
        yield


@pytest.fixture
def resident(narpes, counsellor_narpes):
    return make_client(
        narpes,
        by=counsellor_narpes,
        family_name="Haddad",
        residence_ground="quota_refugee",
        home_municipality_date=D(2025, 3, 10),
    )


def test_a_move_keeps_the_municipality_left_and_the_day_of_the_move(
    resident, counsellor_narpes, vasa, narpes
):
    client_move(by=counsellor_narpes, client=resident, municipality=vasa, moved_on=D(2026, 9, 15))
    resident.refresh_from_db()
    assert resident.municipality_of_residence == vasa
    assert list(resident.earlier_residences.values_list("municipality", "moved_out_on")) == [
        (narpes.pk, D(2026, 9, 15))
    ]
    # The change of residence is in the client's history, with who made it.
    entry = resident.history.latest("timestamp")
    assert "municipality_of_residence" in entry.changes_dict and entry.actor == counsellor_narpes


def test_a_second_move_starts_where_the_first_ended(resident, counsellor_narpes, vasa, narpes):
    korsnas = OrganisationFactory.municipality("280", "Korsnäs")
    client_move(by=counsellor_narpes, client=resident, municipality=vasa, moved_on=D(2025, 9, 1))
    client_move(by=counsellor_narpes, client=resident, municipality=korsnas, moved_on=D(2026, 2, 1))
    assert list(resident.earlier_residences.values_list("municipality", flat=True)) == [narpes.pk, vasa.pk]
    assert home_municipality(Client.objects.get(pk=resident.pk)) == korsnas


def test_the_latest_move_can_be_taken_back(resident, counsellor_narpes, vasa, narpes):
    client_move(by=counsellor_narpes, client=resident, municipality=vasa, moved_on=D(2026, 9, 15))
    client_move_undo(by=counsellor_narpes, client=resident)
    resident.refresh_from_db()
    assert resident.municipality_of_residence == narpes
    assert not EarlierResidence.objects.exists()
    with pytest.raises(ValidationError) as error:
        client_move_undo(by=counsellor_narpes, client=resident)
    assert error.value.code == "no_move"


@pytest.mark.parametrize(
    ("moved_on", "code"),
    [
        (D(2026, 11, 24), "move_in_future"),
        (D(2025, 3, 10), "move_too_early"),
        (D(2024, 1, 1), "move_too_early"),
    ],
)
def test_a_move_on_an_impossible_day_is_refused(resident, counsellor_narpes, vasa, moved_on, code):
    with pytest.raises(ValidationError) as error:
        client_move(by=counsellor_narpes, client=resident, municipality=vasa, moved_on=moved_on)
    assert error.value.error_dict["moved_on"][0].code == code
    assert not EarlierResidence.objects.exists()
    assert home_municipality(Client.objects.get(pk=resident.pk)).code == "545"


def test_a_move_before_the_previous_one_is_refused(resident, counsellor_narpes, vasa, narpes):
    client_move(by=counsellor_narpes, client=resident, municipality=vasa, moved_on=D(2026, 9, 15))
    with pytest.raises(ValidationError):
        client_move(by=counsellor_narpes, client=resident, municipality=narpes, moved_on=D(2026, 9, 1))
    assert EarlierResidence.objects.count() == 1


def test_a_move_to_the_same_municipality_or_to_a_welfare_area_is_refused(resident, counsellor_narpes, narpes):
    welfare = OrganisationFactory(code="wa", kind=Organisation.Kind.WELFARE_AREA, name_fi="Hyvinvointialue")
    for target in (narpes, welfare):
        with pytest.raises(ValidationError) as error:
            client_move(by=counsellor_narpes, client=resident, municipality=target, moved_on=D(2026, 1, 1))
        assert "municipality" in error.value.error_dict
    assert not EarlierResidence.objects.exists()


def test_a_client_held_by_an_association_without_a_home_cannot_move(counsellor_narpes, vasa):
    association = OrganisationFactory(code="assoc", kind=Organisation.Kind.THIRD_SECTOR, name_fi="Yhdistys")
    person = make_client(association, family_name="Homeless")
    with pytest.raises(ValidationError) as error:
        client_move(
            by=UserFactory.with_role(Role.COUNSELLOR, association),
            client=person,
            municipality=vasa,
            moved_on=D(2026, 1, 1),
        )
    assert error.value.code == "no_home"


def test_a_move_to_aland_changes_the_jurisdiction_of_the_deadlines(resident, counsellor_narpes):
    mariehamn = OrganisationFactory.municipality("478", "Mariehamn", jurisdiction=Jurisdiction.ALAND)
    client_move(by=counsellor_narpes, client=resident, municipality=mariehamn, moved_on=D(2026, 9, 15))
    resident.refresh_from_db()
    assert resident.deadlines.exists()
    assert {
        deadline.rule.rule_set.jurisdiction
        for deadline in resident.deadlines.select_related("rule__rule_set")
    } == {Jurisdiction.ALAND}


def test_the_page_records_a_move_and_shows_the_earlier_home(client, resident, counsellor_narpes, vasa):
    client.force_login(counsellor_narpes)
    url = reverse("clients:move", args=[resident.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"municipality": vasa.pk, "moved_on": "2026-09-15"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="earlier-residences"' in page
    assert "Närpes" in page and "2026-09-15" in page


def test_a_bad_date_gives_a_translated_message_and_keeps_the_form(client, resident, counsellor_narpes, vasa):
    client.force_login(counsellor_narpes)
    url = reverse("clients:move", args=[resident.pk])
    response = client.post(url, {"municipality": vasa.pk, "moved_on": "2027-01-01"})
    assert response.status_code == 200
    with translation.override("fi"):
        expected = str(
            translation.gettext(
                "A move is recorded once it has been registered: the date cannot be in the future."
            )
        )
    page = response.content.decode()
    assert expected in page and 'value="2027-01-01"' in page
    response = client.post(url, {"municipality": "<script>alert(1)</script>", "moved_on": "31.2.2026"})
    assert response.status_code == 200 and "<script>alert(1)</script>" not in response.content.decode()
    assert not EarlierResidence.objects.exists()


def test_the_undo_button_takes_back_the_latest_move(client, resident, counsellor_narpes, vasa, narpes):
    client_move(by=counsellor_narpes, client=resident, municipality=vasa, moved_on=D(2026, 9, 15))
    client.force_login(counsellor_narpes)
    response = client.post(reverse("clients:move_undo", args=[resident.pk]), follow=True)
    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.municipality_of_residence == narpes


@pytest.mark.parametrize(("role", "status"), [(Role.REPORTING, 404), (Role.DATA_PROTECTION_OFFICER, 403)])
def test_roles_that_may_not_edit_cannot_move_a_client(client, resident, narpes, vasa, role, status):
    client.force_login(UserFactory.with_role(role, narpes))
    for url in (
        reverse("clients:move", args=[resident.pk]),
        reverse("clients:move_undo", args=[resident.pk]),
    ):
        assert client.post(url, {"municipality": vasa.pk, "moved_on": "2026-09-15"}).status_code == status
    assert not EarlierResidence.objects.exists()


def test_another_municipalitys_staff_get_404_and_move_nothing(client, resident, counsellor_vasa, vasa):
    client.force_login(counsellor_vasa)
    url = reverse("clients:move", args=[resident.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"municipality": vasa.pk, "moved_on": "2026-09-15"}).status_code == 404
    assert client.post(reverse("clients:move_undo", args=[resident.pk])).status_code == 404
    assert not EarlierResidence.objects.exists()


def test_a_move_of_a_client_with_no_registration_is_still_no_earlier_than_2000(
    narpes, counsellor_narpes, vasa
):
    person = make_client(narpes, by=counsellor_narpes, family_name="Undated")
    with pytest.raises(ValidationError) as error:
        client_move(by=counsellor_narpes, client=person, municipality=vasa, moved_on=D(1920, 1, 1))
    assert error.value.error_dict["moved_on"][0].code == "move_too_early"
    assert client_move(by=counsellor_narpes, client=person, municipality=vasa, moved_on=D(2020, 1, 1)).pk
