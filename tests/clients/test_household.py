import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from hemkommun.clients import services
from hemkommun.clients.models import Household, HouseholdMember
from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role

from ..factories import UserFactory, make_client
from ..page_forms import assert_marked, invalid_ids, page_elements

SCRIPT = "<script>alert(1)</script>"


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
    response = client.post(url, {"other": foreign.pk, "relation": "child"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Secretname" not in content
    with translation.override("fi"):
        message = translation.gettext("No client with that record number is visible to you.")
    assert_marked(content, "id_other", message)
    assert not HouseholdMember.objects.filter(client=foreign).exists()


# --- refused input on the client's page --------------------------------------------------------


def join(client, narpes_client, data):
    return client.post(reverse("clients:household_join", args=[narpes_client.pk]), data)


def test_a_refused_record_number_shows_the_page_again_with_what_was_typed(
    client, narpes_client, spouse, counsellor_narpes
):
    client.force_login(counsellor_narpes)
    reads = ReadEvent.objects.filter(client=narpes_client).count()
    response = join(client, narpes_client, {"other": SCRIPT, "relation": "spouse"})
    assert response.status_code == 400
    assert not Household.objects.exists() and not HouseholdMember.objects.exists()
    content = response.content.decode()
    assert SCRIPT not in content and html.escape(SCRIPT) in content
    elements = page_elements(content)
    assert elements["id_other"].attrs["value"] == SCRIPT
    assert elements["id_relation"].selected == ["spouse"]
    with translation.override("fi"):
        message = translation.gettext("Enter a whole number.")
    assert_marked(content, "id_other", message)
    assert invalid_ids(content) == {"id_other"}  # the share and consent forms are fresh
    # The page shown again is one read, as the redirect to it used to be.
    assert ReadEvent.objects.filter(client=narpes_client).count() == reads + 1


def test_a_missing_relation_is_marked_on_its_field(client, narpes_client, spouse, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = join(client, narpes_client, {"other": spouse.pk, "relation": ""})
    assert response.status_code == 400 and not HouseholdMember.objects.exists()
    assert page_elements(response.content.decode())["id_other"].attrs["value"] == str(spouse.pk)
    with translation.override("fi"):
        message = translation.gettext("This field is required.")
    assert_marked(response.content.decode(), "id_relation", message)


def test_the_service_refusal_goes_to_the_field_it_is_about(client, narpes_client, counsellor_narpes):
    client.force_login(counsellor_narpes)
    response = join(client, narpes_client, {"other": narpes_client.pk, "relation": "spouse"})
    assert response.status_code == 400 and not Household.objects.exists()
    with translation.override("fi"):
        message = translation.gettext("A client cannot be linked with themselves.")
    assert_marked(response.content.decode(), "id_other", message)


def test_who_may_not_edit_the_client_may_not_link_it(client, narpes, narpes_client, spouse):
    client.force_login(UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, narpes))
    assert join(client, narpes_client, {"other": spouse.pk, "relation": "spouse"}).status_code == 403
    assert not HouseholdMember.objects.exists()
