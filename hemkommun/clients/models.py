"""The client register (asiakasrekisteri / klientregister).

A client belongs to the organisation that holds the case; other organisations see the record
only through a share (hemkommun.access).
"""

from auditlog.models import AuditlogHistoryField
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemkommun.core.fields import BlindIndexField, EncryptedCharField
from hemkommun.organizations.models import Organisation, Unit

from .codes import LanguageLevel, Relation, ResidenceGround, Sex, language_choices


def normalise_identity_code(code: str) -> str:
    """The form identity codes are stored and looked up in: no spaces, upper case."""
    return (code or "").strip().upper()


class ClientQuerySet(models.QuerySet):
    def with_identity_code(self, code: str) -> "ClientQuerySet":
        """The client with this identity code (exact, after normalising), through the blind index:
        the code itself is encrypted and cannot be compared in the database."""
        return self.filter(identity_code_q(code))

    def update(self, **kwargs) -> int:
        # update() passes no save(): the blind index follows the code here too.
        if "identity_code" in kwargs:
            index_field = self.model._meta.get_field("identity_code_index")
            kwargs["identity_code_index"] = index_field.index_of(kwargs["identity_code"])
        return super().update(**kwargs)


def identity_code_q(code: str, *, prefix: str = "") -> models.Q:
    """The condition "has this identity code" on the client behind ``prefix`` (e.g. "client__");
    an empty code matches nothing rather than every client without a code."""
    index = Client._meta.get_field("identity_code_index").index_of(code)
    if not index:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}identity_code_index": index})


class Client(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("organisation holding the case"),
    )
    responsible_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("responsible unit")
    )
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible worker"),
    )
    external_id = models.CharField(
        _("external id"), max_length=64, blank=True, help_text=_("Id in an imported register.")
    )

    # Names as the client writes them (any script) and in Latin letters.
    family_name = models.CharField(_("family name"), max_length=150)
    given_names = models.CharField(_("given names"), max_length=150)
    family_name_latin = models.CharField(_("family name in Latin letters"), max_length=150, blank=True)
    given_names_latin = models.CharField(_("given names in Latin letters"), max_length=150, blank=True)
    preferred_name = models.CharField(_("preferred name"), max_length=150, blank=True)

    # A birth date is often known only to the year or month: the unknown parts stay empty.
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    birth_month = models.PositiveSmallIntegerField(
        _("month of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    birth_day = models.PositiveSmallIntegerField(
        _("day of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)

    # Encrypted at rest; found through identity_code_index, its keyed blind index (docs/encryption.md).
    identity_code = EncryptedCharField(_("personal identity code"), max_length=11, blank=True)
    identity_code_index = BlindIndexField(source="identity_code", normalise=normalise_identity_code)
    identity_code_is_temporary = models.BooleanField(_("temporary identity code"), default=False)
    # The names folded across scripts and spellings, for finding duplicates (clients/duplicates.py):
    # set by the client services, never by hand. On PostgreSQL a GIN trigram index (migration
    # 0007, not declared here: SQLite has no such index) answers the search.
    name_key = models.TextField(blank=True, default="", editable=False)
    migri_customer_number = models.CharField(
        _("Immigration Service customer number"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]*$", _("Use digits and letters only."))],
    )
    citizenships = models.CharField(
        _("citizenships"),
        max_length=100,
        blank=True,
        help_text=_("Country codes (ISO 3166), separated by commas, e.g. SY, IQ."),
    )

    native_language = models.CharField(
        _("native language"), max_length=3, blank=True, choices=language_choices
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=3, blank=True, choices=language_choices
    )

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)

    municipality_of_residence = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("municipality of residence"),
    )
    home_municipality_date = models.DateField(_("home municipality registered on"), null=True, blank=True)
    arrival_date = models.DateField(_("arrival in Finland"), null=True, blank=True)
    first_permit_date = models.DateField(_("first residence permit"), null=True, blank=True)
    residence_ground = models.CharField(
        _("residence ground"), max_length=30, choices=ResidenceGround.choices, blank=True
    )
    unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False)
    client_since = models.DateField(_("client relationship started"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = AuditlogHistoryField()

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["family_name_latin", "given_names_latin", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "family_name_latin", "given_names_latin", "id"],
                name="client_org_name_idx",
            ),
            # The whole register in name order, for those who see every organisation's clients.
            models.Index(fields=["family_name_latin", "given_names_latin", "id"], name="client_name_idx"),
            models.Index(fields=["birth_year", "birth_month", "birth_day"], name="client_birth_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["identity_code_index"],
                condition=~models.Q(identity_code_index=""),
                name="client_unique_identity_code",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="client_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, update_fields=None, **kwargs):
        # The blind index follows the identity code even when only the code is saved.
        if update_fields is not None and "identity_code" in update_fields:
            update_fields = {*update_fields, "identity_code_index"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def display_name(self) -> str:
        family = self.family_name_latin or self.family_name
        given = self.given_names_latin or self.given_names
        return f"{family}, {given}"

    @property
    def date_of_birth_display(self) -> str:
        """ISO form with only the known parts: 1985, 1985-03 or 1985-03-14."""
        from .dates import format_birth_date

        return format_birth_date(self.birth_year, self.birth_month, self.birth_day)


class ClientNameToken(models.Model):
    """One normalised word of a client's names, for indexed prefix search across scripts.

    Carries copies of what a search filters and sorts on (the organisation holding the case and
    the Latin names of the list order), so that a name search is answered from the token index
    alone and only the clients of the page shown are read. Rebuilt by the client services
    whenever names change; never edited by hand.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=60)
    # Copies of the client's, for the access filter and the order; no index of their own.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    family_name_latin = models.CharField(max_length=150, blank=True)
    given_names_latin = models.CharField(max_length=150, blank=True)

    class Meta:
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer LIKE 'prefix%' from the index whatever
            # the database collation, and include makes the search an index-only scan; SQLite
            # ignores both.
            models.Index(
                fields=["token"],
                name="client_token_search_idx",
                opclasses=["varchar_pattern_ops"],
                include=["client", "organisation", "family_name_latin", "given_names_latin"],
            )
        ]
        constraints = [models.UniqueConstraint(fields=["client", "token"], name="client_token_unique")]

    def __str__(self) -> str:
        return self.token


class ClientLanguage(models.Model):
    """A language the client speaks besides the native one, with a level."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=3, choices=language_choices)
    level = models.CharField(
        _("level"), max_length=10, choices=LanguageLevel.choices, default=LanguageLevel.UNKNOWN
    )

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        constraints = [models.UniqueConstraint(fields=["client", "language"], name="client_language_unique")]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_level_display()})"


class Household(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(_("external id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="household_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.external_id or f"#{self.pk}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="household_member")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return f"{self.client} ({self.get_relation_display()})"


class EarlierResidence(models.Model):
    """A municipality the client lived in before the present one, up to the day they were
    registered in the next. The client's own fields hold the present municipality and the first
    registration; these rows hold the way between them, so that each month's calculated
    compensation goes to the municipality the client lived in on the month's first day."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="earlier_residences")
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    moved_out_on = models.DateField(
        _("moved on"), help_text=_("The first day registered in the next municipality.")
    )

    class Meta:
        verbose_name = _("earlier municipality of residence")
        verbose_name_plural = _("earlier municipalities of residence")
        ordering = ["client", "moved_out_on"]
        constraints = [
            models.UniqueConstraint(fields=["client", "moved_out_on"], name="earlier_residence_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.moved_out_on}"
