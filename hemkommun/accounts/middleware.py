"""Session expiry after inactivity, and the second factor enforced on every page."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from hemkommun.access import policy

from . import services

# The last activity is written at most this often, not on every request (a session write each).
ACTIVITY_RESOLUTION_SECONDS = 60


def _is_api(request) -> bool:
    # The API authenticates each request by its token; sessions play no part there.
    return request.path.startswith("/api/")


def _redirect(request, url: str) -> HttpResponse:
    """A redirect that htmx follows as a whole page (a plain 302 would be swapped into a fragment)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionIdleMiddleware:
    """Signs a session out after SESSION_IDLE_MINUTES without a request; SESSION_COOKIE_AGE is the
    absolute limit, which Django's session expiry enforces."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._applies(request):
            now = int(timezone.now().timestamp())
            last = request.session.get(services.LAST_ACTIVITY)
            if last is not None and now - last > services.idle_limit_seconds():
                return self._expire(request)
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[services.LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def _applies(request) -> bool:
        """Sessions our sign-in opened (see MfaEnforcementMiddleware on the marker): tests that
        travel in time between requests of a force_login session are not signed out."""
        return (
            request.user.is_authenticated and not _is_api(request) and services.MFA_STATE in request.session
        )

    def _expire(self, request) -> HttpResponse:
        services.end_session(request)
        messages.info(
            request,
            _("You were signed out after %(minutes)d minutes without activity. Sign in again.")
            % {"minutes": settings.SESSION_IDLE_MINUTES},
        )
        next_path = request.get_full_path() if request.method == "GET" else "/"
        url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_path})}"
        return _redirect(request, url)


def mfa_setup_allowed(view):
    """Mark a view reachable in a password-only session that still has to enrol a second factor."""
    view.mfa_setup_allowed = True
    return view


class MfaEnforcementMiddleware:
    """A session our password step opened without a second factor reaches only enrolment (and
    sign-out) while the user's roles require a second factor.

    Sessions without our marker are left alone: only django.test.Client.force_login makes them,
    because every sign-in of the application completes through services.complete_sign_in (the
    admin's own login page redirects to ours). The API is not concerned: it uses tokens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "mfa_setup_allowed", False) or view_func is set_language or _is_api(request):
            return None
        if not request.user.is_authenticated:
            return None
        if request.session.get(services.MFA_STATE) != services.PASSWORD_ONLY:
            return None
        if not policy.mfa_required(request.user):
            return None
        return _redirect(request, reverse("accounts:security"))
