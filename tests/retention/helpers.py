from django.urls import reverse

from hemkommun.casework.models import Contact
from hemkommun.retention import jobs
from hemkommun.retention.models import RetentionProposal

from ..factories import make_client
from .conftest import at, d


def old_client(organisation, by, last_contact: str = "2012-01-01", **data):
    """A client whose last event (a contact) is long past: due under the default rule."""
    client = make_client(organisation, by=by, client_since=d("2010-01-01"), **data)
    Contact.objects.create(
        organisation=organisation, client=client, recorded_by=by, occurred_at=at(last_contact)
    )
    return client


def proposal_for(client) -> RetentionProposal:
    jobs.propose_due()
    return RetentionProposal.objects.get(client_number=client.pk, status=RetentionProposal.Status.PROPOSED)


def decide(http, proposals, decision: str = "approve", reason: str = ""):
    data = {"decision": decision, "reason": reason, "proposals": [p.pk for p in proposals]}
    return http.post(reverse("retention:decide"), data, follow=True)


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
