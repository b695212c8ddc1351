"""The daily search for records due under the retention rules, in django-q2's schedule (run by
`manage.py qcluster`). It only proposes: nothing is destroyed before an officer approves."""

from django.db import migrations

NAME = "propose records due for retention"
FUNC = "hemkommun.retention.jobs.propose_due"


def schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=NAME, defaults={"func": FUNC, "schedule_type": "D", "repeats": -1}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_default_rules"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
