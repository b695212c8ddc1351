from django import template

from ..models import IdentityProvider

register = template.Library()


@register.simple_tag
def sso_providers() -> list[IdentityProvider]:
    """The active identity providers, for the buttons of the sign-in page."""
    return list(IdentityProvider.objects.filter(active=True).only("name", "slug"))
