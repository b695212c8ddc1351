"""The ID token validator against tokens made here with keys generated here: the forgeries and
slips a real provider will not produce on request."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from hemkommun.sso import oidc
from hemkommun.sso.models import IdentityProvider
from hemkommun.sso.services import used_mfa

ISSUER = "https://idp.example/tenant"
CLIENT = "hemkommun"
NONCE = "the-nonce"
RSA = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
EC = ECKey.generate_key("P-256", parameters={"kid": "ec-1"})
# Another party's key under the same key id: its signatures must not pass.
IMPOSTOR = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
ROTATED = RSAKey.generate_key(2048, parameters={"kid": "rsa-2"})


@pytest.fixture
def provider(monkeypatch):
    """A provider whose discovery and JWKS come from here; `fetches` counts JWKS downloads."""
    from django.core.cache import cache

    cache.clear()
    published = {"keys": [RSA.as_dict(private=False), EC.as_dict(private=False)]}
    fetches = []

    def get_json(url):
        fetches.append(url)
        return published

    monkeypatch.setattr(oidc, "discovery", lambda provider: {"jwks_uri": "https://idp.example/jwks"})
    monkeypatch.setattr(oidc, "_get_json", get_json)
    idp = IdentityProvider(issuer=ISSUER, client_id=CLIENT, slug="idp")
    idp.published, idp.fetches = published, fetches
    return idp


def claims(**changes) -> dict:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": CLIENT, "sub": "subject-1", "iat": now, "exp": now + 300, "nonce": NONCE}
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def token(key=RSA, alg="RS256", **changes) -> str:
    return jwt.encode({"alg": alg, "kid": key.kid}, claims(**changes), key, algorithms=[alg])


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def refused(provider, id_token: str, nonce: str = NONCE) -> str:
    with pytest.raises(oidc.SignInError) as caught:
        oidc.validate_id_token(provider, id_token, nonce=nonce)
    return caught.value.code


def test_rs256_and_es256_tokens_are_accepted(provider):
    assert oidc.validate_id_token(provider, token(), nonce=NONCE)["sub"] == "subject-1"
    assert oidc.validate_id_token(provider, token(EC, "ES256"), nonce=NONCE)["sub"] == "subject-1"


def test_token_signed_by_another_key(provider):
    assert refused(provider, token(IMPOSTOR)) == "id_token_invalid"


def test_unsigned_token(provider):
    header = b64(json.dumps({"alg": "none", "kid": "rsa-1"}).encode())
    assert refused(provider, f"{header}.{b64(json.dumps(claims()).encode())}.") == "id_token_invalid"


def test_hs256_signed_with_the_public_key(provider):
    """The classic confusion attack: the public key used as an HMAC secret."""
    public = RSA.as_pem(private=False)
    signing_input = (
        f"{b64(json.dumps({'alg': 'HS256', 'kid': 'rsa-1'}).encode())}.{b64(json.dumps(claims()).encode())}"
    )
    signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    assert refused(provider, f"{signing_input}.{b64(signature)}") == "id_token_invalid"


class FromNow(int):
    """A time given as seconds from when the test runs, not from when the suite was collected
    (the suite takes minutes: a token made 'in the future' at collection is past by then)."""

    def __repr__(self) -> str:
        return f"now{int(self):+d}s"


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": FromNow(-2 * oidc.CLOCK_LEEWAY)},
        {"exp": None},
        {"iat": None},
        {"iat": FromNow(-oidc.MAX_TOKEN_AGE - 5)},
        {"iat": FromNow(10 * oidc.CLOCK_LEEWAY)},
        {"iss": "https://idp.example/other-tenant"},
        {"iss": None},
        {"aud": "another-client"},
        {"aud": ["another-client"]},
        {"aud": [CLIENT, "another-client"]},
        {"aud": [CLIENT, "another-client"], "azp": "another-client"},
        {"sub": None},
        {"sub": ""},
        {"sub": "x" * 256},
        {"sub": 12345},
        {"nonce": None},
        {"nonce": "another-nonce"},
    ],
    ids=repr,
)
def test_claims_that_are_refused(provider, changes):
    now = int(time.time())
    changes = {name: now + value if isinstance(value, FromNow) else value for name, value in changes.items()}
    assert refused(provider, token(**changes)) == "id_token_invalid"


def test_several_audiences_with_this_client_as_authorised_party(provider):
    accepted = oidc.validate_id_token(provider, token(aud=[CLIENT, "api"], azp=CLIENT), nonce=NONCE)
    assert accepted["azp"] == CLIENT


def test_rotated_key_is_fetched_once_more(provider):
    assert oidc.validate_id_token(provider, token(), nonce=NONCE)
    provider.published["keys"] = [ROTATED.as_dict(private=False)]

    assert oidc.validate_id_token(provider, token(ROTATED), nonce=NONCE)
    assert len(provider.fetches) == 2


def test_unknown_key_after_refresh_is_refused(provider):
    assert (
        refused(provider, token(RSAKey.generate_key(2048, parameters={"kid": "nobody"})))
        == "id_token_invalid"
    )


# The provider fixture holds no state a refused token changes, so sharing it is sound.
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300), st.lists(st.text(max_size=60), min_size=3, max_size=3).map(".".join)))
def test_garbage_is_refused_not_crashed_on(provider, garbage):
    assert refused(provider, garbage) == "id_token_invalid"


@pytest.mark.parametrize(
    ("amr", "enforced", "expected"),
    [
        (["pwd", "otp"], False, True),
        (["hwk"], False, True),
        (["pwd", "mfa"], False, True),
        (["pwd"], False, False),
        ("mfa", False, False),  # not a list: not trusted
        ([{"mfa": 1}], False, False),
        (None, False, False),
        (["pwd"], True, True),
    ],
)
def test_mfa_from_amr_or_policy(amr, enforced, expected):
    provider = IdentityProvider(enforces_mfa=enforced)
    assert used_mfa(provider, {"amr": amr} if amr is not None else {}) is expected


class FakeResponse:
    def __init__(self, data):
        self.data = data

    def raise_for_status(self):
        return None

    def json(self):
        return self.data


@pytest.mark.parametrize("answer", [{"sub": "someone-else", "email": "x@y.fi"}, {"email": "x@y.fi"}, ["sub"]])
def test_userinfo_of_another_subject_is_refused(monkeypatch, answer):
    idp = IdentityProvider(issuer=ISSUER, client_id=CLIENT, slug="idp")
    monkeypatch.setattr(oidc, "discovery", lambda provider: {"userinfo_endpoint": "https://idp.example/me"})
    monkeypatch.setattr(oidc.requests, "get", lambda *args, **kwargs: FakeResponse(answer))

    with pytest.raises(oidc.SignInError) as caught:
        oidc.userinfo(idp, "access-token", subject="subject-1")
    assert caught.value.code == "userinfo_subject"
