"""Response headers that Django's SecurityMiddleware does not set: Content-Security-Policy and
Permissions-Policy (docs/security.md).

A small middleware of our own rather than django-csp: the pages carry no inline script or style
at all, so nonces (django-csp's main gain) are not needed, and the one relaxed route (the API
documentation) is chosen by path in the settings, beside the policy itself.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def policy_header(directives: dict[str, list[str]]) -> str:
    """`{"default-src": ["'self'"], "upgrade-insecure-requests": []}` as a header value."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def policy_for(path: str) -> dict[str, list[str]]:
    """The policy of a path: the strict one, or with the relaxed directives on top for the few
    third-party pages (Redoc) that cannot work without inline code."""
    directives = dict(settings.CONTENT_SECURITY_POLICY)
    if any(path.startswith(prefix) for prefix in settings.CONTENT_SECURITY_POLICY_RELAXED_PATHS):
        directives.update(settings.CONTENT_SECURITY_POLICY_RELAXED)
    return directives


class SecurityHeadersMiddleware:
    """Adds the policies to every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_header(policy_for(request.path)))
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
