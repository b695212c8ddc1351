"""Pages of the placements of unaccompanied minors: the list and its export, placing a minor,
a placement's page, correcting it and ending it.

Every page shows client data (a name, an age), so every one writes the read log. Another
municipality's ids are simply not found (404), never forbidden.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.clients import selectors as client_selectors
from hemkommun.clients.export_views import MAX_EXPORT_ROWS
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent
from hemkommun.core.pagination import CappedPaginator
from hemkommun.core.spreadsheets import spreadsheet_response

from .minor_forms import EndForm, PlacementFilterForm, PlacementForm
from .models import MinorPlacement
from .pages import managed_municipality_ids, require_municipalities
from .services import minors

PAGE_SIZE = 50
EXPORT_COLUMNS = [
    "client_id",
    "municipality",
    "kind",
    "unit",
    "starts_on",
    "ends_on",
    "agreement_id",
    "agreement_reference",
]


# The list and its export ---------------------------------------------------------------------


def _filter(request) -> tuple[PlacementFilterForm, dict]:
    """The filter form and its choices; a 404 for a user who manages no municipality's reception."""
    municipalities = require_municipalities(request.user)
    form = PlacementFilterForm(request.GET or None, municipalities=municipalities)
    return form, form.selection()


def _listed(user, selection: dict, today) -> QuerySet[MinorPlacement]:
    """The chosen placements, current ones first, the latest start first within each."""
    placements = minors.placements_for(user)
    if selection["status"] == "current":
        placements = placements.filter(minors.current_q(today))
    elif selection["status"] == "ended":
        placements = placements.exclude(minors.current_q(today))
    if selection["municipality"] is not None:
        placements = placements.filter(municipality=selection["municipality"])
    ended = Case(When(minors.current_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())
    return placements.annotate(ended=ended).order_by("ended", "-starts_on", "id")


def _distinct_clients(placements) -> list:
    return list({placement.client_id: placement.client for placement in placements}.values())


@login_required
def minor_list(request):
    form, selection = _filter(request)
    today = timezone.localdate()
    page = CappedPaginator(_listed(request.user, selection, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    placements = list(page.object_list)
    client_selectors.log_list_reads(
        user=request.user,
        clients=_distinct_clients(placements),
        action=ReadEvent.Action.LIST,
        context=request.get_full_path(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(placement, today) for placement in placements],
        "query": query.urlencode(),
    }
    return render(request, "reception/minor_list.html", context)


def _row(placement: MinorPlacement, today) -> dict:
    client = placement.client
    return {
        "placement": placement,
        "age": minors.age_on(client, today),
        "age_estimated": not minors.birth_date_is_exact(client),
        "current": placement.ends_on is None or placement.ends_on >= today,
    }


@login_required
def minors_export(request, file_format: str):
    form, selection = _filter(request)
    today = timezone.localdate()
    placements = list(_listed(request.user, selection, today)[: MAX_EXPORT_ROWS + 1])
    if len(placements) > MAX_EXPORT_ROWS:
        messages.error(
            request, _("More than %(limit)s placements: narrow the list.") % {"limit": MAX_EXPORT_ROWS}
        )
        return redirect(f"{reverse('reception:minors')}?{request.GET.urlencode()}")
    client_selectors.log_list_reads(
        user=request.user,
        clients=_distinct_clients(placements),
        action=ReadEvent.Action.EXPORT,
        context=request.get_full_path(),
    )
    # Client numbers, not names: the file leaves the system, the record stays behind the read log.
    rows = [_export_row(placement) for placement in placements]
    notes = [
        _("Hemkommun placements of unaccompanied minors, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s") % {"filters": _describe(selection)},
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"minor-placements-{today:%Y%m%d}",
        sheet=_("Placements"),
        headers=EXPORT_COLUMNS,
        rows=rows,
        notes=notes,
    )


def _export_row(placement: MinorPlacement) -> list:
    return [
        placement.client_id,
        placement.municipality.code,
        placement.kind,
        placement.unit_name,
        placement.starts_on.isoformat(),
        placement.ends_on.isoformat() if placement.ends_on else "",
        placement.agreement_id,
        placement.agreement.decision_reference,
    ]


def _describe(selection: dict) -> str:
    status = {
        "current": _("current placements"),
        "ended": _("ended placements"),
    }.get(selection["status"], _("all placements"))
    municipality = selection["municipality"]
    where = (
        _("municipality %(name)s") % {"name": municipality.name}
        if municipality
        else _("all your municipalities")
    )
    return f"{status}, {where}"


# One placement -------------------------------------------------------------------------------


def _client_to_place(request):
    """The client named in the address, if the user sees them and runs reception where they are held."""
    client = client_selectors.client_get(user=request.user, pk=request.GET.get("client"))
    if client.organisation_id not in managed_municipality_ids(request.user):
        raise Http404
    return client


@login_required
@require_http_methods(["GET", "POST"])
def minor_create(request):
    client = _client_to_place(request)
    client_selectors.log_detail_read(user=request.user, client=client, context="minor placement")
    form = PlacementForm(request.POST or None, municipality=client.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            placement = minors.placement_create(by=request.user, client=client, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Placement recorded."))
            return redirect("reception:minor_detail", pk=placement.pk)
    context = {"form": form, "client": client, "placement": None}
    return render(request, "reception/minor_form.html", context)


@login_required
def minor_detail(request, pk: int, end_form: EndForm | None = None):
    placement = minors.placement_get(user=request.user, pk=pk)
    client_selectors.log_detail_read(
        user=request.user, client=placement.client, context=f"minor placement {placement.pk}"
    )
    today = timezone.localdate()
    current = placement.ends_on is None or placement.ends_on >= today
    if current and end_form is None:
        end_form = EndForm(initial={"ends_on": placement.ends_on or today})
    context = {
        "placement": placement,
        "client": placement.client,
        "row": _row(placement, today),
        "end_form": end_form if current else None,
    }
    return render(request, "reception/minor_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def minor_edit(request, pk: int):
    placement = minors.placement_get(user=request.user, pk=pk)
    client = placement.client
    client_selectors.log_detail_read(user=request.user, client=client, context=f"minor placement {pk}")
    initial = {name: getattr(placement, name) for name in minors.EDITABLE_FIELDS}
    form = PlacementForm(request.POST or None, municipality=placement.municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            minors.placement_update(by=request.user, placement=placement, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Placement saved."))
            return redirect("reception:minor_detail", pk=placement.pk)
    context = {"form": form, "client": client, "placement": placement}
    return render(request, "reception/minor_form.html", context)


@login_required
@require_POST
def minor_end(request, pk: int):
    placement = minors.placement_get(user=request.user, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            minors.placement_end(by=request.user, placement=placement, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Placement ended."))
            return redirect("reception:minor_detail", pk=placement.pk)
    return minor_detail(request, pk, end_form=form)
