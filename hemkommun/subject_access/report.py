"""The subject-access report of one client (hemkommun.subject-access, version 1): everything held.

One section per included model of the registry, in the registry's order, each row with all its
fields as machine-readable values (codes, ISO 8601 dates, organisations by code and name, staff
by name, other rows by id); then the write log of those rows as auditlog recorded it (identity
codes and health notes stay masked there, as they were written); then the excluded models with
their reasons. The subject is entitled to their own identity code and health notes, so the rows
hold them in clear. docs/subject-access.md describes the structure.
"""

import datetime
import decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone, translation

from hemkommun.clients.models import Client
from hemkommun.organizations.models import Organisation, Unit, User

from . import registry

FORMAT = "hemkommun.subject-access"
VERSION = 1

LOG_ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def reference(obj) -> dict | str | int | None:
    """A related row as the report names it: an organisation by code and name, staff by name."""
    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return {"code": obj.code, "name": obj.name_fi}
    if isinstance(obj, Unit):
        return {"organisation": obj.organisation.code, "name": obj.name_fi}
    if isinstance(obj, User):
        return person_name(obj)
    if isinstance(obj, Client):
        return {"id": obj.pk, "name": obj.display_name}
    return obj.pk  # a row of another section, by its id there


def plain(value):
    """A field value as JSON: dates in ISO 8601, decimals as text (no rounding), the rest as is."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def field_value(obj, field):
    if field.many_to_many:
        return [reference(related) for related in getattr(obj, field.name).all()]
    if field.is_relation:
        return reference(getattr(obj, field.name))
    return plain(getattr(obj, field.attname))


def row(obj, entry: registry.Included, fields: list) -> dict:
    data = {field.name: field_value(obj, field) for field in fields}
    data.update({name: compute(obj) for name, compute in entry.extra.items()})
    return data


def section(client: Client, entry: registry.Included) -> dict:
    fields = registry.fields_of(entry)
    return {
        "model": entry.label,
        "title": str(entry.model._meta.verbose_name_plural),
        "rows": [row(obj, entry, fields) for obj in entry.rows(client)],
    }


def log_entries(client: Client):
    """auditlog's entries for every row of the report, and for the client's rows since deleted,
    oldest first."""
    condition = models.Q()
    for entry in registry.INCLUDED:
        content_type = ContentType.objects.get_for_model(entry.model)
        ids = {str(pk) for pk in entry.rows(client).values_list("pk", flat=True)}
        ids |= _deleted_ids(entry, content_type, client)
        if ids:
            condition |= models.Q(content_type=content_type, object_pk__in=sorted(ids))
    if not condition:
        return LogEntry.objects.none()
    return (
        LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("timestamp", "pk")
    )


def _deleted_ids(entry: registry.Included, content_type, client: Client) -> set[str]:
    """Ids of the client's own rows that were deleted: their deletion entry recorded the client
    (as ``{"client": ["<id>", "None"]}``), so their history is still about the client."""
    if "client" not in entry.via:
        return set()
    deleted = LogEntry.objects.filter(
        content_type=content_type, action=LogEntry.Action.DELETE, changes__client__0=str(client.pk)
    )
    return set(deleted.values_list("object_pk", flat=True))


def _log_entry(entry: LogEntry) -> dict:
    return {
        "at": plain(entry.timestamp),
        "action": LOG_ACTIONS.get(entry.action, str(entry.action)),
        "model": entry.content_type.model_class()._meta.label if entry.content_type.model_class() else "",
        "object_id": entry.object_pk,
        "object": entry.object_repr,
        "by": person_name(entry.actor),
        "changes": entry.changes_dict,
    }


def build_report(*, client: Client, by, organisation: Organisation, language: str) -> dict:
    """The whole report; ``organisation`` is the controller answering (the one holding the case).

    Values are codes; only the titles and the reasons for exclusions are words, in ``language``.
    """
    with translation.override(language):
        return _build(client=client, by=by, organisation=organisation, language=language)


def _build(*, client: Client, by, organisation: Organisation, language: str) -> dict:
    sections = [section(client, entry) for entry in registry.INCLUDED]
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": plain(timezone.now()),
        "generated_by": {"person": person_name(by), "organisation": reference(organisation)},
        "language": language,
        "client": {"id": client.pk, "name": client.display_name},
        "sections": sections,
        "write_log": [_log_entry(e) for e in log_entries(client)],
        "excluded": [
            {"model": e.label, "reason": str(e.reason)} for e in (*registry.EXCLUDED, *registry.UNLINKED)
        ],
    }
