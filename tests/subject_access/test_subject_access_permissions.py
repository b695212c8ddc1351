"""Who may produce a subject-access report: a DPO of the organisation holding the case, no one else."""

import pytest
from django.urls import reverse

from hemkommun.core.models import ReadEvent
from hemkommun.organizations.models import Role
from hemkommun.subject_access.models import SubjectAccessRequest
from tests.factories import UserFactory, make_client, make_share

OTHER_ROLES = [role for role in Role.values if role != Role.DATA_PROTECTION_OFFICER]


@pytest.fixture
def client_record(narpes, worker_narpes):
    return make_client(narpes, by=worker_narpes, family_name="Petrenko", identity_code="010190-123M")


def _url(client_record) -> str:
    return reverse("subject_access:client", args=[client_record.pk])


def _produce(http, client_record, fmt="json"):
    return http.post(_url(client_record), {"language": "fi", "format": fmt})


def test_the_holding_organisations_dpo_opens_the_page_and_produces_both_files(
    client, dpo_narpes, client_record
):
    client.force_login(dpo_narpes)
    assert client.get(_url(client_record)).status_code == 200
    pdf = _produce(client, client_record, "pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    data = _produce(client, client_record, "json").json()
    assert data["client"]["id"] == client_record.pk
    assert SubjectAccessRequest.objects.filter(client=client_record).count() == 2


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_of_the_holding_organisation_is_refused(client, narpes, client_record, role):
    client.force_login(UserFactory.with_role(role, narpes))
    expected = 404 if role == Role.REPORTING else 403  # reporting sees no client at all
    assert client.get(_url(client_record)).status_code == expected
    assert _produce(client, client_record).status_code == expected
    assert not SubjectAccessRequest.objects.exists()
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()


def test_a_dpo_of_an_organisation_with_a_share_is_refused(client, vasa, client_record):
    make_share(client_record, vasa)
    dpo_vasa = UserFactory.with_role(Role.DATA_PROTECTION_OFFICER, vasa)
    client.force_login(dpo_vasa)
    assert client.get(_url(client_record)).status_code == 403
    assert _produce(client, client_record).status_code == 403
    assert not SubjectAccessRequest.objects.exists()


@pytest.mark.parametrize("role", Role.values)
def test_another_organisations_client_is_not_found_and_no_read_is_logged(client, vasa, client_record, role):
    client.force_login(UserFactory.with_role(role, vasa))
    before = ReadEvent.objects.count()
    assert client.get(_url(client_record)).status_code == 404
    assert _produce(client, client_record).status_code == 404
    assert ReadEvent.objects.count() == before
    assert not SubjectAccessRequest.objects.exists()


def test_the_superuser_runs_the_installation_and_does_not_answer_for_a_controller(client, client_record):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(_url(client_record)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, client_record):
    response = client.get(_url(client_record))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _produce(client, client_record).status_code == 302


def test_the_client_page_links_to_subject_access_for_the_dpo_only(
    client, dpo_narpes, worker_narpes, client_record
):
    detail = reverse("clients:detail", args=[client_record.pk])
    client.force_login(dpo_narpes)
    assert _url(client_record) in client.get(detail).content.decode()
    client.force_login(worker_narpes)
    page = client.get(detail)
    assert page.status_code == 200 and _url(client_record) not in page.content.decode()


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_an_unknown_or_absurd_client_id_is_not_found(client, dpo_narpes, client_record, pk):
    client.force_login(dpo_narpes)
    assert client.get(f"/subject-access/clients/{pk}/").status_code == 404
    assert client.get("/subject-access/clients/abc/").status_code == 404
