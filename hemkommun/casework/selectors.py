"""Reads of casework data, for a client the caller has already been allowed to see."""

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from hemkommun.access import policy
from hemkommun.clients.models import Client

from .models import Assessment, Contact, Deadline, IntegrationPlan
from .referral_selectors import ClientReferrals, client_referral_section


@dataclass
class DeadlineRow:
    deadline: Deadline
    status: str


@dataclass
class ClientCasework:
    deadlines: list[DeadlineRow]
    contacts: list[Contact]
    may_record_contact: bool
    assessments: list[Assessment]
    plans: list[IntegrationPlan]
    may_do_casework: bool
    referrals: ClientReferrals


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
        assessments=list(Assessment.objects.filter(client=client)),
        plans=list(IntegrationPlan.objects.filter(client=client)),
        may_do_casework=policy.can_do_casework(user, client),
        referrals=client_referral_section(user=user, client=client),
    )


def assessment_get(*, user, pk: int) -> Assessment:
    """An assessment of a client the user sees; 404 otherwise (another organisation's id)."""
    try:
        return Assessment.objects.select_related("client", "organisation", "worker").get(
            pk=pk, client__in=policy.visible_clients(user)
        )
    except Assessment.DoesNotExist:
        raise Http404 from None


def plan_get(*, user, pk: int) -> IntegrationPlan:
    """A plan of a client the user sees, with everything its page shows; 404 otherwise."""
    plans = IntegrationPlan.objects.select_related(
        "client", "organisation", "worker", "assessment"
    ).prefetch_related(
        "goals",
        "measures__goal",
        "measures__provider",
        "responsibilities",
        "reviews__reviewed_by",
        "extensions",
        "participants",
    )
    try:
        return plans.get(pk=pk, client__in=policy.visible_clients(user))
    except IntegrationPlan.DoesNotExist:
        raise Http404 from None
