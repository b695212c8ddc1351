from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from hemkommun.access import policy
from hemkommun.casework.views import drop_in_form


@login_required
def home(request):
    """The start page; the worklist of deadlines arrives with casework."""
    memberships = policy.active_memberships(request.user)
    responsible_clients = policy.visible_clients(request.user).filter(responsible_worker=request.user)
    context = {
        "memberships": memberships,
        "responsible_count": responsible_clients.count(),
        "may_create": policy.may_create_clients(request.user),
        "sees_clients": request.user.is_superuser
        or bool(policy.organisation_ids_with(request.user, policy.CLIENT_DATA_ROLES)),
        "drop_in_form": drop_in_form(request.user),
    }
    return render(request, "core/home.html", context)
