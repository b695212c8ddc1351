"""The welfare area's view of arrivals: the health flags and the health tasks, nothing else of
the family's file (no names, notes, education, flats or the municipality's tasks)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from . import selectors
from .forms import HealthFlagsForm, task_forms_for
from .services import arrivals


@login_required
def health_list(request):
    if not policy.arrival_health_organisation_ids(request.user):
        raise Http404
    groups = selectors.health_groups(user=request.user)
    return render(request, "reception/health_list.html", {"groups": groups, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def health_detail(request, pk: int):
    group = selectors.health_group_get(user=request.user, pk=pk)
    members = list(group.members.all())
    # Once the family has arrived its members are clients: their health flags are a logged read.
    record_reads(
        user=request.user,
        client_ids=[member.client_id for member in members if member.client_id],
        action=ReadEvent.Action.DETAIL,
        context=f"arrival health {group.pk}",
    )
    data = request.POST if request.method == "POST" else None
    flag_forms = [HealthFlagsForm(data, member=member) for member in members]
    if data is not None and all(form.is_valid() for form in flag_forms):
        try:
            with transaction.atomic():  # every person's flags, or none
                for form in flag_forms:
                    # A field missing from the post is left alone, never emptied.
                    if form.add_prefix("health_flags") in data and form.has_changed():
                        arrivals.health_flags_set(
                            by=request.user,
                            member=form.member,
                            health_flags=form.cleaned_data["health_flags"],
                        )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Health flags saved."))
            return redirect("reception:health_detail", pk=group.pk)
    health_tasks = group.tasks.filter(health_related=True).select_related("group", "responsible_user")
    tasks = task_forms_for(request.user, health_tasks)
    context = {"group": group, "flag_forms": flag_forms, "tasks": tasks, "today": timezone.localdate()}
    return render(request, "reception/health_detail.html", context)
