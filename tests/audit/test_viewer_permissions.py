"""Who reads the audit log: the data-protection officers of an organisation, and of its entries
only those about its clients or by its staff. Every other role, the superuser and the signed
out do not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hemkommun.organizations.models import Membership, Role

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
URLS = ["/audit/", "/audit/export/csv/", "/audit/export/xlsx/", "/audit/verify/"]


@pytest.mark.parametrize("url", URLS)
def test_the_data_protection_officer_may(client, dpo_narpes, log, url):
    client.force_login(dpo_narpes)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [role for role in Role if role != Role.DATA_PROTECTION_OFFICER])
@pytest.mark.parametrize("url", URLS)
def test_every_other_role_may_not(client, narpes, log, role, url):
    client.force_login(UserFactory.with_role(role, narpes))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_signed_out_and_the_superuser_may_not(client, log, url):
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 403


def test_an_ended_membership_gives_nothing(client, narpes, log):
    officer = UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes)
    Membership.objects.filter(user=officer).update(valid_until=timezone.localdate() - timedelta(days=1))
    client.force_login(officer)
    assert client.get("/audit/").status_code == 403


def test_the_nav_link_is_for_data_protection_officers(client, dpo_narpes, counsellor_narpes):
    client.force_login(dpo_narpes)
    assert b'href="/audit/"' in client.get("/").content
    client.force_login(counsellor_narpes)
    assert b'href="/audit/"' not in client.get("/").content
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert b'href="/audit/"' not in client.get("/").content


def _shown(response) -> set[tuple[str, int | None]]:
    return {(row.staff, row.client_number) for row in response.context["rows"]}


def test_the_officer_sees_own_clients_and_own_staff_only(
    client, dpo_narpes, log, narpes_client, vasa_client, counsellor_narpes, counsellor_vasa
):
    client.force_login(dpo_narpes)
    response = client.get("/audit/", {"action": "read"})
    narpes_staff, vasa_staff = counsellor_narpes.get_full_name(), counsellor_vasa.get_full_name()
    assert _shown(response) == {
        (narpes_staff, narpes_client.pk),  # own staff, own client
        (narpes_staff, vasa_client.pk),  # own staff, another organisation's client (shared)
        (vasa_staff, narpes_client.pk),  # another organisation's staff, own client
    }
    # Vasa's counsellor reading a Vasa client is none of Närpes' business.
    page = response.content.decode()
    assert "Vasabo" not in page  # nor is the name of Vasa's client
    assert str(narpes_client.display_name) in page


def test_the_officer_of_two_organisations_sees_both(client, narpes, vasa, log, vasa_client, counsellor_vasa):
    officer = UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes)
    Membership.objects.create(user=officer, unit=vasa.units.first(), role=Role.DATA_PROTECTION_OFFICER)
    client.force_login(officer)
    response = client.get("/audit/", {"action": "list"})
    assert _shown(response) == {(counsellor_vasa.get_full_name(), vasa_client.pk)}
    assert "Vasabo" in response.content.decode()


def test_another_role_in_the_same_organisation_does_not_widen_it(client, narpes, log, vasa):
    # A DPO of Närpes who is also a counsellor of a third organisation sees Närpes' log only.
    other = OrganisationFactory.municipality("280", "Korsnäs")
    officer = UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes)
    UserFactory.with_role(Role.COUNSELLOR, other)
    Membership.objects.create(user=officer, unit=vasa.units.first(), role=Role.COUNSELLOR)
    client.force_login(officer)
    response = client.get("/audit/", {"action": "list"})
    assert response.context["rows"] == []
