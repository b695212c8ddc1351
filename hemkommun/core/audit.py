"""Helpers for the write log (django-auditlog) and the read log (ReadEvent)."""

import re
from collections.abc import Iterable

from django.db import transaction

from .models import ReadEvent

MASK = "********"

# A read's context is often the page address, and a search by identity code puts the code in it
# (?hetu=...): the read log must not hold it. The parameter is masked whatever it holds, and so
# is anything shaped like an identity code (the century sign + may come URL-encoded as %2B).
_HETU_PARAMETER = re.compile(r"(?i)([?&]hetu=)[^&#]*")
_IDENTITY_CODE = re.compile(r"(?i)\d{6}(?:[-+A-FU-Y]|%2B)\d{3}[0-9A-Z]")


def mask_identity_codes(text: str) -> str:
    return _IDENTITY_CODE.sub(MASK, _HETU_PARAMETER.sub(lambda m: m.group(1) + MASK, text))


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
        ReadEvent(
            user=user,
            client_id=client_id,
            action=action,
            context=mask_identity_codes(context)[:200],
            **basis_fields,
        )
        for client_id in client_ids
    ]
    if events:
        from hemkommun.audit.chain import seal_reads  # the audit app imports this module's models

        # The events and their seals commit together, or neither does.
        with transaction.atomic():
            ReadEvent.objects.bulk_create(events)
            seal_reads(events)
