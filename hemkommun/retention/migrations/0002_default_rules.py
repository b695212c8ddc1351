"""Installation-wide default retention rules (law data, corrected in the admin).

No law fixes these periods for integration services: a public authority sets them in its
information management plan. The rows are marked as defaults to be checked against the
organisation's own plan (docs/retention.md); an organisation's own rule replaces a default.
"""

from django.db import migrations

SOURCE = (
    "Retention period set in the organisation's information management plan (tiedonohjaussuunnitelma) "
    "under the Act on Information Management in Public Administration (906/2019, § 21) and the "
    "Archives Act (831/1994). Default of the installation: check against the municipality's own plan."
)

DEFAULTS = [
    # record type, years, months, counted from, action, what the default is based on
    ("client", 10, 0, "last_event", "anonymise", "Counted from the end of the client relationship or the last event."),
    ("anonymous_contact", 5, 0, "created", "erase", "Counts of drop-ins only; no personal data."),
    ("read_log", 5, 0, "created", "erase", "Kept so that a client can learn who has read the record."),
    ("webhook_delivery", 0, 6, "finished", "erase", "A technical log of deliveries."),
    ("export_job", 0, 1, "finished", "erase", "The exports' own clean-up removes jobs after a day; this is a backstop."),
]


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for record_type, years, months, counted_from, action, basis in DEFAULTS:
        RetentionRule.objects.get_or_create(
            organisation=None,
            record_type=record_type,
            valid_from="2020-01-01",
            defaults={
                "years": years,
                "months": months,
                "counted_from": counted_from,
                "action": action,
                "legal_source": f"{SOURCE} {basis}",
                "is_default": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_retention")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
