"""Arrivals and activities through the API, scoped as their pages scope them: arrivals for the
municipality's reception staff (access.policy.arrival_municipalities, reception/selectors.py
group_get), activities for the municipality's integration staff (activity_municipalities).

Neither table keeps a time of change: lists come in the order the records were made."""

from django.db.models import Prefetch

from hemkommun.access import policy
from hemkommun.programme.models import Activity, AnonymousAttendance, Session
from hemkommun.reception.models import ArrivalGroup, ArrivalTask, ExpectedMember

from .activity_serializers import ActivitySerializer
from .base import Filter, ReadEndpoint, documented
from .models import Scope
from .reception_serializers import ArrivalGroupSerializer

ARRIVAL_STATUS = Filter(
    "status", "status", "Only arrivals in this status.", tuple(ArrivalGroup.Status.values)
)


@documented
class ArrivalViewSet(ReadEndpoint):
    """Expected families and moves of the municipalities whose arrivals the account manages,
    with the expected members (no health flags) and the tasks."""

    serializer_class = ArrivalGroupSerializer
    required_scope = Scope.RECEPTION_READ
    filters = (ARRIVAL_STATUS,)

    def scoped(self):
        municipalities = [
            municipality.pk for municipality in policy.arrival_municipalities(self.request.user)
        ]
        return (
            ArrivalGroup.objects.filter(municipality__in=municipalities)
            .select_related("municipality", "welfare_area", "reception_centre")
            .prefetch_related(
                Prefetch("members", queryset=ExpectedMember.objects.order_by("id")),
                Prefetch(
                    "tasks",
                    queryset=ArrivalTask.objects.select_related("responsible").order_by("due_on", "id"),
                ),
            )
            .order_by("id")
        )

    def client_ids(self, records: list) -> list[int]:
        # The members who have become clients: the answer ties each to the family's data.
        return sorted({m.client_id for group in records for m in group.members.all() if m.client_id})


@documented
class ActivityViewSet(ReadEndpoint):
    """Activities of the municipalities whose activities the account keeps, with their sessions."""

    serializer_class = ActivitySerializer
    required_scope = Scope.ACTIVITIES_READ

    def scoped(self):
        municipalities = [
            municipality.pk for municipality in policy.activity_municipalities(self.request.user)
        ]
        sessions = Session.objects.order_by("held_on", "id").prefetch_related(
            "attendances",
            Prefetch("anonymous", queryset=AnonymousAttendance.objects.order_by("id")),
        )
        return (
            Activity.objects.filter(municipality__in=municipalities)
            .select_related("municipality")
            .prefetch_related(Prefetch("sessions", queryset=sessions))
            .order_by("id")
        )

    def client_ids(self, records: list) -> list[int]:
        # Named attendance: the clients who came (anonymous counts are nobody's data).
        return sorted(
            {
                a.client_id
                for activity in records
                for s in activity.sessions.all()
                for a in s.attendances.all()
            }
        )
