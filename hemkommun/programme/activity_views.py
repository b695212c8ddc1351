"""The activity pages: a municipality's activities, one activity with its sessions, and a
session with who came. For the integration staff of the municipality (access/policy.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent
from hemkommun.core.spreadsheets import spreadsheet_response

from . import activities
from .activity_forms import ActivityForm, SessionForm
from .models import Activity, Session


def _municipalities(user) -> list:
    municipalities = policy.activity_municipalities(user)
    if not municipalities:
        raise Http404
    return municipalities


def _activity(user, pk: int) -> Activity:
    ids = [municipality.pk for municipality in _municipalities(user)]
    return get_object_or_404(Activity.objects.select_related("municipality"), pk=pk, municipality__in=ids)


def _activity_selection(request) -> tuple[list, object, QuerySet[Activity]]:
    """The user's municipalities, the one chosen (the first unless the address names another of
    theirs) and its activities, latest first: for the list and its export alike; else 404."""
    municipalities = _municipalities(request.user)
    chosen = next(
        (m for m in municipalities if str(m.pk) == request.GET.get("municipality")), municipalities[0]
    )
    rows = (
        Activity.objects.filter(municipality=chosen)
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("-starts_on", "name")
    )
    return municipalities, chosen, rows


@login_required
def activity_list(request):
    municipalities, chosen, rows = _activity_selection(request)
    context = {
        "municipalities": municipalities,
        "chosen": chosen,
        "activities": rows,
        "query": request.GET.urlencode(),
    }
    return render(request, "programme/activities/list.html", context)


# A municipality's activities are few; a file made while the user waits stays small all the same.
ACTIVITY_EXPORT_ROWS = 20_000
ACTIVITY_EXPORT_COLUMNS = [
    "activity_id",
    "municipality",
    "name",
    "kind",
    "kind_label",
    "organiser",
    "schedule",
    "starts_on",
    "ends_on",
    "session_count",
]


@login_required
def activity_list_export(request, file_format: str):
    """The activities as a file. Activities name no client (those who came are on the sessions),
    so no read is logged."""
    _all, chosen, found = _activity_selection(request)
    rows = list(found[: ACTIVITY_EXPORT_ROWS + 1])
    if len(rows) > ACTIVITY_EXPORT_ROWS:
        messages.error(
            request,
            _("More than %(limit)s activities: too many to export at once.")
            % {"limit": ACTIVITY_EXPORT_ROWS},
        )
        return redirect(f"{reverse('programme:activities')}?{request.GET.urlencode()}")
    notes = [
        _("Hemkommun activities, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s") % {"filters": _("municipality %(name)s") % {"name": chosen.name}},
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"activities-{chosen.code}-{timezone.localdate():%Y%m%d}",
        sheet=_("Activities"),
        headers=ACTIVITY_EXPORT_COLUMNS,
        rows=[_activity_row(activity, chosen) for activity in rows],
        notes=notes,
    )


def _activity_row(activity: Activity, municipality) -> list:
    return [
        activity.pk,
        municipality.name,
        activity.name,
        activity.kind,
        activity.get_kind_display(),
        activity.organiser,
        activity.schedule,
        activity.starts_on.isoformat(),
        activity.ends_on.isoformat() if activity.ends_on else "",
        activity.session_count,
    ]


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int | None = None):
    municipalities = _municipalities(request.user)
    activity = _activity(request.user, pk) if pk else None
    if activity is not None:
        municipality = activity.municipality
    else:
        municipality = next(
            (m for m in municipalities if str(m.pk) == request.GET.get("municipality")), municipalities[0]
        )
    form = ActivityForm(request.POST or None, instance=activity, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in activities.ACTIVITY_FIELDS}
        try:
            saved = activities.activity_save(
                by=request.user, municipality=municipality, data=data, activity=_fresh(activity)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("programme:activity", pk=saved.pk)
    context = {"form": form, "activity": activity, "municipality": municipality}
    return render(request, "programme/activities/form.html", context)


def _fresh(activity: Activity | None) -> Activity | None:
    """The activity as stored: a bound ModelForm has already written the typed values onto its instance."""
    return Activity.objects.get(pk=activity.pk) if activity is not None else None


@login_required
def activity_detail(request, pk: int):
    activity = _activity(request.user, pk)
    sessions = activity.sessions.annotate(
        named=Count("attendances", distinct=True), anonymous_people=Sum("anonymous__count")
    ).order_by("-held_on")
    return render(request, "programme/activities/detail.html", {"activity": activity, "sessions": sessions})


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk: int):
    activity = _activity(request.user, pk)
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = activities.session_record(
                by=request.user,
                activity=activity,
                held_on=data["held_on"],
                note=data["note"],
                client_ids=data["clients"],
                anonymous=form.anonymous(),
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"anonymous": "count_0"})
        else:
            messages.success(request, _("Session recorded."))
            return redirect("programme:session", pk=session.pk)
    return render(request, "programme/activities/session_form.html", {"activity": activity, "form": form})


@login_required
def session_detail(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("activity"), pk=pk)
    _activity(request.user, session.activity_id)
    attendances = session.attendances.select_related("client")
    visible = set(
        policy.visible_clients(request.user)
        .filter(pk__in=[a.client_id for a in attendances])
        .values_list("pk", flat=True)
    )
    named = [(a.client, a.client_id in visible) for a in attendances]
    record_reads(
        user=request.user,
        client_ids=sorted(visible),
        action=ReadEvent.Action.LIST,
        context=f"activity session {session.pk}",
    )
    context = {"session": session, "named": named, "anonymous": session.anonymous.all()}
    return render(request, "programme/activities/session.html", context)


@login_required
@require_POST
def session_delete(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("activity"), pk=pk)
    activity = _activity(request.user, session.activity_id)
    try:
        activities.session_delete(by=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Session removed."))
    return redirect("programme:activity", pk=activity.pk)
