"""The hourly clean-up of old export files in django-q2's schedule (run by `manage.py qcluster`)."""

from django.db import migrations

FUNC = "hemkommun.exports.jobs.remove_old_exports"


def schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name="remove old exports", defaults={"func": FUNC, "schedule_type": "H", "repeats": -1}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="remove old exports").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_export_jobs"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
