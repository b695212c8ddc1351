"""Authenticator-app secrets are encrypted at rest (docs/encryption.md): the table holds no clear
secret, codes still work, the migration encrypts stored secrets and key rotation covers them."""

import importlib
import io

import pyotp
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from hemkommun.accounts import mfa
from hemkommun.accounts.models import TotpDevice
from hemkommun.core import crypto

pytestmark = pytest.mark.django_db
KEY_A, KEY_B = crypto.generate_key(), crypto.generate_key()


def stored_secret(device: TotpDevice) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def enrolled(relaxed):
    """An authenticator set up as on the security page: the user showed a code from it."""
    secret = mfa.new_totp_secret()
    assert mfa.enrol_totp(relaxed, secret, pyotp.TOTP(secret).now())
    return TotpDevice.objects.get(user=relaxed), secret


def test_the_table_holds_ciphertext_and_codes_still_work(enrolled, relaxed):
    device, secret = enrolled

    stored = stored_secret(device)
    assert secret not in stored and stored.startswith(f"{crypto.FORMAT}$")
    assert TotpDevice.objects.get(pk=device.pk).secret == secret
    TotpDevice.objects.filter(pk=device.pk).update(last_step=None)  # the enrolment used this step
    assert mfa.verify_totp(relaxed, pyotp.TOTP(secret).now())


def test_the_migration_encrypts_secrets_stored_in_clear(enrolled):
    device, secret = enrolled
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_totpdevice SET secret = %s WHERE id = %s", [secret, device.pk])
    migration = importlib.import_module("hemkommun.accounts.migrations.0002_encrypt_totp_secret")

    migration.encrypt(apps, None)

    assert stored_secret(device).startswith(f"{crypto.FORMAT}$")
    assert TotpDevice.objects.get(pk=device.pk).secret == secret


def test_key_rotation_covers_the_secrets(settings, relaxed):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    secret = mfa.new_totp_secret()
    device = TotpDevice.objects.create(user=relaxed, secret=secret)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = io.StringIO()

    with translation.override("en"):
        call_command("rotate_field_keys", stdout=out)

    assert "accounts.TotpDevice.secret: 1 done" in out.getvalue()
    assert crypto.stored_key_id(stored_secret(device)) == crypto.key_id(crypto._decode_key(KEY_B, "test"))
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert TotpDevice.objects.get(pk=device.pk).secret == secret
