"""Pages of placement agreements: the list with places agreed against places used, an agreement
with its places, their revisions and the negotiation rounds, and the export of the table.

Coordinators and case workers of a municipality see its agreements; its coordinators change them
(agreement_services). Another municipality's agreement is not found, never forbidden. The table
holds counts of people, not client data, so it is not entered in the read log.
"""

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.core.forms import add_service_errors
from hemkommun.core.spreadsheets import spreadsheet_response

from . import agreement_services as services
from .agreement_forms import AgreementForm, PlacesForm, RoundForm, YearsForm
from .models import AgreedPlaces, PlaceCategory, PlacementAgreement
from .pages import managed_municipality_ids, require_municipalities
from .places import places_table, used_places


def _readable_municipalities(user) -> list:
    municipalities = require_municipalities(user)
    return municipalities


def _agreement_get(user, pk: int) -> PlacementAgreement:
    """The agreement if the user reads its municipality's agreements, else a 404."""
    return get_object_or_404(
        PlacementAgreement.objects.select_related("municipality", "state_centre", "welfare_area"),
        pk=pk,
        municipality_id__in=managed_municipality_ids(user),
    )


def _require_writer(user, agreement: PlacementAgreement) -> None:
    if not services.may_write(user, agreement.municipality_id):
        raise PermissionDenied


@login_required
def agreements(request):
    """The user's municipalities' agreements, and places agreed against used for the chosen years."""
    form = YearsForm(request.GET, municipalities=_readable_municipalities(request.user))
    municipalities, years = form.selection()
    context = {
        "form": form,
        "agreements": PlacementAgreement.objects.filter(municipality__in=municipalities).select_related(
            "municipality", "state_centre", "welfare_area"
        ),
        "rows": places_table(municipality_ids=[m.pk for m in municipalities], years=years),
        "years": years,
        "query": request.GET.urlencode(),
        "may_create": bool(services.writable_municipalities(request.user)),
    }
    return render(request, "reception/agreement_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    _readable_municipalities(request.user)
    writable = services.writable_municipalities(request.user)
    if not writable:
        raise PermissionDenied
    form = AgreementForm(request.POST or None, municipalities=writable)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Placement agreement saved."))
            return redirect("reception:agreement_detail", pk=agreement.pk)
    return render(request, "reception/agreement_form.html", {"form": form, "agreement": None})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk: int):
    agreement = _agreement_get(request.user, pk)
    _require_writer(request.user, agreement)
    form = AgreementForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(by=request.user, agreement=agreement, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Placement agreement saved."))
            return redirect("reception:agreement_detail", pk=agreement.pk)
    return render(request, "reception/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
def agreement_detail(request, pk: int, bound: dict | None = None):
    agreement = _agreement_get(request.user, pk)
    may_write = services.may_write(request.user, agreement.municipality_id)
    forms = {}
    if may_write:
        forms = {
            "places": PlacesForm(agreement=agreement, prefix="places"),
            "round": RoundForm(agreement=agreement, prefix="round"),
            **(bound or {}),
        }
    places = list(agreement.places.all())
    context = {
        "agreement": agreement,
        "grid": _places_grid(agreement, places),
        "revisions": _revisions(places),
        "rounds": agreement.rounds.all(),
        "may_write": may_write,
        "forms": forms,
    }
    return render(request, "reception/agreement_detail.html", context)


def _places_grid(agreement: PlacementAgreement, places: list[AgreedPlaces]) -> list[dict]:
    """Year × category of the agreement's period: its own places, and what the municipality used."""
    years = services.agreement_years(agreement)
    agreed = {(row.year, row.category): row.places for row in places}
    used = used_places(municipality_id=agreement.municipality_id, years=years)
    return [
        {
            "year": year,
            "category": label,
            "agreed": agreed.get((year, category)),
            "used": used.get((year, category), 0),
        }
        for year in years
        for category, label in PlaceCategory.choices
    ]


def _revisions(places: list[AgreedPlaces]) -> list[dict]:
    """Every number set for the agreement's places, newest first, from the write log."""
    by_id = {row.pk: row for row in places}
    if not by_id:
        return []
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(AgreedPlaces), object_id__in=list(by_id)
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )  # the pk orders entries of one instant
    revisions = []
    for entry in entries:
        change = entry.changes_dict.get("places")
        if not change:
            continue
        row = by_id[entry.object_id]
        revisions.append(
            {
                "at": entry.timestamp,
                "by": entry.actor,
                "year": row.year,
                "category": row.get_category_display(),
                "before": None if entry.action == LogEntry.Action.CREATE else change[0],
                "after": change[1],
            }
        )
    return revisions


@login_required
@require_POST
def agreement_places(request, pk: int):
    """Set or revise the places of a year and category."""
    agreement = _agreement_get(request.user, pk)
    _require_writer(request.user, agreement)
    form = PlacesForm(request.POST, agreement=agreement, prefix="places")
    if form.is_valid():
        try:
            services.places_set(by=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Places saved."))
            return redirect("reception:agreement_detail", pk=agreement.pk)
    return agreement_detail(request, pk, bound={"places": form})


@login_required
@require_POST
def agreement_round(request, pk: int):
    """Record a negotiation round."""
    agreement = _agreement_get(request.user, pk)
    _require_writer(request.user, agreement)
    form = RoundForm(request.POST, agreement=agreement, prefix="round")
    if form.is_valid():
        try:
            services.round_add(by=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Negotiation round saved."))
            return redirect("reception:agreement_detail", pk=agreement.pk)
    return agreement_detail(request, pk, bound={"round": form})


EXPORT_COLUMNS = ["municipality_code", "municipality", "year", "category", "agreed", "used", "remaining"]


@login_required
def places_export(request, file_format: str):
    """The table of the list page, with the same filter, as CSV or .xlsx."""
    form = YearsForm(request.GET, municipalities=_readable_municipalities(request.user))
    municipalities, years = form.selection()
    rows = [
        [
            row.municipality.municipality_code,
            row.municipality.name,
            row.year,
            row.category,
            row.agreed,
            row.used,
            row.remaining,
        ]
        for row in places_table(municipality_ids=[m.pk for m in municipalities], years=years)
    ]
    notes = [
        _("Hemkommun places agreed and used, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: municipalities %(municipalities)s; years %(first)s–%(last)s")
        % {
            "municipalities": ", ".join(m.name for m in municipalities),
            "first": years[0],
            "last": years[-1],
        },
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"places-{years[0]}-{years[-1]}",
        sheet=_("Places"),
        headers=EXPORT_COLUMNS,
        rows=rows,
        notes=notes,
    )
