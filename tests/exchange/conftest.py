import pytest

from hemkommun.organizations.models import Role
from tests.factories import UserFactory

from .helpers import export_bytes, full_record_client


@pytest.fixture
def worker_narpes(narpes):
    return UserFactory.with_role(
        Role.CASE_WORKER, narpes, username="caseworker.narpes", first_name="Anna", last_name="Berg"
    )


@pytest.fixture
def worker_vasa(vasa):
    return UserFactory.with_role(
        Role.CASE_WORKER, vasa, username="caseworker.vasa", first_name="Vera", last_name="Vasa"
    )


@pytest.fixture
def coordinator_vasa(vasa):
    return UserFactory.with_role(Role.COORDINATOR, vasa, username="coordinator.vasa")


@pytest.fixture
def record_client(narpes, worker_narpes):
    return full_record_client(narpes, worker_narpes)


@pytest.fixture
def exported(record_client, worker_narpes):
    return export_bytes(record_client, worker_narpes)
