"""Webhook addresses: https only, and no requests into the internal network."""

import pytest
from django.core.exceptions import ValidationError

from hemkommun.webhooks.addresses import check_before_sending, check_url


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # plain http
        "ftp://93.184.216.34/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://app.localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.5/hook",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://0.0.0.0/hook",
        "https://user:pass@93.184.216.34/hook",
        "https:///hook",
    ],
)
def test_refused_addresses(production, url):
    with pytest.raises(ValidationError) as excinfo:
        check_url(url)
    assert excinfo.value.code == "webhook_url"
    assert check_before_sending(url) is not None


def test_a_public_https_address_is_allowed(production):
    check_url("https://93.184.216.34/hook")
    assert check_before_sending("https://93.184.216.34/hook") is None


def test_the_settings_allow_http_and_internal_addresses_for_development(settings):
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    check_url("http://127.0.0.1:8080/hook")
    assert check_before_sending("http://127.0.0.1:8080/hook") is None
