"""access.policy's rules for a whole page of records at once, where the policy has them one
record at a time (a query per record would make a list's queries grow with its length)."""

from collections.abc import Iterable

from hemkommun.access import policy
from hemkommun.access.models import Share


def health_client_ids(user, clients: Iterable[tuple[int, int]]) -> set[int]:
    """Of these (client id, holding organisation id) pairs, the clients whose health data the
    user may see: ``policy.can_view_health`` for each, in at most one query."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return set()  # the installation's administrator runs the system, not the casework
    health_organisations = policy.organisation_ids_with(user, policy.HEALTH_ROLES)
    if not health_organisations:
        return set()
    clients = dict(clients)
    allowed = {pk for pk, organisation_id in clients.items() if organisation_id in health_organisations}
    others = [pk for pk in clients if pk not in allowed]
    if others:
        allowed |= set(
            Share.objects.in_force()
            .filter(client_id__in=others, organisation_id__in=health_organisations, scope=Share.Scope.HEALTH)
            .values_list("client_id", flat=True)
        )
    return allowed
