"""Who may see and keep an integration programme: everyone working for an owner municipality reads
it, its coordinators write; other organisations and anonymous visitors find nothing."""

import pytest
from django.urls import reverse

from hemkommun.organizations.models import Role
from hemkommun.programme import services
from hemkommun.programme.models import ActionStatus, Programme
from hemkommun.programme.parsing import parse_file
from hemkommun.programme.samples import SEED_002

from ..factories import OrganisationFactory, UserFactory

SEED = SEED_002
READERS = [role for role in Role.values if role != Role.COORDINATOR]


@pytest.fixture
def programme(narpes):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    return services.programme_import(
        by=coordinator,
        owners=[narpes],
        period=services.Period(2023, 2025),
        parsed=parse_file(SEED.read_bytes()),
        title="Secret title of Närpes",
    )


def write_urls(programme) -> list[tuple[str, str]]:
    owner = programme.owners.get()
    return [
        ("get", reverse("programme:import")),
        ("get", reverse("programme:statuses", args=[programme.pk, 2024])),
        ("post", reverse("programme:statuses", args=[programme.pk, 2024])),
        ("get", reverse("programme:approval", args=[programme.pk, owner.pk])),
        ("post", reverse("programme:approval", args=[programme.pk, owner.pk])),
        ("post", reverse("programme:revise", args=[programme.pk])),
    ]


@pytest.mark.parametrize("role", READERS)
def test_staff_of_an_owner_read_but_only_coordinators_write(client, narpes, programme, role):
    client.force_login(UserFactory.with_role(role, narpes))
    assert "Secret title of Närpes" in client.get(reverse("programme:list")).content.decode()
    assert client.get(reverse("programme:detail", args=[programme.pk])).status_code == 200
    for method, url in write_urls(programme):
        response = getattr(client, method)(url, {"approved_by": "x"})
        assert response.status_code == 404, (role, url)
    assert not Programme.objects.filter(revision_of=programme).exists()
    assert not ActionStatus.objects.exists()


def test_a_coordinator_of_an_owner_writes(client, narpes, programme):
    client.force_login(UserFactory.with_role(Role.COORDINATOR, narpes))
    for method, url in write_urls(programme):
        if method == "get":
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", Role.values)
def test_staff_of_another_municipality_find_nothing(client, vasa, programme, role):
    client.force_login(UserFactory.with_role(role, vasa))
    assert "Secret title of Närpes" not in client.get(reverse("programme:list")).content.decode()
    assert client.get(reverse("programme:detail", args=[programme.pk])).status_code == 404
    for method, url in write_urls(programme)[1:]:
        assert getattr(client, method)(url).status_code == 404, url


def test_staff_of_a_welfare_area_have_no_programme_pages(client, programme):
    welfare = OrganisationFactory.welfare_area()
    client.force_login(UserFactory.with_role(Role.SOCIAL_WORKER, welfare))
    assert client.get(reverse("programme:list")).status_code == 404
    assert client.get(reverse("programme:detail", args=[programme.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, programme):
    for url in (reverse("programme:list"), reverse("programme:detail", args=[programme.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_a_coordinator_of_a_co_owner_writes_the_joint_programme(client, narpes, vasa):
    coordinator = UserFactory.with_role(Role.COORDINATOR, narpes)
    joint = services.programme_import(
        by=coordinator,
        owners=[narpes, vasa],
        period=services.Period(2023, 2025),
        parsed=parse_file(SEED.read_bytes()),
        title="Joint",
    )
    client.force_login(UserFactory.with_role(Role.COORDINATOR, vasa))
    assert client.get(reverse("programme:statuses", args=[joint.pk, 2024])).status_code == 200
