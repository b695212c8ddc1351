"""Contacts, assessments, plans and referrals through the API: the same records and the same
health data as the pages show each role, nothing of another municipality, every client read
logged, children inline with a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hemkommun.access import policy
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client, make_share
from .helpers import assessment, bearer, contact, issue, plan, referral

ENDPOINTS = ["contact", "assessment", "plan", "referral"]


@pytest.fixture
def person(narpes):
    return make_client(narpes, family_name="Haddad")


@pytest.fixture
def records(person, vasa):
    """One record of each kind for the Närpes client; a referral of it to Vasa."""
    return {
        "contact": contact(person.organisation, person, notes="Asked about work"),
        "assessment": assessment(person),
        "plan": plan(person),
        "referral": referral(person, vasa),
    }


def get(http, user, name, pk=None, scopes=None, **params):
    url = reverse(f"api:{name}-list") if pk is None else reverse(f"api:{name}-detail", args=[pk])
    key = issue(user) if scopes is None else issue(user, scopes=scopes)
    return http.get(url, params, **bearer(key))


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_holding_municipality_sees_the_record_in_list_and_detail_and_the_read_is_logged(
    client, counsellor_narpes, person, records, name
):
    listed = get(client, counsellor_narpes, name)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [records[name].pk]
    assert listed.json()["results"][0]["client"] == person.pk
    one = get(client, counsellor_narpes, name, records[name].pk)
    assert one.status_code == 200 and one["ETag"]
    assert ReadEvent.objects.filter(client=person, user=counsellor_narpes, action="api").count() == 2


@pytest.mark.parametrize("name", ["contact", "assessment", "plan"])
def test_another_municipality_sees_nothing_and_its_404_is_not_logged(
    client, counsellor_vasa, person, records, name
):
    assert get(client, counsellor_vasa, name).json()["results"] == []
    missing = get(client, counsellor_vasa, name, records[name].pk)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert not ReadEvent.objects.filter(client=person).exists()


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_token_without_the_scope_is_refused(client, counsellor_narpes, records, name):
    scope = f"{name}s:read"
    others = "clients:read," + ",".join(f"{n}s:read" for n in ENDPOINTS if n != name)
    response = get(client, counsellor_narpes, name, scopes=others)
    assert response.status_code == 403 and scope in response.json()["error"]["message"]
    assert get(client, counsellor_narpes, name, records[name].pk, scopes=others).status_code == 403


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_reporting_role_sees_no_client_data(client, narpes, records, name):
    reporting = UserFactory.with_role(Role.REPORTING, narpes)
    contact(narpes)  # an anonymous contact: reporting does not record contacts either
    assert get(client, reporting, name).json()["results"] == []
    assert get(client, reporting, name, records[name].pk).status_code == 404


@pytest.mark.parametrize("name", ["contact", "assessment", "plan"])
def test_a_share_opens_the_casework_to_the_receiving_municipality(
    client, counsellor_vasa, person, vasa, records, name
):
    make_share(person, vasa)
    assert [row["id"] for row in get(client, counsellor_vasa, name).json()["results"]] == [records[name].pk]
    assert get(client, counsellor_vasa, name, records[name].pk).status_code == 200


def test_contacts_anonymous_ones_of_the_own_organisation_only_and_not_logged(
    client, narpes, vasa, counsellor_narpes, person
):
    own = contact(narpes, person, notes="Asked about work")
    drop_in = contact(narpes, topics=("residence",))
    contact(vasa)  # Vasa's anonymous contact
    contact(vasa, make_client(vasa))
    rows = get(client, counsellor_narpes, "contact").json()["results"]
    assert [row["id"] for row in rows] == [own.pk, drop_in.pk]
    assert rows[0]["topics"] == ["housing", "work"] and rows[0]["notes"] == "Asked about work"
    assert rows[1]["client"] is None and rows[1]["topics"] == ["residence"] and rows[1]["channel"] == "visit"
    assert list(ReadEvent.objects.values_list("client_id", flat=True)) == [person.pk]
    assert get(client, counsellor_narpes, "contact", client=person.pk).json()["results"][0]["id"] == own.pk


def health_roles(narpes, vasa, person):
    """Each role of the pages with whether the assessment page shows it the health notes."""
    welfare = OrganisationFactory.welfare_area()
    make_share(person, vasa, scope="basic")
    make_share(person, welfare, scope="health")
    return [
        (UserFactory.with_role(Role.CASE_WORKER, narpes), True),
        (UserFactory.with_role(Role.SOCIAL_WORKER, narpes), True),
        (UserFactory.with_role(Role.COUNSELLOR, narpes), False),
        (UserFactory.with_role(Role.COORDINATOR, narpes), False),
        (UserFactory.with_role(Role.ADMINISTRATOR, narpes), False),
        (UserFactory.with_role(Role.SOCIAL_WORKER, vasa), False),  # a basic share
        (UserFactory.with_role(Role.SOCIAL_WORKER, welfare), True),  # a health share
        (UserFactory.with_role(Role.COUNSELLOR, welfare), False),
        (UserFactory(username="root", is_superuser=True), False),
    ]


def test_health_notes_and_health_goals_only_for_those_the_pages_show_them_to(client, narpes, vasa, person):
    the_assessment, the_plan = assessment(person), plan(person)
    for user, may in health_roles(narpes, vasa, person):
        assert policy.can_view_health(user, person) is may, user  # the pages' rule
        for response in (get(client, user, "assessment"), get(client, user, "assessment", the_assessment.pk)):
            body = response.json()
            row = body["results"][0] if "results" in body else body
            assert row["health_notes"] == ("Diabetes, needs insulin" if may else None), user
            assert row["work_history"] == "Electrician"
        for response in (get(client, user, "plan"), get(client, user, "plan", the_plan.pk)):
            body = response.json()
            row = body["results"][0] if "results" in body else body
            goals = {goal["kind"]: goal["description"] for goal in row["goals"]}
            assert goals == {
                "employment": "Work as an electrician",
                "health": "Treatment of trauma" if may else None,
            }, user


def test_an_etag_answers_304_and_differs_by_what_the_account_may_see(client, narpes, person):
    the_assessment = assessment(person)
    worker, counsellor = (UserFactory.with_role(role, narpes) for role in (Role.CASE_WORKER, Role.COUNSELLOR))
    url = reverse("api:assessment-detail", args=[the_assessment.pk])
    key = issue(worker)
    first = client.get(url, **bearer(key))
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **bearer(key)).status_code == 304
    assert ReadEvent.objects.filter(user=worker).count() == 1  # the 304 is no read
    assert client.get(url, **bearer(issue(counsellor)))["ETag"] != first["ETag"]
    the_assessment.health_notes = "Changed"
    the_assessment.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **bearer(key)).status_code == 200


def test_a_plan_carries_its_goals_measures_and_codes(client, counsellor_narpes, person):
    the_plan = plan(person)
    row = get(client, counsellor_narpes, "plan", the_plan.pk).json()
    assert row["status"] == "draft" and row["organisation"] == "545"
    (measure,) = row["measures"]
    assert measure["service"] == "Swedish course" and measure["provider"] == "545"
    assert measure["goal"] == row["goals"][0]["id"] and measure["status"] == "planned"


def test_both_sides_of_a_referral_see_it_and_no_one_else(client, narpes, vasa, person):
    korsnas = OrganisationFactory.municipality("280", "Korsnäs")
    sent = referral(person, vasa, status="sent")
    done = referral(person, vasa, status="completed")
    receiver = UserFactory.with_role(Role.CASE_WORKER, vasa)
    stranger = UserFactory.with_role(Role.CASE_WORKER, korsnas)
    vasa_counsellor = UserFactory.with_role(Role.COUNSELLOR, vasa)  # answers low-threshold kinds only
    rows = get(client, receiver, "referral").json()["results"]
    assert [row["id"] for row in rows] == [sent.pk, done.pk]
    assert rows[0]["overdue"] is True and rows[1]["overdue"] is False
    assert rows[0]["events"][0]["status"] == "sent" and rows[0]["events"][0]["organisation"] == "545"
    assert rows[0]["from_organisation"] == "545" and rows[0]["to_organisation"] == "905"
    assert ReadEvent.objects.filter(user=receiver, client=person, action="api").exists()
    assert [r["id"] for r in get(client, receiver, "referral", status="sent").json()["results"]] == [sent.pk]
    assert get(client, stranger, "referral").json()["results"] == []
    assert get(client, stranger, "referral", sent.pk).status_code == 404
    assert get(client, vasa_counsellor, "referral").json()["results"] == []
    for wrong in ({"status": "lost"}, {"client": "abc"}, {"client": "-1"}, {"kind": "employment"}):
        response = client.get(reverse("api:referral-list"), wrong, **bearer(issue(receiver)))
        assert response.status_code == 400 and list(wrong)[0] in response.json()["error"]["fields"], wrong


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_list_costs_the_same_number_of_queries_whatever_its_length(client, narpes, vasa, name):
    worker = UserFactory.with_role(Role.CASE_WORKER, narpes)
    key = issue(worker)
    make = {
        "contact": lambda person: contact(narpes, person),
        "assessment": assessment,
        "plan": plan,
        "referral": lambda person: referral(person, vasa),
    }[name]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"api:{name}-list"), **bearer(key)).status_code == 200
        return len(captured)

    make(make_client(narpes))
    few = queries()
    for _ in range(5):
        make(make_client(narpes))
    assert queries() == few


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_client_filter_narrows_the_list_to_one_client(client, narpes, vasa, counsellor_narpes, name):
    first, second = make_client(narpes), make_client(narpes)
    make = {
        "contact": lambda person: contact(narpes, person),
        "assessment": assessment,
        "plan": plan,
        "referral": lambda person: referral(person, vasa),
    }[name]
    make(first)
    wanted = make(second)
    rows = get(client, counsellor_narpes, name, client=second.pk).json()["results"]
    assert [row["id"] for row in rows] == [wanted.pk]
    assert get(client, counsellor_narpes, name, client=make_client(vasa).pk).json()["results"] == []


def test_records_without_a_time_of_change_come_in_recorded_order_page_by_page(
    client, narpes, counsellor_narpes
):
    made = [contact(narpes, make_client(narpes)) for _ in range(5)]
    key = issue(counsellor_narpes)
    seen, url = [], reverse("api:contact-list") + "?page_size=2"
    while url:
        body = client.get(url, **bearer(key)).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [c.pk for c in made]
    since = client.get(reverse("api:contact-list"), {"updated_since": "2026-01-01T00:00:00Z"}, **bearer(key))
    assert since.status_code == 400 and "updated_since" in since.json()["error"]["fields"]
