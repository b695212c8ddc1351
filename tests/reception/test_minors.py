"""Placements of unaccompanied minors: the rules of the service, the pages for every role, the
read log, hostile input, the export and the cost of the list."""

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
from django.utils import translation

from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Organisation, Role
from hemkommun.reception.models import AgreedPlaces, MinorPlacement, PlaceCategory, PlacementAgreement
from hemkommun.reception.services import minors

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
TODAY = D(2025, 9, 16)
FAMILY_GROUP_HOME = MinorPlacement.Kind.FAMILY_GROUP_HOME


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2025-09-16 09:00 +0300", tick=False):
        yield


@pytest.fixture
def state_centre(db):
    return OrganisationFactory(kind=Organisation.Kind.STATE_CENTRE, code="ely", name_fi="ELY", name_sv="NTM")


def make_agreement(municipality, state_centre, *, minor_places=(2025, 2026), **kwargs) -> PlacementAgreement:
    kwargs.setdefault("starts_on", D(2024, 1, 1))
    kwargs.setdefault("ends_on", D(2027, 12, 31))
    agreement = PlacementAgreement.objects.create(
        municipality=municipality, state_centre=state_centre, decision_reference="ELY/545/2024", **kwargs
    )
    for year in minor_places:
        AgreedPlaces.objects.create(
            agreement=agreement, year=year, category=PlaceCategory.UNACCOMPANIED_MINORS, places=4
        )
    return agreement


@pytest.fixture
def agreement(narpes, state_centre):
    return make_agreement(narpes, state_centre)


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def case_worker(narpes):
    return UserFactory.with_role(Role.CASE_WORKER, narpes, username="caseworker.narpes")


@pytest.fixture
def minor(narpes, coordinator):
    return make_client(
        narpes,
        by=coordinator,
        family_name="Ahmadi",
        given_names="Reza",
        birth_year=2009,
        birth_month=3,
        birth_day=2,
    )


def place(by, client, agreement, **kwargs) -> MinorPlacement:
    kwargs.setdefault("kind", FAMILY_GROUP_HOME)
    kwargs.setdefault("unit_name", "Perheryhmäkoti Aalto")
    kwargs.setdefault("starts_on", D(2025, 9, 1))
    return minors.placement_create(by=by, client=client, agreement=agreement, **kwargs)


def codes(excinfo) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in excinfo.value.error_dict.items()}


# The service ---------------------------------------------------------------------------------


def test_a_minor_is_placed_under_the_agreement_with_the_actor_logged(minor, agreement, coordinator, narpes):
    placement = place(coordinator, minor, agreement, representative="Maria Lind")
    assert (placement.municipality, placement.client, placement.agreement) == (narpes, minor, agreement)
    entry = LogEntry.objects.get_for_object(placement).get(action=LogEntry.Action.CREATE)
    assert entry.actor == coordinator


def test_the_client_must_be_under_18_on_the_first_day(narpes, agreement, coordinator):
    # Born 17.9.2007: 18 years old on 17.9.2025.
    almost = make_client(narpes, by=coordinator, birth_year=2007, birth_month=9, birth_day=17)
    place(coordinator, almost, agreement, starts_on=D(2025, 9, 16))
    other = make_client(narpes, by=coordinator, birth_year=2007, birth_month=9, birth_day=16)
    with pytest.raises(ValidationError) as excinfo:
        place(coordinator, other, agreement, starts_on=D(2025, 9, 16))
    assert codes(excinfo) == {"starts_on": ["not_a_minor"]}


def test_a_birth_year_alone_gives_the_minor_the_benefit_of_the_doubt(narpes, agreement, coordinator):
    """Only the year known: counted as born on 31 December, the latest date the year allows."""
    born_2007 = make_client(narpes, by=coordinator, birth_year=2007)
    assert minors.is_minor_on(born_2007, D(2025, 12, 30))
    assert not minors.is_minor_on(born_2007, D(2025, 12, 31))
    place(coordinator, born_2007, agreement, starts_on=D(2025, 12, 30))
    month_known = make_client(narpes, by=coordinator, birth_year=2007, birth_month=2)
    assert minors.is_minor_on(month_known, D(2025, 2, 27)) and not minors.is_minor_on(
        month_known, D(2025, 2, 28)
    )


def test_a_client_without_a_birth_year_is_not_placed(narpes, agreement, coordinator):
    unknown = make_client(narpes, by=coordinator)
    with pytest.raises(ValidationError) as excinfo:
        place(coordinator, unknown, agreement)
    assert codes(excinfo) == {"client": ["birth_date_unknown"]}


def test_the_agreement_must_be_the_municipalitys_in_force_with_places_for_minors(
    minor, agreement, coordinator, vasa, state_centre, narpes
):
    cases = [
        (make_agreement(vasa, state_centre), "agreement_of_another"),
        (
            make_agreement(narpes, state_centre, starts_on=D(2020, 1, 1), ends_on=D(2023, 12, 31)),
            "agreement_not_in_force",
        ),
        (
            make_agreement(narpes, state_centre, starts_on=D(2025, 1, 1), minor_places=()),
            "no_places_for_minors",
        ),
    ]
    quota_only = cases[2][0]
    AgreedPlaces.objects.create(
        agreement=quota_only, year=2025, category=PlaceCategory.QUOTA_REFUGEES, places=20
    )
    for other, code in cases:
        with pytest.raises(ValidationError) as excinfo:
            place(coordinator, minor, other)
        assert codes(excinfo) == {"agreement": [code]}
    # Places agreed for 2025 do not cover a placement starting in 2027.
    with pytest.raises(ValidationError) as excinfo:
        place(coordinator, minor, agreement, starts_on=D(2027, 1, 1))
    assert codes(excinfo) == {"agreement": ["no_places_for_minors"]}
    assert not MinorPlacement.objects.exists()


def test_placements_of_one_client_do_not_overlap(minor, agreement, coordinator):
    first = place(coordinator, minor, agreement, starts_on=D(2025, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        place(coordinator, minor, agreement, starts_on=D(2025, 9, 1))  # the first is still open
    assert codes(excinfo) == {"starts_on": ["placement_overlap"]}
    minors.placement_end(by=coordinator, placement=first, ends_on=D(2025, 8, 31))
    with pytest.raises(ValidationError):
        place(coordinator, minor, agreement, starts_on=D(2025, 8, 31))  # the last day is included
    second = place(coordinator, minor, agreement, starts_on=D(2025, 9, 1), kind="supported_housing")
    # An earlier placement cannot be stretched over the next one.
    with pytest.raises(ValidationError) as excinfo:
        minors.placement_update(
            by=coordinator,
            placement=first,
            agreement=agreement,
            kind=FAMILY_GROUP_HOME,
            unit_name="Perheryhmäkoti Aalto",
            starts_on=D(2025, 3, 1),
            ends_on=D(2025, 9, 10),
        )
    assert codes(excinfo) == {"starts_on": ["placement_overlap"]}
    # A placement does not overlap itself.
    minors.placement_update(
        by=coordinator,
        placement=second,
        agreement=agreement,
        kind="supported_housing",
        unit_name="Tuki",
        starts_on=D(2025, 9, 2),
    )
    second.refresh_from_db()
    assert (second.unit_name, second.starts_on) == ("Tuki", D(2025, 9, 2))


def test_ending_a_placement(minor, agreement, coordinator):
    placement = place(coordinator, minor, agreement)
    with pytest.raises(ValidationError) as excinfo:
        minors.placement_end(by=coordinator, placement=placement, ends_on=D(2025, 8, 31))
    assert codes(excinfo) == {"ends_on": ["placement_period"]}
    minors.placement_end(by=coordinator, placement=placement, ends_on=D(2025, 9, 10))
    placement.refresh_from_db()
    assert placement.ends_on == D(2025, 9, 10)
    with pytest.raises(ValidationError) as excinfo:
        minors.placement_end(by=coordinator, placement=placement, ends_on=D(2025, 9, 12))
    assert codes(excinfo) == {"ends_on": ["placement_ended"]}
    with pytest.raises(ValidationError) as excinfo:
        place(coordinator, minor, agreement, starts_on=D(2025, 10, 1), ends_on=D(2025, 9, 30))
    assert codes(excinfo) == {"ends_on": ["placement_period"]}


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.SOCIAL_WORKER, Role.DATA_PROTECTION_OFFICER])
def test_only_reception_staff_of_the_municipality_place(minor, agreement, narpes, vasa, role):
    for user in (UserFactory.with_role(role, narpes), UserFactory.with_role(Role.COORDINATOR, vasa)):
        with pytest.raises(ValidationError) as excinfo:
            place(user, minor, agreement)
        assert excinfo.value.code == "reception_forbidden"
    assert not MinorPlacement.objects.exists()


# Pages ---------------------------------------------------------------------------------------


@pytest.fixture
def placement(minor, agreement, coordinator):
    return place(coordinator, minor, agreement, unit_name="<script>alert(1)</script> Aalto")


def page_urls(placement) -> list[tuple[str, str]]:
    return [
        ("get", reverse("reception:minors")),
        ("get", reverse("reception:minors_export", args=["csv"])),
        ("get", f"{reverse('reception:minor_create')}?client={placement.client_id}"),
        ("get", reverse("reception:minor_detail", args=[placement.pk])),
        ("get", reverse("reception:minor_edit", args=[placement.pk])),
        ("post", reverse("reception:minor_end", args=[placement.pk])),
    ]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CASE_WORKER])
def test_coordinators_and_case_workers_open_every_page(client, placement, narpes, role):
    client.force_login(UserFactory.with_role(role, narpes))
    for method, url in page_urls(placement)[:-1]:
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("reception:minor_end", args=[placement.pk]), {"ends_on": "2025-09-20"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "who", ["counsellor", "welfare_social_worker", "employment_officer", "dpo", "vasa_coordinator"]
)
def test_everyone_else_finds_nothing(client, placement, narpes, vasa, who):
    users = {
        "counsellor": lambda: UserFactory.with_role(Role.COUNSELLOR, narpes),
        "welfare_social_worker": lambda: UserFactory.with_role(
            Role.SOCIAL_WORKER, OrganisationFactory.welfare_area()
        ),
        "employment_officer": lambda: UserFactory.with_role(Role.EMPLOYMENT_OFFICER, narpes),
        "dpo": lambda: UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes),
        "vasa_coordinator": lambda: UserFactory.with_role(Role.COORDINATOR, vasa),
    }
    client.force_login(users[who]())
    urls = page_urls(placement)
    if who == "vasa_coordinator":
        # Vasa's own lists open, without a trace of Närpes; Närpes' records stay not found.
        lists, urls = urls[:2], urls[2:]
        for _method, url in lists:
            content = client.get(url).content.decode("utf-8-sig")
            assert "Ahmadi" not in content and "Aalto" not in content, url
    for method, url in urls:
        response = getattr(client, method)(url, {"ends_on": "2025-09-20"} if method == "post" else None)
        assert response.status_code == 404, (who, url)
    assert not ReadEvent.objects.filter(client=placement.client).exists()
    placement.refresh_from_db()
    assert placement.ends_on is None


def test_anonymous_is_sent_to_sign_in(client, placement):
    for method, url in page_urls(placement):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_the_list_shows_current_first_and_logs_the_reads(client, placement, coordinator, narpes, agreement):
    ended_client = make_client(
        narpes, by=coordinator, family_name="Karimi", given_names="Ali", birth_year=2010
    )
    place(coordinator, ended_client, agreement, starts_on=D(2025, 5, 1), ends_on=D(2025, 6, 30))
    client.force_login(coordinator)
    content = client.get(reverse("reception:minors")).content.decode()
    assert content.index("Ahmadi, Reza") < content.index("Karimi, Ali")
    assert reverse("clients:detail", args=[placement.client_id]) in content
    listed = ReadEvent.objects.filter(user=coordinator, action=ReadEvent.Action.LIST)
    assert set(listed.values_list("client_id", flat=True)) == {placement.client_id, ended_client.pk}
    ended = client.get(reverse("reception:minors"), {"status": "ended"}).content.decode()
    assert "Karimi, Ali" in ended and "Ahmadi, Reza" not in ended


def test_markup_in_the_unit_name_is_shown_as_text(client, placement, coordinator):
    client.force_login(coordinator)
    for url in (reverse("reception:minors"), reverse("reception:minor_detail", args=[placement.pk])):
        content = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Aalto" in content
        assert "<script>alert(1)" not in content


def test_the_detail_page_logs_a_read_of_the_client(client, placement, case_worker):
    client.force_login(case_worker)
    client.get(reverse("reception:minor_detail", args=[placement.pk]))
    event = ReadEvent.objects.get(user=case_worker, client=placement.client)
    assert event.action == ReadEvent.Action.DETAIL and event.basis == ReadEvent.Basis.OWN_ORGANISATION


def test_placing_through_the_page(client, minor, agreement, case_worker):
    client.force_login(case_worker)
    url = f"{reverse('reception:minor_create')}?client={minor.pk}"
    response = client.post(
        url,
        {
            "agreement": agreement.pk,
            "kind": "supported_housing",
            "unit_name": "Tukiasunnot",
            "starts_on": "2025-09-16",
        },
    )
    placement = MinorPlacement.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reception:minor_detail", args=[placement.pk]
    )
    assert (placement.client, placement.kind, placement.ends_on) == (minor, "supported_housing", None)


def test_another_municipalitys_agreement_in_the_post_is_refused(
    client, minor, agreement, coordinator, vasa, state_centre
):
    foreign = make_agreement(vasa, state_centre)
    client.force_login(coordinator)
    response = client.post(
        f"{reverse('reception:minor_create')}?client={minor.pk}",
        {"agreement": foreign.pk, "kind": FAMILY_GROUP_HOME, "unit_name": "X", "starts_on": "2025-09-16"},
    )
    assert response.status_code == 200 and response.context["form"].errors["agreement"]
    assert not MinorPlacement.objects.exists()


def test_a_service_rule_is_shown_on_its_field(client, minor, coordinator, narpes, state_centre):
    no_places = make_agreement(narpes, state_centre, minor_places=())
    client.force_login(coordinator)
    response = client.post(
        f"{reverse('reception:minor_create')}?client={minor.pk}",
        {"agreement": no_places.pk, "kind": FAMILY_GROUP_HOME, "unit_name": "X", "starts_on": "2025-09-16"},
    )
    with translation.override("fi"):
        expected = str(response.context["form"].errors["agreement"][0])
    assert "2025" in expected and expected in response.content.decode()
    assert not MinorPlacement.objects.exists()


def test_the_create_page_needs_a_client_of_a_managed_municipality(client, coordinator, vasa, narpes):
    client.force_login(coordinator)
    vasa_client = make_client(vasa, birth_year=2010)
    for query in ("", "?client=abc", f"?client={vasa_client.pk}"):
        assert client.get(reverse("reception:minor_create") + query).status_code == 404, query


def test_editing_and_ending_through_the_pages(client, placement, coordinator, agreement):
    client.force_login(coordinator)
    data = {
        "agreement": agreement.pk,
        "kind": "supported_housing",
        "unit_name": "Tuki",
        "starts_on": "2025-09-01",
    }
    response = client.post(
        reverse("reception:minor_edit", args=[placement.pk]), {**data, "ends_on": "2025-08-01"}
    )
    assert response.status_code == 200 and response.context["form"].errors["ends_on"]
    client.post(reverse("reception:minor_edit", args=[placement.pk]), data)
    placement.refresh_from_db()
    assert (placement.kind, placement.unit_name) == ("supported_housing", "Tuki")
    response = client.post(reverse("reception:minor_end", args=[placement.pk]), {"ends_on": "2025-08-01"})
    assert response.status_code == 200 and response.context["end_form"].errors["ends_on"]
    client.post(reverse("reception:minor_end", args=[placement.pk]), {"ends_on": "2025-09-30"})
    placement.refresh_from_db()
    assert placement.ends_on == D(2025, 9, 30)


def test_the_export_lists_client_numbers_and_logs_it(client, placement, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("reception:minors_export", args=["xlsx"]), {"status": "current"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    with translation.override("fi"):
        filters = minors_filters_note("current")
    assert filters in rows[1][0]
    header_at = rows.index(
        [
            "client_id",
            "municipality",
            "kind",
            "unit",
            "starts_on",
            "ends_on",
            "agreement_id",
            "agreement_reference",
        ]
    )
    data = rows[header_at + 1]
    assert data[:5] == [
        placement.client_id,
        "545",
        FAMILY_GROUP_HOME,
        "<script>alert(1)</script> Aalto",
        "2025-09-01",
    ]
    assert not any("Ahmadi" in str(cell) for row in rows for cell in row)
    assert ReadEvent.objects.filter(
        user=coordinator, action=ReadEvent.Action.EXPORT, client=placement.client
    ).exists()
    text = client.get(reverse("reception:minors_export", args=["csv"])).content.decode("utf-8-sig")
    assert [str(placement.client_id), "545"] in [row[:2] for row in csv.reader(io.StringIO(text))]


def minors_filters_note(status: str) -> str:
    from hemkommun.reception.minor_views import _describe

    return _describe({"status": status, "municipality": None})


def test_the_list_costs_the_same_queries_for_more_rows(client, placement, coordinator, narpes, agreement):
    client.force_login(coordinator)
    url = reverse("reception:minors")
    client.get(url)  # the session and the like, once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for number in range(4):
        other = make_client(narpes, by=coordinator, family_name=f"Minor{number}", birth_year=2011)
        place(coordinator, other, agreement, kind="supported_housing")
    assert queries() == one


def test_the_client_page_offers_placement_to_reception_staff_for_minors(
    client, minor, coordinator, counsellor_narpes, narpes
):
    adult = make_client(narpes, by=coordinator, birth_year=1990)
    create = reverse("reception:minor_create")
    client.force_login(coordinator)
    assert (
        f"{create}?client={minor.pk}"
        in client.get(reverse("clients:detail", args=[minor.pk])).content.decode()
    )
    assert create not in client.get(reverse("clients:detail", args=[adult.pk])).content.decode()
    client.force_login(counsellor_narpes)
    assert create not in client.get(reverse("clients:detail", args=[minor.pk])).content.decode()
