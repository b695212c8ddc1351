"""Code lists of casework (the service continuum). Labels are translated; codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    OUTREACH = "outreach", _("Outreach")


class AgeGroup(models.TextChoices):
    """Age groups of anonymous contacts: nothing that identifies a person is kept."""

    CHILD = "0-17", _("Under 18")
    YOUNG = "18-29", _("18–29")
    ADULT = "30-64", _("30–64")
    SENIOR = "65+", _("65 or over")
    UNKNOWN = "unknown", _("Not known")


class Topic(models.TextChoices):
    RESIDENCE = "residence", _("Residence permit, registration")
    WORK = "work", _("Work and jobseeking")
    EDUCATION = "education", _("Education and studies")
    LANGUAGE = "language", _("Language courses")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health services")
    SOCIAL_SECURITY = "social_security", _("Kela and social security")
    FAMILY = "family", _("Family and family reunification")
    CHILDREN = "children", _("Children, daycare and school")
    MONEY = "money", _("Taxes, bank and money")
    EVERYDAY = "everyday", _("Everyday life and leisure")
    OTHER = "other", _("Other topic")


class InfoMaterial(models.TextChoices):
    """Basic information about Finnish society (the first step of the service continuum)."""

    WELCOME_GUIDE = "welcome_guide", _("'Welcome to Finland' guide")
    INFOFINLAND = "infofinland", _("InfoFinland")
    MUNICIPALITY = "municipality", _("The municipality's own material")
    OTHER = "other", _("Other material")
