"""Writes to the client register. Views, imports and commands all come through here."""

import datetime
import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii
from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.core.text import search_words
from hemkommun.organizations.models import Organisation
from hemkommun.webhooks.events import emit

from .codes import LANGUAGES, LanguageLevel, Relation
from .duplicates import client_name_key
from .models import Client, ClientNameToken, Household, HouseholdMember, normalise_identity_code

# Fields a service caller may set; everything else (ids, timestamps, tokens) is ours.
EDITABLE_FIELDS = (
    "responsible_unit",
    "responsible_worker",
    "external_id",
    "family_name",
    "given_names",
    "family_name_latin",
    "given_names_latin",
    "preferred_name",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "identity_code",
    "identity_code_is_temporary",
    "migri_customer_number",
    "citizenships",
    "native_language",
    "interpreter_needed",
    "interpreter_language",
    "phone",
    "email",
    "street_address",
    "postal_code",
    "post_office",
    "municipality_of_residence",
    "home_municipality_date",
    "arrival_date",
    "first_permit_date",
    "residence_ground",
    "unaccompanied_minor",
    "client_since",
)
NAME_FIELDS = ("family_name", "given_names", "family_name_latin", "given_names_latin", "preferred_name")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_NOT_NAME_CHARACTER = re.compile(r"[^A-Za-z0-9\s'-]")


def client_create(
    *, by, organisation: Organisation, data: dict, languages: Iterable[tuple[str, str]] = ()
) -> Client:
    """Register a new client held by ``organisation``."""
    if organisation not in policy.creatable_organisations(by):
        raise ValidationError(
            _("You may not register clients in this organisation."), code="organisation_forbidden"
        )
    client = Client(organisation=organisation)
    return _save(client=client, by=by, data=data, languages=languages)


def client_update(
    *, client: Client, by, data: dict, languages: Iterable[tuple[str, str]] | None = None
) -> Client:
    """Change a client's data; auditlog keeps the old and new values."""
    if not policy.can_edit_client(by, client):
        raise ValidationError(_("You may not change this client."), code="edit_forbidden")
    return _save(client=client, by=by, data=data, languages=languages)


def client_validate(
    *, client: Client, by, data: dict, languages: Iterable[tuple[str, str]] | None = None
) -> Client:
    """Apply ``data`` to ``client`` in memory, normalise and validate it, without saving.

    The same rules as client_create and client_update: an import checks every row with them
    before it writes any. Pass a copy when the instance must stay untouched.
    """
    _apply(client, data)
    _normalise(client)
    _validate(client=client, by=by, languages=languages)
    return client


def _apply(client: Client, data: dict) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in data.items():
        setattr(client, field, value)


def _save(*, client: Client, by, data: dict, languages) -> Client:
    client_validate(client=client, by=by, data=data, languages=languages)
    with transaction.atomic(), set_actor(by):
        emit("client.created" if client.pk is None else "client.changed", client=client)
        client.save()
        _rebuild_name_tokens(client)
        if languages is not None:
            replace_language_levels(client.languages, languages)
        _refresh_deadlines(client)
    return client


def _refresh_deadlines(client: Client) -> None:
    # The client relationship start, the first permit, the residence ground and the municipality
    # choose and start the law's deadlines. Imported here: casework builds on the register.
    from hemkommun.casework.deadlines import refresh_deadlines

    refresh_deadlines(client)


def _normalise(client: Client) -> None:
    for field in NAME_FIELDS + ("phone", "street_address", "post_office", "external_id"):
        setattr(client, field, " ".join((getattr(client, field) or "").split()))
    client.identity_code = normalise_identity_code(client.identity_code)
    client.citizenships = ", ".join(
        code.strip().upper() for code in (client.citizenships or "").split(",") if code.strip()
    )
    # The Latin form defaults to the name itself when it is written in Latin letters, else to a
    # transliteration that staff correct from the residence permit card.
    client.family_name_latin = client.family_name_latin or latin_form(client.family_name)
    client.given_names_latin = client.given_names_latin or latin_form(client.given_names)
    client.name_key = client_name_key(client)
    if not client.interpreter_needed:
        client.interpreter_language = client.interpreter_language or ""


def latin_form(name: str) -> str:
    if all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name):
        return name
    # anyascii writes some letters as marks (Arabic ʿayn as a backtick): a name keeps only
    # letters, digits, hyphens and apostrophes, so that every word starts with a capital.
    latin = _NOT_NAME_CHARACTER.sub("", anyascii(name))
    return " ".join(word.capitalize() for word in latin.split())


def _validate(*, client: Client, by, languages) -> None:
    errors: dict[str, list] = {}

    def add(field: str, message, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    try:
        client.full_clean(exclude=["identity_code", "organisation"], validate_constraints=False)
    except ValidationError as error:
        # Keep Django's own errors whole, so their codes (blank, max_length, ...) stay stable.
        for field, field_errors in error.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)

    if client.identity_code:
        _check_identity_code(client, by, add)
    if client.birth_day and not client.birth_month:
        add("birth_day", _("A day of birth needs a month."), "birth_day_without_month")
    if client.interpreter_needed and not client.interpreter_language:
        add("interpreter_language", _("Choose the interpreter language."), "interpreter_language_missing")
    for code in filter(None, (c.strip() for c in client.citizenships.split(","))):
        if not _COUNTRY_CODE.match(code):
            add(
                "citizenships",
                _("“%(code)s” is not a two-letter country code.") % {"code": code},
                "citizenship_code",
            )
    if (
        client.municipality_of_residence
        and client.municipality_of_residence.kind != Organisation.Kind.MUNICIPALITY
    ):
        add("municipality_of_residence", _("Choose a municipality."), "not_a_municipality")
    if (
        client.responsible_worker
        and not client.responsible_worker.memberships.filter(
            unit__organisation=client.organisation_id
        ).exists()
    ):
        add(
            "responsible_worker",
            _("The worker must belong to the organisation holding the case."),
            "worker_elsewhere",
        )
    if client.responsible_unit and client.responsible_unit.organisation_id != client.organisation_id:
        add(
            "responsible_unit",
            _("The unit must belong to the organisation holding the case."),
            "unit_elsewhere",
        )
    for language, level in languages or ():
        if language not in LANGUAGES:
            add("languages", _("Unknown language code “%(code)s”.") % {"code": language}, "language_code")
        if level not in LanguageLevel.values:
            add(
                "languages",
                _("Unknown level “%(level)s”: use A1–C2 or native.") % {"level": level},
                "language_level",
            )
    if client.external_id and _external_id_taken(client):
        # The database constraint would refuse it too, but as a crash instead of a message.
        add(
            "external_id", _("Another client of this organisation has this external id."), "external_id_taken"
        )
    if errors:
        raise ValidationError(errors)


def _external_id_taken(client: Client) -> bool:
    return (
        Client.objects.filter(organisation=client.organisation_id, external_id=client.external_id)
        .exclude(pk=client.pk)
        .exists()
    )


def _check_identity_code(client: Client, by, add) -> None:
    try:
        hetu.validate(client.identity_code, allow_temporary=client.identity_code_is_temporary)
    except StdnumError as error:
        add("identity_code", identity_code_message(error, client.identity_code), "identity_code_invalid")
        return
    birth = identity_code_birth_date(client.identity_code)
    known = tuple(p for p in (client.birth_year, client.birth_month, client.birth_day) if p)
    if known != (birth.year, birth.month, birth.day)[: len(known)]:
        add(
            "identity_code",
            _("The identity code does not match the date of birth."),
            "identity_code_birth_mismatch",
        )
    existing = Client.objects.with_identity_code(client.identity_code).exclude(pk=client.pk).first()
    if existing is None:
        return
    basis = policy.access_basis(by, existing)
    if basis is not None:
        # The message names the existing client: that is a read of their record.
        record_reads(user=by, client_ids=[existing.pk], action=ReadEvent.Action.DUPLICATE, basis=basis)
        url = reverse("clients:detail", args=[existing.pk])
        message = format_html(
            '{} <a href="{}">{}</a>',
            _("A client with this identity code is already registered:"),
            url,
            existing.display_name,
        )
    else:
        message = _(
            "A client with this identity code is already registered in another organisation. "
            "Ask that organisation to share the record."
        )
    add("identity_code", message, "identity_code_taken")


# The century sign of a Finnish identity code (Population Information Act, from 2023 with the
# extra signs): + 1800s, - Y X W V U 1900s, A B C D E F 2000s.
_CENTURY = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def identity_code_birth_date(code: str) -> datetime.date:
    """The date of birth a valid identity code carries."""
    code = hetu.compact(code)
    return datetime.date(_CENTURY[code[6]] + int(code[4:6]), int(code[2:4]), int(code[0:2]))


def identity_code_message(error: StdnumError, code: str) -> str:
    """A translated reason for an invalid identity code."""
    from stdnum.exceptions import InvalidChecksum, InvalidLength

    # stdnum reports most wrong lengths as a format error: count the characters ourselves.
    if isinstance(error, InvalidLength) or len(hetu.compact(code)) != 11:
        return str(_("An identity code has 11 characters, e.g. 131052-308T."))
    if isinstance(error, InvalidChecksum):
        return str(_("The check character of the identity code is wrong: check for typing errors."))
    if len(code) == 11 and code[7:10].isdecimal() and int(code[7:10]) >= 900:
        return str(_("This is a temporary identity code: mark it as temporary if that is intended."))
    return str(_("This is not a valid Finnish personal identity code."))


def _rebuild_name_tokens(client: Client) -> None:
    """The search index of one client, with copies of its organisation and Latin names.

    Every change to those must come through here: a case moving to another organisation (no
    transfer service yet) has to rebuild the tokens too, or search would keep showing the
    client to the old organisation and hide it from the new one.
    """
    ClientNameToken.objects.filter(client=client).delete()
    ClientNameToken.objects.bulk_create(name_token_rows(client))


def name_token_rows(client: Client) -> list[ClientNameToken]:
    """The unsaved ClientNameToken rows of a client (also used by bench/generate.py)."""
    return [
        ClientNameToken(
            client_id=client.pk,
            token=token,
            organisation_id=client.organisation_id,
            family_name_latin=client.family_name_latin,
            given_names_latin=client.given_names_latin,
        )
        for token in sorted(name_tokens(client))
    ]


def name_tokens(client: Client) -> set[str]:
    words: set[str] = set()
    for field in NAME_FIELDS:
        words.update(word[:60] for word in search_words(getattr(client, field)))
    return words


def replace_language_levels(languages, wanted: Iterable[tuple[str, str]]) -> None:
    """Make a client's or an assessment's languages (a related manager) these (code, level) pairs,
    row by row so that the write log sees every change (bulk writes send no signals)."""
    wanted = dict(wanted)
    languages.exclude(language__in=wanted).delete()
    for language, level in wanted.items():
        languages.update_or_create(language=language, defaults={"level": level})


def household_for_external_id(*, by, organisation: Organisation, external_id: str) -> Household:
    """The organisation's household with this id from an imported register, made when missing."""
    if organisation not in policy.creatable_organisations(by):
        raise ValidationError(
            _("You may not register clients in this organisation."), code="organisation_forbidden"
        )
    with transaction.atomic(), set_actor(by):
        household, _created = Household.objects.get_or_create(
            organisation=organisation, external_id=external_id
        )
    return household


def household_link(*, by, client: Client, household: Household | None, relation: str) -> HouseholdMember:
    """Put a client into a household (a new one when none is given) with a relation."""
    if not policy.can_edit_client(by, client):
        raise ValidationError(_("You may not change this client."), code="edit_forbidden")
    with transaction.atomic(), set_actor(by):
        if household is None:
            household = Household.objects.create(organisation=client.organisation)
        elif household.organisation_id != client.organisation_id:
            raise ValidationError(
                _("The household belongs to another organisation."), code="household_elsewhere"
            )
        member, _created = HouseholdMember.objects.update_or_create(
            client=client, defaults={"household": household, "relation": relation}
        )
    return member


def household_join(*, by, client: Client, other: Client, relation: str) -> HouseholdMember:
    """Link ``client`` into ``other``'s household; ``other`` heads a new one when it has none."""
    if relation not in Relation.values:
        raise ValidationError(_("Choose a relation."), code="relation_unknown")
    if other.pk == client.pk:
        raise ValidationError(_("A client cannot be linked with themselves."), code="household_self")
    if other.organisation_id != client.organisation_id or not policy.can_edit_client(by, other):
        raise ValidationError(
            _("Only clients held by the same organisation can share a household."), code="household_elsewhere"
        )
    with transaction.atomic():
        try:
            household = other.household_member.household
        except HouseholdMember.DoesNotExist:
            household = household_link(by=by, client=other, household=None, relation=Relation.HEAD).household
        return household_link(by=by, client=client, household=household, relation=relation)


def household_leave(*, by, client: Client) -> None:
    """Take a client out of their household; an emptied household goes with its last member."""
    if not policy.can_edit_client(by, client):
        raise ValidationError(_("You may not change this client."), code="edit_forbidden")
    with transaction.atomic(), set_actor(by):
        member = HouseholdMember.objects.filter(client=client).select_related("household").first()
        if member is None:
            return
        household = member.household
        member.delete()
        if not household.members.exists():
            household.delete()
