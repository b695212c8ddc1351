"""Placement agreements: places agreed against used, the services' rules, and the pages per role."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hemkommun.access import policy
from hemkommun.clients.codes import ResidenceGround
from hemkommun.organizations.models import Organisation, Role
from hemkommun.reception import agreement_services as services
from hemkommun.reception.models import AgreedPlaces, MinorPlacement, NegotiationRound, PlacementAgreement
from hemkommun.reception.places import places_table
from hemkommun.reception.services import arrivals

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
QUOTA, MOVE, MINOR = "quota", "reception_centre", "unaccompanied_minor"


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


@pytest.fixture
def state_centre(db):
    return OrganisationFactory(
        kind=Organisation.Kind.STATE_CENTRE, code="ely-south", name_fi="ELY-keskus", name_sv="NTM-centralen"
    )


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def case_worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="caseworker.narpes")


@pytest.fixture
def agreement(narpes, state_centre, welfare, coordinator):
    return services.agreement_create(
        by=coordinator,
        municipality=narpes,
        state_centre=state_centre,
        starts_on=D(2025, 1, 1),
        ends_on=D(2027, 12, 31),
        decision_reference="ELY/123/2024",
        welfare_area=welfare,
        welfare_consulted_on=D(2024, 11, 20),
        consultation_notes="Health checks within two weeks can be arranged.",
    )


def _arrive(by, municipality, welfare, *, people: int, arrived_on, kind=QUOTA, convert=True, reference=None):
    """An arrival group of ``people`` persons, recorded as arrived (made clients) unless told not."""
    move = None
    if kind == MOVE:
        centre = OrganisationFactory(
            kind=Organisation.Kind.RECEPTION_CENTRE, code="vok", name_fi="Vok", name_sv="Mottagning"
        )
        move = {
            "reception_centre": centre,
            "move_type": "assisted",
            "residence_ground": ResidenceGround.ASYLUM,
        }
    members = [{"relation": "head" if i == 0 else "child", "birth_year": 2000 + i} for i in range(people)]
    group = arrivals.arrival_create(
        by=by,
        municipality=municipality,
        welfare_area=welfare,
        reference=reference or f"{kind}-{arrived_on}-{people}",
        expected_on=arrived_on,
        members=members,
        kind=kind,
        move=move,
    )
    if convert:
        names = {m.pk: {"family_name": "Haddad", "given_names": f"P{m.pk}"} for m in group.members.all()}
        arrivals.arrival_convert(by=by, group=group, arrived_on=arrived_on, people=names)
    return group


def _place_minor(agreement, client, starts_on):
    return MinorPlacement.objects.create(
        municipality=agreement.municipality,
        client=client,
        agreement=agreement,
        kind=MinorPlacement.Kind.FAMILY_GROUP_HOME,
        unit_name="Perheryhmäkoti",
        starts_on=starts_on,
    )


def _table(municipality_ids, years) -> dict:
    rows = places_table(municipality_ids=municipality_ids, years=years)
    return {(row.municipality.pk, row.year, row.category): (row.agreed, row.used) for row in rows}


# --- counting places -----------------------------------------------------------------------------


@time_machine.travel("2027-06-01 09:00 +0300", tick=False)
def test_places_used_by_arrivals_of_both_kinds_and_minors_counted_once(
    narpes, vasa, welfare, coordinator, agreement
):
    quota = _arrive(coordinator, narpes, welfare, people=3, arrived_on=D(2025, 9, 16), reference="Q1")
    _arrive(coordinator, narpes, welfare, people=2, arrived_on=D(2026, 2, 1), kind=MOVE, reference="M1")
    # Not arrived, cancelled, or another municipality's: not used here.
    _arrive(coordinator, narpes, welfare, people=4, arrived_on=D(2025, 10, 1), convert=False, reference="Q2")
    cancelled = _arrive(coordinator, narpes, welfare, people=1, arrived_on=D(2025, 11, 1), convert=False)
    arrivals.arrival_cancel(by=coordinator, group=cancelled)
    vasa_coordinator = UserFactory.with_role(Role.COORDINATOR, vasa)
    _arrive(vasa_coordinator, vasa, welfare, people=5, arrived_on=D(2025, 9, 1), reference="V1")
    # The quota family's child is placed as an unaccompanied minor the same year: one place, a minor's.
    child = quota.members.order_by("id")[1].client
    _place_minor(agreement, child, D(2025, 9, 20))
    # Another minor placed twice in 2026 takes one place. The family's oldest child, first placed
    # in 2027, takes a minor's place in 2027 and no longer a quota place in 2025.
    minor = make_client(narpes, by=coordinator, given_names="Ali")
    _place_minor(agreement, minor, D(2026, 3, 1))
    _place_minor(agreement, minor, D(2026, 8, 1))
    _place_minor(agreement, minor, D(2027, 1, 5))  # moved to supported housing: still one place
    _place_minor(agreement, quota.members.order_by("id")[0].client, D(2027, 1, 10))

    table = _table([narpes.pk, vasa.pk], [2025, 2026, 2027])

    assert len(table) == 2 * 3 * 3  # every municipality, year and category, zeros included
    assert table[(narpes.pk, 2025, QUOTA)] == (0, 1)
    assert table[(narpes.pk, 2025, MINOR)] == (0, 1)
    assert table[(narpes.pk, 2025, MOVE)] == (0, 0)
    assert table[(narpes.pk, 2026, MOVE)] == (0, 2)
    assert table[(narpes.pk, 2026, MINOR)] == (0, 1)
    assert table[(narpes.pk, 2027, MINOR)] == (0, 1)
    assert table[(vasa.pk, 2025, QUOTA)] == (0, 5)


def test_places_agreed_add_up_over_the_municipalitys_agreements(narpes, state_centre, coordinator, agreement):
    second = services.agreement_create(
        by=coordinator,
        municipality=narpes,
        state_centre=state_centre,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    services.places_set(by=coordinator, agreement=agreement, year=2026, category=QUOTA, places=10)
    services.places_set(by=coordinator, agreement=second, year=2026, category=QUOTA, places=5)
    services.places_set(by=coordinator, agreement=agreement, year=2025, category=MINOR, places=3)
    table = _table([narpes.pk], [2025, 2026])
    assert table[(narpes.pk, 2026, QUOTA)] == (15, 0)
    assert table[(narpes.pk, 2025, MINOR)] == (3, 0)
    assert table[(narpes.pk, 2025, QUOTA)] == (0, 0)


@time_machine.travel("2026-06-01 09:00 +0300", tick=False)
def test_places_table_runs_a_constant_number_of_queries(
    narpes, vasa, welfare, coordinator, agreement, django_assert_num_queries
):
    with django_assert_num_queries(4):
        places_table(municipality_ids=[narpes.pk], years=[2025])
    _arrive(coordinator, narpes, welfare, people=3, arrived_on=D(2025, 9, 16))
    _arrive(coordinator, narpes, welfare, people=2, arrived_on=D(2026, 2, 1), kind=MOVE)
    services.places_set(by=coordinator, agreement=agreement, year=2026, category=QUOTA, places=10)
    with django_assert_num_queries(4):
        places_table(municipality_ids=[narpes.pk, vasa.pk], years=[2025, 2026, 2027])
    assert places_table(municipality_ids=[], years=[2025]) == []


# --- the services --------------------------------------------------------------------------------


def _codes(excinfo) -> dict[str, set[str]]:
    return {field: {e.code for e in errors} for field, errors in excinfo.value.error_dict.items()}


def test_agreement_parties_and_period_are_checked(narpes, welfare, state_centre, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_create(
            by=coordinator,
            municipality=narpes,
            state_centre=welfare,
            welfare_area=state_centre,
            starts_on=D(2025, 1, 1),
            ends_on=D(2025, 1, 1),
        )
    assert _codes(excinfo) == {
        "state_centre": {"not_a_state_centre"},
        "welfare_area": {"not_a_welfare_area"},
        "ends_on": {"agreement_period"},
    }
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_create(
            by=coordinator,
            municipality=narpes,
            state_centre=state_centre,
            starts_on=D(2025, 1, 1),
            ends_on=D(2026, 1, 1),
            consultation_notes="Heard by phone",
        )
    assert _codes(excinfo) == {"welfare_area": {"welfare_area_missing"}}
    assert not PlacementAgreement.objects.exists()


def test_places_year_category_and_number_are_checked(agreement, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.places_set(by=coordinator, agreement=agreement, year=2028, category="tourists", places=-1)
    assert _codes(excinfo) == {
        "year": {"year_outside_period"},
        "category": {"place_category"},
        "places": {"places_range"},
    }
    with pytest.raises(ValidationError) as excinfo:
        services.round_add(by=coordinator, agreement=agreement, year=2024, held_on=D(2024, 3, 1))
    assert _codes(excinfo) == {"year": {"year_outside_period"}}
    assert not AgreedPlaces.objects.exists() and not NegotiationRound.objects.exists()


def test_a_revision_keeps_the_number_before_it_in_the_write_log(agreement, coordinator):
    services.places_set(by=coordinator, agreement=agreement, year=2026, category=QUOTA, places=10)
    row = services.places_set(by=coordinator, agreement=agreement, year=2026, category=QUOTA, places=12)
    assert AgreedPlaces.objects.get().places == 12
    entries = LogEntry.objects.get_for_object(row).order_by("timestamp")
    assert [e.changes_dict["places"] for e in entries] == [["None", "10"], ["10", "12"]]
    assert {e.actor for e in entries} == {coordinator}


def test_the_period_cannot_shrink_past_the_places_agreed(agreement, coordinator):
    services.places_set(by=coordinator, agreement=agreement, year=2027, category=QUOTA, places=4)
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_update(by=coordinator, agreement=agreement, data={"ends_on": D(2026, 12, 31)})
    assert _codes(excinfo) == {"ends_on": {"places_outside_period"}}
    agreement.refresh_from_db()
    assert agreement.ends_on == D(2027, 12, 31)


def test_only_coordinators_write_agreements(agreement, case_worker, narpes, state_centre):
    for attempt in (
        lambda: services.places_set(by=case_worker, agreement=agreement, year=2026, category=QUOTA, places=1),
        lambda: services.round_add(by=case_worker, agreement=agreement, year=2026, held_on=D(2026, 3, 1)),
        lambda: services.agreement_update(
            by=case_worker, agreement=agreement, data={"decision_reference": "x"}
        ),
        lambda: services.agreement_create(
            by=case_worker,
            municipality=narpes,
            state_centre=state_centre,
            starts_on=D(2025, 1, 1),
            ends_on=D(2026, 1, 1),
        ),
    ):
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert excinfo.value.code == "agreement_forbidden"
    assert policy.can_manage_arrivals(case_worker, narpes.pk) and not services.may_write(
        case_worker, narpes.pk
    )


# --- the pages: who sees what ------------------------------------------------------------------

NO_RECEPTION_ROLE = [
    (Role.COUNSELLOR, "narpes"),
    (Role.SOCIAL_WORKER, "welfare"),
    (Role.EMPLOYMENT_OFFICER, "narpes"),
    (Role.DATA_PROTECTION_OFFICER, "narpes"),
    (Role.REPORTING, "narpes"),
]


@pytest.mark.parametrize(("role", "organisation"), NO_RECEPTION_ROLE)
def test_roles_without_reception_find_no_agreement_pages(client, request, agreement, role, organisation):
    user = UserFactory.with_role(role, request.getfixturevalue(organisation))
    client.force_login(user)
    for url in (
        reverse("reception:agreements"),
        reverse("reception:agreement_create"),
        reverse("reception:agreement_detail", args=[agreement.pk]),
        reverse("reception:agreement_edit", args=[agreement.pk]),
        reverse("reception:places_export", args=["csv"]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("reception:agreement_places", args=[agreement.pk]),
        {"places-year": 2026, "places-category": QUOTA, "places-places": 9},
    )
    assert response.status_code == 404
    assert not AgreedPlaces.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, agreement):
    for url in (reverse("reception:agreements"), reverse("reception:agreement_detail", args=[agreement.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@time_machine.travel("2026-06-01 09:00 +0300", tick=False)
def test_a_coordinator_sees_and_changes_the_agreements(client, agreement, coordinator):
    client.force_login(coordinator)
    listing = client.get(reverse("reception:agreements"))
    assert listing.status_code == 200
    assert [a.pk for a in listing.context["agreements"]] == [agreement.pk]
    assert listing.context["years"] == [2026, 2027, 2028]  # this year and the next two
    # Too many years, or the wrong way round: the filter says so and the table keeps its default.
    for first, last in ((2020, 2035), (2027, 2025)):
        listing = client.get(reverse("reception:agreements"), {"first_year": first, "last_year": last})
        assert listing.context["form"].errors and listing.context["years"] == [2026, 2027, 2028]
    assert client.get(reverse("reception:agreement_create")).status_code == 200
    assert client.get(reverse("reception:agreement_edit", args=[agreement.pk])).status_code == 200

    url = reverse("reception:agreement_places", args=[agreement.pk])
    response = client.post(url, {"places-year": 2026, "places-category": QUOTA, "places-places": 9})
    assert response.status_code == 302
    client.post(url, {"places-year": 2026, "places-category": QUOTA, "places-places": 11})
    response = client.post(
        reverse("reception:agreement_round", args=[agreement.pk]),
        {"round-year": 2026, "round-held_on": "2026-03-04", "round-outcome": "Eleven quota places."},
    )
    assert response.status_code == 302
    page = client.get(reverse("reception:agreement_detail", args=[agreement.pk]))
    revisions = [(r["year"], r["before"], r["after"]) for r in page.context["revisions"]]
    assert revisions == [(2026, "9", "11"), (2026, None, "9")]
    assert "Eleven quota places." in page.content.decode()
    row = next(r for r in page.context["grid"] if r["year"] == 2026 and r["agreed"] is not None)
    assert (row["agreed"], row["used"]) == (11, 0)


def test_a_case_worker_reads_but_does_not_write(client, agreement, case_worker):
    client.force_login(case_worker)
    assert client.get(reverse("reception:agreements")).status_code == 200
    page = client.get(reverse("reception:agreement_detail", args=[agreement.pk]))
    assert page.status_code == 200 and not page.context["forms"]
    assert client.get(reverse("reception:agreement_create")).status_code == 403
    assert client.get(reverse("reception:agreement_edit", args=[agreement.pk])).status_code == 403
    response = client.post(
        reverse("reception:agreement_places", args=[agreement.pk]),
        {"places-year": 2026, "places-category": QUOTA, "places-places": 9},
    )
    assert response.status_code == 403 and not AgreedPlaces.objects.exists()


def test_another_municipalitys_coordinator_finds_nothing_of_narpes(client, agreement, vasa, narpes):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    listing = client.get(reverse("reception:agreements"))
    assert listing.status_code == 200 and not list(listing.context["agreements"])
    assert {row.municipality.pk for row in listing.context["rows"]} == {vasa.pk}
    # Asking for Närpes by id in the filter does not show it either.
    listing = client.get(
        reverse("reception:agreements"), {"municipality": narpes.pk, "first_year": 2025, "last_year": 2025}
    )
    assert {row.municipality.pk for row in listing.context["rows"]} == {vasa.pk}
    for name in ("reception:agreement_detail", "reception:agreement_edit"):
        assert client.get(reverse(name, args=[agreement.pk])).status_code == 404
    response = client.post(
        reverse("reception:agreement_round", args=[agreement.pk]),
        {"round-year": 2026, "round-held_on": "2026-03-04"},
    )
    assert response.status_code == 404 and not NegotiationRound.objects.exists()


# --- bad input, escaping ---------------------------------------------------------------------------


def test_bad_input_gives_form_errors_and_writes_nothing(client, agreement, coordinator, narpes, state_centre):
    client.force_login(coordinator)
    url = reverse("reception:agreement_places", args=[agreement.pk])
    for data in (
        {"places-year": 2026, "places-category": QUOTA, "places-places": -1},
        {"places-year": 2031, "places-category": QUOTA, "places-places": 3},
        {"places-year": 2026, "places-category": "tourists", "places-places": 3},
        {"places-year": 2026, "places-category": QUOTA, "places-places": "many"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["forms"]["places"].errors
    assert not AgreedPlaces.objects.exists()

    response = client.post(
        reverse("reception:agreement_round", args=[agreement.pk]),
        {"round-year": 2026, "round-held_on": "31.2.2026"},
    )
    assert "held_on" in response.context["forms"]["round"].errors and not NegotiationRound.objects.exists()

    # The period is the service's rule: its error lands on the field, with what was typed kept.
    response = client.post(
        reverse("reception:agreement_create"),
        {
            "municipality": narpes.pk,
            "state_centre": state_centre.pk,
            "starts_on": "2028-01-01",
            "ends_on": "2027-12-31",
            "decision_reference": "ELY/9/2027",
        },
    )
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["ends_on"]] == ["agreement_period"]
    assert form["decision_reference"].value() == "ELY/9/2027"
    assert PlacementAgreement.objects.count() == 1


def test_markup_in_the_consultation_notes_is_shown_as_text(client, agreement, coordinator):
    services.agreement_update(
        by=coordinator,
        agreement=agreement,
        data={"consultation_notes": "<script>alert('x')</script>\n<b>bold</b>"},
    )
    client.force_login(coordinator)
    page = client.get(reverse("reception:agreement_detail", args=[agreement.pk])).content.decode()
    assert "<script>alert" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt;" in page


# --- the export ------------------------------------------------------------------------------------


@time_machine.travel("2026-06-01 09:00 +0300", tick=False)
def test_export_of_places_agreed_and_used(client, agreement, coordinator, narpes, welfare):
    _arrive(coordinator, narpes, welfare, people=2, arrived_on=D(2026, 2, 1))
    services.places_set(by=coordinator, agreement=agreement, year=2026, category=QUOTA, places=10)
    client.force_login(coordinator)
    query = {"first_year": 2025, "last_year": 2026}

    response = client.get(reverse("reception:places_export", args=["csv"]), query)
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "coordinator.narpes" in lines[0][0]
    assert "Närpes" in lines[1][0] and "2025–2026" in lines[1][0]
    header = lines.index(
        ["municipality_code", "municipality", "year", "category", "agreed", "used", "remaining"]
    )
    data = lines[header + 1 :]
    assert len(data) == 2 * 3
    assert ["545", "Närpes", "2026", "quota", "10", "2", "8"] in data

    response = client.get(reverse("reception:places_export", args=["xlsx"]), query)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert "Närpes" in rows[1][0]
    assert ("545", "Närpes", 2026, "quota", 10, 2, 8) in rows


# --- queries -------------------------------------------------------------------------------------


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reception:agreements")).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_however_many_agreements(
    client, agreement, coordinator, narpes, state_centre
):
    client.force_login(coordinator)
    services.places_set(by=coordinator, agreement=agreement, year=2026, category=QUOTA, places=10)
    one = _list_queries(client)
    for year in range(2028, 2034):
        more = services.agreement_create(
            by=coordinator,
            municipality=narpes,
            state_centre=state_centre,
            starts_on=D(year, 1, 1),
            ends_on=D(year, 12, 31),
        )
        services.places_set(by=coordinator, agreement=more, year=year, category=MINOR, places=2)
    assert _list_queries(client) == one
