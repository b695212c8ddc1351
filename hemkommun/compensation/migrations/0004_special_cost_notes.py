"""The special-cost parameters say what the source says: costs must be substantial (more than one
year's calculated compensation), not paid only above it; the 10 years count from the first
home-municipality registration. Only notes still as 0002 wrote them are changed: an
administrator's own correction stays."""

from django.db import migrations

THRESHOLD_BEFORE = (
    "Special social and health care costs are paid only for the part above one year's "
    "calculated compensation for the person."
)
THRESHOLD_AFTER = (
    "Special costs must be substantial: more than one year's calculated compensation for the "
    "person (the source gives the 7-and-over amount). A claim warns of a client's special costs of "
    "a year that are not; the state centre decides."
)
YEARS_BEFORE = "By decision of the state centre, for at most 10 years."
YEARS_AFTER = (
    "By decision of the state centre, for at most 10 years from the first home-municipality "
    "registration. A cost covering a later day is refused."
)


def rewrite(apps, before: dict, after: dict) -> None:
    Parameter = apps.get_model("compensation", "Parameter")
    for key, note in before.items():
        Parameter.objects.filter(key=key, note=note).update(note=after[key])


def forwards(apps, schema_editor):
    rewrite(
        apps,
        {"special_cost_threshold": THRESHOLD_BEFORE, "special_cost_max_years": YEARS_BEFORE},
        {"special_cost_threshold": THRESHOLD_AFTER, "special_cost_max_years": YEARS_AFTER},
    )


def backwards(apps, schema_editor):
    rewrite(
        apps,
        {"special_cost_threshold": THRESHOLD_AFTER, "special_cost_max_years": YEARS_AFTER},
        {"special_cost_threshold": THRESHOLD_BEFORE, "special_cost_max_years": YEARS_BEFORE},
    )


class Migration(migrations.Migration):
    dependencies = [("compensation", "0003_cost_claims")]

    operations = [migrations.RunPython(forwards, backwards)]
