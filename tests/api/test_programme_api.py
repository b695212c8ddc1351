"""Arrivals and activities through the API: the municipality's reception staff see its arrivals
(never the health flags), its integration staff its activities; nothing of another municipality;
named attendances and members who became clients are logged, anonymous counts are not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client
from .helpers import activity, arrival, bearer, issue


@pytest.fixture
def welfare(db):
    return OrganisationFactory.welfare_area()


def get(http, user, name, pk=None, scopes=None, **params):
    url = reverse(f"api:{name}-list") if pk is None else reverse(f"api:{name}-detail", args=[pk])
    key = issue(user) if scopes is None else issue(user, scopes=scopes)
    return http.get(url, params, **bearer(key))


def test_reception_staff_see_their_arrivals_without_health_flags(client, narpes, vasa, welfare):
    child = make_client(narpes, family_name="Haddad")
    group = arrival(narpes, welfare, clients=[child])
    arrival(vasa, welfare, reference="UM-2")
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    body = get(client, coordinator, "arrival").json()
    (row,) = body["results"]
    assert row["id"] == group.pk and row["municipality"] == "545" and row["welfare_area"] == "welfare"
    assert [m["relation"] for m in row["members"]] == ["head", "child"]
    assert row["members"][0]["languages"] == ["ar", "ku"] and row["members"][1]["client"] == child.pk
    assert "TB" not in str(body) and "Asthma" not in str(body) and "health_flags" not in row["members"][0]
    # The municipality's page lists every task, the welfare area's health check included (not its flags).
    assert [(t["title"], t["health_related"]) for t in row["tasks"]] == [
        ("Reserve a flat", False),
        ("Health check", True),
    ]
    assert list(ReadEvent.objects.filter(action="api").values_list("client_id", flat=True)) == [child.pk]
    detail = get(client, coordinator, "arrival", group.pk)
    assert detail.status_code == 200 and detail["ETag"]
    assert get(client, coordinator, "arrival", status="cancelled").json()["results"] == []


@pytest.mark.parametrize(
    "role_in",
    [
        ("coordinator", "vasa"),  # another municipality
        ("counsellor", "narpes"),  # not reception staff on the pages either
        ("reporting", "narpes"),
        ("social_worker", "welfare"),  # the welfare area's health view is not in the API
    ],
)
def test_others_see_no_arrival(client, narpes, vasa, welfare, role_in):
    group = arrival(narpes, welfare)
    role, where = role_in
    user = UserFactory.with_role(role, {"narpes": narpes, "vasa": vasa, "welfare": welfare}[where])
    assert get(client, user, "arrival").json()["results"] == []
    assert get(client, user, "arrival", group.pk).status_code == 404


def test_integration_staff_see_their_activities_with_sessions_and_counts(
    client, narpes, vasa, counsellor_narpes
):
    came = make_client(narpes, family_name="Haddad")
    own = activity(narpes, clients=[came])
    quiet = activity(narpes, name="Language café")
    activity(vasa, name="Vasa café")
    rows = get(client, counsellor_narpes, "activity").json()["results"]
    assert [row["id"] for row in rows] == [own.pk, quiet.pk]
    (session,) = rows[0]["sessions"]
    assert session["clients"] == [came.pk] and rows[0]["languages"] == ["sv", "uk"]
    assert session["anonymous"] == [{"age_group": "30-64", "gender": "F", "language": "uk", "count": 4}]
    assert list(ReadEvent.objects.values_list("client_id", flat=True)) == [came.pk]
    ReadEvent.objects.all().delete()
    assert get(client, counsellor_narpes, "activity", quiet.pk).status_code == 200
    assert not ReadEvent.objects.exists()  # anonymous counts are nobody's data


@pytest.mark.parametrize(
    "role_in", [("counsellor", "vasa"), ("reporting", "narpes"), ("social_worker", "narpes")]
)
def test_others_see_no_activity(client, narpes, vasa, role_in):
    own = activity(narpes)
    role, where = role_in
    user = UserFactory.with_role(role, narpes if where == "narpes" else vasa)
    assert get(client, user, "activity").json()["results"] == []
    assert get(client, user, "activity", own.pk).status_code == 404


@pytest.mark.parametrize(("name", "scope"), [("arrival", "reception:read"), ("activity", "activities:read")])
def test_a_token_without_the_scope_is_refused(client, narpes, name, scope):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    response = get(client, coordinator, name, scopes="clients:read,contacts:read")
    assert response.status_code == 403 and scope in response.json()["error"]["message"]


def test_unknown_parameters_are_refused(client, narpes):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    for name, params in (
        ("activity", {"status": "open"}),
        ("arrival", {"updated_since": "2026-01-01T00:00:00Z"}),
    ):
        response = get(client, coordinator, name, **params)
        assert response.status_code == 400 and list(params)[0] in response.json()["error"]["fields"]


@pytest.mark.parametrize("name", ["arrival", "activity"])
def test_a_list_costs_the_same_number_of_queries_whatever_its_length(client, narpes, welfare, name):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    key = issue(coordinator)

    def make(index):
        person = make_client(narpes)
        if name == "arrival":
            arrival(narpes, welfare, reference=f"UM-{index}", clients=[person])
        else:
            activity(narpes, clients=[person], name=f"Café {index}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"api:{name}-list"), **bearer(key)).status_code == 200
        return len(captured)

    make(0)
    few = queries()
    for index in range(1, 6):
        make(index)
    assert queries() == few
