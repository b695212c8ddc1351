"""A client's timeline: everything that happened with them, newest first, as far as the viewer
may see it: the same as the client's pages show them (a share shows the casework but not health
data, which stays out of the timeline for everyone), and only the referrals the viewer sees."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.clients.models import Client

from .models import Assessment, Contact, IntegrationPlan, PlanExtension, PlanReview, Referral, ReferralEvent

LIMIT = 200


@dataclass(frozen=True)
class Entry:
    when: datetime.datetime | datetime.date
    title: str
    detail: str = ""
    url: str = ""

    @property
    def sort_key(self) -> datetime.datetime:
        """Dates sort as the start of their day in Finnish time, next to the moments of that day."""
        if isinstance(self.when, datetime.datetime):
            return self.when
        return timezone.make_aware(datetime.datetime.combine(self.when, datetime.time.min))


def client_timeline(*, user, client: Client) -> list[Entry]:
    """The caller has checked that the user sees the client and logged the read."""
    entries = [Entry(client.created_at, _("Registered as a client"))]
    entries += _contacts(client)
    entries += _assessments(client)
    entries += _plans(client)
    entries += _referrals(user, client)
    entries.sort(key=lambda entry: entry.sort_key, reverse=True)
    return entries[:LIMIT]


def _contacts(client: Client) -> list[Entry]:
    return [
        Entry(
            contact.occurred_at,
            _("Contact: %(channel)s") % {"channel": contact.get_channel_display()},
            contact.notes,
        )
        for contact in Contact.objects.filter(client=client)[:LIMIT]
    ]


def _assessments(client: Client) -> list[Entry]:
    entries = []
    for assessment in Assessment.objects.filter(client=client):
        url = reverse("casework:assessment", args=[assessment.pk])
        entries.append(Entry(assessment.started_on, _("Assessment started"), url=url))
        if assessment.completed_on:
            entries.append(Entry(assessment.completed_on, _("Assessment completed"), url=url))
        if assessment.signed_on:
            entries.append(Entry(assessment.signed_on, _("Assessment signed"), url=url))
    return entries


def _plans(client: Client) -> list[Entry]:
    entries = []
    for plan in IntegrationPlan.objects.filter(client=client):
        url = reverse("casework:plan", args=[plan.pk])
        entries.append(Entry(plan.drafted_on, _("Integration plan work started"), url=url))
        if plan.agreed_on:
            entries.append(Entry(plan.agreed_on, _("Integration plan accepted by the client"), url=url))
        if plan.ended_on:
            entries.append(Entry(plan.ended_on, _("Integration plan ended"), url=url))
    for review in PlanReview.objects.filter(plan__client=client).select_related("plan"):
        url = reverse("casework:plan", args=[review.plan_id])
        entries.append(Entry(review.reviewed_on, _("Integration plan reviewed"), review.notes, url))
    for extension in PlanExtension.objects.filter(plan__client=client):
        url = reverse("casework:plan", args=[extension.plan_id])
        detail = _("until %(date)s") % {"date": extension.new_end.isoformat()}
        entries.append(Entry(extension.decided_on, _("Integration plan extended"), detail, url))
    return entries


def _referrals(user, client: Client) -> list[Entry]:
    # Only the referrals the user sees elsewhere: not another organisation's hand-overs.
    events = ReferralEvent.objects.filter(referral__client=client).select_related("referral", "organisation")
    visible = policy.referral_visibility_q(user)
    if visible is not None:
        events = events.filter(referral__in=Referral.objects.filter(visible))
    return [
        Entry(
            event.at,
            _("Referral (%(kind)s): %(status)s")
            % {"kind": event.referral.get_kind_display(), "status": event.get_status_display()},
            event.note or event.organisation.name,
        )
        for event in events[:LIMIT]
    ]
