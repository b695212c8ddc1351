import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.exchange.record import schema
from hemkommun.organizations.models import Role
from tests.factories import UserFactory, make_share

from .helpers import free_identity_code

pytestmark = pytest.mark.django_db


def _export_url(client, purpose="national_system"):
    return f"/exchange/clients/{client.pk}/record.json?for={purpose}"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CASE_WORKER, 200),
        (Role.COORDINATOR, 200),
        (Role.SOCIAL_WORKER, 200),
        (Role.EMPLOYMENT_OFFICER, 200),
        (Role.COUNSELLOR, 403),
        (Role.ADMINISTRATOR, 403),
        (Role.DATA_PROTECTION_OFFICER, 403),
        (Role.REPORTING, 404),
    ],
)
def test_who_may_export(client, record_client, narpes, role, status):
    user = UserFactory.with_role(role, narpes)
    client.force_login(user)
    response = client.get(_export_url(record_client))
    assert response.status_code == status
    exported = ReadEvent.objects.filter(user=user, client=record_client, action=ReadEvent.Action.EXPORT)
    assert exported.exists() == (status == 200)
    if status == 200:
        assert response["Content-Disposition"].startswith('attachment; filename="integration-record-')
        jsonschema.Draft202012Validator(schema()).validate(json.loads(response.content))


def test_another_municipalitys_client_is_404_and_nothing_is_logged(client, record_client, worker_vasa):
    client.force_login(worker_vasa)
    assert client.get(_export_url(record_client)).status_code == 404
    assert client.get("/exchange/clients/999999/record.json?for=transfer").status_code == 404
    assert not ReadEvent.objects.filter(user=worker_vasa).exists()


def test_a_share_lets_see_but_not_export(client, record_client):
    from hemkommun.organizations.models import Organisation

    welfare = Organisation.objects.get(code="welfare-ostrobothnia")
    make_share(record_client, welfare, scope="health")
    social_worker = UserFactory.with_role(Role.SOCIAL_WORKER, welfare)
    client.force_login(social_worker)
    assert client.get(f"/clients/{record_client.pk}/").status_code == 200
    assert client.get(_export_url(record_client)).status_code == 403
    assert not ReadEvent.objects.filter(user=social_worker, action=ReadEvent.Action.EXPORT).exists()


def test_anonymous_may_not_export_or_import(client, record_client):
    assert client.get(_export_url(record_client)).status_code == 302
    assert client.get("/exchange/import/").status_code == 302
    assert not ReadEvent.objects.exists()


def test_schema_is_public(client):
    response = client.get("/exchange/schema/v1.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert json.loads(response.content) == schema()


def test_client_page_links(client, record_client, narpes, worker_narpes):
    client.force_login(worker_narpes)
    assert _export_url(record_client) in client.get(f"/clients/{record_client.pk}/").content.decode()
    assert "/exchange/import/" in client.get("/clients/").content.decode()
    counsellor = UserFactory.with_role(Role.COUNSELLOR, narpes)
    client.force_login(counsellor)
    assert _export_url(record_client) not in client.get(f"/clients/{record_client.pk}/").content.decode()
    assert "/exchange/import/" not in client.get("/clients/").content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CASE_WORKER, 200),
        (Role.COORDINATOR, 200),
        (Role.COUNSELLOR, 403),
        (Role.ADMINISTRATOR, 403),
        (Role.REPORTING, 403),
    ],
)
def test_who_may_open_the_import_page(client, vasa, role, status):
    client.force_login(UserFactory.with_role(role, vasa))
    assert client.get("/exchange/import/").status_code == status


def test_import_through_the_page(client, record_client, exported, worker_vasa, vasa):
    free_identity_code(record_client)
    client.force_login(worker_vasa)
    upload = SimpleUploadedFile("record.json", exported, content_type="application/json")
    response = client.post("/exchange/import/", {"organisation": vasa.pk, "file": upload, "action": "import"})
    assert response.status_code == 200
    assert 'id="possible-duplicates"' in response.content.decode()
    assert Client.objects.filter(organisation=vasa).count() == 0

    upload = SimpleUploadedFile("record.json", exported, content_type="application/json")
    data = {"organisation": vasa.pk, "file": upload, "action": "import", "confirm_duplicate": "on"}
    response = client.post("/exchange/import/", data)
    imported = Client.objects.get(organisation=vasa)
    assert f"/clients/{imported.pk}/" in response.content.decode()
    detail = client.get(f"/clients/{imported.pk}/").content.decode()
    assert 'id="record-import-note"' in detail and "(545)" in detail


def test_page_shows_schema_errors_escaped(client, worker_vasa, vasa):
    client.force_login(worker_vasa)
    bad = json.dumps({"format": "hemkommun.integration-record", "<script>": 1}).encode()
    upload = SimpleUploadedFile("record.json", bad, content_type="application/json")
    response = client.post("/exchange/import/", {"organisation": vasa.pk, "file": upload, "action": "check"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in page
    assert "&lt;script&gt;" in page and "“<script>”" not in page


def test_page_refuses_another_organisation(client, worker_vasa, narpes):
    client.force_login(worker_vasa)
    upload = SimpleUploadedFile("record.json", b"{}", content_type="application/json")
    response = client.post("/exchange/import/", {"organisation": narpes.pk, "file": upload})
    assert response.status_code == 200 and not Client.objects.filter(organisation=narpes).exists()
    assert response.context["form"].errors["organisation"]


def test_page_refuses_a_large_file(client, worker_vasa, vasa, settings):
    client.force_login(worker_vasa)
    upload = SimpleUploadedFile("record.json", b" " * (2 * 1024 * 1024 + 1), content_type="application/json")
    response = client.post("/exchange/import/", {"organisation": vasa.pk, "file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0]
