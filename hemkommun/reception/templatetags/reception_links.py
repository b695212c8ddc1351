"""Links from other apps' pages into reception, decided here so those views stay as they are."""

from django import template
from django.utils import timezone

from hemkommun.reception.pages import managed_municipality_ids
from hemkommun.reception.services.minors import is_minor_on

register = template.Library()


@register.simple_tag(takes_context=True)
def may_place_minor(context, client) -> bool:
    """Whether the client page offers "Place as an unaccompanied minor": the user runs reception
    in the municipality holding the case, and the client is (or may be) under 18 today.

    No query of its own: the memberships are already read for the page, the client is in hand."""
    user = context["request"].user
    if client.organisation_id not in managed_municipality_ids(user):
        return False
    return bool(is_minor_on(client, timezone.localdate()))
