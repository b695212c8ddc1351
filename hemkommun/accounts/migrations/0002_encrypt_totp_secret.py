"""Authenticator-app secrets encrypted at rest (docs/encryption.md).

The key comes from the settings (FIELD_ENCRYPTION_KEYS): set it before migrating. Secrets
already stored are encrypted in batches; rolling back writes them back in clear.
"""

from django.db import migrations

import hemkommun.core.fields


def encrypt(apps, schema_editor):
    from hemkommun.core.field_encryption import encrypt_existing

    encrypt_existing(apps.get_model("accounts", "TotpDevice"), "secret")


def decrypt(apps, schema_editor):
    from hemkommun.core.field_encryption import decrypt_existing

    decrypt_existing(apps.get_model("accounts", "TotpDevice"), "secret")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="totpdevice",
            name="secret",
            field=hemkommun.core.fields.EncryptedCharField(max_length=64),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
