"""The worklist page, its export, and the in-app notifications."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hemkommun.access import policy
from hemkommun.clients.export_views import MAX_EXPORT_ROWS
from hemkommun.core.audit import record_reads
from hemkommun.core.forms import style_fields
from hemkommun.core.models import ReadEvent
from hemkommun.core.pagination import CappedPaginator
from hemkommun.core.spreadsheets import spreadsheet_response
from hemkommun.organizations.models import Unit, User
from hemkommun.reception import selectors as arrival_selectors
from hemkommun.reception.forms import task_forms_for

from .models import Notification
from .worklist import (
    HORIZON_DAYS,
    WorklistFilter,
    coordinated_organisation_ids,
    met_late_by_worker,
    open_deadlines,
)

EXPORT_COLUMNS = ["client_id", "deadline", "due_date", "status", "worker"]


class WorklistForm(forms.Form):
    """Coordinators choose whose deadlines: the organisation's, by unit and worker."""

    scope = forms.ChoiceField(
        label=gettext_lazy("Whose deadlines"),
        choices=[
            ("mine", gettext_lazy("My clients")),
            ("organisation", gettext_lazy("The organisation's clients")),
        ],
        required=False,
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=gettext_lazy("Unit"))
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=gettext_lazy("Worker")
    )
    unassigned = forms.BooleanField(required=False, label=gettext_lazy("Only clients without a worker"))

    def __init__(self, *args, organisation_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation__in=organisation_ids)
        self.fields["worker"].queryset = (
            User.objects.filter(memberships__unit__organisation__in=organisation_ids)
            .distinct()
            .order_by("last_name")
        )
        self.fields["worker"].label_from_instance = lambda user: user.get_full_name() or user.username
        style_fields(self)

    def selection(self) -> WorklistFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("scope") != "organisation":
            return WorklistFilter()
        return WorklistFilter(
            organisation_wide=True,
            unit=data.get("unit"),
            worker=data.get("worker"),
            unassigned=data.get("unassigned", False),
        )


def _form_and_selection(request) -> tuple[WorklistForm | None, WorklistFilter]:
    organisation_ids = coordinated_organisation_ids(request.user)
    if not organisation_ids:
        return None, WorklistFilter()
    form = WorklistForm(request.GET or None, organisation_ids=organisation_ids)
    return form, form.selection()


@login_required
def worklist(request):
    today = timezone.localdate()
    form, selection = _form_and_selection(request)
    deadlines = open_deadlines(user=request.user, selection=selection, today=today)
    page = CappedPaginator(deadlines, 50).get_page(request.GET.get("page"))
    rows = [(deadline, deadline.status(today)) for deadline in page.object_list]
    record_reads(
        user=request.user,
        client_ids=sorted({deadline.client_id for deadline in page.object_list}),
        action=ReadEvent.Action.LIST,
        context=request.get_full_path(),
    )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": request.GET.urlencode(),
        "late": met_late_by_worker(user=request.user, year=today.year) if form is not None else None,
        "year": today.year,
        "show_worker": form is not None,
        "arrival_tasks": _arrival_tasks(request.user, today),
        "arrival_municipality_ids": {m.pk for m in policy.arrival_municipalities(request.user)},
        "today": today,
    }
    return render(request, "casework/worklist.html", context)


def _arrival_tasks(user, today) -> list:
    """The user's open arrival tasks that they may still handle, each with its form."""
    tasks = arrival_selectors.my_open_tasks(user=user, until=today + timedelta(days=HORIZON_DAYS))
    return [(task, form) for task, form in task_forms_for(user, tasks) if form is not None]


@login_required
def worklist_export(request, file_format: str):
    today = timezone.localdate()
    form, selection = _form_and_selection(request)
    deadlines = list(
        open_deadlines(user=request.user, selection=selection, today=today)[: MAX_EXPORT_ROWS + 1]
    )
    if len(deadlines) > MAX_EXPORT_ROWS:
        messages.error(
            request, _("More than %(limit)s deadlines: narrow the worklist.") % {"limit": MAX_EXPORT_ROWS}
        )
        return redirect(f"{reverse('casework:worklist')}?{request.GET.urlencode()}")
    record_reads(
        user=request.user,
        client_ids=sorted({d.client_id for d in deadlines}),
        action=ReadEvent.Action.EXPORT,
        context=request.get_full_path(),
    )
    rows = [[d.client_id, d.kind, d.due_on.isoformat(), d.status(today), _worker_of(d)] for d in deadlines]
    notes = [
        _("Hemkommun worklist, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s") % {"filters": _describe(selection)},
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"worklist-{today:%Y%m%d}",
        sheet=_("Worklist"),
        headers=EXPORT_COLUMNS,
        rows=rows,
        notes=notes,
    )


def _worker_of(deadline) -> str:
    worker = deadline.client.responsible_worker
    return worker.username if worker else ""


def _describe(selection: WorklistFilter) -> str:
    if not selection.organisation_wide:
        return _("my clients")
    parts = [_("the organisation's clients")]
    if selection.unit:
        parts.append(_("unit %(unit)s") % {"unit": selection.unit.name})
    if selection.worker:
        parts.append(_("worker %(worker)s") % {"worker": selection.worker.username})
    if selection.unassigned:
        parts.append(_("without a worker"))
    return ", ".join(parts)


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    return redirect("home")
