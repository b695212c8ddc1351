"""The client list as CSV or .xlsx: the same search, the same access rules, every row logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hemkommun.core.models import ReadEvent
from hemkommun.core.spreadsheets import spreadsheet_response
from hemkommun.exports.jobs import PROGRESS_STEP, ExportRefused, Table
from hemkommun.exports.views import confirm_background_export

from . import selectors
from .forms import ClientSearchForm

# Up to this many clients the file is made while the user waits; more are a background job.
DIRECT_EXPORT_ROWS = 1_000
# The most one export holds: a region's whole register fits.
MAX_EXPORT_ROWS = 200_000


@login_required
def client_export(request, file_format: str):
    form = ClientSearchForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Correct the search before exporting."))
        return redirect("clients:list")
    results = selectors.client_search(user=request.user, search=_search(form))
    count = results.count()
    if count > MAX_EXPORT_ROWS:
        messages.error(request, _too_many_message())
        return redirect("clients:list")
    if count > DIRECT_EXPORT_ROWS:
        return confirm_background_export(
            request,
            kind="clients",
            file_format=file_format,
            size=ngettext("%(count)s client matches.", "%(count)s clients match.", count) % {"count": count},
            back_url=f"{reverse('clients:list')}?{request.GET.urlencode()}",
        )
    # The search reads each client with its organisation and municipality of residence.
    clients = list(results)
    selectors.log_list_reads(
        user=request.user, clients=clients, action=ReadEvent.Action.EXPORT, context=request.get_full_path()
    )
    return spreadsheet_response(
        file_format=file_format,
        filename=_filename(),
        sheet=_("Clients"),
        headers=_headers(),
        rows=[_row(client) for client in clients],
        notes=_notes(form, request.user),
    )


def build_client_export(*, job, progress) -> Table:
    """The background job's client list: the same search, run as the job's user when it runs."""
    filters = QueryDict(mutable=True)
    for name, values in job.params.items():
        filters.setlist(name, values)
    form = ClientSearchForm(filters)
    if not form.is_valid():
        raise ExportRefused(_("The search is no longer valid. Search again and export."))
    results = selectors.client_search(user=job.user, search=_search(form))
    total = results.count()
    if total > MAX_EXPORT_ROWS:
        raise ExportRefused(_too_many_message())
    progress.total(total)
    return Table(
        filename=_filename(),
        sheet=_("Clients"),
        headers=_headers(),
        rows=_rows_in_batches(results, total, job=job, progress=progress),
        notes=_notes(form, job.user),
    )


def _rows_in_batches(results, total: int, *, job, progress):
    """The rows, read and logged a batch at a time while the file is written."""
    for start in range(0, total, PROGRESS_STEP):
        batch = list(results[start : start + PROGRESS_STEP])
        selectors.log_list_reads(
            user=job.user, clients=batch, action=ReadEvent.Action.EXPORT, context=f"export {job.pk}"
        )
        yield from (_row(client) for client in batch)
        progress.advance(len(batch))


def _search(form) -> selectors.ClientSearch:
    return selectors.ClientSearch(
        text=form.cleaned_data["q"],
        date_of_birth=form.cleaned_data["dob"],
        identity_code=form.cleaned_data["hetu"],
    )


def _too_many_message() -> str:
    return _("More than %(limit)s clients match: narrow the search.") % {"limit": MAX_EXPORT_ROWS}


def _filename() -> str:
    return f"clients-{timezone.localdate():%Y%m%d}"


def _notes(form, user) -> list[str]:
    return [
        _("Hemkommun client list, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": user.get_username()},
        _("Filters: name “%(q)s”, date of birth “%(dob)s”, identity code “%(hetu)s”")
        % {key: form.cleaned_data[key] for key in ("q", "dob", "hetu")},
    ]


def _headers() -> list[str]:
    return [
        _("Record number"),
        _("Family name"),
        _("Given names"),
        _("Family name in Latin letters"),
        _("Given names in Latin letters"),
        _("Date of birth"),
        _("Sex"),
        _("Organisation"),
        _("Residence ground"),
        _("Municipality of residence"),
        _("Native language"),
    ]


def _row(client) -> list:
    return [
        client.pk,
        client.family_name,
        client.given_names,
        client.family_name_latin,
        client.given_names_latin,
        client.date_of_birth_display,
        client.sex,
        client.organisation.name,
        client.residence_ground,
        client.municipality_of_residence.name if client.municipality_of_residence else "",
        client.native_language,
    ]
