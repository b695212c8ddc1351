"""Identity codes encrypted at rest, found through a keyed blind index (docs/encryption.md).

The keys come from the settings (FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY): set them before
migrating. The uniqueness of identity codes moves to the blind index.
"""

from django.db import migrations, models

import hemkommun.core.fields


def encrypt(apps, schema_editor):
    from hemkommun.clients.models import normalise_identity_code
    from hemkommun.core.field_encryption import encrypt_existing

    encrypt_existing(
        apps.get_model("clients", "Client"),
        "identity_code",
        index=("identity_code_index", normalise_identity_code),
    )


def decrypt(apps, schema_editor):
    from hemkommun.core.field_encryption import decrypt_existing

    decrypt_existing(apps.get_model("clients", "Client"), "identity_code")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_earlier_residence"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="client",
            name="client_unique_identity_code",
        ),
        migrations.AddField(
            model_name="client",
            name="identity_code_index",
            field=hemkommun.core.fields.BlindIndexField(
                blank=True, default="", editable=False, max_length=80, source="identity_code"
            ),
        ),
        migrations.AlterField(
            model_name="client",
            name="identity_code",
            field=hemkommun.core.fields.EncryptedCharField(
                blank=True, max_length=11, verbose_name="personal identity code"
            ),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.UniqueConstraint(
                condition=models.Q(("identity_code_index", ""), _negated=True),
                fields=("identity_code_index",),
                name="client_unique_identity_code",
            ),
        ),
    ]
