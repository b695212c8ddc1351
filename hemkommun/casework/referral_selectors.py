"""Reads of referrals, scoped by the access policy: both sides see a referral, nobody else."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from hemkommun.access import policy
from hemkommun.clients.models import Client

from .models import FamilyReunificationNeed, Referral
from .services import referrals

OPEN_STATUSES = referrals.OPEN
CLOSED_STATUSES = (Referral.Status.REJECTED, Referral.Status.COMPLETED, Referral.Status.WITHDRAWN)
# The inbox shows the latest closed and sent referrals; open ones are all shown.
INBOX_LIMIT = 100


def _related(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("client", "from_organisation", "to_organisation", "sent_by")


def visible_referrals(user) -> QuerySet[Referral]:
    visible = policy.referral_visibility_q(user)
    return Referral.objects.all() if visible is None else Referral.objects.filter(visible)


def referral_get(*, user, pk: int) -> Referral:
    """One referral the user may see, else 404: an id from elsewhere reveals nothing."""
    try:
        return _related(visible_referrals(user)).select_related("share").get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def mark_overdue(referrals, today=None) -> list[Referral]:
    """Mark each referral whose answer is late (still unanswered after its due date)."""
    today = today or timezone.localdate()
    referrals = list(referrals)
    for referral in referrals:
        referral.overdue = referral.status in OPEN_STATUSES and referral.due_on < today
    return referrals


@dataclass
class Inbox:
    awaiting: list[Referral]
    accepted: list[Referral]
    closed: list[Referral]
    sent: list[Referral]

    def client_ids(self) -> set[int]:
        return {r.client_id for rows in (self.awaiting, self.accepted, self.closed, self.sent) for r in rows}


def referral_inbox(*, user) -> Inbox:
    """Referrals the user answers, by status and due date, and those their organisations sent."""
    incoming = _related(Referral.objects.filter(policy.referral_incoming_q(user)))
    sent = _related(Referral.objects.filter(policy.referral_sent_q(user)))
    return Inbox(
        awaiting=mark_overdue(incoming.filter(status__in=OPEN_STATUSES).order_by("due_on", "id")),
        accepted=mark_overdue(incoming.filter(status=Referral.Status.ACCEPTED).order_by("due_on", "id")),
        closed=mark_overdue(
            incoming.filter(status__in=CLOSED_STATUSES).order_by("-sent_on", "-id")[:INBOX_LIMIT]
        ),
        sent=mark_overdue(sent.order_by("-sent_on", "-id")[:INBOX_LIMIT]),
    )


def client_referrals(*, user, client: Client) -> list[Referral]:
    """The client's referrals the user may see (the caller has checked they see the client)."""
    referrals = visible_referrals(user).filter(client=client)
    return mark_overdue(_related(referrals).order_by("-sent_on", "-id")[:50])


def client_followups(*, client: Client) -> tuple[list, list]:
    """Family-reunification needs and aftercare (the caller has checked they see the client)."""
    needs = FamilyReunificationNeed.objects.filter(client=client).select_related("by")
    return list(needs), list(client.aftercare.select_related("by"))


@dataclass
class ClientReferrals:
    """The referrals section of the client's page."""

    referrals: list[Referral]
    may_send: bool


def client_referral_section(*, user, client: Client) -> ClientReferrals:
    kinds = policy.referral_kinds_for(user, client, Referral.Kind.values)
    return ClientReferrals(referrals=client_referrals(user=user, client=client), may_send=bool(kinds))
