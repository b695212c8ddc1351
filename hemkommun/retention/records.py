"""Which records a rule reaches: the rule in force, a client's last event, and the due rows of the
types kept in bulk (anonymous contacts, the read log, webhook deliveries, export jobs)."""

import datetime

from django.db.models import DateField, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from hemkommun.casework.models import (
    Aftercare,
    Assessment,
    Contact,
    Deadline,
    FamilyReunificationNeed,
    IntegrationPlan,
    Referral,
    ReferralEvent,
)
from hemkommun.clients.models import Client
from hemkommun.core.models import ReadEvent
from hemkommun.exports.models import ExportJob
from hemkommun.programme.activity_models import Attendance
from hemkommun.reception.models.minors import MinorPlacement
from hemkommun.webhooks.models import Delivery

from .models import CountedFrom, LegalHold, RecordType, RetentionRule, holds_in_force_q

NEVER = datetime.date(1900, 1, 1)


def rule_in_force(record_type: str, organisation_id: int | None, on: datetime.date) -> RetentionRule | None:
    """The organisation's own rule in force on the day, else the installation-wide default."""
    rules = RetentionRule.objects.filter(record_type=record_type, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    if organisation_id is not None:
        own = rules.filter(organisation_id=organisation_id).order_by("-valid_from").first()
        if own:
            return own
    return rules.filter(organisation__isnull=True).order_by("-valid_from").first()


def cutoff(rule: RetentionRule, today: datetime.date) -> datetime.date:
    """Records counted from this day or before are due today."""
    return today - rule.period


def start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def held_client_ids(today: datetime.date) -> QuerySet:
    return LegalHold.objects.filter(holds_in_force_q(today)).values("client_id")


def _latest(queryset: QuerySet, expression, today: datetime.date):
    """The latest ``expression`` over a client's rows, as a subquery (1900 when there are none)."""
    latest = queryset.filter(client=OuterRef("pk")).values("client").annotate(m=Max(expression)).values("m")
    return Coalesce(Subquery(latest, output_field=DateField()), Value(NEVER))


def with_last_event(clients: QuerySet, today: datetime.date) -> QuerySet:
    """Annotate ``last_event``: the later of the end of the client relationship and the last event.

    The register records no end of the relationship as such: it ends with the last plan period,
    aftercare or placement, and one still open (no end day) counts as going on today.
    """
    ongoing = Value(today)
    sources = [
        Coalesce(F("client_since"), Value(NEVER)),
        _latest(Contact.objects.all(), TruncDate("occurred_at"), today),
        _latest(Assessment.objects.all(), Coalesce("signed_on", "completed_on", "started_on"), today),
        _latest(IntegrationPlan.objects.all(), Coalesce("ended_on", "ends_on"), today),
        _latest(Referral.objects.all(), F("sent_on"), today),
        _latest(ReferralEvent.objects.annotate(client=F("referral__client")), TruncDate("at"), today),
        _latest(Aftercare.objects.all(), Coalesce("ended_on", ongoing), today),
        _latest(MinorPlacement.objects.all(), Coalesce("ends_on", ongoing), today),
        _latest(FamilyReunificationNeed.objects.all(), F("recorded_on"), today),
        _latest(Attendance.objects.all(), F("session__held_on"), today),
        _latest(Deadline.objects.all(), Coalesce("met_on", "starts_on"), today),
    ]
    return clients.annotate(last_event=Greatest(*sources, output_field=DateField()))


def due_clients(organisation_id: int, rule: RetentionRule, today: datetime.date) -> QuerySet:
    """Clients of the organisation whose last event is at least the rule's period ago, not held."""
    clients = Client.objects.filter(organisation_id=organisation_id).exclude(pk__in=held_client_ids(today))
    return with_last_event(clients, today).filter(last_event__lte=cutoff(rule, today))


def due_rows(record_type: str, organisation_id: int | None, rule: RetentionRule, before: datetime.date):
    """Rows of a bulk type counted from before the start of ``before`` (a read log of a held
    client is kept with the client)."""
    limit = start_of(before)
    if record_type == RecordType.ANONYMOUS_CONTACT:
        return Contact.objects.filter(
            organisation_id=organisation_id, client__isnull=True, occurred_at__lt=limit
        )
    if record_type == RecordType.READ_LOG:
        today = timezone.localdate()
        return ReadEvent.objects.filter(client__organisation_id=organisation_id, at__lt=limit).exclude(
            client_id__in=held_client_ids(today)
        )
    if record_type == RecordType.WEBHOOK_DELIVERY:
        finished = Delivery.objects.filter(status__in=[Delivery.Status.DELIVERED, Delivery.Status.GIVEN_UP])
        if rule.counted_from == CountedFrom.FINISHED:
            return finished.filter(
                Q(delivered_at__lt=limit) | Q(delivered_at__isnull=True, last_attempt_at__lt=limit)
            )
        return finished.filter(created_at__lt=limit)
    if record_type == RecordType.EXPORT_JOB:
        finished = ExportJob.objects.filter(status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED])
        field = "finished_at" if rule.counted_from == CountedFrom.FINISHED else "created_at"
        return finished.filter(**{f"{field}__lt": limit})
    raise ValueError(record_type)
