"""Casework through the API: contacts, assessments, plans and referrals, scoped as their pages
scope them (access/policy.py, casework/selectors.py, casework/referral_selectors.py).

None of these tables keeps a time of change, so their lists come in the order the records were
made (``RecordedOrder``) and take no ``updated_since``; the ETag of a single record still tells
whether anything in it changed."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from hemkommun.access import policy
from hemkommun.casework.models import Assessment, Contact, IntegrationPlan, PlanGoal, Referral
from hemkommun.casework.referral_selectors import visible_referrals

from .access import health_client_ids
from .base import Filter, ReadEndpoint, documented
from .casework_serializers import AssessmentSerializer, ContactSerializer, PlanSerializer, ReferralSerializer
from .models import Scope

CLIENT = Filter("client", "client_id", "Only the records of this client (its id).")


def _of_visible_clients(user, records):
    """Records of the clients the user sees, as on the client's page (its casework section)."""
    visible = policy.visibility_q(
        user, organisation_field="client__organisation_id", client_field="client_id"
    )
    return records if visible is None else records.filter(visible)


class HealthAware:
    """Endpoints with health data: which clients of a page the account may see it of."""

    def serializer_context_for(self, records: list) -> dict:
        pairs = [(record.client_id, record.client.organisation_id) for record in records]
        return {"health_client_ids": health_client_ids(self.request.user, pairs)}


@documented
class ContactViewSet(ReadEndpoint):
    """Guidance and counselling contacts: those of the clients the account sees, and the
    anonymous ones of the organisations where it records contacts."""

    serializer_class = ContactSerializer
    required_scope = Scope.CONTACTS_READ
    filters = (CLIENT,)

    def scoped(self):
        user = self.request.user
        contacts = Contact.objects.select_related("organisation").prefetch_related("topics")
        visible = policy.visibility_q(
            user, organisation_field="client__organisation_id", client_field="client_id"
        )
        if visible is not None:
            anonymous = Q(
                client__isnull=True,
                organisation_id__in=[organisation.pk for organisation in policy.contact_organisations(user)],
            )
            contacts = contacts.filter((Q(client__isnull=False) & visible) | anonymous)
        return contacts.order_by("id")


@documented
class AssessmentViewSet(HealthAware, ReadEndpoint):
    """Assessments of the clients the account sees; the health notes as on the pages."""

    serializer_class = AssessmentSerializer
    required_scope = Scope.ASSESSMENTS_READ
    filters = (CLIENT,)

    def scoped(self):
        assessments = Assessment.objects.select_related("client", "organisation").prefetch_related(
            "participants", "languages"
        )
        return _of_visible_clients(self.request.user, assessments).order_by("id")


@documented
class PlanViewSet(HealthAware, ReadEndpoint):
    """Integration plans of the clients the account sees, with goals, measures, responsibilities,
    reviews and extensions; a health goal's text as on the pages."""

    serializer_class = PlanSerializer
    required_scope = Scope.PLANS_READ
    filters = (CLIENT,)

    def scoped(self):
        plans = IntegrationPlan.objects.select_related("client", "organisation").prefetch_related(
            "participants",
            Prefetch("goals", queryset=PlanGoal.objects.order_by("id")),
            "measures__provider",
            "responsibilities",
            "reviews",
            "extensions",
        )
        return _of_visible_clients(self.request.user, plans).order_by("id")


STATUS = Filter("status", "status", "Only referrals in this status.", tuple(Referral.Status.values))


@documented
class ReferralViewSet(ReadEndpoint):
    """Referrals the account sees on its pages: those its organisations sent, and those it
    answers in the receiving organisation; with their history."""

    serializer_class = ReferralSerializer
    required_scope = Scope.REFERRALS_READ
    filters = (CLIENT, STATUS)

    def scoped(self):
        return (
            visible_referrals(self.request.user)
            .select_related("from_organisation", "to_organisation")
            .prefetch_related("events__organisation")
            .order_by("id")
        )

    def serializer_context_for(self, records: list) -> dict:
        return {"today": timezone.localdate()}
