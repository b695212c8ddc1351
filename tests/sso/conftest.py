"""The SSO tests run against a real provider (provider_process.py), started once per session.

The Django test client stands in for the browser at Hemkommun and `requests` at the provider's
pages (`walk_provider`); tests/browser/test_sso_journey.py does the same with chromium.
"""

import pytest

from hemkommun.organizations.models import Role

from ..factories import UserFactory
from .provider_process import RP, configure, running_provider


@pytest.fixture(scope="session")
def oidc_provider():
    with running_provider([f"{RP}/sso/region-idp/callback/"]) as provider:
        yield provider


@pytest.fixture
def idp(db, oidc_provider, narpes, monkeypatch, settings):
    """The test provider configured for Närpes, as an administrator would."""
    settings.SITE_URL = RP
    return configure(oidc_provider, narpes, monkeypatch)


@pytest.fixture
def nora(narpes):
    return UserFactory.with_role(
        Role.COUNSELLOR, narpes, username="nora", email="nora.neuvoja@narpes.example"
    )


@pytest.fixture
def kaj(narpes):
    return UserFactory.with_role(
        Role.COORDINATOR, narpes, username="kaj", email="Kaj.Koordinator@narpes.example"
    )
