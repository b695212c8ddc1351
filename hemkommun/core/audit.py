"""Helpers for the write log (django-auditlog) and the read log (ReadEvent)."""

from collections.abc import Iterable

from django.db import transaction

from .models import ReadEvent

MASK = "********"


def mask_completely(value: str) -> str:
    """auditlog mask callable: nothing of the value survives, not even its length.

    auditlog hands an absent value over as the text "None"; it stays, so a new code reads "None -> ********".
    """
    return MASK if value and value != "None" else value


def record_reads(*, user, client_ids: Iterable[int], action: str, basis=None, context: str = "") -> None:
    """Write one read event per client shown, sealed into the audit chain (hemkommun.audit):
    four queries for a whole list, however long.

    ``basis`` is the access.policy.Basis the read rested on, where it was checked (detail reads).
    """
    basis_fields = {}
    if basis is not None:
        basis_fields = {
            "basis": ReadEvent.Basis.SHARE if basis.share else ReadEvent.Basis.OWN_ORGANISATION,
            "share": basis.share,
        }
    events = [
        ReadEvent(user=user, client_id=client_id, action=action, context=context[:200], **basis_fields)
        for client_id in client_ids
    ]
    if events:
        from hemkommun.audit.chain import seal_reads  # the audit app imports this module's models

        # The events and their seals commit together, or neither does.
        with transaction.atomic():
            ReadEvent.objects.bulk_create(events)
            seal_reads(events)
