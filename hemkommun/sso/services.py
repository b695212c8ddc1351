"""Matching a provider's sign-in to an existing staff account, and the one place that signs in by SSO.

Accounts are matched, never created: the first sign-in finds the active staff member by the
provider's configured claim and links (provider, subject); later sign-ins follow the link, so a
changed e-mail address at the provider does not move the sign-in to another account.
"""

import logging

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access.policy import memberships_in_force, mfa_required
from hemkommun.accounts.mfa import has_second_factor
from hemkommun.accounts.services import complete_sign_in, start_second_step
from hemkommun.organizations.models import User

from .models import ExternalIdentity, IdentityProvider, MatchClaim
from .oidc import SignInError

logger = logging.getLogger("hemkommun.sso")

# amr values (RFC 8176) that show a second factor was used at the provider.
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk"})

NO_ACCOUNT = _(
    "No staff account matches this sign-in. Ask the administrator of your organisation to add you."
)
EMAIL_UNVERIFIED = _(
    "The sign-in service has not confirmed your e-mail address, so it cannot be matched to a staff account."
)
ACCOUNT_INACTIVE = _("This staff account is not in use. Ask the administrator of your organisation.")
NOT_SERVED = _(
    "Your organisation does not use this sign-in service. Sign in with your organisation's own service."
)
ALREADY_LINKED = _(
    "This staff account is already linked to another person at this sign-in service. "
    "Ask the administrator of your organisation."
)


def used_mfa(provider: IdentityProvider, claims: dict) -> bool:
    """True when the provider always asks for a second factor or the token says one was used."""
    amr = claims.get("amr")
    methods = {value for value in amr if isinstance(value, str)} if isinstance(amr, list) else set()
    return provider.enforces_mfa or bool(methods & MFA_METHODS)


def match_user(provider: IdentityProvider, claims: dict) -> User:
    """The staff member the claims belong to, linked on first sign-in; SignInError otherwise."""
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=claims["sub"])
        .first()
    )
    user = link.user if link else _match_by_claim(provider, claims)
    _check_may_sign_in(provider, user)
    if link is None:
        link = _link(provider, claims["sub"], user)
    link.last_sign_in_at = timezone.now()
    link.save(update_fields=["last_sign_in_at"])
    return user


def _match_by_claim(provider: IdentityProvider, claims: dict) -> User:
    value = claims.get(provider.match_claim)
    if not isinstance(value, str) or "@" not in value:
        raise SignInError("claim_missing", NO_ACCOUNT, f"no usable {provider.match_claim} claim")
    # Only a provider's own confirmation counts: an unverified address could be anyone's.
    if provider.match_claim == MatchClaim.EMAIL and claims.get("email_verified") is not True:
        raise SignInError("email_unverified", EMAIL_UNVERIFIED, value)
    users = list(User.objects.filter(email__iexact=value.strip())[:2])
    if not users:
        raise SignInError("unknown_person", NO_ACCOUNT, value)
    if len(users) > 1:
        raise SignInError("ambiguous_email", NO_ACCOUNT, f"several accounts have {value}")
    return users[0]


def _check_may_sign_in(provider: IdentityProvider, user: User) -> None:
    if not user.is_active:
        raise SignInError("account_inactive", ACCOUNT_INACTIVE, user.username)
    served = memberships_in_force().filter(user=user, unit__organisation__in=provider.organisations.all())
    if not served.exists():
        raise SignInError("organisation_not_served", NOT_SERVED, user.username)


def _link(provider: IdentityProvider, subject: str, user: User) -> ExternalIdentity:
    try:
        with transaction.atomic():
            return ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
    except IntegrityError as error:
        # The account is linked to another subject here: a new person with a reused address.
        raise SignInError("already_linked", ALREADY_LINKED, user.username) from error


def sign_in(request: HttpRequest, user: User, *, provider: IdentityProvider, mfa: bool, next_url: str) -> str:
    """The only place that signs a person in through single sign-on; the address to go on to.

    A sign-in without a second factor at the provider counts as a password alone, as at our own
    login: a user who has a second factor here passes it next (the login's second step), and one
    whose work requires a second factor but has none is signed in to enrol one.
    """
    logger.info("sso sign-in: provider=%s user=%s mfa=%s", provider.slug, user.username, mfa)
    if not mfa and has_second_factor(user):
        start_second_step(request, user, first_factor="sso", next_url=next_url)
        return reverse("accounts:verify")
    complete_sign_in(request, user, method="sso", mfa=mfa)
    if not mfa and mfa_required(user):
        return reverse("accounts:security")
    return next_url
