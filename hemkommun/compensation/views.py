"""The compensation pages: the rules (every member of staff), and a payee's forecast and budget
(its coordinators and reporting staff)."""

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent
from hemkommun.core.spreadsheets import spreadsheet_response
from hemkommun.exports.jobs import PROGRESS_STEP, ExportRefused, Table
from hemkommun.exports.views import confirm_background_export

from .budget import budget, budget_window
from .forecast import clients_of, forecast, months, routes_for
from .forms import ForecastForm, SpecificationForm
from .models import Parameter, PayeeRoute
from .reconciliation import SpecificationError, hide_invisible_clients, parse_specification, reconcile
from .totals import forecast_totals_for_windows

RECENT_CHANGES = 50
# Up to this many client-months the file is made while the user waits; more are a background job.
DIRECT_EXPORT_ROWS = 50_000
EXPORT_COLUMNS = ["external_id", "client_id", "month", "age_band", "group", "amount_eur", "rule"]


@login_required
def parameters(request):
    by_jurisdiction: dict[str, list[Parameter]] = {}
    for parameter in Parameter.objects.all():
        by_jurisdiction.setdefault(parameter.get_jurisdiction_display(), []).append(parameter)
    content_types = ContentType.objects.get_for_models(Parameter, PayeeRoute).values()
    changes = (
        LogEntry.objects.filter(content_type__in=content_types)
        .select_related("actor")
        .order_by("-timestamp")[:RECENT_CHANGES]
    )
    context = {
        "by_jurisdiction": by_jurisdiction,
        "routes": PayeeRoute.objects.select_related("municipality", "payee"),
        "changes": changes,
    }
    return render(request, "compensation/parameters.html", context)


def _form(request) -> ForecastForm:
    payees = policy.compensation_payees(request.user)
    if not payees:
        raise Http404
    return ForecastForm(request.GET or None, payees=payees, today=timezone.localdate())


@login_required
def forecast_page(request):
    """Totals per month and year for a payee, and its budget for this year and the next two."""
    form = _form(request)
    context = {"form": form, "query": request.GET.urlencode()}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        today = timezone.localdate()
        context["totals"], budget_totals = forecast_totals_for_windows(
            payee=data["payee"], windows=[(data["first"], data["last"]), budget_window(today)]
        )
        plan = budget(payee=data["payee"], today=today, from_clients=budget_totals.by_year)
        context["budget_rows"] = [
            (year, plan.clients[year], plan.unused_places[year], plan.places[year], plan.total(year))
            for year in plan.years
        ]
    return render(request, "compensation/forecast.html", context)


@login_required
def forecast_export(request, file_format: str):
    """The forecast's rows, one per client and month: client numbers and amounts, logged. A
    large payee's file is prepared in the background (``build_forecast_export``)."""
    form = _form(request)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    clients = _payee_clients(data["payee"]).count()
    month_count = len(list(months(data["first"], data["last"])))
    if clients * month_count > DIRECT_EXPORT_ROWS:
        return confirm_background_export(
            request,
            kind="forecast",
            file_format=file_format,
            size=_("%(clients)s clients over %(months)s months.")
            % {"clients": clients, "months": month_count},
            back_url=f"{reverse('compensation:forecast')}?{request.GET.urlencode()}",
        )
    table = _forecast_table(user=request.user, data=data, context=request.get_full_path())
    return spreadsheet_response(
        file_format=file_format,
        filename=table.filename,
        sheet=table.sheet,
        headers=table.headers,
        rows=list(table.rows),
        notes=table.notes,
    )


def build_forecast_export(*, job, progress) -> Table:
    """The background job's forecast file, for the payee as the job's user may see it now."""
    payees = policy.compensation_payees(job.user)
    filters = QueryDict(mutable=True)
    for name, values in job.params.items():
        filters.setlist(name, values)
    form = ForecastForm(filters, payees=payees, today=timezone.localdate())
    if not payees or not form.is_valid():
        raise ExportRefused(
            _("The forecast's choices are no longer valid. Open the forecast again and export.")
        )
    progress.total(_payee_clients(form.cleaned_data["payee"]).count())
    return _forecast_table(
        user=job.user, data=form.cleaned_data, context=f"export {job.pk}", progress=progress
    )


def _payee_clients(payee):
    """The clients whose months the forecast goes through (``forecast.people``)."""
    payee_municipalities = routes_for(payee)[0].municipalities_paying(payee.pk)
    return clients_of(payee_municipalities).filter(home_municipality_date__isnull=False)


def _forecast_table(*, user, data, context: str, progress=None) -> Table:
    notes = [
        _("Hemkommun compensation forecast, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": user.get_username()},
        _("Paid to %(payee)s, %(first)s to %(last)s")
        % {"payee": data["payee"].name, "first": f"{data['first']:%Y-%m}", "last": f"{data['last']:%Y-%m}"},
    ]
    return Table(
        filename=f"compensation-{data['payee'].code}-{data['first']:%Y%m}-{data['last']:%Y%m}",
        sheet=_("Forecast"),
        headers=EXPORT_COLUMNS,
        rows=_forecast_rows(user=user, data=data, context=context, progress=progress),
        notes=notes,
    )


def _forecast_rows(*, user, data, context: str, progress):
    """The rows as the forecast yields them (a client's months together), the visible clients
    logged and the progress told a batch of clients at a time."""
    visible = visible_client_ids(user, data["payee"])
    batch: set[int] = set()

    def log_batch():
        record_reads(
            user=user, client_ids=sorted(batch & visible), action=ReadEvent.Action.EXPORT, context=context
        )
        if progress is not None:
            progress.advance(len(batch))
        batch.clear()

    for row in forecast(payee=data["payee"], first=data["first"], last=data["last"]):
        if row.client_id not in batch and len(batch) >= PROGRESS_STEP:
            log_batch()
        batch.add(row.client_id)
        yield _export_row(row, row.client_id in visible)
    log_batch()


def _export_row(row, visible: bool) -> list:
    """A client the user may not see (held by another organisation) counts, without its ids and
    without the rule, which tells of its case."""
    ids = [row.external_id, row.client_id] if visible else ["", ""]
    return [*ids, f"{row.month:%Y-%m}", row.age_band, row.group, row.amount_eur, row.rule if visible else ""]


@login_required
def reconciliation_page(request):
    """Upload the state's payment specification and see what is missing, extra or different."""
    payees = policy.compensation_payees(request.user)
    if not payees:
        raise Http404
    form = SpecificationForm(request.POST or None, request.FILES or None, payees=payees)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            payments = parse_specification(form.cleaned_data["specification"].read())
            result = reconcile(payee=form.cleaned_data["payee"], payments=payments)
        except SpecificationError as error:
            for message in error.messages:
                form.add_error("specification", message)
        else:
            result = hide_invisible_clients(
                result, visible_client_ids(request.user, form.cleaned_data["payee"])
            )
            shown = sorted({d.client_id for d in result.differences if d.client_id})
            record_reads(
                user=request.user, client_ids=shown, action=ReadEvent.Action.LIST, context="reconciliation"
            )
    return render(request, "compensation/reconciliation.html", {"form": form, "result": result})


def visible_client_ids(user, payee) -> set[int]:
    """The payee's clients the user may see; the others count in the figures but are not named."""
    payee_clients = clients_of(routes_for(payee)[0].municipalities_paying(payee.pk))
    return set(
        policy.visible_clients(user).filter(pk__in=payee_clients.values("pk")).values_list("pk", flat=True)
    )
