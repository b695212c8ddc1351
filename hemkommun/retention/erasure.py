"""Anonymisation and erasure of one client record, all or nothing (the caller's transaction).

What is cleared, deleted and kept is one table in docs/retention.md; ``CLEARED`` below is that
table's code. Both run with django-auditlog switched off, for its entries would copy the very
values being destroyed; the client's earlier entries are deleted instead and counted in the
destruction record.

The read events and earlier entries are removed through ``audit.erasure.erase_entries``, which
records in the audit chain which sealed entries went, so that the chain still verifies after a
lawful erasure and only after one (docs/audit.md, Lawful erasure).
"""

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from hemkommun.access.models import Consent, Share
from hemkommun.audit.erasure import erase_entries
from hemkommun.casework.models import (
    Aftercare,
    AssessedLanguage,
    Assessment,
    Contact,
    FamilyReunificationNeed,
    IntegrationPlan,
    PlanExtension,
    PlanGoal,
    PlanMeasure,
    PlanResponsibility,
    PlanReview,
    Referral,
    ReferralEvent,
)
from hemkommun.casework.models.notifications import Notification
from hemkommun.clients.models import (
    Client,
    ClientLanguage,
    ClientNameToken,
    EarlierResidence,
    HouseholdMember,
)
from hemkommun.core.models import ReadEvent
from hemkommun.exchange.models import RecordImport
from hemkommun.reception.models.arrivals import ExpectedMember
from hemkommun.reception.models.housing import FlatAssignment
from hemkommun.reception.models.minors import MinorPlacement

from .models import LegalHold

ANONYMISED_NAME = "***"

# Free text and identifying fields cleared on anonymisation, by model and the path to the client.
CLEARED = [
    (Contact, "client", {"notes": ""}),
    (
        Assessment,
        "client",
        {
            "education_field": "",
            "work_history": "",
            "family_situation": "",
            "language_training_need": "",
            "other_service_needs": "",
            "health_notes": "",
        },
    ),
    (IntegrationPlan, "client", {"summary": ""}),
    (PlanGoal, "plan__client", {"description": ""}),
    (PlanResponsibility, "plan__client", {"description": ""}),
    (PlanReview, "plan__client", {"notes": ""}),
    (PlanExtension, "plan__client", {"reason": ""}),
    (Referral, "client", {"reason": "", "rejection_reason": "", "outcome": ""}),
    (ReferralEvent, "referral__client", {"note": ""}),
    (FamilyReunificationNeed, "client", {"family_abroad": "", "guidance_given": ""}),
    (Aftercare, "client", {"description": ""}),
    (MinorPlacement, "client", {"representative": "", "notes": ""}),
    (ExpectedMember, "client", {"health_flags": "", "education": ""}),
    (Consent, "client", {"note": "", "withdrawal_note": ""}),
]

CLIENT_CLEARED = {
    "family_name": ANONYMISED_NAME,
    "given_names": ANONYMISED_NAME,
    "family_name_latin": "",
    "given_names_latin": "",
    "preferred_name": "",
    "name_key": "",
    "external_id": "",
    "birth_day": None,
    "identity_code": "",
    "identity_code_is_temporary": False,
    "migri_customer_number": "",
    "citizenships": "",
    "interpreter_needed": False,
    "interpreter_language": "",
    "phone": "",
    "email": "",
    "street_address": "",
    "postal_code": "",
    "post_office": "",
    "responsible_worker": None,
}

# Rows deleted on anonymisation: they identify the person or only serve casework.
DELETED = [
    (ClientNameToken, "client"),
    (ClientLanguage, "client"),
    (HouseholdMember, "client"),
    (Notification, "client"),
    (RecordImport, "client"),
]

# Models whose auditlog entries hold the client's data, with the path to the client.
LOGGED = [
    (Client, "pk"),
    (ClientLanguage, "client"),
    (HouseholdMember, "client"),
    (EarlierResidence, "client"),
    (Contact, "client"),
    (Assessment, "client"),
    (AssessedLanguage, "assessment__client"),
    (IntegrationPlan, "client"),
    (PlanGoal, "plan__client"),
    (PlanMeasure, "plan__client"),
    (PlanResponsibility, "plan__client"),
    (PlanReview, "plan__client"),
    (PlanExtension, "plan__client"),
    (Referral, "client"),
    (ReferralEvent, "referral__client"),
    (FamilyReunificationNeed, "client"),
    (Aftercare, "client"),
    (MinorPlacement, "client"),
    (LegalHold, "client"),
    (Consent, "client"),
]


def anonymise_client(client: Client, *, by=None, reference: int | None = None) -> dict[str, int]:
    """Remove what identifies the client and every free text; keep what the statistics count.

    ``by`` and ``reference`` (the retention proposal) go into the audit chain's erasure record."""
    details: dict[str, int] = {}
    with disable_auditlog():
        erased = _erase_logs(client, "client_anonymise", by, reference)
        details["read events"] = erased["read"]
        details["shares"] = Share.objects.filter(client=client).delete()[0]
        for model, path in DELETED:
            details[model._meta.model_name] = model.objects.filter(**{path: client}).delete()[0]
        for model, path, cleared in CLEARED:
            rows = model.objects.filter(**{path: client})
            details[model._meta.model_name] = _clear(rows, cleared)
        details["flat assignments"] = _detach_flats(client)
        for field, value in CLIENT_CLEARED.items():
            setattr(client, field, value)
        # Only these fields: a stale copy in memory must not write back anything else.
        client.save(update_fields=[*CLIENT_CLEARED, "updated_at"])
    details["audit log entries"] = erased["write"]
    return details


def erase_client(client: Client, *, by=None, reference: int | None = None) -> dict[str, int]:
    """Delete the client with everything below it, in an order the PROTECT keys allow."""
    if client.cost_entries.exists():
        raise ValidationError(
            _(
                "Client no. %(number)s has compensation cost entries, which are accounting records kept "
                "for a period of their own: the record cannot be erased, only anonymised."
            )
            % {"number": client.pk},
            code="client_has_costs",
        )
    with disable_auditlog():
        erased = _erase_logs(client, "client_erase", by, reference)
        details = {"read events": erased["read"]}
        # A plan PROTECTs its assessment: plans first, then the client takes the rest along.
        details["integration plans"] = IntegrationPlan.objects.filter(client=client).delete()[0]
        # A share PROTECTs the consent it rests on, even inside one cascade: shares first.
        details["shares"] = Share.objects.filter(client=client).delete()[0]
        _total, by_model = client.delete()
    details.update({label.split(".")[-1].lower(): count for label, count in by_model.items() if count})
    details["audit log entries"] = erased["write"]
    return details


def _erase_logs(client: Client, purpose: str, by, reference: int | None) -> dict[str, int]:
    """The client's read events (and any naming one of its shares: ReadEvent.share is PROTECT)
    and the auditlog entries of the client and the rows below it, found before anything changes
    and removed first, under one erasure record in the audit chain. Auditlog is off for the
    rest, so no entry about the client is written after them."""
    reads = ReadEvent.objects.filter(Q(client=client) | Q(share__client=client))
    return erase_entries(
        reads=reads, writes=_log_entries(client), purpose=purpose, reference=reference, by=by
    )


def _clear(rows, cleared: dict) -> int:
    """Field updates one row at a time, so that the fields' own storage (encryption) is used."""
    count = 0
    for row in rows:
        for field, value in cleared.items():
            setattr(row, field, value)
        row.save(update_fields=list(cleared))
        count += 1
    return count


def _detach_flats(client: Client) -> int:
    """A flat of the client alone goes; a family's flat stays with the family."""
    assignments = FlatAssignment.objects.filter(client=client)
    detached = assignments.filter(group__isnull=False).update(client=None)
    return detached + assignments.delete()[0]


def _log_entries(client: Client):
    """The auditlog entries of the client and of every row below it (found before any change)."""
    q = Q(pk__in=[])
    for model, path in LOGGED:
        pks = [str(pk) for pk in model.objects.filter(**{path: client.pk}).values_list("pk", flat=True)]
        if pks:
            q |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=pks)
    return LogEntry.objects.filter(q)
