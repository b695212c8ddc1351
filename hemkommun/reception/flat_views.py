"""Pages of the flats reserved for arriving families: the list and its export, a flat's page with
its furnishing and assignments, and the forms that change them.

No client's personal data appears here: families are named by their arrival's reference, and a
flat assigned to a client shows the client's number only. So these pages log no reads.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.core.forms import add_service_errors
from hemkommun.core.pagination import CappedPaginator
from hemkommun.core.spreadsheets import spreadsheet_response

from .flat_forms import (
    AssignForm,
    EndForm,
    FlatFilterForm,
    FlatForm,
    FlatSelection,
    FurnishingForm,
    FurnishingStateForm,
)
from .models import Flat, FlatAssignment, FurnishingItem
from .pages import require_manager, require_municipalities
from .services import housing

IN_PLACE = FurnishingItem.State.IN_PLACE
EXPORT_COLUMNS = [
    "municipality",
    "street_address",
    "postal_code",
    "post_office",
    "rooms",
    "size_m2",
    "rent_eur",
    "landlord",
    "furnishing_in_place",
    "furnishing_total",
    "assigned_to",
    "assigned_from",
    "assigned_until",
]


# The list and its export


@dataclass
class FlatRow:
    """A flat of the list with its current assignment on the chosen day, or else the next one."""

    flat: Flat
    assignment: FlatAssignment | None
    current: bool


def _flats(municipality_ids, selection: FlatSelection) -> QuerySet[Flat]:
    """The flats in one query, their furnishing counted and the assignments still running on the
    day (or later) prefetched in a second, however many flats there are."""
    on = selection.on
    running = Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    held_on_day = FlatAssignment.objects.filter(running, flat=OuterRef("pk"), starts_on__lte=on)
    flats = (
        Flat.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality")
        .annotate(
            furnishing_total=Count("furnishing"),
            furnishing_in_place=Count("furnishing", filter=Q(furnishing__state=IN_PLACE)),
            taken=Exists(held_on_day),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=FlatAssignment.objects.filter(running).select_related("group").order_by("starts_on"),
                to_attr="running",
            )
        )
        .order_by("street_address", "id")
    )
    if selection.municipality is not None:
        flats = flats.filter(municipality=selection.municipality)
    if selection.availability == "free":
        flats = flats.filter(taken=False)
    elif selection.availability == "taken":
        flats = flats.filter(taken=True)
    return flats


def _row(flat: Flat, selection: FlatSelection) -> FlatRow:
    # Assignments never overlap, so the first still running is the current one or the next.
    assignment = flat.running[0] if flat.running else None
    return FlatRow(flat, assignment, assignment is not None and assignment.starts_on <= selection.on)


def _filter(request) -> tuple[FlatFilterForm, FlatSelection, list]:
    municipalities = require_municipalities(request.user)
    form = FlatFilterForm(request.GET or None, municipalities=municipalities)
    return form, form.selection(), municipalities


@login_required
def flat_list(request):
    form, selection, municipalities = _filter(request)
    flats = _flats([m.pk for m in municipalities], selection)
    page = CappedPaginator(flats, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "selection": selection,
        "page": page,
        "rows": [_row(flat, selection) for flat in page.object_list],
        "show_municipality": len(municipalities) > 1,
        "query": request.GET.urlencode(),
        "paging_query": _without_page(request),
    }
    return render(request, "reception/flat_list.html", context)


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def flat_export(request, file_format: str):
    form, selection, municipalities = _filter(request)
    rows = [_export_row(_row(flat, selection)) for flat in _flats([m.pk for m in municipalities], selection)]
    notes = [
        _("Hemkommun flats, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s") % {"filters": _describe(selection)},
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"flats-{timezone.localdate():%Y%m%d}",
        sheet=_("Flats"),
        headers=EXPORT_COLUMNS,
        rows=rows,
        notes=notes,
    )


def _export_row(row: FlatRow) -> list:
    flat, assignment = row.flat, row.assignment
    return [
        flat.municipality.name,
        flat.street_address,
        flat.postal_code,
        flat.post_office,
        flat.rooms,
        float(flat.size_m2),
        float(flat.rent_eur),
        flat.landlord,
        flat.furnishing_in_place,
        flat.furnishing_total,
        _holder(assignment) if assignment else "",
        assignment.starts_on.isoformat() if assignment else "",
        assignment.ends_on.isoformat() if assignment and assignment.ends_on else "",
    ]


def _holder(assignment: FlatAssignment) -> str:
    """The arrival's reference, or a client's number: never a name."""
    if assignment.group_id:
        return assignment.group.reference
    return _("client no. %(number)s") % {"number": assignment.client_id}


def _describe(selection: FlatSelection) -> str:
    day = date_format(selection.on, "SHORT_DATE_FORMAT")
    if selection.availability == "free":
        parts = [_("free on %(day)s") % {"day": day}]
    elif selection.availability == "taken":
        parts = [_("taken on %(day)s") % {"day": day}]
    else:
        parts = [_("all flats, assignments as of %(day)s") % {"day": day}]
    if selection.municipality is not None:
        parts.append(_("municipality %(name)s") % {"name": selection.municipality.name})
    return ", ".join(parts)


# Creating and editing a flat


@login_required
@require_http_methods(["GET", "POST"])
def flat_create(request):
    municipalities = require_municipalities(request.user)
    form = FlatForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data.get("municipality") or municipalities[0]
        try:
            flat = housing.flat_create(by=request.user, municipality=municipality, data=form.flat_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Flat saved."))
            return redirect("reception:flat_detail", pk=flat.pk)
    return render(request, "reception/flat_form.html", {"form": form, "flat": None})


def _flat(request, pk: int) -> Flat:
    """The flat, or a 404 where it is another municipality's (never a 403 that confirms it exists)."""
    flat = get_object_or_404(Flat.objects.select_related("municipality"), pk=pk)
    require_manager(request.user, flat.municipality_id)
    return flat


@login_required
@require_http_methods(["GET", "POST"])
def flat_edit(request, pk: int):
    flat = _flat(request, pk)
    # The form fills a copy, so a refused change does not show on the page as if saved.
    form = FlatForm(request.POST or None, initial=model_to_dict(flat, fields=housing.FLAT_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            housing.flat_update(by=request.user, flat=flat, data=form.flat_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Flat saved."))
            return redirect("reception:flat_detail", pk=flat.pk)
    return render(request, "reception/flat_form.html", {"form": form, "flat": flat})


# A flat's page and its actions


@login_required
def flat_detail(request, pk: int):
    return _detail(request, _flat(request, pk))


def _detail(request, flat: Flat, bound: dict | None = None):
    """The page with empty forms, except the one just sent back with its errors (by prefix)."""
    bound = bound or {}
    items = list(flat.furnishing.all())
    assignments = list(flat.assignments.select_related("group"))
    today = timezone.localdate()
    context = {
        "flat": flat,
        "furnishing": [
            (item, bound.get(f"state-{item.pk}") or FurnishingStateForm(item=item)) for item in items
        ],
        "in_place": sum(item.state == IN_PLACE for item in items),
        "assignments": [(a, _end_form(a, today, bound)) for a in assignments],
        "furnishing_form": bound.get("furnish") or FurnishingForm(prefix="furnish"),
        "assign_form": bound.get("assign") or AssignForm(flat=flat),
        "today": today,
    }
    return render(request, "reception/flat_detail.html", context)


def _end_form(assignment: FlatAssignment, today, bound: dict) -> EndForm | None:
    """Only an assignment still running can be ended (or its end moved)."""
    if assignment.ends_on is not None and assignment.ends_on < today:
        return None
    return bound.get(f"end-{assignment.pk}") or EndForm(assignment=assignment)


def _submit(request, flat: Flat, form, action, done: str):
    """Run the action on valid input and go back to the flat; else the page with the form's errors."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("reception:flat_detail", pk=flat.pk)
    return _detail(request, flat, bound={form.prefix: form})


@login_required
@require_POST
def furnishing_add(request, pk: int):
    flat = _flat(request, pk)
    form = FurnishingForm(request.POST, prefix="furnish")
    return _submit(
        request,
        flat,
        form,
        lambda data: housing.furnishing_add(by=request.user, flat=flat, **data),
        _("Added to the furnishing list."),
    )


@login_required
@require_POST
def furnishing_state(request, pk: int, item_pk: int):
    flat = _flat(request, pk)
    item = get_object_or_404(FurnishingItem, pk=item_pk, flat=flat)
    form = FurnishingStateForm(request.POST, item=item)
    return _submit(
        request,
        flat,
        form,
        lambda data: housing.furnishing_set_state(by=request.user, item=item, state=data["state"]),
        _("State changed."),
    )


@login_required
@require_POST
def furnishing_remove(request, pk: int, item_pk: int):
    flat = _flat(request, pk)
    item = get_object_or_404(FurnishingItem, pk=item_pk, flat=flat)
    housing.furnishing_remove(by=request.user, item=item)
    messages.success(request, _("Removed from the furnishing list."))
    return redirect("reception:flat_detail", pk=flat.pk)


@login_required
@require_POST
def flat_assign(request, pk: int):
    flat = _flat(request, pk)
    form = AssignForm(request.POST, flat=flat)
    return _submit(
        request,
        flat,
        form,
        lambda data: housing.flat_assign(by=request.user, flat=flat, **data),
        _("Flat assigned."),
    )


@login_required
@require_POST
def assignment_end(request, pk: int, assignment_pk: int):
    flat = _flat(request, pk)
    assignment = get_object_or_404(FlatAssignment, pk=assignment_pk, flat=flat)
    form = EndForm(request.POST, assignment=assignment)
    return _submit(
        request,
        flat,
        form,
        lambda data: housing.assignment_end(by=request.user, assignment=assignment, ends_on=data["ends_on"]),
        _("Assignment ended."),
    )
