"""An arrival's pages: create (quota family or move), its page with tasks, and its steps:
accept, move the date, cancel, tasks, and the conversion of the people into clients."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.access import policy
from hemkommun.clients.selectors import log_list_reads
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent

from . import selectors
from .forms import (
    ArrivalForm,
    ConvertForm,
    DateChangeForm,
    MoveForm,
    PersonForm,
    TaskForm,
    member_formset,
    task_forms_for,
)
from .models import ArrivalGroup, ArrivalKind, ArrivalTask
from .pages import require_municipalities
from .services import arrivals


def _persons(request) -> int:
    text = request.GET.get("persons", "")
    return int(text) if text.isdecimal() else 5


@login_required
@require_http_methods(["GET", "POST"])
def arrival_create(request, kind: str):
    """An expected family of quota refugees, or a reception centre's placement request."""
    if kind not in ArrivalKind.values:
        raise Http404
    municipalities = require_municipalities(request.user)
    form_class = MoveForm if kind == ArrivalKind.RECEPTION_CENTRE else ArrivalForm
    data = request.POST if request.method == "POST" else None
    form = form_class(data, municipalities=municipalities)
    members = member_formset(data, persons=_persons(request))
    if request.method == "POST" and form.is_valid() and members.is_valid():
        group = _create(request, form, members, kind)
        if group is not None:
            messages.success(request, _("Arrival recorded with its tasks."))
            return redirect("reception:arrival_detail", pk=group.pk)
    context = {"form": form, "members": members, "kind": kind, "persons": _persons(request)}
    return render(request, "reception/arrival_form.html", context)


def _create(request, form, members, kind: str) -> ArrivalGroup | None:
    data = form.cleaned_data
    try:
        return arrivals.arrival_create(
            by=request.user,
            municipality=data["municipality"],
            welfare_area=data["welfare_area"],
            reference=data["reference"],
            expected_on=data["expected_on"],
            permit_granted_on=data["permit_granted_on"],
            notes=data["notes"],
            members=members.members(),
            kind=kind,
            move=form.move_data() if kind == ArrivalKind.RECEPTION_CENTRE else None,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
def arrival_detail(request, pk: int, bound: dict | None = None, status: int = 200):
    group = selectors.group_get(user=request.user, pk=pk)
    tasks = group.tasks.select_related("group", "responsible", "responsible_user")
    members = list(group.members.select_related("client"))
    forms = bound or {}
    context = {
        "group": group,
        "members": members,
        "visible_client_ids": _log_visible_clients(request.user, members),
        "tasks": task_forms_for(request.user, tasks),
        "today": timezone.localdate(),
        "date_form": forms.get("date") or DateChangeForm(initial={"expected_on": group.expected_on}),
        "flats": group.flats.select_related("flat"),
        "pending": group.status in selectors.PENDING,
    }
    return render(request, "reception/arrival_detail.html", context, status=status)


def _log_visible_clients(user, members) -> set[int]:
    """After the arrival the page names the clients the user may see (logged as a list read) and
    shows only the number of the others (their case may have moved to another organisation)."""
    client_ids = [member.client_id for member in members if member.client_id]
    visible = list(policy.visible_clients(user).filter(pk__in=client_ids))
    log_list_reads(user=user, clients=visible, action=ReadEvent.Action.LIST, context="arrival")
    return {client.pk for client in visible}


@login_required
@require_POST
def arrival_date(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    form = DateChangeForm(request.POST)
    if form.is_valid():
        try:
            arrivals.arrival_move(by=request.user, group=group, expected_on=form.cleaned_data["expected_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Arrival date moved; the open tasks moved with it."))
            return redirect("reception:arrival_detail", pk=group.pk)
    return arrival_detail(request, pk, bound={"date": form}, status=400)


STEPS = {
    "accept": (arrivals.arrival_accept, gettext_lazy("Placement request accepted.")),
    "cancel": (arrivals.arrival_cancel, gettext_lazy("Arrival cancelled.")),
}


@login_required
@require_POST
def arrival_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    group = selectors.group_get(user=request.user, pk=pk)
    service, done = STEPS[step]
    try:
        service(by=request.user, group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("reception:arrival_detail", pk=group.pk)


@login_required
@require_POST
def task_update(request, pk: int):
    """A task's status and responsible person, from the arrival page or the health view."""
    task = get_object_or_404(ArrivalTask.objects.select_related("group"), pk=pk)
    if not policy.can_handle_arrival_task(request.user, task):
        raise Http404
    form = TaskForm(request.POST, prefix=f"task-{task.pk}", assignees=list(arrivals.task_assignees(task)))
    if not form.is_valid():
        messages.error(request, _("Choose a status and a person of the responsible organisation."))
    else:
        try:
            arrivals.task_update(
                by=request.user,
                task=task,
                status=form.cleaned_data["status"],
                responsible_user=form.cleaned_data["responsible_user"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Task saved: %(task)s") % {"task": task.title})
    return redirect(_task_page(request, task))


def _task_page(request, task: ArrivalTask) -> str:
    """Back to where the task can be seen: the arrival's page for the municipality's reception
    staff, the health view for the welfare area, the worklist for a partner's staff."""
    if policy.can_manage_arrivals(request.user, task.group.municipality_id) and not task.health_related:
        return reverse("reception:arrival_detail", args=[task.group_id])
    if task.health_related:
        return reverse("reception:health_detail", args=[task.group_id])
    return reverse("casework:worklist")


@login_required
@require_http_methods(["GET", "POST"])
def arrival_convert(request, pk: int):
    """On arrival: one name form per person, and the family becomes clients in one step."""
    group = selectors.group_get(user=request.user, pk=pk)
    if group.status not in selectors.PENDING:
        messages.error(request, _("This arrival has already been recorded."))
        return redirect("reception:arrival_detail", pk=group.pk)
    data = request.POST if request.method == "POST" else None
    form = ConvertForm(data, group=group, initial={"arrived_on": timezone.localdate()})
    people = [PersonForm(data, member=member) for member in group.members.all()]
    if data is not None and form.is_valid() and all(person.is_valid() for person in people):
        try:
            clients = arrivals.arrival_convert(
                by=request.user,
                group=group,
                arrived_on=form.cleaned_data["arrived_on"],
                move_reported_on=form.cleaned_data.get("move_reported_on"),
                people={person.member.pk: person.client_data() for person in people},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s client recorded.", "%(count)s clients recorded as one household.", len(clients)
                )
                % {"count": len(clients)},
            )
            return redirect("reception:arrival_detail", pk=group.pk)
    return render(request, "reception/arrival_convert.html", {"group": group, "form": form, "people": people})
