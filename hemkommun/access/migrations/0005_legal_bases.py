"""The legal bases Hemkommun starts with (docs/consent.md). They are defaults: an organisation's
legal counsel changes them in the admin by adding a row from the day a new basis applies."""

import datetime

from django.db import migrations

GDPR = "EU General Data Protection Regulation 2016/679"
CONSENT_SOURCE = (
    f"{GDPR}, art. 6(1)(a) and, for health data, art. 9(2)(a). Hemkommun's default: the client's "
    "consent is recorded before data leaves the organisation holding the case for this purpose. "
    "Where legal counsel finds a statutory basis for the disclosure, add it here from the day it applies."
)
BASES = [
    ("referral", "consent", datetime.date(2018, 5, 25), CONSENT_SOURCE),
    ("case_team", "consent", datetime.date(2018, 5, 25), CONSENT_SOURCE),
    ("transfer", "consent", datetime.date(2018, 5, 25), CONSENT_SOURCE),
    (
        "national_system",
        "legal_obligation",
        datetime.date(2025, 1, 1),
        f"Act on the Promotion of Integration (681/2023): the national integration client information "
        f"system is mandatory for municipalities from 1.1.2027; {GDPR}, art. 6(1)(c).",
    ),
]


def seed(apps, schema_editor):
    LegalBasis = apps.get_model("access", "LegalBasis")
    for purpose, kind, valid_from, source in BASES:
        LegalBasis.objects.get_or_create(
            purpose=purpose, valid_from=valid_from, defaults={"kind": kind, "source": source}
        )


def unseed(apps, schema_editor):
    LegalBasis = apps.get_model("access", "LegalBasis")
    for purpose, _kind, valid_from, _source in BASES:
        LegalBasis.objects.filter(purpose=purpose, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("access", "0004_consents")]
    operations = [migrations.RunPython(seed, unseed)]
