"""The subject-access report as a PDF for the client to read, in Finnish, Swedish or English.

The same registry as the JSON file, so the two never disagree on what is held: one heading per
kind of data, one table per row with the fields that hold something (the JSON file has every
field, empty ones included), then the write log and what is left out and why. Dates in the
document language's format; names and typed texts printed as typed (escaped) in the direction of
their own script, so an Arabic name reads right to left in a Finnish document.
"""

import datetime
import decimal
import json

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hemkommun.casework.plan_document import Typed
from hemkommun.clients.models import Client
from hemkommun.core.pdf import render_pdf
from hemkommun.organizations.models import Organisation, User

from . import registry
from .report import log_entries, person_name

TEMPLATE_NAME = "pdf/subject_access.html"
LANGUAGES = ("fi", "sv", "en")


def _extra_labels() -> dict[str, str]:
    return {"organisations": _("Organisations of the staff member"), "basis_text": _("Basis in words")}


def _action_labels() -> dict[int, str]:
    return {
        LogEntry.Action.CREATE: _("Created"),
        LogEntry.Action.UPDATE: _("Changed"),
        LogEntry.Action.DELETE: _("Deleted"),
        LogEntry.Action.ACCESS: _("Viewed"),
    }


def show(value) -> str:
    """A value in words of the active language; empty text for nothing at all."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, decimal.Decimal | float):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, Organisation):
        return value.name
    if isinstance(value, User):
        return person_name(value)
    if isinstance(value, Client):
        return value.display_name
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field_display(obj, field) -> str:
    if field.many_to_many:
        return ", ".join(show(related) for related in getattr(obj, field.name).all())
    if field.is_relation:
        return show(getattr(obj, field.name))
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return show(value)


def _row(obj, entry: registry.Included, fields: list, client: Client) -> dict:
    cells = []
    for field in fields:
        if field.is_relation and field.related_model is Client and getattr(obj, field.attname) == client.pk:
            continue  # "client: the subject" on every row says nothing
        cells.append((str(field.verbose_name), _field_display(obj, field)))
    labels = _extra_labels()
    for name, compute in entry.extra.items():
        cells.append((labels.get(name, name), show(_extra_text(compute(obj)))))
    return {"id": obj.pk, "cells": [(label, Typed(text)) for label, text in cells if text]}


def _extra_text(value):
    if isinstance(value, list):  # organisations as the JSON file names them
        return ", ".join(item["name"] if isinstance(item, dict) else str(item) for item in value)
    return value


def _section(client: Client, entry: registry.Included) -> dict:
    fields = registry.fields_of(entry)
    rows = [_row(obj, entry, fields, client) for obj in entry.rows(client)]
    return {"title": str(entry.model._meta.verbose_name_plural).capitalize(), "rows": rows}


def _log_row(entry: LogEntry) -> dict:
    model = entry.content_type.model_class()
    what = str(model._meta.verbose_name).capitalize() if model else entry.content_type.model
    return {
        # The short form: the log's time column is narrow.
        "at": formats.date_format(timezone.localtime(entry.timestamp), "SHORT_DATETIME_FORMAT"),
        "action": _action_labels().get(entry.action, str(entry.action)),
        "what": Typed(f"{what}: {entry.object_repr}"),
        "by": Typed(person_name(entry.actor)),
        "changes": [Typed(_change(model, name, change)) for name, change in entry.changes_dict.items()],
    }


def _change(model, name: str, change) -> str:
    try:
        # A reverse relation (auditlog records some) has no verbose name: it keeps its own name.
        label = str(getattr(model._meta.get_field(name), "verbose_name", name)) if model else name
    except FieldDoesNotExist:  # a field since removed keeps its recorded name
        label = name
    if isinstance(change, list | tuple) and len(change) == 2:
        return f"{label}: {change[0]} → {change[1]}"
    return f"{label}: {change}"


def context(*, client: Client, by, organisation: Organisation, language: str) -> dict:
    with translation.override(language):
        return {
            "client_name": Typed(client.display_name),
            "client_name_native": Typed(f"{client.family_name}, {client.given_names}"),
            "generated_at": show(timezone.now()),
            "generated_by": Typed(person_name(by)),
            "organisation": Typed(organisation.name),
            "sections": [_section(client, entry) for entry in registry.INCLUDED],
            "log": [_log_row(e) for e in log_entries(client)],
            "excluded": [(str(e.reason), e.label) for e in (*registry.EXCLUDED, *registry.UNLINKED)],
        }


def report_pdf(*, client: Client, by, organisation: Organisation, language: str) -> bytes:
    if language not in LANGUAGES:
        raise ValueError(language)
    data = context(client=client, by=by, organisation=organisation, language=language)
    return render_pdf(template_name=TEMPLATE_NAME, context=data, language=language)
