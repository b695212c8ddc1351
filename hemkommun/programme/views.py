"""The programme pages: the list, the import, a programme with its action programme, the yearly
statuses, the councils' approvals and revisions. Reading is open to the staff of the owner
municipalities; their coordinators write (access/policy.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.access import policy
from hemkommun.core.forms import add_service_errors
from hemkommun.core.spreadsheets import spreadsheet_response

from . import services
from .forms import ApprovalForm, ImportForm, StatusesForm
from .indicators import programme_values
from .models import Action, ActionStatus, Programme, ProgrammeOwner
from .selectors import review_state, shown_years, versions


def readable_programme(user, pk: int) -> Programme:
    programme = policy.visible_programmes(user).filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def writable_programme(user, pk: int) -> Programme:
    programme = readable_programme(user, pk)
    if not policy.may_write_programme(user, programme):
        raise Http404
    return programme


def _programme_selection(user) -> list[tuple[Programme, str]]:
    """The latest version of each programme the user reads, with the state of its review: for the
    list and its export alike; 404 for a user who reads none."""
    if not policy.may_read_programmes(user):
        raise Http404
    today = timezone.localdate()
    programmes = (
        policy.visible_programmes(user)
        .filter(revision__isnull=True)  # the latest versions; earlier ones are on each programme's page
        .prefetch_related("owners__municipality")
    )
    return [(programme, review_state(programme, today)) for programme in programmes]


@login_required
def programme_list(request):
    context = {
        "rows": _programme_selection(request.user),
        "may_import": bool(policy.programme_writer_municipalities(request.user)),
        "may_run_activities": bool(policy.activity_municipalities(request.user)),
        "query": request.GET.urlencode(),
    }
    return render(request, "programme/list.html", context)


# The programmes of a region are few (one a municipality every four years); a file made while the
# user waits stays small all the same.
PROGRAMME_EXPORT_ROWS = 5_000
PROGRAMME_EXPORT_COLUMNS = [
    "programme_id",
    "title",
    "municipalities",
    "first_year",
    "last_year",
    "version",
    "language",
    "review_due",
    "review",
    "review_label",
]


@login_required
def programme_list_export(request, file_format: str):
    """The programme list as a file: no client data in it, so no read is logged."""
    rows = _programme_selection(request.user)
    if len(rows) > PROGRAMME_EXPORT_ROWS:
        messages.error(
            request,
            _("More than %(limit)s programmes: too many to export at once.")
            % {"limit": PROGRAMME_EXPORT_ROWS},
        )
        return redirect("programme:list")
    notes = [
        _("Hemkommun integration programmes, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s")
        % {"filters": _("none: the latest version of each programme of your municipalities")},
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"programmes-{timezone.localdate():%Y%m%d}",
        sheet=_("Integration programmes"),
        headers=PROGRAMME_EXPORT_COLUMNS,
        rows=[_programme_row(programme, review) for programme, review in rows],
        notes=notes,
    )


def _review_labels() -> dict[str, str]:
    return {"overdue": _("overdue"), "soon": _("soon"), "": ""}


def _programme_row(programme: Programme, review: str) -> list:
    return [
        programme.pk,
        programme.title,
        ", ".join(owner.municipality.name for owner in programme.owners.all()),
        programme.first_year,
        programme.last_year,
        programme.version,
        programme.language,
        programme.review_due.isoformat(),
        review,
        _review_labels()[review],
    ]


@login_required
@require_http_methods(["GET", "POST"])
def programme_import(request):
    writable = policy.programme_writer_municipalities(request.user)
    if not writable:
        raise Http404
    initial = {"owners": writable[:1], "language": "sv"}
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["dry_run"]:
            preview = data["parsed"]
        else:
            try:
                programme = services.programme_import(
                    by=request.user,
                    owners=data["owners"],
                    period=data["period"],
                    parsed=data["parsed"],
                    title=data["title"],
                    language=data["language"],
                    review_due=data["review_due"],
                    budget_notes=data["budget_notes"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Programme imported: %(themes)s themes, %(rows)s actions.")
                    % {"themes": len(data["parsed"].themes), "rows": data["parsed"].row_count},
                )
                return redirect("programme:detail", pk=programme.pk)
    return render(request, "programme/import.html", {"form": form, "preview": preview})


@login_required
def programme_detail(request, pk: int):
    programme = readable_programme(request.user, pk)
    year = _year(request, programme)
    statuses = ActionStatus.objects.filter(year=year)
    themes = programme.themes.prefetch_related(
        Prefetch("actions", queryset=Action.objects.prefetch_related(Prefetch("statuses", queryset=statuses)))
    )
    context = {
        "programme": programme,
        "year": year,
        "themes": themes,
        "owners": programme.owners.select_related("municipality"),
        "versions": versions(programme),
        "review": review_state(programme, timezone.localdate()),
        "may_write": policy.may_write_programme(request.user, programme) and _is_latest(programme),
        **_indicator_context(programme),
    }
    return render(request, "programme/detail.html", context)


def _indicator_context(programme: Programme) -> dict:
    years = shown_years(programme)
    values = programme_values(programme, years)
    indicators = programme.indicators.prefetch_related("actions")
    return {
        "indicator_years": years,
        "indicator_rows": [
            (indicator, [values[indicator.pk][year] for year in years]) for indicator in indicators
        ],
    }


def _year(request, programme: Programme) -> int:
    """The year asked for, else this year when the programme covers it, else its last year."""
    asked = request.GET.get("year", "")
    if asked.isdecimal() and len(asked) == 4 and int(asked) in programme.years:
        return int(asked)
    this_year = timezone.localdate().year
    return this_year if this_year in programme.years else programme.last_year


def _is_latest(programme: Programme) -> bool:
    return not Programme.objects.filter(revision_of=programme).exists()


@login_required
@require_http_methods(["GET", "POST"])
def statuses_edit(request, pk: int, year: int):
    programme = writable_programme(request.user, pk)
    if year not in programme.years:
        raise Http404
    actions = Action.objects.filter(theme__programme=programme).select_related("theme")
    current = {s.action_id: s for s in ActionStatus.objects.filter(action__in=actions, year=year)}
    form = StatusesForm(request.POST or None, actions=actions, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.statuses_set(
                by=request.user, programme=programme, year=year, entries=form.entries()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)s statuses saved.") % {"count": changed})
            return redirect(f"{programme_url(programme)}?year={year}")
    return render(request, "programme/statuses.html", {"programme": programme, "year": year, "form": form})


def programme_url(programme: Programme) -> str:
    return reverse("programme:detail", args=[programme.pk])


@login_required
@require_http_methods(["GET", "POST"])
def approval_edit(request, pk: int, owner_pk: int):
    programme = writable_programme(request.user, pk)
    owner = get_object_or_404(
        ProgrammeOwner.objects.select_related("municipality"), pk=owner_pk, programme=programme
    )
    initial = {
        "approved_by": owner.approved_by,
        "approved_on": owner.approved_on,
        "decision_reference": owner.decision_reference,
    }
    form = ApprovalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.approval_set(by=request.user, owner=owner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Approval saved."))
            return redirect("programme:detail", pk=programme.pk)
    return render(request, "programme/approval.html", {"programme": programme, "owner": owner, "form": form})


@login_required
@require_POST
def programme_revise(request, pk: int):
    programme = writable_programme(request.user, pk)
    try:
        revision = services.programme_revise(by=request.user, programme=programme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programme:detail", pk=programme.pk)
    messages.success(
        request,
        _("Version %(version)s begun; the earlier version is kept as it was.")
        % {"version": revision.version},
    )
    return redirect("programme:detail", pk=revision.pk)
