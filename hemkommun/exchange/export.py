"""Export of one client's integration record: the document, checked, with the read logged."""

import json

import jsonschema

from hemkommun.access import policy
from hemkommun.access.consents import require_basis
from hemkommun.access.models import Share
from hemkommun.clients.models import Client
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from .record import build_record, schema


def export_record(*, client: Client, by, purpose: str) -> bytes:
    """The record as JSON bytes for ``purpose`` (to the national system, or to a new home
    municipality), on that purpose's legal basis; the caller has checked that ``by`` may do
    casework on it."""
    scope = Share.Scope.HEALTH if policy.can_view_health(by, client) else Share.Scope.BASIC
    require_basis(client=client, purpose=purpose, scope=scope)  # the file carries what ``by`` sees
    document = build_record(client=client, by=by)
    # What we send must be what we publish: a mismatch is our bug, and it must not leave the house.
    jsonschema.Draft202012Validator(schema()).validate(document)
    record_reads(
        user=by,
        client_ids=[client.pk],
        action=ReadEvent.Action.EXPORT,
        basis=policy.access_basis(by, client),
        context=f"integration record (exchange: {purpose})",
    )
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
