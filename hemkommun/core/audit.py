"""Helpers for the write log (django-auditlog) and the read log (ReadEvent)."""

from collections.abc import Iterable

from .models import ReadEvent

MASK = "********"


def mask_completely(value: str) -> str:
    """auditlog mask callable: nothing of the value survives, not even its length."""
    return MASK if value else value


def record_reads(*, user, client_ids: Iterable[int], action: str, basis: str = "", context: str = "") -> None:
    """Write one read event per client shown; one query for a whole list."""
    events = [
        ReadEvent(user=user, client_id=client_id, action=action, basis=basis, context=context[:200])
        for client_id in client_ids
    ]
    if events:
        ReadEvent.objects.bulk_create(events)
