"""Emitting events: ``emit("plan.agreed", client=plan.client, obj=plan)`` in a service function,
inside its transaction. Nothing happens until the transaction commits (a change rolled back
sends nothing); then one Delivery row is written for each subscription that may hear of the
record, in one query, and sending is queued for django-q2's cluster.

Who hears: an active subscription for the event type, whose token is in force (not revoked or
expired, its account active), carries the scope that reads the record in the API, and whose
account may see the record now, by the same rules as the pages and the API (access/policy.py).

The payload is thin: the event's id, type and time, and the ids and API addresses of the records
changed. No names, no identity codes, no free text.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from hemkommun.access import policy

from .models import Delivery, EventType, Subscription, scope_for
from .sending import SEND_TASK

logger = logging.getLogger(__name__)

# The API collection of each kind of record (``/api/v1/<collection>/<id>/``).
COLLECTIONS = {
    "client": "clients",
    "contact": "contacts",
    "assessment": "assessments",
    "plan": "plans",
    "referral": "referrals",
    "arrival": "arrivals",
}

# An assessment's status after a step, and the event that tells of it.
ASSESSMENT_EVENTS = {"completed": EventType.ASSESSMENT_COMPLETED, "signed": EventType.ASSESSMENT_SIGNED}


def emit(event_type: str, *, client=None, obj=None) -> None:
    """Tell the subscribers of ``event_type`` about ``obj`` (and its ``client``), once the
    current transaction commits. Call it inside the service's ``transaction.atomic()``."""
    if event_type not in EventType.values:
        raise ValueError(f"unknown webhook event: {event_type}")
    if client is None and obj is None:
        raise ValueError("an event needs a client or a record")
    transaction.on_commit(lambda: _record(event_type, client=client, obj=obj), robust=True)


def _record(event_type: str, *, client, obj) -> list[Delivery]:
    scope = scope_for(event_type)
    subscriptions = [
        s for s in _listening(event_type) if event_type in s.event_type_set and scope in s.token.scope_set
    ]
    if not subscriptions:
        return []
    record = obj if obj is not None else client
    allowed = [s for s in subscriptions if _may_see(s.token.user, record, client)]
    if not allowed:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    payload = build_payload(event_id, event_type, now, client=client, obj=obj)
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            subscription=s,
            event_id=event_id,
            event_type=event_type,
            payload=payload,
            next_attempt_at=now,
        )
        for s in allowed
    )
    ids = [d.pk for d in deliveries if d.pk is not None]
    if len(ids) < len(deliveries):  # a database that returns no ids from a bulk insert
        ids = list(Delivery.objects.filter(event_id=event_id).values_list("pk", flat=True))
    for pk in ids:
        try:
            async_task(SEND_TASK, pk, task_name=f"webhook {pk}")
        except Exception:  # the periodic retry picks the row up: it is due now
            logger.exception("could not queue webhook delivery %s", pk)
    return deliveries


def _listening(event_type: str):
    now = timezone.now()
    return (
        Subscription.objects.filter(
            active=True,
            event_types__contains=event_type,
            token__revoked_at__isnull=True,
            token__user__is_active=True,
        )
        .filter(Q(token__expires_at__isnull=True) | Q(token__expires_at__gt=now))
        .filter(token__scopes__contains=scope_for(event_type))
        .select_related("token__user")
    )


def _may_see(user, record, client) -> bool:
    """Whether the token's account may see the record now, as the API would show it."""
    kind = kind_of(record)
    if kind == "referral":
        visible = policy.referral_visibility_q(user)
        return visible is None or type(record).objects.filter(visible, pk=record.pk).exists()
    if kind == "arrival":
        return (
            user.is_superuser
            or policy.can_manage_arrivals(user, record.municipality_id)
            or record.welfare_area_id in policy.arrival_health_organisation_ids(user)
        )
    if client is None and kind == "client":
        client = record
    if client is None:  # an anonymous contact: the organisation's client-data staff
        organisation_id = getattr(record, "organisation_id", None)
        return user.is_superuser or organisation_id in policy.organisation_ids_with(
            user, policy.CLIENT_DATA_ROLES
        )
    return policy.access_basis(user, client) is not None


def kind_of(record) -> str:
    from hemkommun.casework.models import Assessment, Contact, IntegrationPlan, Referral
    from hemkommun.clients.models import Client
    from hemkommun.reception.models import ArrivalGroup

    kinds = {
        Client: "client",
        Contact: "contact",
        Assessment: "assessment",
        IntegrationPlan: "plan",
        Referral: "referral",
        ArrivalGroup: "arrival",
    }
    return kinds[type(record)]


def resource(kind: str, pk: int) -> dict:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return {"id": pk, "url": f"{base}/api/v1/{COLLECTIONS[kind]}/{pk}/"}


def build_payload(event_id, event_type: str, moment, *, client=None, obj=None) -> dict:
    """The Standard Webhooks shape: ``type``, ``timestamp`` and ``data``, here with the event's
    id too, and in ``data`` only the records changed, by id and API address."""
    data = {}
    if obj is not None:
        data[kind_of(obj)] = resource(kind_of(obj), obj.pk)
    # The client of a casework record, so that a receiver syncing clients knows which one; a
    # referral names none (its receiver sees the client only once it has accepted).
    if client is not None and (obj is None or kind_of(obj) not in ("referral", "arrival")):
        data["client"] = resource("client", client.pk)
    return {"id": str(event_id), "type": event_type, "timestamp": moment.isoformat(), "data": data}
