"""Indicators on known data, typed values, and activities with named and anonymous attendance."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemkommun.casework.models import Assessment, IntegrationPlan, Referral
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role
from hemkommun.programme import activities, services
from hemkommun.programme.indicators import programme_values
from hemkommun.programme.models import Activity, Indicator, IndicatorValue, Programme, Session
from hemkommun.programme.parsing import parse_text

from ..factories import OrganisationFactory, UserFactory, make_client

D = datetime.date
Figure = Indicator.Figure
TABLE = "Grunden\nMål\tÅtgärd\tUppföljning\nMötesplatser\tSkapa mötesplatser\tAntal mötesplatser per år\n"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-23 10:00 +0200", tick=False):
        yield


@pytest.fixture
def coordinator(narpes):
    return UserFactory.with_role(Role.COORDINATOR, narpes, username="coordinator.narpes")


@pytest.fixture
def programme(narpes, coordinator) -> Programme:
    return services.programme_import(
        by=coordinator,
        owners=[narpes],
        period=services.Period(2024, 2026),
        parsed=parse_text(TABLE),
        title="P",
    )


def activity(municipality, by, kind=Activity.Kind.RECURRING, **data) -> Activity:
    values = {
        "name": "Morgonkaffe",
        "kind": kind,
        "organiser": "Integrationstjänsterna",
        "starts_on": D(2024, 1, 1),
    }
    return activities.activity_save(by=by, municipality=municipality, data={**values, **data})


def indicator(programme, by, figure="", **data) -> Indicator:
    kind = Indicator.Kind.COMPUTED if figure else Indicator.Kind.TYPED
    return services.indicator_save(
        by=by, programme=programme, name=figure or "typed", kind=kind, figure=figure, **data
    )


def test_computed_indicators_count_the_owners_records_per_year(programme, narpes, vasa, coordinator):
    # Clients: two who became clients in 2024 and one in 2025 in Närpes; one in Vasa, not counted.
    people = [make_client(narpes, client_since=day) for day in (D(2024, 2, 1), D(2024, 9, 1), D(2025, 1, 5))]
    make_client(vasa, client_since=D(2024, 3, 1))
    worker = coordinator
    Assessment.objects.create(
        client=people[0],
        organisation=narpes,
        worker=worker,
        status="completed",
        started_on=D(2024, 1, 2),
        completed_on=D(2024, 2, 1),
    )
    Assessment.objects.create(
        client=people[1],
        organisation=narpes,
        worker=worker,
        status="draft",
        started_on=D(2024, 5, 1),
        completed_on=D(2024, 6, 1),
    )  # a draft is not a completed assessment
    IntegrationPlan.objects.create(
        client=people[0],
        organisation=narpes,
        worker=worker,
        drafted_on=D(2024, 2, 1),
        starts_on=D(2024, 3, 1),
        ends_on=D(2025, 3, 1),
        agreed_on=D(2025, 2, 20),
        status="agreed",
    )
    Referral.objects.create(
        client=people[0],
        kind="employment",
        from_organisation=narpes,
        to_organisation=vasa,
        sent_by=worker,
        sent_on=D(2025, 4, 1),
        due_on=D(2025, 5, 1),
        reason="x",
    )
    coffee = activity(narpes, coordinator)
    friends = activity(narpes, coordinator, kind=Activity.Kind.FRIEND_PROGRAMME, name="Vänpersoner")
    activity(
        narpes,
        coordinator,
        kind=Activity.Kind.MEETING_PLACE,
        name="Mötesplats",
        starts_on=D(2024, 5, 1),
        ends_on=D(2025, 6, 30),
    )
    activity(narpes, coordinator, kind=Activity.Kind.MEETING_PLACE, name="Café", starts_on=D(2025, 3, 1))
    # The same named client twice in 2024 counts once; anonymous people count per session.
    for day in (D(2024, 3, 5), D(2024, 3, 12)):
        activities.session_record(
            by=coordinator,
            activity=coffee,
            held_on=day,
            client_ids=[people[0].pk],
            anonymous=[("65+", "F", "ru", 3)],
        )
    activities.session_record(
        by=coordinator, activity=friends, held_on=D(2025, 5, 5), client_ids=[people[1].pk]
    )
    indicators = {figure: indicator(programme, coordinator, figure) for figure in Figure.values}
    values = programme_values(programme, [2023, 2024, 2025, 2026])
    by_figure = {figure: values[item.pk] for figure, item in indicators.items()}
    expected = {
        Figure.NEW_CLIENTS: (0, 2, 1, 0),
        Figure.ASSESSMENTS: (0, 1, 0, 0),
        Figure.PLANS: (0, 0, 1, 0),
        Figure.REFERRALS: (0, 0, 1, 0),
        Figure.ACTIVITY_SESSIONS: (0, 2, 1, 0),
        Figure.EVENTS: (0, 0, 0, 0),
        Figure.ACTIVITY_PARTICIPANTS: (0, 1 + 6, 1, 0),
        Figure.FRIEND_PROGRAMME: (0, 0, 1, 0),
        Figure.MEETING_PLACES: (0, 1, 2, 1),
    }
    for figure, counts in expected.items():
        assert tuple(by_figure[figure][year] for year in (2023, 2024, 2025, 2026)) == tuple(
            map(Decimal, counts)
        ), figure


def test_typed_values_are_set_changed_and_cleared(programme, coordinator):
    typed = indicator(programme, coordinator, unit="vänpersoner")
    services.indicator_value_set(
        by=coordinator, indicator=typed, year=2024, value=Decimal("12"), note="Enligt föreningen"
    )
    services.indicator_value_set(by=coordinator, indicator=typed, year=2024, value=Decimal("14"))
    assert programme_values(programme, [2024, 2025])[typed.pk] == {2024: Decimal("14"), 2025: None}
    services.indicator_value_set(by=coordinator, indicator=typed, year=2024, value=None)
    assert not IndicatorValue.objects.exists()
    computed = indicator(programme, coordinator, Figure.PLANS)
    with pytest.raises(ValidationError):
        services.indicator_value_set(by=coordinator, indicator=computed, year=2024, value=Decimal(1))


def test_an_indicator_follows_actions_of_its_own_programme_only(programme, coordinator, narpes):
    other = services.programme_import(
        by=coordinator,
        owners=[narpes],
        period=services.Period(2024, 2026),
        parsed=parse_text(TABLE),
        title="O",
    )
    own = programme.themes.get().actions.get()
    foreign = other.themes.get().actions.get()
    typed = indicator(programme, coordinator, actions=[own])
    assert list(own.indicators.all()) == [typed]
    with pytest.raises(ValidationError):
        indicator(programme, coordinator, actions=[foreign])
    with pytest.raises(ValidationError):
        services.indicator_save(
            by=coordinator, programme=programme, name="x", kind="computed", figure="bogus"
        )


def test_a_revision_copies_the_indicators_with_their_actions_and_values(programme, coordinator):
    action = programme.themes.get().actions.get()
    typed = indicator(programme, coordinator, actions=[action])
    services.indicator_value_set(by=coordinator, indicator=typed, year=2025, value=Decimal("3"))
    revision = services.programme_revise(by=coordinator, programme=programme)
    copy = revision.indicators.get()
    assert copy.actions.get().theme.programme == revision
    assert copy.values.get().value == Decimal("3")
    with pytest.raises(ValidationError):
        services.indicator_value_set(by=coordinator, indicator=typed, year=2025, value=Decimal("4"))


def test_a_session_names_only_clients_the_writer_sees_and_checks_its_groups(narpes, vasa, coordinator):
    coffee = activity(narpes, coordinator, ends_on=D(2026, 6, 30))
    stranger = make_client(vasa)
    bad = [
        {"held_on": D(2026, 12, 1)},
        {"held_on": D(2023, 12, 31)},
        {"held_on": D(2026, 7, 1)},
        {"held_on": D(2025, 1, 1), "client_ids": [stranger.pk]},
        {"held_on": D(2025, 1, 1), "anonymous": [("bogus", "F", "", 1)]},
        {"held_on": D(2025, 1, 1), "anonymous": [("65+", "F", "zz", 1)]},
        {"held_on": D(2025, 1, 1), "anonymous": [("65+", "F", "", 10_001)]},
    ]
    for arguments in bad:
        with pytest.raises(ValidationError):
            activities.session_record(by=coordinator, activity=coffee, **arguments)
    assert not Session.objects.exists()
    session = activities.session_record(
        by=coordinator,
        activity=coffee,
        held_on=D(2025, 1, 1),
        anonymous=[("65+", "F", "ru", 2), ("65+", "F", "ru", 3)],
    )
    assert session.anonymous.get().count == 5


def test_the_activity_pages_record_a_session_and_log_the_names_shown(client, narpes, coordinator):
    person = make_client(narpes, family_name="Haddad")
    client.force_login(UserFactory.with_role(Role.COUNSELLOR, narpes))
    response = client.post(
        reverse("programme:activity_create"),
        {
            "name": "Språkcafé",
            "kind": "language_cafe",
            "organiser": "Biblioteket",
            "languages": "sv, UK",
            "starts_on": "2026-01-01",
        },
    )
    created = Activity.objects.get()
    assert response.url == reverse("programme:activity", args=[created.pk]) and created.languages == "sv, uk"
    url = reverse("programme:session_create", args=[created.pk])
    response = client.post(url, {"held_on": "2026-11-20", "clients": f"{person.pk}, abc", "count_0": "4"})
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    response = client.post(
        url,
        {
            "held_on": "2026-11-20",
            "clients": str(person.pk),
            "age_group_0": "18-29",
            "gender_0": "F",
            "language_0": "uk",
            "count_0": "4",
        },
    )
    session = Session.objects.get()
    page = client.get(response.url).content.decode()
    assert "Haddad" in page
    assert ReadEvent.objects.filter(client=person, context=f"activity session {session.pk}").exists()
    listing = client.get(reverse("programme:activity", args=[created.pk])).content.decode()
    assert "20.11.2026" in listing


@pytest.mark.parametrize(
    "role", [Role.REPORTING, Role.SOCIAL_WORKER, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]
)
def test_roles_outside_integration_work_have_no_activity_pages(client, narpes, coordinator, role):
    coffee = activity(narpes, coordinator)
    client.force_login(UserFactory.with_role(role, narpes))
    for url in (
        reverse("programme:activities"),
        reverse("programme:activity", args=[coffee.pk]),
        reverse("programme:session_create", args=[coffee.pk]),
    ):
        assert client.get(url).status_code == 404


def test_another_municipalitys_staff_get_404_on_activities_and_sessions(client, narpes, vasa, coordinator):
    coffee = activity(narpes, coordinator)
    session = activities.session_record(by=coordinator, activity=coffee, held_on=D(2025, 1, 1))
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    for url in (
        reverse("programme:activity", args=[coffee.pk]),
        reverse("programme:activity_edit", args=[coffee.pk]),
        reverse("programme:session", args=[session.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("programme:session_delete", args=[session.pk])).status_code == 404
    assert Session.objects.filter(pk=session.pk).exists()
    assert "Morgonkaffe" not in client.get(reverse("programme:activities")).content.decode()


def test_the_indicator_pages_add_and_fill_in_an_indicator(client, programme, coordinator):
    client.force_login(coordinator)
    action = programme.themes.get().actions.get()
    response = client.post(
        reverse("programme:indicator_create", args=[programme.pk]),
        {"name": "Vänpersoner", "kind": "typed", "unit": "personer", "actions": [action.pk]},
    )
    assert response.status_code == 302
    typed = Indicator.objects.get()
    url = reverse("programme:indicator_values", args=[programme.pk, typed.pk])
    response = client.post(url, {"value_2025": "12,5"})  # a decimal comma, as Finnish and Swedish write
    assert response.status_code == 302 and IndicatorValue.objects.get().value == Decimal("12.5")
    response = client.post(url, {"value_2025": "many"})
    assert response.status_code == 200 and IndicatorValue.objects.get().value == Decimal("12.5")
    page = client.get(reverse("programme:detail", args=[programme.pk])).content.decode()
    assert "Vänpersoner" in page and "12,5" in page
    response = client.post(
        reverse("programme:indicator_create", args=[programme.pk]), {"name": "", "kind": "computed"}
    )
    assert response.status_code == 200 and Indicator.objects.count() == 1
    vasa_coordinator = UserFactory.with_role(
        Role.COORDINATOR, OrganisationFactory.municipality("905", "Vasa")
    )
    client.force_login(vasa_coordinator)
    assert client.get(reverse("programme:indicator_values", args=[programme.pk, typed.pk])).status_code == 404
