"""Flats for arriving families: the services (one family at a time, furnishing, ending an
assignment) and the pages, for each role that may and each that may not, with hostile and bad input."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection
from django.forms import DecimalField, ModelChoiceField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from hemkommun.organizations.models import Role
from hemkommun.reception.flat_views import EXPORT_COLUMNS
from hemkommun.reception.models import ArrivalGroup, Flat, FlatAssignment, FurnishingItem
from hemkommun.reception.services import arrivals, housing

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
TODAY = "2025-08-01 10:00 +0300"
State = FurnishingItem.State
FLAT = {
    "street_address": "Storgatan 1 A 3",
    "rooms": 3,
    "size_m2": Decimal("72.5"),
    "rent_eur": Decimal("790"),
}


def fi(message: str, **values) -> str:
    """A message as the page shows it: in Finnish (the default language), HTML-escaped."""
    with translation.override("fi"):
        text = translation.gettext(message)
        return escape(text % values if values else text)


def fi_date(day: datetime.date) -> str:
    with translation.override("fi"):
        return date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def make_group(narpes, welfare, coordinator):
    def make(reference: str, expected_on: datetime.date, municipality=None, by=None):
        return arrivals.arrival_create(
            by=by or coordinator,
            municipality=municipality or narpes,
            welfare_area=welfare,
            reference=reference,
            expected_on=expected_on,
            members=[{"relation": "head", "birth_year": 1984}],
        )

    return make


@pytest.fixture
def family(make_group):
    return make_group("ELY-2025-017", D(2025, 9, 15))


@pytest.fixture
def flat(narpes, coordinator):
    return housing.flat_create(
        by=coordinator, municipality=narpes, data=dict(FLAT, landlord="Närpes Bostäder")
    )


# Services


def test_flat_create_validates_and_update_keeps_a_refused_change_out(narpes, coordinator, flat):
    with pytest.raises(ValidationError) as excinfo:
        housing.flat_create(by=coordinator, municipality=narpes, data=dict(FLAT, rent_eur=Decimal("-1")))
    assert "rent_eur" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        housing.flat_update(by=coordinator, flat=flat, data={"rooms": 0})
    flat.refresh_from_db()
    assert flat.rooms == 3
    housing.flat_update(by=coordinator, flat=flat, data={"rent_eur": Decimal("815.50"), "landlord": " Åke "})
    flat.refresh_from_db()
    assert (flat.rent_eur, flat.landlord, flat.municipality) == (Decimal("815.50"), "Åke", narpes)
    assert Flat.objects.count() == 1


def test_furnishing_moves_through_its_states_and_can_be_removed(coordinator, flat):
    sofa = housing.furnishing_add(by=coordinator, flat=flat, item="Sofa")
    beds = housing.furnishing_add(by=coordinator, flat=flat, item="Bed", quantity=4, state=State.ORDERED)
    assert (sofa.state, beds.quantity) == (State.NEEDED, 4)
    housing.furnishing_set_state(by=coordinator, item=beds, state=State.IN_PLACE)
    housing.furnishing_set_state(by=coordinator, item=sofa, state=State.ORDERED)
    housing.furnishing_set_state(by=coordinator, item=sofa, state=State.NEEDED)  # an order cancelled
    assert dict(flat.furnishing.values_list("item", "state")) == {"Sofa": "needed", "Bed": "in_place"}
    for bad in ({"item": " "}, {"item": "Table", "quantity": 0}, {"item": "Table", "state": "lost"}):
        with pytest.raises(ValidationError):
            housing.furnishing_add(by=coordinator, flat=flat, **bad)
    with pytest.raises(ValidationError) as excinfo:
        housing.furnishing_set_state(by=coordinator, item=sofa, state="stolen")
    assert excinfo.value.message_dict == {"state": [excinfo.value.message_dict["state"][0]]}
    housing.furnishing_remove(by=coordinator, item=sofa)
    assert list(flat.furnishing.values_list("item", flat=True)) == ["Bed"]


def test_double_booking_is_refused_and_adjacent_periods_are_fine(coordinator, flat, family, make_group):
    other = make_group("ELY-2025-020", D(2026, 1, 1))
    housing.flat_assign(
        by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 15), ends_on=D(2025, 12, 31)
    )
    with pytest.raises(ValidationError) as excinfo:
        housing.flat_assign(by=coordinator, flat=flat, group=other, starts_on=D(2025, 12, 31))
    assert excinfo.value.code == "flat_taken"
    assert "ELY-2025-017" in excinfo.value.messages[0]
    housing.flat_assign(by=coordinator, flat=flat, group=other, starts_on=D(2026, 1, 1))
    assert flat.assignments.count() == 2


def test_ending_an_assignment(coordinator, flat, family, make_group):
    first = housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 15))
    with pytest.raises(ValidationError) as excinfo:
        housing.assignment_end(by=coordinator, assignment=first, ends_on=D(2025, 9, 14))
    assert "ends_on" in excinfo.value.message_dict
    housing.assignment_end(by=coordinator, assignment=first, ends_on=D(2026, 3, 31))
    second = housing.flat_assign(
        by=coordinator, flat=flat, group=make_group("ELY-2026-001", D(2026, 4, 1)), starts_on=D(2026, 4, 1)
    )
    # Moving the first end later again would run into the second family's days.
    with pytest.raises(ValidationError) as excinfo:
        housing.assignment_end(by=coordinator, assignment=first, ends_on=D(2026, 4, 1))
    assert excinfo.value.code == "flat_taken"
    housing.assignment_end(by=coordinator, assignment=first, ends_on=D(2026, 1, 31))  # earlier is fine
    first.refresh_from_db()
    assert first.ends_on == D(2026, 1, 31) and second.ends_on is None


def test_a_cancelled_arrival_and_another_municipality_get_no_flat(
    coordinator, flat, family, vasa, make_group
):
    arrivals.arrival_cancel(by=coordinator, group=family)
    with pytest.raises(ValidationError) as excinfo:
        housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 15))
    assert excinfo.value.code == "arrival_state"
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    with pytest.raises(ValidationError) as excinfo:
        housing.furnishing_add(by=vasa_coordinator, flat=flat, item="Sofa")
    assert excinfo.value.code == "reception_forbidden"
    assert not FlatAssignment.objects.exists() and not FurnishingItem.objects.exists()


# Who may use the pages


def _urls(flat: Flat) -> list[str]:
    return [
        reverse("reception:flats"),
        reverse("reception:flats_export", args=["csv"]),
        reverse("reception:flat_create"),
        reverse("reception:flat_detail", args=[flat.pk]),
        reverse("reception:flat_edit", args=[flat.pk]),
    ]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CASE_WORKER])
def test_coordinators_and_case_workers_of_the_municipality_may(client, narpes, flat, role):
    client.force_login(UserFactory.with_role(role, narpes))
    for url in _urls(flat):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "who", ["counsellor", "welfare_social_worker", "employment_officer", "dpo", "vasa_coordinator"]
)
def test_other_roles_and_municipalities_get_not_found(client, narpes, vasa, welfare, flat, family, who):
    user = {
        "counsellor": lambda: UserFactory.with_role(Role.COUNSELLOR, narpes),
        "welfare_social_worker": lambda: UserFactory.with_role(Role.SOCIAL_WORKER, welfare),
        "employment_officer": lambda: UserFactory.with_role(Role.EMPLOYMENT_OFFICER, narpes),
        "dpo": lambda: UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes),
        "vasa_coordinator": lambda: UserFactory.with_role(Role.COORDINATOR, vasa),
    }[who]()
    client.force_login(user)
    urls = _urls(flat)
    if who == "vasa_coordinator":
        # Vasa's own list, export and new-flat form open; Närpes's flat is in none of them.
        for url in urls[:3]:
            response = client.get(url)
            assert response.status_code == 200 and "Storgatan" not in response.content.decode()
        urls = urls[3:]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = {
        reverse("reception:flat_assign", args=[flat.pk]): {"assign-group": family.pk},
        reverse("reception:flat_furnishing_add", args=[flat.pk]): {"furnish-item": "Sofa"},
        reverse("reception:flat_edit", args=[flat.pk]): dict(FLAT, street_address="Taken over"),
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert not FlatAssignment.objects.exists() and not FurnishingItem.objects.exists()
    assert Flat.objects.get().street_address == "Storgatan 1 A 3"


def test_anonymous_is_sent_to_sign_in(client, flat, family):
    for url in _urls(flat):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    response = client.post(reverse("reception:flat_assign", args=[flat.pk]), {"assign-group": family.pk})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not FlatAssignment.objects.exists()


# The pages at work


def test_a_flat_is_made_and_edited_through_the_pages_with_finnish_decimals(client, coordinator):
    client.force_login(coordinator)
    data = {"street_address": "Kyrkvägen 2", "rooms": "2", "size_m2": "48,5", "rent_eur": "510,25"}
    response = client.post(reverse("reception:flat_create"), data, follow=True)
    flat = Flat.objects.get()
    assert (flat.size_m2, flat.rent_eur) == (Decimal("48.5"), Decimal("510.25"))
    assert fi("Flat saved.") in response.content.decode()
    response = client.post(reverse("reception:flat_edit", args=[flat.pk]), dict(data, rent_eur="530"))
    assert response.status_code == 302
    flat.refresh_from_db()
    assert flat.rent_eur == Decimal("530")


def test_bad_numbers_give_a_translated_error_and_nothing_is_written(client, coordinator, flat):
    client.force_login(coordinator)
    data = {"street_address": "Kyrkvägen 2", "rooms": "2", "size_m2": "big", "rent_eur": "-5"}
    page = client.post(reverse("reception:flat_create"), data).content.decode()
    with translation.override("fi"):
        letters = str(DecimalField.default_error_messages["invalid"])
        negative = str(MinValueValidator(0).message) % {"limit_value": 0}
    assert escape(letters) in page and escape(negative) in page
    assert 'value="big"' in page  # what was typed stays
    assert Flat.objects.count() == 1
    page = client.post(reverse("reception:flat_edit", args=[flat.pk]), data).content.decode()
    assert escape(negative) in page
    flat.refresh_from_db()
    assert flat.rent_eur == Decimal("790")


def test_markup_in_the_address_and_landlord_is_shown_as_text(client, narpes, coordinator):
    housing.flat_create(
        by=coordinator,
        municipality=narpes,
        data=dict(FLAT, street_address="<script>alert(1)</script>", landlord='<img src=x onerror="x">'),
    )
    client.force_login(coordinator)
    pk = Flat.objects.get().pk
    for url in (reverse("reception:flats"), reverse("reception:flat_detail", args=[pk])):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x" in page


def test_another_municipalitys_flat_item_or_group_is_never_booked(
    client, narpes, vasa, welfare, coordinator, flat, family, make_group
):
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    vasa_group = make_group("VASA-1", D(2025, 9, 20), municipality=vasa, by=vasa_coordinator)
    vasa_flat = housing.flat_create(by=vasa_coordinator, municipality=vasa, data=FLAT)
    vasa_item = housing.furnishing_add(by=vasa_coordinator, flat=vasa_flat, item="Sofa")
    client.force_login(coordinator)
    assign = reverse("reception:flat_assign", args=[flat.pk])
    page = client.post(assign, {"assign-group": vasa_group.pk}).content.decode()
    with translation.override("fi"):
        invalid = str(ModelChoiceField.default_error_messages["invalid_choice"])
    assert escape(invalid) in page
    assert client.get(reverse("reception:flat_detail", args=[vasa_flat.pk])).status_code == 404
    vasa_assign = reverse("reception:flat_assign", args=[vasa_flat.pk])
    assert client.post(vasa_assign, {"assign-group": family.pk}).status_code == 404
    state = reverse("reception:flat_furnishing_state", args=[flat.pk, vasa_item.pk])
    assert client.post(state, {f"state-{vasa_item.pk}-state": "in_place"}).status_code == 404
    remove = reverse("reception:flat_furnishing_remove", args=[flat.pk, vasa_item.pk])
    assert client.post(remove).status_code == 404
    assert not FlatAssignment.objects.exists()
    vasa_item.refresh_from_db()
    assert vasa_item.state == State.NEEDED
    # A group of the same municipality that is no longer pending cannot be chosen either.
    arrivals.arrival_cancel(by=coordinator, group=family)
    page = client.post(assign, {"assign-group": family.pk}).content.decode()
    assert escape(invalid) in page and not FlatAssignment.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_assigning_on_the_page_starts_on_the_arrival_and_refuses_a_double_booking(
    client, coordinator, flat, family, make_group
):
    client.force_login(coordinator)
    assign = reverse("reception:flat_assign", args=[flat.pk])
    detail = client.get(reverse("reception:flat_detail", args=[flat.pk])).content.decode()
    assert "ELY-2025-017" in detail
    response = client.post(assign, {"assign-group": family.pk, "assign-starts_on": ""}, follow=True)
    assert fi("Flat assigned.") in response.content.decode()
    assignment = FlatAssignment.objects.get()
    assert (assignment.group, assignment.starts_on, assignment.ends_on) == (family, D(2025, 9, 15), None)

    other = make_group("ELY-2025-020", D(2025, 10, 1))
    response = client.post(assign, {"assign-group": other.pk, "assign-starts_on": "2025-10-01"})
    page = response.content.decode()
    expected = fi(
        "The flat is already assigned to %(holder)s from %(start)s, with no end date.",
        holder="ELY-2025-017",
        start=fi_date(D(2025, 9, 15)),
    )
    assert response.status_code == 200 and expected in page
    assert 'value="2025-10-01"' in page  # what was typed stays
    assert FlatAssignment.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_ending_and_furnishing_on_the_page(client, coordinator, flat, family, make_group):
    assignment = housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 15))
    client.force_login(coordinator)
    end = reverse("reception:flat_assignment_end", args=[flat.pk, assignment.pk])
    prefix = f"end-{assignment.pk}"
    page = client.post(end, {f"{prefix}-ends_on": "2025-09-01"}).content.decode()
    assert fi("The end cannot come before the start.") in page
    response = client.post(end, {f"{prefix}-ends_on": "2026-05-31"}, follow=True)
    assert fi("Assignment ended.") in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.ends_on == D(2026, 5, 31)

    add = reverse("reception:flat_furnishing_add", args=[flat.pk])
    client.post(add, {"furnish-item": "Bed", "furnish-quantity": "4", "furnish-state": "needed"})
    page = client.post(add, {"furnish-item": "Sofa", "furnish-quantity": "x", "furnish-state": "needed"})
    assert page.status_code == 200 and FurnishingItem.objects.count() == 1
    bed = FurnishingItem.objects.get()
    state = reverse("reception:flat_furnishing_state", args=[flat.pk, bed.pk])
    response = client.post(state, {f"state-{bed.pk}-state": "in_place"}, follow=True)
    assert fi("State changed.") in response.content.decode()
    bed.refresh_from_db()
    assert bed.state == State.IN_PLACE
    assert client.post(state, {f"state-{bed.pk}-state": "lost"}).status_code == 200
    bed.refresh_from_db()
    assert bed.state == State.IN_PLACE
    client.post(reverse("reception:flat_furnishing_remove", args=[flat.pk, bed.pk]))
    assert not FurnishingItem.objects.exists()


def _furnish(by, flat, in_place: int, total: int) -> None:
    for number in range(total):
        state = State.IN_PLACE if number < in_place else State.NEEDED
        housing.furnishing_add(by=by, flat=flat, item=f"Thing {number}", state=state)


@time_machine.travel(TODAY, tick=False)
def test_the_list_shows_progress_and_the_current_or_next_family_and_filters(
    client, narpes, coordinator, flat, family, make_group
):
    _furnish(coordinator, flat, 5, 8)
    housing.flat_assign(by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 15))
    now = make_group("ELY-2025-009", D(2025, 7, 1))
    taken = housing.flat_create(
        by=coordinator, municipality=narpes, data=dict(FLAT, street_address="Taken 1")
    )
    housing.flat_assign(
        by=coordinator, flat=taken, group=now, starts_on=D(2025, 7, 1), ends_on=D(2025, 8, 31)
    )
    client.force_login(coordinator)
    url = reverse("reception:flats")
    page = client.get(url).content.decode()
    with translation.override("fi"):
        progress = translation.gettext("%(in_place)s / %(total)s in place") % {"in_place": 5, "total": 8}
    assert progress in page
    assert "ELY-2025-017" in page and "ELY-2025-009" in page
    free = client.get(url, {"availability": "free"}).content.decode()
    assert "Storgatan 1 A 3" in free and "Taken 1" not in free
    taken_page = client.get(url, {"availability": "taken"}).content.decode()
    assert "Taken 1" in taken_page and "Storgatan 1 A 3" not in taken_page
    on_arrival = client.get(url, {"availability": "taken", "on": "2025-09-15"}).content.decode()
    assert "Storgatan 1 A 3" in on_arrival and "Taken 1" not in on_arrival


def test_a_client_in_a_flat_is_shown_by_number_only(client, narpes, coordinator, flat):
    person = make_client(narpes, family_name="Haddad", given_names="Omar")
    FlatAssignment.objects.create(flat=flat, client=person, starts_on=D(2025, 1, 1))
    client.force_login(coordinator)
    for url in (reverse("reception:flats"), reverse("reception:flat_detail", args=[flat.pk])):
        page = client.get(url).content.decode()
        assert "Haddad" not in page and "Omar" not in page
        assert fi("client no. %(number)s", number=person.pk) in page


@time_machine.travel(TODAY, tick=False)
def test_the_export_files_name_the_filters_and_keep_formulas_inert(client, narpes, coordinator, family):
    flat = housing.flat_create(by=coordinator, municipality=narpes, data=dict(FLAT, landlord="=HYPERLINK(1)"))
    _furnish(coordinator, flat, 1, 2)
    housing.flat_assign(
        by=coordinator, flat=flat, group=family, starts_on=D(2025, 9, 15), ends_on=D(2026, 9, 14)
    )
    client.force_login(coordinator)
    query = {"availability": "free"}
    response = client.get(reverse("reception:flats_export", args=["csv"]), query)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header_at = rows.index(EXPORT_COLUMNS)
    with translation.override("fi"):
        filters = translation.gettext("free on %(day)s") % {"day": fi_date(D(2025, 8, 1))}
    assert filters in rows[1][0]
    assert rows[header_at + 1 :] == [
        [
            "Närpes",
            "Storgatan 1 A 3",
            "",
            "",
            "3",
            "72.5",
            "790.0",
            "'=HYPERLINK(1)",
            "1",
            "2",
            "ELY-2025-017",
            "2025-09-15",
            "2026-09-14",
        ]
    ]
    response = client.get(reverse("reception:flats_export", args=["xlsx"]), {"availability": "taken"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    with translation.override("fi"):
        filters = translation.gettext("taken on %(day)s") % {"day": fi_date(D(2025, 8, 1))}
    assert any(filters in str(row[0]) for row in values[:3])
    header_at = values.index(EXPORT_COLUMNS)
    assert values[header_at + 1 :] == []  # free today: nothing taken


@time_machine.travel(TODAY, tick=False)
def test_the_list_costs_the_same_queries_for_any_number_of_flats(client, narpes, coordinator, make_group):
    def add_flats(count: int) -> None:
        for number in range(count):
            flat = housing.flat_create(
                by=coordinator, municipality=narpes, data=dict(FLAT, street_address=f"Gata {number}")
            )
            _furnish(coordinator, flat, 1, 2)
            group = make_group(f"REF-{flat.pk}", D(2025, 9, 1))
            housing.flat_assign(by=coordinator, flat=flat, group=group, starts_on=D(2025, 9, 1))

    client.force_login(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reception:flats")).status_code == 200
        return len(captured)

    add_flats(2)
    few = queries()
    add_flats(5)
    assert queries() == few
    assert ArrivalGroup.objects.count() == 7
