"""The client list as CSV or .xlsx: the same search, the same access rules, every row logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.core.models import ReadEvent
from hemkommun.core.spreadsheets import spreadsheet_response

from . import selectors
from .forms import ClientSearchForm

# Larger exports become background jobs with the statistics and exports issue.
MAX_EXPORT_ROWS = 10_000


@login_required
def client_export(request, file_format: str):
    form = ClientSearchForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Correct the search before exporting."))
        return redirect("clients:list")
    search = selectors.ClientSearch(
        text=form.cleaned_data["q"],
        date_of_birth=form.cleaned_data["dob"],
        identity_code=form.cleaned_data["hetu"],
    )
    # The search reads each client with its organisation and municipality of residence.
    clients = list(selectors.client_search(user=request.user, search=search)[: MAX_EXPORT_ROWS + 1])
    if len(clients) > MAX_EXPORT_ROWS:
        messages.error(
            request, _("More than %(limit)s clients match: narrow the search.") % {"limit": MAX_EXPORT_ROWS}
        )
        return redirect("clients:list")
    selectors.log_list_reads(
        user=request.user, clients=clients, action=ReadEvent.Action.EXPORT, context=request.get_full_path()
    )
    notes = [
        _("Hemkommun client list, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: name “%(q)s”, date of birth “%(dob)s”, identity code “%(hetu)s”")
        % {key: form.cleaned_data[key] for key in ("q", "dob", "hetu")},
    ]
    headers, rows = _table(clients)
    return spreadsheet_response(
        file_format=file_format,
        filename=f"clients-{timezone.localdate():%Y%m%d}",
        sheet=_("Clients"),
        headers=headers,
        rows=rows,
        notes=notes,
    )


def _table(clients) -> tuple[list[str], list[list]]:
    headers = [
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
    rows = [
        [
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
        for client in clients
    ]
    return headers, rows
