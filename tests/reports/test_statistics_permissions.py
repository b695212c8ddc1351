"""Who sees the statistics page, and of which organisations."""

import pytest

from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory
from .conftest import summary

pytestmark = pytest.mark.django_db
URL = "/reports/statistics/"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.REPORTING])
def test_coordinators_and_reporting_staff_see_the_page(client, narpes, role):
    client.force_login(UserFactory.with_role(role, narpes))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["stats"].organisations == [narpes]


@pytest.mark.parametrize(
    "role",
    [
        Role.COUNSELLOR,
        Role.CASE_WORKER,
        Role.SOCIAL_WORKER,
        Role.EMPLOYMENT_OFFICER,
        Role.ADMINISTRATOR,
        Role.DATA_PROTECTION_OFFICER,
    ],
)
def test_other_roles_do_not(client, narpes, role):
    client.force_login(UserFactory.with_role(role, narpes))
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export.csv").status_code == 403


def test_signed_out_and_the_installation_administrator(client, narpes):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(URL).status_code == 403


def test_the_nav_link_follows_the_rule(client, narpes, coordinator_narpes, counsellor_narpes):
    client.force_login(coordinator_narpes)
    assert URL.encode() in client.get("/").content
    client.force_login(counsellor_narpes)
    assert URL.encode() not in client.get("/").content


def test_only_ones_own_organisations_are_offered(client, dataset, narpes, vasa, coordinator_narpes):
    client.force_login(coordinator_narpes)
    response = client.get(URL)
    offered = [code for code, _label in response.context["form"].fields["organisation"].choices]
    assert offered == ["", "545"]
    assert summary(response.context["stats"])["contacts"] == "4"  # not Vasa's two


@pytest.mark.parametrize("value", ["905", str(10**30), "545' OR '1'='1"])
def test_another_municipality_in_the_filter_is_refused(client, dataset, coordinator_narpes, value):
    client.force_login(coordinator_narpes)
    response = client.get(URL, {"organisation": value})
    assert response.status_code == 200
    assert "stats" not in response.context
    assert response.context["form"].errors["organisation"]
    assert b"Vasa" not in response.content
    export = client.get(URL + "export.csv", {"organisation": value})
    assert export.status_code == 302


def test_a_unit_of_another_organisation_is_refused(client, dataset, vasa, coordinator_narpes):
    client.force_login(coordinator_narpes)
    response = client.get(URL, {"unit": vasa.units.first().pk})
    assert response.context["form"].errors["unit"]


def test_a_welfare_area_reports_on_its_own_records(client, narpes):
    welfare = OrganisationFactory.welfare_area()
    client.force_login(UserFactory.with_role(Role.COORDINATOR, welfare))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["stats"].organisations == [welfare]
    assert not response.context["stats"].exact


def test_an_ended_membership_gives_nothing(client, narpes):
    import datetime

    user = UserFactory.with_role(Role.COORDINATOR, narpes)
    user.memberships.update(valid_until=datetime.date(2026, 1, 1))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_counts_write_no_read_log(client, dataset, coordinator_narpes):
    from hemkommun.core.models import ReadEvent

    before = ReadEvent.objects.count()
    client.force_login(coordinator_narpes)
    client.get(URL)
    client.get(URL + "export.xlsx")
    assert ReadEvent.objects.count() == before
