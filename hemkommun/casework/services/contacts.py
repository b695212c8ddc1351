"""Recording guidance and counselling contacts."""

import datetime
from collections.abc import Iterable

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation, Unit
from hemkommun.webhooks.events import emit

from ..codes import Topic
from ..models import Contact, ContactTopic

# A desk clock a few minutes ahead of the server is not a contact in the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)

CONTACT_FIELDS = (
    "occurred_at",
    "channel",
    "language",
    "age_group",
    "interpreter_used",
    "interpreter_language",
    "duration_minutes",
    "info_material",
    "info_language",
    "notes",
)


def contact_record(
    *,
    by,
    organisation: Organisation,
    data: dict,
    topics: Iterable[str] = (),
    client: Client | None = None,
    unit: Unit | None = None,
) -> Contact:
    """Record a contact: with a registered client, or anonymous when ``client`` is None."""
    _check_may_record(by, organisation, client)
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    contact = Contact(organisation=organisation, unit=unit, client=client, recorded_by=by, **data)
    topics = list(dict.fromkeys(topics))
    _validate(contact, topics)
    with transaction.atomic(), set_actor(by):
        contact.save()
        emit("contact.recorded", client=client, obj=contact)
        ContactTopic.objects.bulk_create(ContactTopic(contact=contact, topic=topic) for topic in topics)
    return contact


def _check_may_record(by, organisation: Organisation, client: Client | None) -> None:
    if organisation not in policy.contact_organisations(by):
        raise ValidationError(
            _("You may not record contacts in this organisation."), code="contact_forbidden"
        )
    if client is not None and (
        client.organisation_id != organisation.pk or not policy.can_record_contact(by, client)
    ):
        raise ValidationError(_("You may not record contacts with this client."), code="contact_forbidden")


def _validate(contact: Contact, topics: list[str]) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    try:
        contact.full_clean(exclude=["organisation", "unit", "client", "recorded_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                add(field, message, "invalid")
    if contact.unit is not None and contact.unit.organisation_id != contact.organisation_id:
        add("unit", _("The unit must belong to the organisation."), "unit_elsewhere")
    if contact.is_anonymous and contact.notes.strip():
        add("notes", _("An anonymous contact keeps no notes: record only the counts."), "anonymous_notes")
    if contact.interpreter_used and not contact.interpreter_language:
        add("interpreter_language", _("Choose the interpreter language."), "interpreter_language_missing")
    if contact.info_material and not contact.info_language:
        add("info_language", _("Choose the language of the material."), "info_language_missing")
    if contact.occurred_at and contact.occurred_at > timezone.now() + CLOCK_SKEW:
        add("occurred_at", _("A contact cannot be in the future."), "contact_in_future")
    for topic in topics:
        if topic not in Topic.values:
            add("topics", _("Unknown topic “%(code)s”.") % {"code": topic}, "topic_code")
    if errors:
        raise ValidationError(errors)
