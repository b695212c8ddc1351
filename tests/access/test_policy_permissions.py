"""Who may do what with which client: every role, written as explicit tables from the rules.

The tables come from DESIGN.md (Access) and the docstrings of hemkommun.access.policy, not from
its code: a client belongs to the organisation holding the case; staff with a client-data role
there see it (reporting sees figures only); another organisation sees it only through a share in
force (not expired, not revoked, already started); editing is for the holder's case staff (not
the data-protection officer); sharing for coordinators, case and social workers of the holder;
the read log for the holder's coordinator and data-protection officer; health data only for
social and case workers of the holder or of a recipient of a health share.
"""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hemkommun.access import policy
from hemkommun.clients import selectors
from hemkommun.clients.selectors import ClientSearch
from hemkommun.organizations.models import Membership, Organisation, Role, User

from ..factories import OrganisationFactory, UnitFactory, UserFactory, make_client, make_share

# The clients a Närpes staff member meets. All but OWN are held by Vasa.
OWN = "own"  # held by Närpes
FOREIGN = "foreign"  # held by Vasa, never shared
SHARED = "shared"  # shared with Närpes, basic scope, in force
SHARED_HEALTH = "shared_health"  # shared with Närpes, health scope, in force
EXPIRED = "expired"  # shared with Närpes, the share has ended
REVOKED = "revoked"  # shared with Närpes, the share was revoked
FUTURE = "future"  # shared with Närpes, the share has not started yet
TARGETS = (OWN, FOREIGN, SHARED, SHARED_HEALTH, EXPIRED, REVOKED, FUTURE)
EVERY = set(TARGETS)
NOTHING: set[str] = set()

# Personas: a role held in Närpes, plus the superuser, a user without membership and one whose
# Närpes membership (as counsellor) has ended.
PERSONAS = (*Role.values, "superuser", "no_membership", "expired_membership")

SEES = {
    Role.COUNSELLOR: {OWN, SHARED, SHARED_HEALTH},
    Role.CASE_WORKER: {OWN, SHARED, SHARED_HEALTH},
    Role.COORDINATOR: {OWN, SHARED, SHARED_HEALTH},
    Role.SOCIAL_WORKER: {OWN, SHARED, SHARED_HEALTH},
    Role.EMPLOYMENT_OFFICER: {OWN, SHARED, SHARED_HEALTH},
    Role.REPORTING: NOTHING,
    Role.ADMINISTRATOR: {OWN, SHARED, SHARED_HEALTH},
    Role.DATA_PROTECTION_OFFICER: {OWN, SHARED, SHARED_HEALTH},
    "superuser": EVERY,
    "no_membership": NOTHING,
    "expired_membership": NOTHING,
}
EDITS = {
    Role.COUNSELLOR: {OWN},
    Role.CASE_WORKER: {OWN},
    Role.COORDINATOR: {OWN},
    Role.SOCIAL_WORKER: {OWN},
    Role.EMPLOYMENT_OFFICER: {OWN},
    Role.REPORTING: NOTHING,
    Role.ADMINISTRATOR: {OWN},
    Role.DATA_PROTECTION_OFFICER: NOTHING,
    "superuser": EVERY,
    "no_membership": NOTHING,
    "expired_membership": NOTHING,
}
SHARES = {
    Role.COUNSELLOR: NOTHING,
    Role.CASE_WORKER: {OWN},
    Role.COORDINATOR: {OWN},
    Role.SOCIAL_WORKER: {OWN},
    Role.EMPLOYMENT_OFFICER: NOTHING,
    Role.REPORTING: NOTHING,
    Role.ADMINISTRATOR: NOTHING,
    Role.DATA_PROTECTION_OFFICER: NOTHING,
    "superuser": EVERY,
    "no_membership": NOTHING,
    "expired_membership": NOTHING,
}
READ_LOG = {
    Role.COUNSELLOR: NOTHING,
    Role.CASE_WORKER: NOTHING,
    Role.COORDINATOR: {OWN},
    Role.SOCIAL_WORKER: NOTHING,
    Role.EMPLOYMENT_OFFICER: NOTHING,
    Role.REPORTING: NOTHING,
    Role.ADMINISTRATOR: NOTHING,
    Role.DATA_PROTECTION_OFFICER: {OWN},
    "superuser": EVERY,
    "no_membership": NOTHING,
    "expired_membership": NOTHING,
}
HEALTH = {
    Role.COUNSELLOR: NOTHING,
    Role.CASE_WORKER: {OWN, SHARED_HEALTH},
    Role.COORDINATOR: NOTHING,
    Role.SOCIAL_WORKER: {OWN, SHARED_HEALTH},
    Role.EMPLOYMENT_OFFICER: NOTHING,
    Role.REPORTING: NOTHING,
    Role.ADMINISTRATOR: NOTHING,
    Role.DATA_PROTECTION_OFFICER: NOTHING,
    "superuser": NOTHING,  # the installation's administrator runs the system, not the casework
    "no_membership": NOTHING,
    "expired_membership": NOTHING,
}
ALL_TABLES = (SEES, EDITS, SHARES, READ_LOG, HEALTH)


def test_tables_cover_every_role_and_persona():
    for table in ALL_TABLES:
        assert set(table) == set(PERSONAS)


def _cases(table):
    return [
        pytest.param(persona, target, target in table[persona], id=f"{persona}-{target}")
        for persona in PERSONAS
        for target in TARGETS
    ]


GIVEN_NAMES = {
    FOREIGN: "Foreign",
    SHARED: "Basic",
    SHARED_HEALTH: "Health",
    EXPIRED: "Expired",
    REVOKED: "Revoked",
    FUTURE: "Future",
}


@pytest.fixture
def world(narpes, vasa):
    """Närpes staff and the seven kinds of client they may meet; names are unique search words."""
    vasa_admin = UserFactory.with_role(Role.ADMINISTRATOR, vasa)
    narpes_admin = UserFactory.with_role(Role.ADMINISTRATOR, narpes)
    clients = {OWN: make_client(narpes, by=narpes_admin, family_name="Policytest", given_names="Own")}
    for target in TARGETS[1:]:
        # Given names that are no prefix of one another, so each search finds one client.
        given = GIVEN_NAMES[target]
        clients[target] = make_client(vasa, by=vasa_admin, family_name="Policytest", given_names=given)
    make_share(clients[SHARED], narpes)
    make_share(clients[SHARED_HEALTH], narpes, scope="health")
    make_share(clients[EXPIRED], narpes, state="expired", scope="health")
    make_share(clients[REVOKED], narpes, state="revoked", scope="health")
    make_share(clients[FUTURE], narpes, state="future", scope="health")
    return clients


def persona_user(persona: str, organisation: Organisation) -> User:
    if persona == "superuser":
        return UserFactory(username="root", is_superuser=True, is_staff=True)
    if persona == "no_membership":
        return UserFactory(username="nobody")
    if persona == "expired_membership":
        user = UserFactory(username="former")
        Membership.objects.create(
            user=user,
            unit=organisation.units.first() or UnitFactory(organisation=organisation),
            role=Role.COUNSELLOR,
            valid_from=timezone.localdate() - datetime.timedelta(days=400),
            valid_until=timezone.localdate() - datetime.timedelta(days=1),
        )
        return user
    return UserFactory.with_role(persona, organisation, username=f"{persona}.narpes")


def fresh(user: User) -> User:
    """The user as a new request would load it: nothing cached from earlier checks."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(SEES))
def test_who_sees_a_client(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    client = world[target]
    assert policy.can_view_client(user, client) is expected
    assert (policy.access_basis(user, client) is not None) is expected
    assert user.has_perm("clients.view_client", client) is expected


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(SEES))
def test_who_gets_a_client_in_the_list(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    assert policy.visible_clients(user).filter(pk=world[target].pk).exists() is expected
    listed = selectors.client_search(user=user, search=ClientSearch())
    assert (world[target] in listed) is expected


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(SEES))
def test_who_finds_a_client_by_search(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    client = world[target]
    found = selectors.client_search(user=user, search=ClientSearch(text=f"policytest {client.given_names}"))
    assert list(found) == ([client] if expected else [])


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(SEES))
def test_who_opens_a_client(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    if expected:
        assert selectors.client_get(user=user, pk=world[target].pk) == world[target]
    else:
        with pytest.raises(Http404):
            selectors.client_get(user=user, pk=world[target].pk)


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(EDITS))
def test_who_edits_a_client(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    assert policy.can_edit_client(user, world[target]) is expected
    assert user.has_perm("clients.change_client", world[target]) is expected


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(SHARES))
def test_who_shares_a_client(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    assert policy.can_share_client(user, world[target]) is expected
    assert user.has_perm("access.add_share", world[target]) is expected


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(READ_LOG))
def test_who_sees_the_read_log(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    assert policy.can_view_read_log(user, world[target]) is expected
    assert user.has_perm("clients.view_read_log", world[target]) is expected


@pytest.mark.parametrize(("persona", "target", "expected"), _cases(HEALTH))
def test_who_sees_health_data(world, narpes, persona, target, expected):
    user = fresh(persona_user(persona, narpes))
    assert policy.can_view_health(user, world[target]) is expected


# Who may create clients at all (the organisation is chosen in the form).
CREATES = {
    Role.COUNSELLOR: True,
    Role.CASE_WORKER: True,
    Role.COORDINATOR: True,
    Role.SOCIAL_WORKER: True,
    Role.EMPLOYMENT_OFFICER: True,
    Role.REPORTING: False,
    Role.ADMINISTRATOR: True,
    Role.DATA_PROTECTION_OFFICER: False,
    "superuser": True,
    "no_membership": False,
    "expired_membership": False,
}


@pytest.mark.parametrize(("persona", "expected"), CREATES.items())
def test_who_creates_clients(narpes, persona, expected):
    user = fresh(persona_user(persona, narpes))
    assert policy.may_create_clients(user) is expected
    assert (narpes in policy.creatable_organisations(user)) is expected


# A health share with the welfare area: its social worker reads health data, its other staff
# see the basic record only, and a basic-scope share gives no one health data.
WELFARE_HEALTH = {
    (Role.SOCIAL_WORKER, "health"): True,
    (Role.CASE_WORKER, "health"): True,
    (Role.COUNSELLOR, "health"): False,
    (Role.COORDINATOR, "health"): False,
    (Role.DATA_PROTECTION_OFFICER, "health"): False,
    (Role.SOCIAL_WORKER, "basic"): False,
    (Role.CASE_WORKER, "basic"): False,
}


@pytest.mark.parametrize(
    ("role", "scope", "expected"), [(*key, value) for key, value in WELFARE_HEALTH.items()]
)
def test_health_data_through_a_welfare_area_share(narpes_client, role, scope, expected):
    welfare = OrganisationFactory.welfare_area()
    make_share(narpes_client, welfare, scope=scope)
    user = fresh(UserFactory.with_role(role, welfare))
    assert policy.can_view_client(user, narpes_client)
    assert policy.can_view_health(user, narpes_client) is expected
    assert not policy.can_edit_client(user, narpes_client)


def test_access_basis_names_the_share(narpes_client, vasa, counsellor_vasa):
    make_share(narpes_client, vasa, scope="health")
    basis = policy.access_basis(fresh(counsellor_vasa), narpes_client)
    assert basis is not None and not basis.own_organisation
    assert "Referral for tests" in basis.describe()


def test_roles_do_not_leak_between_organisations(narpes, vasa, narpes_client):
    """Reporting in Närpes and counsellor in Vasa: the Närpes client stays out of reach."""
    user = UserFactory.with_role(Role.REPORTING, narpes, username="mixed")
    Membership.objects.create(user=user, unit=UnitFactory(organisation=vasa), role=Role.COUNSELLOR)
    vasa_client = make_client(vasa, family_name="Vasaborn")
    user = fresh(user)
    assert list(policy.visible_clients(user)) == [vasa_client]
    assert not policy.can_view_client(user, narpes_client)
    assert not policy.can_edit_client(user, narpes_client)
    assert policy.creatable_organisations(user) == [vasa]


def test_membership_not_yet_started_gives_nothing(narpes, narpes_client):
    user = UserFactory(username="newcomer")
    Membership.objects.create(
        user=user,
        unit=narpes.units.first(),
        role=Role.COORDINATOR,
        valid_from=timezone.localdate() + datetime.timedelta(days=1),
    )
    user = fresh(user)
    assert not policy.can_view_client(user, narpes_client)
    assert not policy.visible_clients(user).exists()
    assert not policy.may_create_clients(user)


def test_anonymous_user_sees_nothing(narpes_client):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not policy.visible_clients(anonymous).exists()
    assert policy.access_basis(anonymous, narpes_client) is None


# --- cost and shape of the scoped queries -------------------------------------------------------


def _busy_user(narpes: Organisation, organisations: int, shares: int, first_code: int) -> User:
    """A counsellor in several organisations, each of which has received shares."""
    user = UserFactory.with_role(Role.COUNSELLOR, narpes, username=f"busy{organisations}")
    holder = OrganisationFactory.municipality("999", "Holder")
    for n in range(organisations):
        organisation = OrganisationFactory.municipality(f"{first_code + n}", f"Kommun {first_code + n}")
        Membership.objects.create(
            user=user, unit=UnitFactory(organisation=organisation), role=Role.COUNSELLOR
        )
        for m in range(shares):
            make_share(make_client(holder, family_name=f"Shared{n}x{m}"), organisation)
    return fresh(user)


def test_visible_clients_query_count_does_not_grow(narpes, narpes_client, django_assert_max_num_queries):
    few = _busy_user(narpes, organisations=1, shares=1, first_code=600)
    many = _busy_user(narpes, organisations=6, shares=5, first_code=700)
    # One query reads the memberships, one the shares in force, one the clients: however many
    # memberships and shares. A name search reads the matching tokens, then the clients found.
    with django_assert_max_num_queries(3):
        assert len(list(policy.visible_clients(few))) == 2
    with django_assert_max_num_queries(3):
        assert len(list(policy.visible_clients(many))) == 31
    many = fresh(many)
    with django_assert_max_num_queries(4):
        assert len(list(selectors.client_search(user=many, search=ClientSearch(text="shared")))) == 30


# The tables that hold names, and the organisation column each is filtered on.
NAME_TABLES = {
    "clients_client": '"clients_client"."organisation_id" IN',
    "clients_clientnametoken": '"clients_clientnametoken"."organisation_id" IN',
}


def _name_queries(queries) -> list[tuple[str, str]]:
    """(table, sql) of every statement reading a table that holds names."""
    return [(table, q["sql"]) for q in queries for table in NAME_TABLES if f'FROM "{table}"' in q["sql"]]


def test_list_and_search_sql_filter_by_organisation(client, narpes_client, counsellor_vasa, vasa):
    """The organisation filter is in the SQL itself, and a matching term does not get past it.

    A name search reads the name tokens (which carry the client's organisation), then the
    clients of the page: both statements carry the filter.
    """
    make_client(vasa, family_name="Järvikoski", given_names="Oleksandr")
    client.force_login(counsellor_vasa)
    for params in ({}, {"q": "jarvinen"}, {"q": "järv"}, {"q": "oleksandr"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("clients:list"), params)
        assert response.status_code == 200
        read = _name_queries(queries.captured_queries)
        assert read, "the list reads names"
        if params:
            assert any(table == "clients_clientnametoken" for table, _sql in read), "search uses tokens"
        assert all(NAME_TABLES[table] in statement for table, statement in read)
        rows = response.context["page"].object_list
        assert narpes_client not in rows
        assert "Järvinen" not in response.content.decode()


def test_restricted_search_never_returns_another_organisations_client(narpes_client, counsellor_vasa):
    narpes_client.birth_year = 1990
    narpes_client.save()
    for search in (
        ClientSearch(text="jarvinen"),
        ClientSearch(text="Järvinen Oleksandr"),
        ClientSearch(date_of_birth="1990"),
        ClientSearch(text="j"),
        ClientSearch(),
    ):
        assert not selectors.client_search(user=fresh(counsellor_vasa), search=search).exists()
