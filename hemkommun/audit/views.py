"""The audit log for data-protection officers: read and write entries together, newest first,
about their organisations' clients or by their staff; its files; and the chain's verification.
Every other role gets 403 (access.policy.audit_organisations)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.core.pagination import CappedPaginator
from hemkommun.core.spreadsheets import spreadsheet_response

from . import selectors
from .forms import AuditFilterForm
from .verify import verify_chain

PAGE_SIZE = 50
# Made while the officer waits, in memory, like the other lists' files (docs/exports.md).
MAX_EXPORT_ROWS = 20_000
FILE_FORMATS = ("csv", "xlsx")


def _officer_organisation_ids(request) -> set[int]:
    """The organisations whose log the user reads; 403 for anyone who reads none."""
    organisation_ids = selectors.organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied
    return organisation_ids


def _form(request) -> AuditFilterForm:
    return AuditFilterForm(request.GET, organisation_ids=_officer_organisation_ids(request))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _log_reading(request, rows, action: str) -> None:
    """The officer's reading of the log is itself a read of each client whose entries were shown
    (clients since erased have no record left to log against)."""
    shown = {row.client_number for row in rows if row.client_number and row.client_name}
    record_reads(
        user=request.user,
        client_ids=sorted(shown),
        action=action,
        context=selectors.mask_identity_codes(request.get_full_path()),
    )


@login_required
def audit_log(request):
    form = _form(request)
    context = {"form": form, "query": _query_without_page(request)}
    if form.is_valid():
        seals = selectors.audit_seals(user=request.user, selection=form.selection())
        page = CappedPaginator(seals, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = selectors.rows_for(list(page.object_list), organisation_ids=form.organisation_ids)
        _log_reading(request, rows, ReadEvent.Action.LIST)
        context.update(page=page, rows=rows)
    return render(request, "audit/log.html", context)


EXPORT_HEADERS = [
    "time",
    "kind",
    "action",
    "staff_member",
    "client_number",
    "client_name",
    "subject",
    "details",
]


@login_required
def audit_log_export(request, file_format: str):
    if file_format not in FILE_FORMATS:
        raise Http404
    form = _form(request)
    if not form.is_valid():  # the page shows what is wrong
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    seals = list(selectors.audit_seals(user=request.user, selection=form.selection())[: MAX_EXPORT_ROWS + 1])
    if len(seals) > MAX_EXPORT_ROWS:
        messages.error(
            request, _("More than %(limit)s entries: narrow the filters.") % {"limit": MAX_EXPORT_ROWS}
        )
        return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
    rows = selectors.rows_for(seals, organisation_ids=form.organisation_ids)
    _log_reading(request, rows, ReadEvent.Action.EXPORT)
    now = timezone.localtime()
    notes = [
        _("Hemkommun audit log, exported %(time)s by %(user)s")
        % {"time": now.strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s") % {"filters": form.describe()},
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"audit-log-{now:%Y%m%d}",
        sheet=_("Audit log"),
        headers=EXPORT_HEADERS,
        rows=[_export_row(row) for row in rows],
        notes=notes,
    )


def _export_row(row: selectors.Row) -> list:
    return [
        timezone.localtime(row.seal.at).strftime("%Y-%m-%d %H:%M:%S"),
        row.kind,
        row.action,
        row.staff,
        row.client_number,
        row.client_name,
        row.subject,
        row.details,
    ]


@login_required
def verify_page(request):
    _officer_organisation_ids(request)
    return render(request, "audit/verify.html", {"report": verify_chain()})
