"""Sign-in tests: people who sign in through the pages, as in production (not force_login)."""

import pyotp
import pytest
from django.urls import reverse
from django.utils import translation

from hemkommun.accounts import mfa
from hemkommun.organizations.models import Role

from ..factories import OrganisationFactory, UserFactory

PASSWORD = "demo-password-1"  # what tests.factories.UserFactory gives every user


def fi(message: str, **values) -> str:
    """A message as a Finnish user sees it (the catalogue may not have it yet: then English)."""
    with translation.override("fi"):
        text = translation.gettext(message)
    return text % values if values else text


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def enter_code(client, code: str, **extra):
    return client.post(reverse("accounts:verify"), {"code": code}, **extra)


def totp_code(user) -> str:
    return pyotp.TOTP(user.totp_device.secret).now()


def give_totp(user) -> str:
    """An enrolled authenticator, as if set up on the security page; its secret."""
    secret = mfa.new_totp_secret()
    from hemkommun.accounts.models import TotpDevice

    TotpDevice.objects.create(user=user, secret=secret)
    return secret


@pytest.fixture
def strict_org(db):
    """An organisation requiring a second factor (the model's default)."""
    return OrganisationFactory.municipality("545", "Närpes", mfa_required=True)


@pytest.fixture
def lenient_org(db):
    return OrganisationFactory.municipality("905", "Vasa", mfa_required=False)


@pytest.fixture
def counsellor(strict_org):
    """Sees client data in an organisation that requires a second factor."""
    return UserFactory.with_role(Role.COUNSELLOR, strict_org, username="counsellor.narpes")


@pytest.fixture
def relaxed(lenient_org):
    """Sees client data where no second factor is required."""
    return UserFactory.with_role(Role.COUNSELLOR, lenient_org, username="counsellor.vasa")
