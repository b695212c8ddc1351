"""The statistics page and its files, for the coordinators and reporting staff of the
organisations whose figures they are (access.policy.statistics_organisations)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.core.spreadsheets import CONTENT_TYPES, Sheet, csv_bytes, workbook_bytes

from .forms import StatisticsForm
from .statistics import Scope, Statistics, statistics

FILE_FORMATS = ("csv", "xlsx")


def _form(request) -> StatisticsForm:
    organisations = policy.statistics_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    return StatisticsForm(request.GET, organisations=organisations, today=timezone.localdate())


def compute(user, form: StatisticsForm) -> Statistics:
    """The statistics the valid form asks for, as the user may see them."""
    filters = form.filters()
    allowed = {o.pk for o in policy.statistics_organisations(user)}
    chosen = {o.pk for o in filters.organisations} & allowed
    ids = frozenset(chosen or allowed)
    scope = Scope(ids, exact=policy.statistics_exact(user, ids, for_sharing=filters.for_sharing))
    return statistics(scope=scope, filters=filters)


@login_required
def statistics_page(request):
    form = _form(request)
    context = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        result = compute(request.user, form)
        context["stats"] = result
        context["chart_data"] = _chart_data(result)
    return render(request, "reports/statistics.html", context)


def _chart_data(result: Statistics) -> list[dict]:
    """What the charts draw: the shown numbers only (a hidden one is a gap)."""
    charts = []
    for table in result.tables:
        if table.chart and table.rows:
            columns = [table.chart_column] if table.chart_column is not None else range(len(table.headers))
            datasets = [
                {"label": table.headers[j], "values": [row.cells[j].value for row in table.rows]}
                for j in columns
            ]
            charts.append(
                {
                    "id": f"chart-{table.key}",
                    "labels": [row.label for row in table.rows],
                    "datasets": datasets,
                }
            )
    return charts


@login_required
def statistics_export(request, file_format: str):
    if file_format not in FILE_FORMATS:
        raise Http404
    form = _form(request)
    if not form.is_valid():  # the page shows what is wrong
        return redirect(f"{reverse('reports:statistics')}?{request.GET.urlencode()}")
    result = compute(request.user, form)
    notes = [
        _("Statistics, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        *result.notes,
    ]
    if file_format == "csv":
        content = csv_bytes(
            headers=[_("Table"), _("Row"), _("Column"), _("Value")], rows=_long_rows(result), notes=notes
        )
    else:
        content = workbook_bytes([_sheet(n, table, notes) for n, table in enumerate(result.tables, 1)])
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    stamp = f"{result.date_from:%Y%m%d}-{result.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="statistics-{stamp}.{file_format}"'
    return response


def _long_rows(result: Statistics):
    for table in result.tables:
        for row in [*table.rows, *([table.total] if table.total else [])]:
            for header, cell in zip(table.headers, row.cells, strict=True):
                yield [table.caption, row.label, header, cell.value if cell.value is not None else cell.shown]


def _sheet(number: int, table, notes: list[str]) -> Sheet:
    rows = [
        [row.label, *[cell.value if cell.value is not None else cell.shown for cell in row.cells]]
        for row in [*table.rows, *([table.total] if table.total else [])]
    ]
    return Sheet(
        name=_sheet_name(f"{number} {table.caption}"),
        headers=[table.row_header, *table.headers],
        rows=rows,
        notes=[table.caption, *notes],
    )


def _sheet_name(caption: str) -> str:
    """Excel's limits: at most 31 characters, none of []:*?/\\."""
    for character in "[]:*?/\\":
        caption = caption.replace(character, " ")
    return caption[:31].strip()
