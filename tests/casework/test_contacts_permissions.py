"""Who may record and see contacts: every role, those that may and those that may not."""

import pytest
from django.urls import reverse

from hemkommun.casework.models import Contact
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client, make_share

RECORDERS = [Role.COUNSELLOR, Role.CASE_WORKER, Role.COORDINATOR, Role.SOCIAL_WORKER, Role.EMPLOYMENT_OFFICER]
NOT_RECORDERS = [Role.REPORTING, Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]


def drop_in(client, organisation):
    return client.post(
        reverse("casework:drop_in"),
        {"drop_in-organisation": organisation.pk, "drop_in-channel": "visit", "drop_in-age_group": "unknown"},
    )


@pytest.mark.parametrize("role", RECORDERS)
def test_roles_that_record_contacts(client, narpes, role):
    user = UserFactory.with_role(role, narpes)
    holder = make_client(narpes, family_name="Ahmadi")
    client.force_login(user)
    assert drop_in(client, narpes).status_code == 302
    response = client.post(
        reverse("casework:contact_create", args=[holder.pk]),
        {"organisation": narpes.pk, "channel": "visit"},
    )
    assert response.status_code == 302
    assert Contact.objects.filter(client=holder).count() == 1


@pytest.mark.parametrize("role", NOT_RECORDERS)
def test_roles_that_may_not_record_contacts(client, narpes, role):
    user = UserFactory.with_role(role, narpes)
    holder = make_client(narpes, family_name="Ahmadi")
    client.force_login(user)
    assert 'id="drop-in-form"' not in client.get(reverse("home")).content.decode()
    assert drop_in(client, narpes).status_code == 403
    response = client.post(
        reverse("casework:contact_create", args=[holder.pk]), {"organisation": narpes.pk, "channel": "visit"}
    )
    # Reporting does not see clients at all (404); the others see the record but may not add to it.
    assert response.status_code == (404 if role == Role.REPORTING else 403)
    assert not Contact.objects.exists()


def test_superuser_runs_the_system_and_records_no_contacts(client, narpes):
    admin = UserFactory(is_superuser=True, is_staff=True)
    holder = make_client(narpes, family_name="Ahmadi")
    client.force_login(admin)
    assert drop_in(client, narpes).status_code == 403
    assert client.get(reverse("casework:contact_create", args=[holder.pk])).status_code == 403


def test_another_municipality_gets_404_and_a_share_does_not_let_it_record(
    client, narpes, vasa, counsellor_vasa
):
    holder = make_client(narpes, family_name="Ahmadi")
    client.force_login(counsellor_vasa)
    url = reverse("casework:contact_create", args=[holder.pk])
    assert client.get(url).status_code == 404
    # The drop-in form cannot be pointed at another organisation either.
    response = drop_in(client, narpes)
    assert response.status_code == 200 and not Contact.objects.exists()
    make_share(holder, vasa)
    assert client.get(url).status_code == 403


def test_contacts_show_only_to_those_who_see_the_client(
    client, narpes, vasa, counsellor_narpes, counsellor_vasa
):
    holder = make_client(narpes, family_name="Ahmadi")
    Contact.objects.create(
        organisation=narpes, client=holder, recorded_by=counsellor_narpes, notes="Private note about housing"
    )
    client.force_login(counsellor_narpes)
    assert (
        "Private note about housing"
        in client.get(reverse("clients:detail", args=[holder.pk])).content.decode()
    )
    client.force_login(counsellor_vasa)
    assert client.get(reverse("clients:detail", args=[holder.pk])).status_code == 404
