"""The relying party's protocol pieces: discovery, JWKS, the code exchange and the ID token's checks.

joserfc does the JOSE work (it is the JOSE core authlib itself builds on); the few HTTP calls
are plain `requests`, so every check this module makes is visible here rather than inside a
client library configured once per installation.
"""

import base64
import hashlib
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import requests
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from .models import IdentityProvider

logger = logging.getLogger("hemkommun.sso")

# Asymmetric algorithms only: "none" and HS* (which a forger would sign with the public key) are refused.
ALGORITHMS = ["RS256", "ES256"]
HTTP_TIMEOUT = 10
METADATA_CACHE_SECONDS = 300
CLOCK_LEEWAY = 60
MAX_TOKEN_AGE = 10 * 60


class SignInError(Exception):
    """A sign-in refused: `code` goes to the log, `message` (translated) to the person."""

    def __init__(self, code: str, message, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.detail = detail


PROVIDER_FAILED = _("The sign-in service did not complete the sign-in. Please try again.")


@dataclass(frozen=True)
class Flow:
    """What the callback needs from the start of a sign-in; kept in the session, used once."""

    provider_id: int
    state: str
    nonce: str
    verifier: str
    next_url: str
    started: float


def new_flow(provider: IdentityProvider, next_url: str) -> Flow:
    return Flow(
        provider_id=provider.pk,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),
        next_url=next_url,
        started=time.time(),
    )


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInError("provider_unreachable", PROVIDER_FAILED, f"{url}: {error}") from error
    if not isinstance(data, dict):
        raise SignInError("provider_unreachable", PROVIDER_FAILED, f"{url}: not a JSON object")
    return data


def discovery(provider: IdentityProvider) -> dict:
    """The provider's discovery document, cached briefly; its issuer must be the one configured."""
    key = f"sso:discovery:{provider.issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
        if document.get("issuer") != provider.issuer:
            raise SignInError(
                "issuer_mismatch", PROVIDER_FAILED, f"discovery names {document.get('issuer')!r}"
            )
        required = ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not all(isinstance(document.get(name), str) for name in required):
            raise SignInError("discovery_incomplete", PROVIDER_FAILED, provider.issuer)
        cache.set(key, document, METADATA_CACHE_SECONDS)
    return document


def signing_keys(provider: IdentityProvider, *, refresh: bool = False) -> KeySet:
    """The provider's JWKS, cached briefly; `refresh` after an unknown key id (the key rotated)."""
    uri = discovery(provider)["jwks_uri"]
    key = f"sso:jwks:{uri}"
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(uri)
        cache.set(key, data, METADATA_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise SignInError("jwks_invalid", PROVIDER_FAILED, str(error)) from error


def authorization_url(provider: IdentityProvider, flow: Flow, redirect_uri: str) -> str:
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": code_challenge(flow.verifier),
        "code_challenge_method": "S256",
    }
    return f"{discovery(provider)['authorization_endpoint']}?{urlencode(params)}"


def client_secret(provider: IdentityProvider) -> str:
    """The secret from the named variable, or from the file named by NAME_FILE."""
    name = provider.client_secret_env
    file_name = os.environ.get(f"{name}_FILE", "")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as error:
            raise SignInError("secret_missing", PROVIDER_FAILED, f"{name}_FILE: {error}") from error
    secret = os.environ.get(name, "")
    if not secret:
        raise SignInError("secret_missing", PROVIDER_FAILED, f"environment variable {name} is empty")
    return secret


def exchange_code(provider: IdentityProvider, flow: Flow, code: str, redirect_uri: str) -> dict:
    """The token response for the code, with client_secret_basic (or none for a public client)."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    data["code_verifier"] = flow.verifier
    auth = None
    if provider.client_secret_env:
        # RFC 6749 2.3.1: both halves are form-encoded before they go into the Basic header.
        auth = (quote(provider.client_id, safe=""), quote(client_secret(provider), safe=""))
    else:
        data["client_id"] = provider.client_id
    try:
        response = requests.post(
            discovery(provider)["token_endpoint"], data=data, auth=auth, timeout=HTTP_TIMEOUT
        )
        tokens = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInError("token_request_failed", PROVIDER_FAILED, str(error)) from error
    if (
        response.status_code != 200
        or not isinstance(tokens, dict)
        or not isinstance(tokens.get("id_token"), str)
    ):
        raise SignInError("token_refused", PROVIDER_FAILED, f"{response.status_code}: {str(tokens)[:200]}")
    return tokens


def _decode(provider: IdentityProvider, id_token: str):
    try:
        return jwt.decode(id_token, signing_keys(provider), algorithms=ALGORITHMS)
    except InvalidKeyIdError:
        # A key id the cached JWKS lacks: the provider may have rotated its keys; fetch once more.
        pass
    except (JoseError, ValueError) as error:
        raise SignInError("id_token_invalid", PROVIDER_FAILED, f"{type(error).__name__}: {error}") from error
    try:
        return jwt.decode(id_token, signing_keys(provider, refresh=True), algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise SignInError("id_token_invalid", PROVIDER_FAILED, f"{type(error).__name__}: {error}") from error


def validate_id_token(provider: IdentityProvider, id_token: str, *, nonce: str) -> dict:
    """The ID token's claims once its signature, issuer, audience, times and nonce are right."""
    claims = _decode(provider, id_token).claims
    registry = jwt.JWTClaimsRegistry(
        leeway=CLOCK_LEEWAY,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise SignInError("id_token_invalid", PROVIDER_FAILED, f"{type(error).__name__}: {error}") from error
    _check_beyond_registry(provider, claims)
    return claims


def _check_beyond_registry(provider: IdentityProvider, claims: dict) -> None:
    # OIDC Core 2: a subject is at most 255 ASCII characters; a longer one would not fit the link.
    if len(claims["sub"]) > 255 or not claims["sub"]:
        raise SignInError("id_token_invalid", PROVIDER_FAILED, "sub empty or longer than 255")
    # joserfc checks that iat is not in the future; a token issued long ago is refused here too.
    iat = claims["iat"]
    if not isinstance(iat, int | float) or iat < time.time() - MAX_TOKEN_AGE:
        raise SignInError("id_token_invalid", PROVIDER_FAILED, "iat too old")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    # OIDC Core 3.1.3.7: with several audiences the authorised party must be this client.
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise SignInError("id_token_invalid", PROVIDER_FAILED, "azp is not this client")


def userinfo(provider: IdentityProvider, access_token: str, *, subject: str) -> dict:
    """The userinfo claims, only for the same subject as the ID token (OIDC Core 5.3.2)."""
    endpoint = discovery(provider).get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    try:
        response = requests.get(
            endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=HTTP_TIMEOUT
        )
        response.raise_for_status()
        claims = response.json()
    except (requests.RequestException, ValueError) as error:
        raise SignInError("userinfo_failed", PROVIDER_FAILED, str(error)) from error
    if not isinstance(claims, dict) or claims.get("sub") != subject:
        raise SignInError("userinfo_subject", PROVIDER_FAILED, "userinfo is for another subject")
    return claims
