"""Reads of casework data, for a client the caller has already been allowed to see."""

from dataclasses import dataclass

from django.utils import timezone

from hemkommun.access import policy
from hemkommun.clients.models import Client

from .models import Contact, Deadline


@dataclass
class DeadlineRow:
    deadline: Deadline
    status: str


@dataclass
class ClientCasework:
    deadlines: list[DeadlineRow]
    contacts: list[Contact]
    may_record_contact: bool


def client_casework(*, user, client: Client) -> ClientCasework:
    """What the client's page shows of casework. The caller has checked that the user sees the
    client (clients.selectors.client_get) and logged the read."""
    today = timezone.localdate()
    deadlines = Deadline.objects.filter(client=client).select_related("rule__rule_set").order_by("due_on")
    contacts = (
        Contact.objects.filter(client=client).select_related("recorded_by").prefetch_related("topics")[:20]
    )
    return ClientCasework(
        deadlines=[DeadlineRow(deadline, deadline.status(today)) for deadline in deadlines],
        contacts=list(contacts),
        may_record_contact=policy.can_record_contact(user, client),
    )
