import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemkommun.clients import services
from hemkommun.clients.models import Household, HouseholdMember

from ..factories import make_client


@pytest.fixture
def spouse(narpes, counsellor_narpes):
    return make_client(narpes, by=counsellor_narpes, family_name="Järvinen", given_names="Maria")


def test_join_makes_the_other_client_head_of_a_new_household(narpes_client, spouse, counsellor_narpes):
    member = services.household_join(
        by=counsellor_narpes, client=narpes_client, other=spouse, relation="spouse"
    )
    head = HouseholdMember.objects.get(client=spouse)
    assert head.relation == "head"
    assert member.household == head.household


def test_leaving_last_member_removes_household(narpes_client, spouse, counsellor_narpes):
    services.household_join(by=counsellor_narpes, client=narpes_client, other=spouse, relation="spouse")
    services.household_leave(by=counsellor_narpes, client=narpes_client)
    services.household_leave(by=counsellor_narpes, client=spouse)
    assert not Household.objects.exists()


def test_clients_of_different_organisations_cannot_share_a_household(narpes_client, vasa, counsellor_narpes):
    other = make_client(vasa, family_name="Korhonen")
    with pytest.raises(ValidationError):
        services.household_join(by=counsellor_narpes, client=narpes_client, other=other, relation="child")


def test_profile_form_links_household_and_hides_foreign_record(
    client, narpes_client, spouse, counsellor_narpes, vasa
):
    client.force_login(counsellor_narpes)
    url = reverse("clients:household_join", args=[narpes_client.pk])
    response = client.post(url, {"other": spouse.pk, "relation": "spouse"}, follow=True)
    assert response.status_code == 200
    assert "Maria" in response.content.decode()
    foreign = make_client(vasa, family_name="Secretname")
    response = client.post(url, {"other": foreign.pk, "relation": "child"}, follow=True)
    assert response.status_code == 200
    assert "Secretname" not in response.content.decode()
    assert not HouseholdMember.objects.filter(client=foreign).exists()
