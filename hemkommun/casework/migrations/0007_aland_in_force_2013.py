"""ÅFS 2012:74 came into force on 1.1.2013 (regeringen.ax), not at the start of 2012."""

import datetime

from django.db import migrations


def move(apps, schema_editor, day):
    apps.get_model("casework", "RuleSet").objects.filter(code="aland-2012").update(applies_from=day)


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_clock_start_label")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: move(apps, editor, datetime.date(2013, 1, 1)),
            lambda apps, editor: move(apps, editor, datetime.date(2012, 1, 1)),
        )
    ]
