"""Sign-in services: every sign-in completes through ``complete_sign_in`` (local password, the
second factor, single sign-on), and every way of ending sessions goes through here."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from . import lockout
from .models import RecoveryCode, SecurityKey, SignInAttempt, TotpDevice, UserSession

logger = logging.getLogger("hemkommun.accounts")

# Session keys. MFA_STATE is written only by complete_sign_in and the enrolment: a session
# without it was not opened by a sign-in of ours (django.test.Client.force_login; see docs).
MFA_STATE = "accounts.mfa"
MFA_PASSED = "passed"
PASSWORD_ONLY = "password"
LAST_ACTIVITY = "accounts.last_activity"
PENDING = "accounts.pending"
SIGNED_IN_AT = "accounts.signed_in_at"

# Changing the sign-in factors needs a sign-in this recent: a session left open on a shared
# computer, or taken over, cannot add a factor of its own to the account.
RECENT_SIGN_IN = timedelta(minutes=15)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def complete_sign_in(request, user, *, method: str, mfa: bool) -> None:
    """Sign the user in: a new session key (against fixation), the session recorded for sign-out
    everywhere, whether a second factor was passed, the failure count ended, a log line."""
    request.session.pop(PENDING, None)
    earlier_key = request.session.session_key
    login(request, user, backend=getattr(user, "backend", None) or MODEL_BACKEND)
    # login() keeps the key when the same user signs in again; a sign-in always gets a new one.
    request.session.cycle_key()
    if earlier_key:
        UserSession.objects.filter(session_key=earlier_key).delete()
    request.session[MFA_STATE] = MFA_PASSED if mfa else PASSWORD_ONLY
    request.session[LAST_ACTIVITY] = request.session[SIGNED_IN_AT] = int(timezone.now().timestamp())
    # A fixed end: otherwise every save of the session (the activity time) would push it on.
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session.save()  # the key must exist before it is recorded
    ip = lockout.client_ip(request)
    UserSession.objects.create(
        user=user, session_key=request.session.session_key, method=method, mfa=mfa, ip=ip
    )
    _forget_ended_sessions(user)
    lockout.record(
        username=user.get_username(),
        ip=ip,
        stage=SignInAttempt.Stage.SECOND_FACTOR if mfa else SignInAttempt.Stage.PASSWORD,
        outcome=SignInAttempt.Outcome.SUCCEEDED,
    )
    logger.info("sign-in: user=%s method=%s mfa=%s ip=%s", user.get_username(), method, mfa, ip)


def start_second_step(request, user, *, first_factor: str, next_url: str) -> None:
    """Not signed in yet: who passed the first factor (a password, or a provider's sign-in without
    a second factor), which one, and when, kept in a fresh session for the login's second step."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user_id": user.pk,
        # A provider's sign-in did not go through authenticate(), so the user carries no backend.
        "backend": getattr(user, "backend", None) or MODEL_BACKEND,
        "first_factor": first_factor,
        "started": int(timezone.now().timestamp()),
        "next": next_url,
    }


def _forget_ended_sessions(user) -> None:
    """Drop records of sessions that expired or were cleared away (clearsessions)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()


def mark_second_factor_passed(request) -> None:
    """After enrolling a second factor in a password-only session: the user has now proved it,
    so the session is raised, under a new key."""
    old_key = request.session.session_key
    request.session.cycle_key()
    request.session[MFA_STATE] = MFA_PASSED
    request.session.save()
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key, mfa=True)


def second_factor_passed(request) -> bool:
    return request.session.get(MFA_STATE) == MFA_PASSED


def signed_in_recently(request) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        return False
    return timezone.now().timestamp() - signed_in_at <= RECENT_SIGN_IN.total_seconds()


def end_session(request) -> None:
    """Sign out of this session only."""
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()
    logout(request)


def sign_out_everywhere(*, user, reason: str) -> int:
    """End every session the user opened by signing in; the number ended."""
    with transaction.atomic():
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(user=user).delete()
    logger.info(
        "signed out everywhere: user=%s sessions=%d reason=%s", user.get_username(), len(keys), reason
    )
    return len(keys)


def reset_mfa(*, user, by) -> None:
    """An administrator's reset: authenticators, security keys and recovery codes removed, and
    every session ended, so that the user enrols again at the next sign-in."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        SecurityKey.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    sign_out_everywhere(user=user, reason=f"MFA reset by {by.get_username()}")


def deactivate(*, user, by) -> None:
    """Deactivate a staff member and end their sessions at once."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    sign_out_everywhere(user=user, reason=f"deactivated by {by.get_username()}")


def idle_limit_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60
