from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from hemkommun.access import policy
from hemkommun.casework.views import drop_in_form
from hemkommun.casework.worklist import WorklistFilter, open_deadlines
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.programme.selectors import reviews_due

# The home page shows the most urgent of the user's deadlines; the worklist page has them all.
HOME_DEADLINES = 10


@login_required
def home(request):
    """The start page: the user's most urgent deadlines, new reminders, and the drop-in form."""
    today = timezone.localdate()
    deadlines = list(
        open_deadlines(user=request.user, selection=WorklistFilter(), today=today)[:HOME_DEADLINES]
    )
    notifications = list(
        request.user.notifications.filter(
            read_at__isnull=True, client__in=policy.visible_clients(request.user)
        ).select_related("client")[:20]
    )
    memberships = policy.active_memberships(request.user)
    responsible_clients = policy.visible_clients(request.user).filter(responsible_worker=request.user)
    context = {
        "memberships": memberships,
        "responsible_count": responsible_clients.count(),
        "may_create": policy.may_create_clients(request.user),
        "sees_clients": request.user.is_superuser
        or bool(policy.organisation_ids_with(request.user, policy.CLIENT_DATA_ROLES)),
        "drop_in_form": drop_in_form(request.user),
        "rows": [(deadline, deadline.status(today)) for deadline in deadlines],
        "notifications": notifications,
        "reviews_due": reviews_due(request.user, today),
    }
    # Deadlines and reminders name clients: a list read like any other.
    record_reads(
        user=request.user,
        client_ids=sorted({d.client_id for d in deadlines} | {n.client_id for n in notifications}),
        action=ReadEvent.Action.LIST,
        context="home",
    )
    return render(request, "core/home.html", context)
