"""The codes of the compensation rules: parameter keys, age bands, groups and payee kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Key(models.TextChoices):
    CALCULATED_RATE = "calculated_rate", _("Calculated compensation (€ a person a year)")
    PAYMENT_YEARS = "payment_years", _("Payment period (years from the first home-municipality registration)")
    QUALIFYING_GROUND = "qualifying_ground", _("Qualifying residence ground")
    UNCERTAIN_BIRTH_DATE = "uncertain_birth_date", _("Uncertain date of birth")
    MONTH_RULE = "month_rule", _("Months counted")
    SPECIAL_COST_THRESHOLD = (
        "special_cost_threshold",
        _("Special costs: paid above (years of calculated compensation)"),
    )
    SPECIAL_COST_MAX_YEARS = "special_cost_max_years", _("Special costs: paid for at most (years)")
    FORMER_MINOR_AGE_LIMIT = (
        "former_minor_age_limit",
        _("Support for former unaccompanied minors: up to the age of"),
    )
    CLAIM_DEADLINE_YEARS = (
        "claim_deadline_years",
        _("Claims lost (years after the end of the year the cost arose)"),
    )


class AgeBand(models.TextChoices):
    UNDER_7 = "under_7", _("Under 7")
    FROM_7 = "7_and_over", _("7 and over")


class Group(models.TextChoices):
    """Quota refugees and their family members are paid for longer than other qualifying grounds."""

    QUOTA = "quota", _("Quota refugees and their family members")
    OTHER = "other", _("Other qualifying grounds")


class PayeeKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    WELFARE_AREA = "welfare_area", _("Welfare area (and Helsinki)")


class BirthDateReading(models.IntegerChoices):
    EARLIEST = 0, _("The earliest day the known parts allow (1 January, or the 1st of the month)")
    LATEST = 1, _("The latest day the known parts allow (31 December, or the month's last day)")
