"""The client pages per role: who gets the page, who gets 403, who gets 404 (and nothing else).

Expected tables follow DESIGN.md (Access) and the docstrings of hemkommun.access.policy.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hemkommun.access.models import Share
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory, make_client

PERSONAS = (*Role.values, "superuser", "no_membership")

# Status codes a Närpes staff member gets for a Närpes client.
DETAIL = {
    Role.COUNSELLOR: 200,
    Role.CASE_WORKER: 200,
    Role.COORDINATOR: 200,
    Role.SOCIAL_WORKER: 200,
    Role.EMPLOYMENT_OFFICER: 200,
    Role.REPORTING: 404,
    Role.ADMINISTRATOR: 200,
    Role.DATA_PROTECTION_OFFICER: 200,
    "superuser": 200,
    "no_membership": 404,
}
EDIT = {
    Role.COUNSELLOR: 200,
    Role.CASE_WORKER: 200,
    Role.COORDINATOR: 200,
    Role.SOCIAL_WORKER: 200,
    Role.EMPLOYMENT_OFFICER: 200,
    Role.REPORTING: 404,
    Role.ADMINISTRATOR: 200,
    Role.DATA_PROTECTION_OFFICER: 403,  # sees the record, does not change it
    "superuser": 200,
    "no_membership": 404,
}
CREATE = {
    Role.COUNSELLOR: 200,
    Role.CASE_WORKER: 200,
    Role.COORDINATOR: 200,
    Role.SOCIAL_WORKER: 200,
    Role.EMPLOYMENT_OFFICER: 200,
    Role.REPORTING: 403,
    Role.ADMINISTRATOR: 200,
    Role.DATA_PROTECTION_OFFICER: 403,
    "superuser": 200,
    "no_membership": 403,
}
SHARE = {
    Role.COUNSELLOR: 403,
    Role.CASE_WORKER: 302,
    Role.COORDINATOR: 302,
    Role.SOCIAL_WORKER: 302,
    Role.EMPLOYMENT_OFFICER: 403,
    Role.REPORTING: 404,
    Role.ADMINISTRATOR: 403,
    Role.DATA_PROTECTION_OFFICER: 403,
    "superuser": 302,
    "no_membership": 404,
}
LIST_ROWS = {
    Role.COUNSELLOR: True,
    Role.CASE_WORKER: True,
    Role.COORDINATOR: True,
    Role.SOCIAL_WORKER: True,
    Role.EMPLOYMENT_OFFICER: True,
    Role.REPORTING: False,
    Role.ADMINISTRATOR: True,
    Role.DATA_PROTECTION_OFFICER: True,
    "superuser": True,
    "no_membership": False,
}


@pytest.fixture
def vasa_client(vasa, counsellor_vasa):
    return make_client(vasa, by=counsellor_vasa, family_name="Vasaklient", given_names="Hemlig")


def login_as(django_client, persona: str, organisation):
    if persona == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    elif persona == "no_membership":
        user = UserFactory(username="nobody")
    else:
        user = UserFactory.with_role(persona, organisation, username=f"{persona}.pages")
    django_client.force_login(user)
    return user


def client_form_data(organisation, **overrides) -> dict:
    data = {
        "organisation": organisation.pk,
        "family_name": "Nyström",
        "given_names": "Leila",
        "date_of_birth": "1990-05",
        "client_since": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def share_data(organisation) -> dict:
    return {
        "organisation": organisation.pk,
        "purpose": "Referral to employment services",
        "scope": Share.Scope.BASIC,
        "valid_until": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "consent_given": "oral",
    }


@pytest.mark.parametrize(("persona", "expected"), DETAIL.items())
def test_detail_page(client, narpes, narpes_client, persona, expected):
    login_as(client, persona, narpes)
    response = client.get(reverse("clients:detail", args=[narpes_client.pk]))
    assert response.status_code == expected
    assert ("Järvinen" in response.content.decode()) is (expected == 200)


@pytest.mark.parametrize(("persona", "expected"), EDIT.items())
def test_edit_page(client, narpes, narpes_client, persona, expected):
    login_as(client, persona, narpes)
    url = reverse("clients:edit", args=[narpes_client.pk])
    assert client.get(url).status_code == expected
    post = {**client_form_data(narpes), "family_name": "Järvi", "given_names": "Oleksandr"}
    del post["organisation"]  # an edit cannot move the case
    response = client.post(url, post)
    narpes_client.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302, response.context["form"].errors
        assert narpes_client.family_name == "Järvi"
    else:
        assert response.status_code == expected
        assert narpes_client.family_name == "Järvinen"


@pytest.mark.parametrize(("persona", "expected"), CREATE.items())
def test_create_page(client, narpes, persona, expected):
    login_as(client, persona, narpes)
    url = reverse("clients:create")
    assert client.get(url).status_code == expected
    response = client.post(url, client_form_data(narpes))
    if expected == 200:
        assert response.status_code == 302, response.context["form"].errors
        created = Client.objects.get(family_name="Nyström")
        assert response["Location"] == reverse("clients:detail", args=[created.pk])
        assert created.organisation == narpes
    else:
        assert response.status_code == expected
        assert not Client.objects.filter(family_name="Nyström").exists()


@pytest.mark.parametrize(("persona", "expected"), SHARE.items())
def test_share_post(client, narpes, vasa, narpes_client, persona, expected):
    login_as(client, persona, narpes)
    response = client.post(reverse("clients:share", args=[narpes_client.pk]), share_data(vasa))
    assert response.status_code == expected
    assert Share.objects.filter(client=narpes_client, organisation=vasa).exists() is (expected == 302)


@pytest.mark.parametrize(("persona", "expected"), LIST_ROWS.items())
def test_list_rows(client, narpes, narpes_client, vasa_client, persona, expected):
    login_as(client, persona, narpes)
    response = client.get(reverse("clients:list"))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert (narpes_client in rows) is expected
    # Vasa's client is only for the superuser, who runs the whole installation.
    assert (vasa_client in rows) is (persona == "superuser")
    assert ("Vasaklient" in response.content.decode()) is (persona == "superuser")


def test_reporting_role_gets_no_rows_even_when_searching(client, narpes, narpes_client):
    login_as(client, Role.REPORTING, narpes)
    response = client.get(reverse("clients:list"), {"q": "jarvinen"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Järvinen" not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS[:-2])
@pytest.mark.parametrize("page", ["detail", "edit", "share"])
def test_other_municipality_client_answers_404(client, narpes, vasa, vasa_client, persona, page):
    login_as(client, persona, narpes)
    url = reverse(f"clients:{page}", args=[vasa_client.pk])
    response = client.post(url, share_data(narpes)) if page == "share" else client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Vasaklient" not in content and "Hemlig" not in content
    assert not Share.objects.filter(client=vasa_client).exists()


def test_other_municipality_edit_post_answers_404_and_changes_nothing(client, narpes, vasa_client):
    login_as(client, Role.COORDINATOR, narpes)
    data = client_form_data(narpes, family_name="Overwritten")
    response = client.post(reverse("clients:edit", args=[vasa_client.pk]), data)
    assert response.status_code == 404
    vasa_client.refresh_from_db()
    assert vasa_client.family_name == "Vasaklient"


def test_shared_client_opens_but_cannot_be_edited_or_reshared(
    client, narpes, vasa, vasa_client, counsellor_vasa
):
    Share.objects.create(
        client=vasa_client,
        organisation=narpes,
        purpose="Case team",
        valid_until=timezone.now() + datetime.timedelta(days=5),
        created_by=counsellor_vasa,
    )
    login_as(client, Role.COORDINATOR, narpes)
    assert client.get(reverse("clients:detail", args=[vasa_client.pk])).status_code == 200
    assert client.get(reverse("clients:edit", args=[vasa_client.pk])).status_code == 403
    welfare = OrganisationFactory.welfare_area()
    response = client.post(reverse("clients:share", args=[vasa_client.pk]), share_data(welfare))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        reverse("clients:list"),
        reverse("clients:create"),
        reverse("clients:detail", args=[1]),
        reverse("clients:edit", args=[1]),
    ],
)
def test_anonymous_user_is_sent_to_sign_in(client, narpes_client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_share_post_is_sent_to_sign_in(client, narpes, vasa, narpes_client):
    response = client.post(reverse("clients:share", args=[narpes_client.pk]), share_data(vasa))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Share.objects.exists()
