"""`manage.py check --deploy` under the production variables of the README (docs/security.md)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from hemkommun.core import crypto

# Django started in subprocesses, with no database: once is enough (scripts/test.sh).
pytestmark = pytest.mark.one_pass

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "hemkommun.example.fi",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_COOKIES": "true",
    "CSRF_TRUSTED_ORIGINS": "https://hemkommun.example.fi",
    # The keys production must be given (docs/encryption.md, docs/audit.md): none have defaults.
    "FIELD_ENCRYPTION_KEYS": crypto.generate_key(),
    "BLIND_INDEX_KEY": crypto.generate_key(),
    "AUDIT_CHAIN_KEY": secrets.token_urlsafe(48),
}


def check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    """The check in a fresh process: settings are read once, at start, from the environment."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        **PRODUCTION,
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_under_the_production_variables():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_without_https_settings():
    result = check_deploy(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = check_deploy(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
