"""A real OpenID Connect provider (node-oidc-provider, tests/sso/provider.mjs) run as a subprocess,
and a walk through its sign-in page with `requests`. Used by tests/sso and the browser journey."""

import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.conf import settings

SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = Path(settings.BASE_DIR) / "node_modules" / "oidc-provider"
RP = "http://testserver"
CLIENT_ID = "hemkommun-test"
CLIENT_SECRET = "test-client-secret: with / reserved & characters"
SECRET_ENV = "SSO_TEST_CLIENT_SECRET"
# The people the provider knows; the Hemkommun accounts are made per test.
ACCOUNTS = {
    "nora": {
        "sub": "sub-nora",
        "email": "Nora.Neuvoja@Narpes.example",
        "email_verified": True,
        "amr": ["pwd", "otp"],
    },
    "kaj": {
        "sub": "sub-kaj",
        "email": "kaj.koordinator@narpes.example",
        "email_verified": True,
        "amr": ["pwd"],
    },
    "unverified": {
        "sub": "sub-unverified",
        "email": "ulla@narpes.example",
        "email_verified": False,
        "amr": ["pwd"],
    },
    "stranger": {
        "sub": "sub-stranger",
        "email": "nobody@elsewhere.example",
        "email_verified": True,
        "amr": ["pwd"],
    },
}


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    started_in: float


def _require(ready: bool, message: str) -> None:
    """Missing node or its package fails under CI=true (nothing may be skipped there), else skips."""
    if ready:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _read_issuer(process: subprocess.Popen, timeout: float = 30) -> str:
    """The provider picks its own free port and prints "issuer <url>" once it serves."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + timeout
    output = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        if line.startswith("issuer "):
            return line.split()[1]
        output.append(line)
    raise RuntimeError(f"the test provider did not start within {timeout} s: {''.join(output)}")


@contextmanager
def running_provider(redirect_uris: list[str]) -> Iterator[RunningProvider]:
    """The provider with one client allowed to return to `redirect_uris`, stopped afterwards."""
    node = shutil.which("node")
    _require(node is not None, "node is missing: sudo apt-get install nodejs npm")
    _require(PACKAGE.exists(), "node_modules/oidc-provider is missing: run `npm ci`")
    config = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": redirect_uris,
        "accounts": ACCOUNTS,
    }
    began = time.monotonic()
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        issuer = _read_issuer(process)
        assert requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).ok
        yield RunningProvider(issuer=issuer, started_in=time.monotonic() - began)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def configure(provider_process: RunningProvider, organisation, monkeypatch):
    """The running provider registered in Hemkommun for `organisation`, its secret in the environment."""
    from django.core.cache import cache

    from hemkommun.sso.models import IdentityProvider

    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    # Discovery and JWKS are fetched as on a fresh server.
    cache.clear()
    provider = IdentityProvider.objects.create(
        name="Närpes AD",
        slug="region-idp",
        issuer=provider_process.issuer,
        client_id=CLIENT_ID,
        client_secret_env=SECRET_ENV,
        scopes="openid email",
    )
    provider.organisations.add(organisation)
    return provider


def walk_provider(authorize_url: str, login: str | None, *, deny: bool = False) -> str:
    """Go through the provider's pages as a person would; returns the redirect back to Hemkommun."""
    browser = requests.Session()
    response = _follow(browser, browser.get(authorize_url, allow_redirects=False))
    if response.url.startswith(RP):
        return response.url
    form = "deny" if deny else "login"
    action = re.search(rf'action="([^"]+/{form})"', response.text).group(1)
    data = {} if deny else {"login": login}
    response = _follow(browser, browser.post(urljoin(response.url, action), data=data, allow_redirects=False))
    assert response.url.startswith(RP), f"the provider did not send the person back: {response.text[:300]}"
    return response.url


def _follow(browser: requests.Session, response: requests.Response) -> requests.Response:
    """Follow the provider's redirects, stopping at the first one to Hemkommun (not served here)."""
    for _ in range(10):
        if not response.is_redirect:
            return response
        target = urljoin(response.url, response.headers["Location"])
        if target.startswith(RP):
            response.url = target
            return response
        response = browser.get(target, allow_redirects=False)
    raise AssertionError("too many redirects at the provider")
