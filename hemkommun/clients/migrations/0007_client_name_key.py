"""Client.name_key, the names folded across scripts and spellings, for finding duplicates
(hemkommun/clients/duplicates.py, docs/duplicates.md).

Existing clients get their keys here. On PostgreSQL the pg_trgm extension and a GIN trigram
index on the key answer the candidate search; SQLite has neither and searches through the
birth-year index instead, so both steps do nothing there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEX = "client_name_key_trgm_idx"
BATCH = 5000


class TrigramExtensionOnPostgres(TrigramExtension):
    """CreateExtension skips other databases going forwards but not backwards: both here."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill_keys(apps, schema_editor):
    # The key function of today: a later change to it comes with a migration that refills.
    from hemkommun.clients.duplicates import name_key

    Client = apps.get_model("clients", "Client")
    quote = schema_editor.connection.ops.quote_name
    # Bandit's B608: the table name comes from the model, never from input.
    sql = f"UPDATE {quote(Client._meta.db_table)} SET name_key = %s WHERE id = %s"  # nosec B608
    names = ("family_name", "given_names", "family_name_latin", "given_names_latin")
    last = 0
    while True:
        rows = list(Client.objects.filter(id__gt=last).order_by("id").values_list("id", *names)[:BATCH])
        if not rows:
            break
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(sql, [(name_key(*row[1:]), row[0]) for row in rows])
        last = rows[-1][0]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("clients", "Client")._meta.db_table
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (name_key gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_encrypt_identity_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="name_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        TrigramExtensionOnPostgres(),
        migrations.RunPython(create_index, drop_index),
    ]
