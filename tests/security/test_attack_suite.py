"""The attack suite of issue 8: every address of the pages, with every record id of another
organisation, tried by every role of that other organisation and by an anonymous visitor.

Närpes holds a client with casework, an arrival, an activity and a consent; Vasa's staff try
every page address that takes an id with each of those ids (GET, and an empty POST by a
coordinator). Expected: refused (403/404, or the sign-in page), or a page that names nothing of
Närpes's client; never a 500; no read of the client logged for them, no write by them logged.
Every API address is walked the same way with a bearer token of each role (ids in the path,
and in the filters of the lists); the admin has its own sign-in.
"""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import get_resolver

from hemkommun.access.consents import consent_record
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..api.helpers import activity, arrival, assessment, bearer, contact, issue, plan, referral
from ..factories import OrganisationFactory, UserFactory, make_client, make_share
from .urlwalk import address_templates, candidate_fillings, resolves_to

# Thousands of requests: run once, on PostgreSQL (the production database) when there is one
# (scripts/test.sh).
pytestmark = [pytest.mark.django_db, pytest.mark.one_pass]

MARKER = "Zqxjvattack"  # the client's family name: nowhere else on any page
HEALTH = "Insulinmarker"
API = "/api/"
# Not walked: the admin has its own staff sign-in, static files, the language switch and the API's
# schema and documentation hold no records.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/", "/api/v1/schema/", "/api/v1/docs/")
REFUSED = {302, 401, 403, 404, 405}


@pytest.fixture
def narpes_records(narpes, vasa):
    """Närpes's records, of every kind that has pages of its own; their ids are the ones tried."""
    welfare = OrganisationFactory.welfare_area()
    worker = UserFactory.with_role(Role.CASE_WORKER, narpes, username="worker.attack")
    for name in ("Filler", "Another"):  # so that the client's id is not every record's id
        make_client(narpes, by=worker, family_name=name)
    person = make_client(
        narpes, by=worker, family_name=MARKER, given_names="Amal", identity_code="010190-123M"
    )
    records = [
        person,
        contact(narpes, person, notes=f"{MARKER} notes"),
        assessment(person, health_notes=HEALTH),
        plan(person),
        referral(person, welfare),
        arrival(narpes, welfare, clients=[person]),
        activity(narpes, clients=[person]),
        consent_record(
            by=worker,
            client=person,
            purpose="case_team",
            scope="basic",
            form="oral",
            given_on=person.client_since,
        ),
    ]
    return person, sorted({record.pk for record in records})


def attack_addresses(ids: list[int], *, api: bool = False) -> list[str]:
    """Every page address (or API address) that takes at least one number, once with each of
    ``ids`` in all its numbers; other parameters get the first candidate that makes the address
    resolve. An API list is tried with each id in its filters."""
    addresses = []
    for template, names, view in address_templates(get_resolver().url_patterns):
        if template.startswith(API) != api or template.startswith(SKIPPED_PREFIXES):
            continue
        if not names:
            if api:
                addresses += [f"{template}?{_filters_with(pk)}" for pk in ids]
            continue
        fixed = _fixed_values(template, names, view)
        if fixed is None:
            continue
        numeric = [name for name in names if name not in fixed]
        if not numeric:
            continue
        addresses += [template % {**fixed, **dict.fromkeys(numeric, str(pk))} for pk in ids]
    return addresses


def _filters_with(pk: int) -> str:
    return "&".join(f"{name}={pk}" for name in ("client", "organisation", "unit", "municipality"))


def _fixed_values(template, names, view) -> dict | None:
    """The parameters that are not record numbers, with a value that resolves; None if nothing does."""
    for filled, address in candidate_fillings(template, names):
        if resolves_to(address, view):
            return {name: value for name, value in filled.items() if value != "1"}
    return None


def _leaks(response) -> bool:
    body = response.content.decode(errors="replace")
    return MARKER in body or HEALTH in body or "010190-123M" in body


def _signed_in(user) -> Client:
    http = Client(raise_request_exception=False)
    http.force_login(user)
    return http


def _failures(http, addresses) -> list[tuple[str, int]]:
    """The addresses that broke (500) or showed something of Närpes's client."""
    bad = []
    for address in addresses:
        response = http.get(address)
        if response.status_code >= 500 or (response.status_code not in REFUSED and _leaks(response)):
            bad.append((address, response.status_code))
    return bad


@pytest.mark.parametrize("role", [*Role.values, "anonymous"])
def test_another_organisations_staff_get_nothing_through_any_page(vasa, narpes_records, role):
    person, ids = narpes_records
    addresses = attack_addresses(ids)
    assert len(addresses) >= 90 * len(ids) // 2  # the walk found the pages: a broken one must not pass
    user = None if role == "anonymous" else UserFactory.with_role(role, vasa, username=f"attacker.{role}")
    http = _signed_in(user) if user else Client(raise_request_exception=False)
    assert _failures(http, addresses) == []
    if user:
        assert not ReadEvent.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [*Role.values, "anonymous"])
def test_another_organisations_tokens_get_nothing_through_any_api_address(narpes, vasa, narpes_records, role):
    person, ids = narpes_records
    addresses = attack_addresses([*ids, narpes.pk], api=True)
    assert len(addresses) >= 15 * len(ids)  # the walk found the API: a broken one must not pass
    http = Client(raise_request_exception=False)
    if role != "anonymous":
        user = UserFactory.with_role(role, vasa, username=f"attacker.{role}")
        http.defaults.update(bearer(issue(user)))
    assert _failures(http, addresses) == []
    assert not ReadEvent.objects.filter(client=person).exists()


def test_the_walk_sees_a_page_that_shows_the_client(vasa, narpes_records):
    """The suite can fail: with a share in force, Vasa sees the client, and the walk says where."""
    person, ids = narpes_records
    make_share(person, vasa)
    worker = UserFactory.with_role(Role.CASE_WORKER, vasa, username="shared.worker")
    found = {address for address, _status in _failures(_signed_in(worker), attack_addresses(ids))}
    assert f"/clients/{person.pk}/" in found
    api = Client(raise_request_exception=False, **bearer(issue(worker)))
    found = {address for address, _status in _failures(api, attack_addresses(ids, api=True))}
    assert f"/api/v1/clients/{person.pk}/" in found


def test_a_post_to_any_page_changes_nothing_of_another_organisation(vasa, narpes_records):
    person, ids = narpes_records
    coordinator = UserFactory.with_role(Role.COORDINATOR, vasa, username="attacker.coordinator")
    http = _signed_in(coordinator)
    entries_before = LogEntry.objects.count()
    bad = []
    for address in attack_addresses(ids):
        response = http.post(address, {"note": MARKER, "reason": MARKER, "status": "withdrawn"})
        if response.status_code >= 500 or (response.status_code not in REFUSED and _leaks(response)):
            bad.append((address, response.status_code))
    assert bad == []
    assert not LogEntry.objects.filter(actor=coordinator).exists()
    assert LogEntry.objects.count() == entries_before
    assert not ReadEvent.objects.filter(user=coordinator).exists()
