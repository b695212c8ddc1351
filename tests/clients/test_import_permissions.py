"""Who may import a client register: the holder's coordinators and administrators, nobody else.

From DESIGN.md (Access) and issue 2: importing whole registers is for the roles that run the
organisation's register (coordinator, administrator); a counsellor works case by case, reporting
sees figures only, the data-protection officer supervises and does not write, and staff of
another organisation never write into this one.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from hemkommun.clients import importing
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory
from .test_import import FAMILY, csv_file

MAY_IMPORT = [Role.COORDINATOR, Role.ADMINISTRATOR]
MAY_NOT_IMPORT = [Role.COUNSELLOR, Role.CASE_WORKER, Role.REPORTING, Role.DATA_PROTECTION_OFFICER]


def upload() -> io.BytesIO:
    file = io.BytesIO(csv_file(FAMILY))
    file.name = "register.csv"
    return file


def import_into(organisation, by, *, dry_run: bool = False):
    return importing.import_clients(
        by=by, organisation=organisation, content=csv_file(FAMILY), filename="register.csv", dry_run=dry_run
    )


@pytest.mark.parametrize("role", MAY_IMPORT)
def test_roles_that_may_import_use_the_page_and_the_service(client, narpes, role):
    user = UserFactory.with_role(role, narpes)
    client.force_login(user)
    assert client.get(reverse("clients:import")).status_code == 200
    assert reverse("clients:import") in client.get(reverse("clients:list")).content.decode()

    response = client.post(
        reverse("clients:import"), {"organisation": narpes.pk, "file": upload(), "action": "import"}
    )
    assert response.context["result"].written
    assert Client.objects.filter(organisation=narpes).count() == 3


@pytest.mark.parametrize("role", MAY_NOT_IMPORT)
def test_roles_that_may_not_import_get_403_and_a_refusal(client, narpes, role):
    user = UserFactory.with_role(role, narpes)
    client.force_login(user)
    assert client.get(reverse("clients:import")).status_code == 403
    response = client.post(
        reverse("clients:import"), {"organisation": narpes.pk, "file": upload(), "action": "import"}
    )
    assert response.status_code == 403
    assert reverse("clients:import") not in client.get(reverse("clients:list")).content.decode()

    with pytest.raises(ValidationError) as error:
        import_into(narpes, user, dry_run=True)
    assert error.value.code == "import_forbidden"
    assert not Client.objects.exists()


def test_social_worker_of_the_welfare_area_may_not_import_into_a_municipality(client, narpes):
    user = UserFactory.with_role(Role.SOCIAL_WORKER, OrganisationFactory.welfare_area())
    client.force_login(user)
    assert client.get(reverse("clients:import")).status_code == 403
    with pytest.raises(ValidationError):
        import_into(narpes, user)
    assert not Client.objects.exists()


def test_coordinator_of_another_municipality_may_not_import_here(client, narpes, vasa):
    user = UserFactory.with_role(Role.COORDINATOR, vasa)
    client.force_login(user)
    # The page offers only Vasa; a forged Närpes choice is refused by the form and by the service.
    response = client.post(
        reverse("clients:import"), {"organisation": narpes.pk, "file": upload(), "action": "import"}
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    with pytest.raises(ValidationError):
        import_into(narpes, user)
    assert not Client.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, narpes):
    response = client.get(reverse("clients:import"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_command_refuses_a_user_without_the_import_role(tmp_path, narpes):
    counsellor = UserFactory.with_role(Role.COUNSELLOR, narpes)
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(FAMILY))
    with pytest.raises(CommandError):
        call_command(
            "import_clients", str(path), "--organisation", narpes.code, "--user", counsellor.username
        )
    assert not Client.objects.exists()


def test_command_with_an_import_role_imports(tmp_path, narpes):
    administrator = UserFactory.with_role(Role.ADMINISTRATOR, narpes)
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(FAMILY))
    call_command("import_clients", str(path), "--organisation", narpes.code, "--user", administrator.username)
    assert Client.objects.count() == 3
