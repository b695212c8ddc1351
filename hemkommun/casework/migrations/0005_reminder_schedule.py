"""The daily deadline-reminder job in django-q2's schedule (run by `manage.py qcluster`)."""

import datetime

from django.db import migrations
from django.utils import timezone

FUNC = "hemkommun.casework.reminders.send_deadline_reminders"


def schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    # Six in the morning, Finnish time: reminders are there when the working day starts.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    first_run = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(6, 0)))
    Schedule.objects.get_or_create(
        name="deadline reminders",
        defaults={"func": FUNC, "schedule_type": "D", "repeats": -1, "next_run": first_run},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="deadline reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_notifications"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
