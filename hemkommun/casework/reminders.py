"""Deadline reminders: a background job (django-q2, daily) that notifies each responsible worker
in the application and by one e-mail, of deadlines coming up and deadlines passed.

The e-mail names no client: mail is not a channel for client data. It counts the new reminders
and links to the worklist, where the worker signs in.
"""

import datetime
from collections import defaultdict
from itertools import islice

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Deadline, Notification

# A reminder goes out this many days before a deadline falls due, and again once it has passed.
DAYS_BEFORE = 7
CHUNK = 1000


def send_deadline_reminders(today: datetime.date | None = None) -> int:
    """Notify responsible workers of open deadlines due within DAYS_BEFORE days or passed.

    Each stage of a deadline is notified once (the unique key of Notification), so the job may
    run any number of times a day. Returns the number of new notifications.
    """
    today = today or timezone.localdate()
    new_by_user: dict = defaultdict(list)
    due = Deadline.objects.filter(
        met_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=DAYS_BEFORE),
        client__responsible_worker__isnull=False,
        client__responsible_worker__is_active=True,
    ).select_related("client__responsible_worker")
    deadlines = due.iterator(chunk_size=CHUNK)
    while chunk := list(islice(deadlines, CHUNK)):
        # The stages notified before, in one query a chunk: the daily run then costs a savepoint
        # and an insert only for what is new, not for every open deadline.
        notified = _notified(chunk)
        for deadline in chunk:
            if _key(deadline, _kind(deadline, today)) in notified:
                continue
            notification = _notify(deadline, today)
            if notification is not None:
                new_by_user[deadline.client.responsible_worker].append(notification)
    for user, notifications in new_by_user.items():
        _email(user, notifications)
    return sum(len(n) for n in new_by_user.values())


def _kind(deadline: Deadline, today: datetime.date) -> str:
    return Notification.Kind.OVERDUE if deadline.due_on < today else Notification.Kind.UPCOMING


def _key(deadline: Deadline, kind: str) -> tuple:
    """The fields of the unique key one_reminder_per_stage."""
    return (
        deadline.client.responsible_worker_id,
        deadline.client_id,
        deadline.kind,
        deadline.starts_on,
        kind,
    )


def _notified(deadlines: list[Deadline]) -> set[tuple]:
    return set(
        Notification.objects.filter(client_id__in={d.client_id for d in deadlines}).values_list(
            "user_id", "client_id", "deadline_kind", "deadline_starts_on", "kind"
        )
    )


def _notify(deadline: Deadline, today: datetime.date) -> Notification | None:
    kind = _kind(deadline, today)
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=deadline.client.responsible_worker,
                client=deadline.client,
                kind=kind,
                deadline_kind=deadline.kind,
                deadline_starts_on=deadline.starts_on,
                due_on=deadline.due_on,
            )
    except IntegrityError:
        return None  # this stage was notified before


def _email(user, notifications: list[Notification]) -> None:
    if not user.email:
        return
    overdue = sum(1 for n in notifications if n.kind == Notification.Kind.OVERDUE)
    upcoming = len(notifications) - overdue
    link = settings.SITE_URL.rstrip("/") + reverse("casework:worklist")
    # Staff read Finnish or Swedish; the installation does not know which, so both.
    parts, subjects = [], []
    for language in ("fi", "sv"):
        with translation.override(language):
            parts.append(
                "\n".join(
                    (
                        ngettext(
                            "%(count)s deadline of your clients falls due within a week.",
                            "%(count)s deadlines of your clients fall due within a week.",
                            upcoming,
                        )
                        % {"count": upcoming},
                        ngettext(
                            "%(count)s deadline has passed.", "%(count)s deadlines have passed.", overdue
                        )
                        % {"count": overdue},
                        _("Your worklist: %(link)s") % {"link": link},
                    )
                )
            )
            subjects.append(_("Hemkommun: deadlines of your clients"))
    send_mail(" / ".join(subjects), "\n\n".join(parts), settings.DEFAULT_FROM_EMAIL, [user.email])
