"""The compensation parameters of the mainland and Åland, read from the official guidance and the
government proposals (docs/compensation.md). Values marked unverified in their note are readings
to be checked against the statute text; administrators correct them in the admin, with history.
"""

import datetime

from django.db import migrations

D = datetime.date
RATES = "https://kotoutuminen.fi/laskennallinen-korvaus"
COSTS = "https://kotoutuminen.fi/-toteutuneiden-kustannusten-mukaan-korvattavat-kustannukset"
HE_21_2024 = "HE 21/2024 vp (https://eduskunta.fi/fi/vaski/hallituksenesitys/sivut/he_21+2024.aspx)"
CHECK_LATER = "Amounts published for 2023–2024; check for later years and add a row from the date they change."
TRANSITION = (
    "Reading chosen: the period follows the date of the client's first home-municipality "
    "registration (a registration before 1.1.2025 keeps the old period). Unverified against the "
    "transitional provision of 681/2023 as amended; change the dates here if it reads otherwise."
)
SCOPE = f"681/2023 (scope of the act; 1386/2010 before 2025); {RATES}"
QUALIFYING = {
    "quota_refugee": SCOPE,
    "asylum": SCOPE,
    "subsidiary_protection": SCOPE,
    "humanitarian": SCOPE,
    "trafficking_victim": SCOPE,
    "family_of_protected": f"{SCOPE} (family members of the persons above)",
}

# (jurisdiction, key, qualifier, valid_from, valid_until, value, legal_source, note)
PARAMETERS = [
    ("mainland", "calculated_rate", "municipality:under_7", D(2023, 1, 1), None, "6503", RATES, CHECK_LATER),
    ("mainland", "calculated_rate", "municipality:7_and_over", D(2023, 1, 1), None, "1955", RATES, CHECK_LATER),
    ("mainland", "calculated_rate", "welfare_area:under_7", D(2023, 1, 1), None, "342", RATES, CHECK_LATER),
    ("mainland", "calculated_rate", "welfare_area:7_and_over", D(2023, 1, 1), None, "345", RATES, CHECK_LATER),
    ("aland", "calculated_rate", "municipality:under_7", D(2023, 1, 1), None, "6845", RATES, CHECK_LATER),
    ("aland", "calculated_rate", "municipality:7_and_over", D(2023, 1, 1), None, "2300", RATES, CHECK_LATER),
    ("mainland", "payment_years", "quota", D(2011, 9, 1), D(2024, 12, 31), "4", "1386/2010 (the integration act in force until 2024)", TRANSITION),
    ("mainland", "payment_years", "other", D(2011, 9, 1), D(2024, 12, 31), "3", "1386/2010 (the integration act in force until 2024)", TRANSITION),
    ("mainland", "payment_years", "quota", D(2025, 1, 1), None, "3", f"681/2023 as amended; {HE_21_2024}", TRANSITION),
    ("mainland", "payment_years", "other", D(2025, 1, 1), None, "2", f"681/2023 as amended; {HE_21_2024}", TRANSITION),
    ("aland", "payment_years", "quota", D(2011, 9, 1), None, "4", "1386/2010; ÅFS 2012:74",
     "Reading chosen: the 2025 shortening concerns the mainland; Åland municipalities keep 4 and 3 "
     "years. Unverified."),
    ("aland", "payment_years", "other", D(2011, 9, 1), None, "3", "1386/2010; ÅFS 2012:74",
     "Reading chosen: as for quota refugees above. Unverified."),
    *[
        (jurisdiction, "qualifying_ground", ground, D(2011, 9, 1), None, "1", source, "")
        for jurisdiction in ("mainland", "aland")
        for ground, source in QUALIFYING.items()
    ],
    *[
        (jurisdiction, "qualifying_ground", "temporary_protection", D(2023, 3, 1), None, "1", RATES,
         "Paid for people under temporary protection who have a home municipality, from 1.3.2023.")
        for jurisdiction in ("mainland", "aland")
    ],
    *[
        (jurisdiction, "uncertain_birth_date", "", D(2011, 9, 1), None, "0", "This installation's reading",
         "0: a date of birth known only to the year or month counts from the earliest day it allows "
         "(1 January, or the 1st), so a child turns 7 no later than the documents allow and no "
         "more is forecast than can be due. 1: the latest day. Unverified: check how KEHA reads it.")
        for jurisdiction in ("mainland", "aland")
    ],
    *[
        (jurisdiction, "month_rule", "", D(2011, 9, 1), None, "1", RATES,
         "The rule the forecast applies (value 1): a month is counted when the person is eligible "
         "on its first day, at 1/12 of the yearly amount, in the age band of that day. It is "
         "written here to be read beside the others; another rule needs a change of the forecast "
         "code. Unverified against KEHA's payment practice.")
        for jurisdiction in ("mainland", "aland")
    ],
    *[
        (jurisdiction, "special_cost_threshold", "", D(2011, 9, 1), None, "1", COSTS,
         "Special social and health care costs are paid only for the part above one year's "
         "calculated compensation for the person.")
        for jurisdiction in ("mainland", "aland")
    ],
    *[
        (jurisdiction, "special_cost_max_years", "", D(2011, 9, 1), None, "10", COSTS,
         "By decision of the state centre, for at most 10 years.")
        for jurisdiction in ("mainland", "aland")
    ],
    ("mainland", "former_minor_age_limit", "", D(2011, 9, 1), D(2024, 12, 31), "25", "1386/2010", ""),
    ("mainland", "former_minor_age_limit", "", D(2025, 1, 1), None, "23", HE_21_2024, ""),
    ("aland", "former_minor_age_limit", "", D(2011, 9, 1), None, "25", "1386/2010; ÅFS 2012:74",
     "Reading chosen: the 2025 lowering concerns the mainland act. Unverified."),
    *[
        (jurisdiction, "claim_deadline_years", "", D(2011, 9, 1), None, "2", "1386/2010",
         "A claim is lost 2 years after the end of the year the cost arose. Unverified for 681/2023.")
        for jurisdiction in ("mainland", "aland")
    ],
]


def load(apps, schema_editor):
    Parameter = apps.get_model("compensation", "Parameter")
    Parameter.objects.bulk_create(
        Parameter(
            jurisdiction=jurisdiction,
            key=key,
            qualifier=qualifier,
            valid_from=valid_from,
            valid_until=valid_until,
            value=value,
            legal_source=source,
            note=note,
        )
        for jurisdiction, key, qualifier, valid_from, valid_until, value, source, note in PARAMETERS
    )


def unload(apps, schema_editor):
    apps.get_model("compensation", "Parameter").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("compensation", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
