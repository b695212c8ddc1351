"""Lock-out after repeated failures, per user name and per address.

A key (a user name as typed, or an address) is locked when its last ``limit`` failures fall
within the window; the lock lasts ``SIGNIN_LOCKOUT_MINUTES`` from the last of them. Attempts
refused during a lock are recorded but not counted, so a lock ends on time even under a flood.
A successful sign-in ends the count for its user name, not for its address: otherwise one valid
account would let an attacker reset the address's count at will.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SignInAttempt

logger = logging.getLogger("hemkommun.accounts")

# One message for every lock, whether or not the user name exists.
LOCKED_MESSAGE = _("Too many failed sign-in attempts. Wait a while and try again.")


def normalise(username: str) -> str:
    return (username or "").strip().casefold()[:150]


def client_ip(request) -> str | None:
    """The peer's address. A proxy in front must pass the real one in REMOTE_ADDR (docs/sign-in.md)."""
    return request.META.get("REMOTE_ADDR") or None


def _window() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_FAILURE_WINDOW_MINUTES)


def _lockout() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES)


def _locked_until(*, limit: int, since: datetime | None = None, **key) -> datetime | None:
    now = timezone.now()
    failures = SignInAttempt.objects.filter(
        outcome=SignInAttempt.Outcome.FAILED, at__gt=now - _window() - _lockout(), **key
    )
    if since is not None:
        failures = failures.filter(at__gt=since)
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit or times[0] - times[-1] > _window():
        return None
    until = times[0] + _lockout()
    return until if until > now else None


def _last_success(username: str) -> datetime | None:
    return (
        SignInAttempt.objects.filter(username=username, outcome=SignInAttempt.Outcome.SUCCEEDED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def locked_until(*, username: str, ip: str | None) -> datetime | None:
    """When the lock on this user name or address ends; None when neither is locked."""
    username = normalise(username)
    ends = [
        _locked_until(limit=settings.SIGNIN_FAILURE_LIMIT, since=_last_success(username), username=username)
    ]
    if ip:
        ends.append(_locked_until(limit=settings.SIGNIN_IP_FAILURE_LIMIT, ip=ip))
    ends = [end for end in ends if end]
    return max(ends) if ends else None


def is_locked(*, username: str, ip: str | None) -> bool:
    return locked_until(username=username, ip=ip) is not None


def record(*, username: str, ip: str | None, stage: str, outcome: str) -> None:
    SignInAttempt.objects.create(username=normalise(username), ip=ip, stage=stage, outcome=outcome)


def record_failure(*, username: str, ip: str | None, stage: str) -> bool:
    """Count a failure; True when it brought on a lock (logged once, as it begins)."""
    record(username=username, ip=ip, stage=stage, outcome=SignInAttempt.Outcome.FAILED)
    until = locked_until(username=username, ip=ip)
    if until:
        logger.warning(
            "sign-in locked: username=%s ip=%s until=%s", normalise(username), ip, until.isoformat()
        )
    return until is not None


def refuse_locked(*, username: str, ip: str | None, stage: str) -> None:
    """Record an attempt refused during a lock: visible in the admin, not counted."""
    record(username=username, ip=ip, stage=stage, outcome=SignInAttempt.Outcome.LOCKED)
