"""Name tokens carry the client's organisation and Latin names, for index-only name search."""

import django.db.models.deletion
from django.db import migrations, models


def copy_from_clients(apps, schema_editor):
    table = apps.get_model("clients", "ClientNameToken")._meta.db_table
    clients = apps.get_model("clients", "Client")._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign key row by row now: checks left pending at the end of the
        # transaction would make the ALTER TABLE that follows fail.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Bandit's B608 is silenced here and below: the table and column names come from the
        # models, never from input.
        sql = (
            f"UPDATE {table} AS t SET organisation_id = c.organisation_id,"  # nosec B608
            " family_name_latin = c.family_name_latin, given_names_latin = c.given_names_latin"
            f" FROM {clients} AS c WHERE c.id = t.client_id"
        )
    else:
        columns = ("organisation_id", "family_name_latin", "given_names_latin")
        sql = f"UPDATE {table} SET " + ", ".join(  # nosec B608
            f"{column} = (SELECT c.{column} FROM {clients} AS c WHERE c.id = {table}.client_id)"  # nosec B608
            for column in columns
        )
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0003_client_name_index"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        # The old index goes first, so that filling the new columns does not update it.
        migrations.RemoveIndex(model_name="clientnametoken", name="client_token_idx"),
        migrations.AddField(
            model_name="clientnametoken",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organizations.organisation",
            ),
        ),
        migrations.AddField(
            model_name="clientnametoken",
            name="family_name_latin",
            field=models.CharField(blank=True, default="", max_length=150),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="clientnametoken",
            name="given_names_latin",
            field=models.CharField(blank=True, default="", max_length=150),
            preserve_default=False,
        ),
        migrations.RunPython(copy_from_clients, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="clientnametoken",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organizations.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="clientnametoken",
            index=models.Index(
                fields=["token"],
                include=("client", "organisation", "family_name_latin", "given_names_latin"),
                name="client_token_search_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
