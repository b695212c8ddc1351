"""What every reception page needs: the municipalities the user runs reception in, and one of
them found by id or a 404 (another municipality's ids are not found, never forbidden)."""

from django.http import Http404

from hemkommun.access import policy
from hemkommun.organizations.models import Organisation


def managed_municipalities(user) -> list[Organisation]:
    """Municipalities in which the user manages arrivals (coordinators and case workers)."""
    return policy.arrival_municipalities(user)


def require_municipalities(user) -> list[Organisation]:
    """The municipalities the user manages arrivals in; a 404 for staff who manage none."""
    municipalities = managed_municipalities(user)
    if not municipalities:
        raise Http404
    return municipalities


def managed_municipality_ids(user) -> set[int]:
    return {organisation.pk for organisation in managed_municipalities(user)}


def require_manager(user, municipality_id: int) -> None:
    """A 404 unless the user manages arrivals in the municipality."""
    if not policy.can_manage_arrivals(user, municipality_id):
        raise Http404
