"""Starting a sign-in at an organisation's identity provider, and its return (the redirect URI).

Whatever goes wrong ends on the login page with a translated message and a log line, never
with a session or a 500.
"""

import dataclasses
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import oidc
from .models import IdentityProvider
from .oidc import Flow, SignInError
from .services import match_user, sign_in, used_mfa

logger = logging.getLogger("hemkommun.sso")

SESSION_KEY = "sso_flows"
# A person may have a sign-in open in a few tabs; older ones are dropped.
MAX_OPEN_FLOWS = 5
FLOW_LIFETIME = 10 * 60

UNAVAILABLE = _("This sign-in service is not available.")
STATE_INVALID = _("The sign-in link has expired or has already been used. Please start the sign-in again.")
CANCELLED = _("The sign-in was cancelled or refused at the sign-in service.")


@require_GET
@never_cache
def start(request: HttpRequest, slug: str) -> HttpResponse:
    provider = IdentityProvider.objects.filter(slug=slug, active=True).first()
    if provider is None:
        return _refuse(request, SignInError("provider_unavailable", UNAVAILABLE, slug), slug)
    flow = oidc.new_flow(provider, _safe_next(request, request.GET.get("next", "")))
    try:
        url = oidc.authorization_url(provider, flow, _redirect_uri(provider))
    except SignInError as error:
        return _refuse(request, error, slug)
    _remember(request, flow)
    return redirect(url)


@require_GET
@never_cache
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        provider, flow = _consume_flow(request, slug)
        _check_response(request, provider)
        user, mfa = _authenticate(request, provider, flow)
    except SignInError as error:
        return _refuse(request, error, slug)
    return redirect(sign_in(request, user, provider=provider, mfa=mfa, next_url=flow.next_url))


def _consume_flow(request: HttpRequest, slug: str) -> tuple[IdentityProvider, Flow]:
    """The flow this state began, removed from the session before anything else (single use)."""
    flows = request.session.get(SESSION_KEY, {})
    state = request.GET.get("state", "")
    data = flows.pop(state, None) if isinstance(state, str) else None
    request.session[SESSION_KEY] = flows
    if data is None:
        raise SignInError("state_invalid", STATE_INVALID, "unknown, missing or used state")
    flow = Flow(**data)
    provider = IdentityProvider.objects.filter(pk=flow.provider_id, slug=slug, active=True).first()
    if provider is None:
        raise SignInError("state_invalid", STATE_INVALID, "state of another provider")
    if time.time() - flow.started > FLOW_LIFETIME:
        raise SignInError("state_expired", STATE_INVALID, "flow older than its lifetime")
    return provider, flow


def _check_response(request: HttpRequest, provider: IdentityProvider) -> None:
    if "error" in request.GET:
        raise SignInError("provider_error", CANCELLED, request.GET.get("error", "")[:100])
    # RFC 9207: a provider that names itself in the response must be the one the flow went to.
    if "iss" in request.GET and request.GET["iss"] != provider.issuer:
        raise SignInError("issuer_mismatch", oidc.PROVIDER_FAILED, request.GET["iss"][:200])
    if not request.GET.get("code"):
        raise SignInError("code_missing", oidc.PROVIDER_FAILED, "no code in the response")


def _authenticate(request: HttpRequest, provider: IdentityProvider, flow: Flow):
    redirect_uri = _redirect_uri(provider)
    tokens = oidc.exchange_code(provider, flow, request.GET["code"], redirect_uri)
    claims = oidc.validate_id_token(provider, tokens["id_token"], nonce=flow.nonce)
    if provider.match_claim not in claims:
        # Many providers put profile claims in userinfo only; the signed ID token wins where both say.
        extra = oidc.userinfo(provider, tokens.get("access_token", ""), subject=claims["sub"])
        claims = {**extra, **claims}
    return match_user(provider, claims), used_mfa(provider, claims)


def _remember(request: HttpRequest, flow: Flow) -> None:
    flows = request.session.get(SESSION_KEY, {})
    flows[flow.state] = dataclasses.asdict(flow)
    newest = sorted(flows.items(), key=lambda item: item[1]["started"])[-MAX_OPEN_FLOWS:]
    request.session[SESSION_KEY] = dict(newest)


def _redirect_uri(provider: IdentityProvider) -> str:
    """SITE_URL, not the request's host: the address registered at the provider must match exactly,
    and behind a TLS-terminating proxy the request itself may look like plain http."""
    return settings.SITE_URL.rstrip("/") + reverse("sso:callback", args=[provider.slug])


def _safe_next(request: HttpRequest, next_url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if allowed else reverse(settings.LOGIN_REDIRECT_URL)


def _refuse(request: HttpRequest, error: SignInError, slug: str) -> HttpResponse:
    # %r keeps what the provider or the address bar sent on one log line.
    logger.warning("sso sign-in refused: provider=%s code=%s detail=%r", slug, error.code, error.detail)
    messages.error(request, error.message)
    return redirect(settings.LOGIN_URL)
