"""Sending deliveries: a signed POST, retried with a growing pause, then given up.

The signature follows Standard Webhooks (https://www.standardwebhooks.com/): the headers
``Webhook-Id``, ``Webhook-Timestamp`` and ``Webhook-Signature``, the last being ``v1,`` and the
base64 of HMAC-SHA256 over ``id.timestamp.body`` with the secret's bytes as the key.

Any 2xx answer means delivered. Anything else (another status, a redirect, which is not
followed, a timeout, a refused connection, an address that became internal) is a failed
attempt; the next one follows after RETRY_AFTER[attempt - 1], and after the last the delivery is
given up. ``deliver`` sends one delivery (queued by ``events.emit``); ``deliver_due``, run every
minute by django-q2's schedule, sends those whose time has come.
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging

import requests
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from .addresses import check_before_sending
from .models import Delivery

logger = logging.getLogger(__name__)

# Pauses after the 1st, 2nd, … failed attempt; after as many failures plus one, the delivery is
# given up (six attempts over about fifteen hours).
RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
TIMEOUT = (3, 5)  # seconds to connect, to read
# While an attempt is being made, the row is held this long, so that the schedule and a queued
# task do not send it twice at once (longer than the timeouts together).
HOLD = datetime.timedelta(minutes=2)
EXCERPT = 200
DUE_BATCH = 50
USER_AGENT = "Hemkommun-Webhooks/1"
SEND_TASK = "hemkommun.webhooks.sending.deliver"
SENDABLE = (Delivery.Status.PENDING, Delivery.Status.FAILED)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> str | None:
    """One attempt at one delivery, if it is due and no one else is sending it. Returns the
    delivery's status afterwards, or None when it was not sent."""
    now = now or timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status__in=SENDABLE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + HOLD)
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("subscription__token__user").get(pk=delivery_id)
    subscription, token = delivery.subscription, delivery.subscription.token
    if not subscription.active or not token.in_force or not token.user.is_active:
        # Not an error of the receiver's: nothing will change by waiting.
        reason = _("The subscription is inactive or its token is no longer in force.")
        return _record(delivery, now, None, reason, give_up=True)
    code, excerpt = _attempt(delivery, now)
    return _record(delivery, now, code, excerpt)


def deliver_due(now: datetime.datetime | None = None) -> int:
    """Every delivery whose next attempt has come (the schedule's job). Returns how many were tried."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status__in=SENDABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    return sum(1 for pk in due if deliver(pk, now=now) is not None)


def _attempt(delivery: Delivery, now: datetime.datetime) -> tuple[int | None, str]:
    subscription = delivery.subscription
    refused = check_before_sending(subscription.url)
    if refused:
        return None, refused
    body = body_of(delivery.payload)
    msg_id = str(delivery.event_id)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": sign(subscription.secret, msg_id, timestamp, body),
    }
    try:
        with requests.Session() as session:
            session.trust_env = False  # no proxies or .netrc from the environment
            response = session.post(
                subscription.url,
                data=body,
                headers=headers,
                timeout=TIMEOUT,
                allow_redirects=False,
                stream=True,
            )
            with response:
                head = next(response.iter_content(EXCERPT), b"") if response.status_code else b""
        return response.status_code, head.decode("utf-8", "replace")[:EXCERPT]
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:EXCERPT]


def _record(
    delivery: Delivery, now: datetime.datetime, code: int | None, excerpt: str, *, give_up: bool = False
) -> str:
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = code
    delivery.last_response = excerpt
    fields = ["attempts", "last_attempt_at", "last_status_code", "last_response", "status", "next_attempt_at"]
    if code is not None and 200 <= code < 300:
        delivery.status = Delivery.Status.DELIVERED
        delivery.next_attempt_at = None
        delivery.delivered_at = now
        fields.append("delivered_at")
    elif give_up or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.GIVEN_UP
        delivery.next_attempt_at = None
    else:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = now + RETRY_AFTER[delivery.attempts - 1]
    delivery.save(update_fields=fields)
    return delivery.status


def redeliver(deliveries) -> int:
    """Send these deliveries again from the start (the admin's action): a fresh series of
    attempts, queued at once (the schedule would pick them up within a minute anyway)."""
    ids = list(deliveries.values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for pk in ids:
        async_task(SEND_TASK, pk, task_name=f"webhook {pk}")
    return len(ids)
