"""Code lists used in forms, files and the API (DOMAIN.md, 'Codes used in files and interfaces').

Labels are translated; the codes themselves never change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidenceGround(models.TextChoices):
    QUOTA_REFUGEE = "quota_refugee", _("Quota refugee")
    ASYLUM = "asylum", _("Refugee status after asylum")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("Subsidiary protection")
    HUMANITARIAN = "humanitarian", _("Humanitarian protection or grounds")
    TRAFFICKING_VICTIM = "trafficking_victim", _("Victim of trafficking")
    REMOVAL_PREVENTED = "removal_prevented", _("Removal prevented")
    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection")
    FAMILY_OF_PROTECTED = "family_of_protected", _("Family member of a protected person")
    FAMILY = "family", _("Family member of a resident")
    WORK = "work", _("Work")
    STUDY = "study", _("Study")
    EU_CITIZEN = "eu_citizen", _("EU/EEA citizen")
    RETURNEE = "returnee", _("Returnee")
    OTHER = "other", _("Other ground")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other relative")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Native")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    UNKNOWN = "unknown", _("Not assessed")


# ISO 639-1 where it exists, else ISO 639-3 (DOMAIN.md). Extend here; the list is the one place.
LANGUAGES: dict[str, str] = {
    "am": _("Amharic"),
    "ar": _("Arabic"),
    "bn": _("Bengali"),
    "ckb": _("Kurdish (Sorani)"),
    "de": _("German"),
    "en": _("English"),
    "es": _("Spanish"),
    "et": _("Estonian"),
    "fa": _("Farsi"),
    "fi": _("Finnish"),
    "fr": _("French"),
    "hi": _("Hindi"),
    "kmr": _("Kurdish (Kurmanji)"),
    "ku": _("Kurdish"),
    "lt": _("Lithuanian"),
    "lv": _("Latvian"),
    "my": _("Burmese"),
    "ne": _("Nepali"),
    "pl": _("Polish"),
    "prs": _("Dari"),
    "ps": _("Pashto"),
    "pt": _("Portuguese"),
    "ro": _("Romanian"),
    "ru": _("Russian"),
    "so": _("Somali"),
    "sq": _("Albanian"),
    "sv": _("Swedish"),
    "sw": _("Swahili"),
    "th": _("Thai"),
    "ti": _("Tigrinya"),
    "tl": _("Tagalog"),
    "tr": _("Turkish"),
    "uk": _("Ukrainian"),
    "ur": _("Urdu"),
    "vi": _("Vietnamese"),
    "zh": _("Chinese"),
}


def language_choices() -> list[tuple[str, str]]:
    """Languages sorted by their name in the language of the page.

    Models take this function itself, not its result, so that migrations do not change with the
    language in which they were made.
    """
    return sorted(LANGUAGES.items(), key=lambda item: str(item[1]))
