import pytest

from hemkommun.organizations.models import Role
from tests.factories import UserFactory

from .helpers import rich_client


@pytest.fixture
def worker_narpes(narpes):
    return UserFactory.with_role(
        Role.CASE_WORKER, narpes, username="caseworker.narpes", first_name="Anna", last_name="Berg"
    )


@pytest.fixture
def dpo_narpes(narpes):
    return UserFactory.with_role(
        Role.DATA_PROTECTION_OFFICER, narpes, username="dpo.narpes", first_name="Dana", last_name="Dpo"
    )


@pytest.fixture
def subject(narpes, worker_narpes):
    return rich_client(narpes, worker_narpes)
