"""Producing a subject-access report: logged first, then built, so the report lists itself."""

import json
from dataclasses import dataclass

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemkommun.access import policy
from hemkommun.clients.models import Client
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from .document import LANGUAGES, report_pdf
from .models import SubjectAccessRequest
from .report import build_report

READ_CONTEXT = "subject access"


@dataclass(frozen=True)
class Produced:
    content: bytes
    content_type: str
    filename: str
    request: SubjectAccessRequest


def subject_access_produce(*, client: Client, by, language: str, format: str) -> Produced:
    """The report of ``client`` as a PDF or JSON file, produced by a DPO of the holding organisation.

    The note and the read event are committed before the report is built: a report that fails
    half way has still read the data, and a finished one shows its own production. The notes name
    the client by id only, so no audit entry about them holds the identity code.
    """
    if not policy.can_produce_subject_access(by, client):
        raise PermissionDenied
    _check_choices(language=language, format=format)
    with transaction.atomic(), set_actor(by):
        note = SubjectAccessRequest.objects.create(
            client=client, produced_by=by, language=language, format=format
        )
        record_reads(
            user=by,
            client_ids=[client.pk],
            action=ReadEvent.Action.EXPORT,
            basis=policy.access_basis(by, client),
            context=READ_CONTEXT,
        )
    return _build(note)


def _check_choices(*, language: str, format: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError(_("Choose Finnish, Swedish or English."), code="language_unknown")
    if format not in SubjectAccessRequest.Format.values:
        raise ValidationError(_("Choose a PDF document or a JSON file."), code="format_unknown")


def _build(note: SubjectAccessRequest) -> Produced:
    client, by = note.client, note.produced_by
    stem = f"subject-access-{client.pk}-{timezone.localdate():%Y%m%d}"
    if note.format == SubjectAccessRequest.Format.PDF:
        content = report_pdf(client=client, by=by, organisation=client.organisation, language=note.language)
        return Produced(content, "application/pdf", f"{stem}.pdf", note)
    report = build_report(client=client, by=by, organisation=client.organisation, language=note.language)
    content = json.dumps(report, ensure_ascii=False, indent=2).encode()
    return Produced(content, "application/json; charset=utf-8", f"{stem}.json", note)
