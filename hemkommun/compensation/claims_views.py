"""Pages of actual costs and cost claims: the cost list with its deadline warnings, a cost's form,
the claim list, a new claim, a claim with its costs and state, and its .xlsx and PDF.

A payee's coordinators and reporting staff reach these pages; others get a 404, as on the
forecast. Reporting staff read; a write by them is forbidden (403), never done. Another payee's
cost or claim is not found. Client names are shown only to those who may see the client (the
others see the record number) and every name shown is entered in the read log; the exports,
which leave the system, carry record numbers, and are logged as exports.
"""

import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.clients import selectors as client_selectors
from hemkommun.core.audit import record_reads
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent
from hemkommun.core.pagination import CappedPaginator
from hemkommun.core.pdf import render_pdf
from hemkommun.core.spreadsheets import spreadsheet_response
from hemkommun.organizations.models import Organisation

from . import claims, limits
from .claims_forms import (
    AddCostForm,
    ClaimFilterForm,
    ClaimForm,
    CostFilterForm,
    CostForm,
    DecideForm,
    PayForm,
    SendForm,
)
from .models import Claim, CostEntry

PAGE_SIZE = 50
WARNINGS_SHOWN = 10


def _readable(user) -> list:
    payees = claims.readable_payees(user)
    if not payees:
        raise Http404
    return payees


def _cost(user, pk: int) -> CostEntry:
    _readable(user)
    cost = claims.cost_get(user=user, pk=pk)
    if cost is None:
        raise Http404
    return cost


def _claim(user, pk: int) -> Claim:
    _readable(user)
    claim = claims.claim_get(user=user, pk=pk)
    if claim is None:
        raise Http404
    return claim


def _require_writer(user, payee_id: int) -> None:
    if not claims.may_write(user, payee_id):
        raise PermissionDenied


def _names(user, costs, context: str) -> set[int]:
    """The ids of the clients shown by name, after logging their reads (one query each)."""
    shown = claims.visible_client_ids(user, costs)
    clients = {cost.client_id: cost.client for cost in costs if cost.client_id in shown}
    client_selectors.log_list_reads(
        user=user, clients=list(clients.values()), action=ReadEvent.Action.LIST, context=context
    )
    return shown


def _rows(costs, *, jurisdiction: str, deadlines: claims.Deadlines, named: set[int], today) -> list[dict]:
    rows = []
    for cost in costs:
        deadline = deadlines.of(jurisdiction, cost.cost_date)
        rows.append(
            {
                "cost": cost,
                "deadline": deadline,
                "deadline_passed": deadline is not None and deadline < today,
                "named": cost.client_id in named,
                "words_shown": claims.words_shown(cost, named),
            }
        )
    return rows


# --- costs ---------------------------------------------------------------------------------------


@dataclass
class CostSelection:
    """The cost list as its filters choose it, for the page and its export alike."""

    form: CostFilterForm
    payee: Organisation
    filters: dict
    deadlines: claims.Deadlines
    today: datetime.date
    costs: QuerySet[CostEntry]


def _cost_selection(request) -> CostSelection:
    """The payee's costs by the list's filters, newest first; 404 for a user who reads no payee's."""
    form = CostFilterForm(request.GET, payees=_readable(request.user))
    filters = form.selection()
    payee = filters["payee"]
    deadlines, today = claims.Deadlines(), timezone.localdate()
    costs = claims.cost_filter(
        claims.costs_of(payee),
        payee=payee,
        category=filters["category"],
        claim_state=filters["claim_state"],
        near_deadline=filters["near_deadline"],
        deadlines=deadlines,
        today=today,
    ).order_by("-cost_date", "-pk")
    return CostSelection(form, payee, filters, deadlines, today, costs)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def cost_list(request):
    chosen = _cost_selection(request)
    form, payee, deadlines, today = chosen.form, chosen.payee, chosen.deadlines, chosen.today
    page = CappedPaginator(chosen.costs, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    warnings = claims.deadline_warnings(payee=payee, deadlines=deadlines, today=today)
    near = list(warnings["near"][: WARNINGS_SHOWN + 1])
    named = _names(request.user, listed + near[:WARNINGS_SHOWN], request.get_full_path())
    row_args = {"jurisdiction": payee.jurisdiction, "deadlines": deadlines, "named": named, "today": today}
    context = {
        "form": form,
        "payee": payee,
        "page": page,
        "rows": _rows(listed, **row_args),
        "near": _rows(near[:WARNINGS_SHOWN], **row_args),
        "more_near": len(near) > WARNINGS_SHOWN,
        "passed": warnings["passed"],
        "warning_days": warnings["days"],
        "query": _query_without_page(request),
        "may_write": claims.may_write(request.user, payee.pk),
    }
    return render(request, "compensation/cost_list.html", context)


def _client_for(request, form: CostForm, payee) -> tuple[bool, object]:
    """The client the form's record number names, or an error on the form."""
    number = form.cleaned_data.get("client")
    if number is None:
        return True, None
    try:
        return True, claims.payee_client(user=request.user, payee=payee, number=number)
    except ValidationError as error:
        add_service_errors(form, error)
        return False, None


@login_required
@require_http_methods(["GET", "POST"])
def cost_create(request):
    _readable(request.user)
    writable = claims.writable_payees(request.user)
    if not writable:
        raise PermissionDenied
    initial = {"client": request.GET.get("client")} if request.GET.get("client", "").isdecimal() else {}
    form = CostForm(request.POST or None, payees=writable, initial=initial)
    if request.method == "POST" and form.is_valid():
        payee = form.cleaned_data["payee"]
        found, client = _client_for(request, form, payee)
        if found:
            try:
                cost = claims.cost_create(by=request.user, payee=payee, data=form.service_data(client))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _saved(request, cost)
                return redirect(f"{_list_url()}?payee={payee.pk}")
    return render(request, "compensation/cost_form.html", {"form": form, "cost": None})


@login_required
@require_http_methods(["GET", "POST"])
def cost_edit(request, pk: int):
    """A cost's page: its coordinators change it while it is in no claim or in a draft; reporting
    staff read it."""
    cost = _cost(request.user, pk)
    may_write = claims.may_write(request.user, cost.payee_id)
    if request.method == "POST" and not may_write:
        raise PermissionDenied
    client_named = bool(cost.client_id and claims.visible_client_ids(request.user, [cost]))
    if client_named:
        client_selectors.log_detail_read(user=request.user, client=cost.client, context=f"cost {cost.pk}")
    words_shown = claims.words_shown(cost, {cost.client_id} if client_named else set())
    if not words_shown:  # someone else's client: the figures only, nothing to change
        may_write = False
    form = CostForm(request.POST or None, cost=cost, hide_words=not words_shown)
    if request.method == "POST" and form.is_valid():
        found, client = True, cost.client
        if form.cleaned_data["client"] != cost.client_id:
            found, client = _client_for(request, form, cost.payee)
        if found:
            try:
                cost = claims.cost_update(by=request.user, cost=cost, data=form.service_data(client))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _saved(request, cost)
                return redirect(f"{_list_url()}?payee={cost.payee_id}")
    context = {
        "form": form,
        "cost": cost,
        "client_named": client_named,
        "may_write": may_write,
        "editable": may_write and (cost.claim_id is None or cost.claim.is_draft),
    }
    return render(request, "compensation/cost_form.html", context)


def _list_url() -> str:
    return reverse("compensation:costs")


def _saved(request, cost: CostEntry) -> None:
    messages.success(request, _("Cost saved."))
    deadline = claims.Deadlines().of(cost.payee.jurisdiction, cost.cost_date)
    if deadline is not None and deadline < timezone.localdate():
        messages.warning(request, claims.past_deadline_message(deadline))


@login_required
@require_POST
def cost_delete(request, pk: int):
    cost = _cost(request.user, pk)
    _require_writer(request.user, cost.payee_id)
    try:
        claims.cost_delete(by=request.user, cost=cost)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("compensation:cost_edit", pk=cost.pk)
    messages.success(request, _("Cost removed."))
    return redirect(f"{_list_url()}?payee={cost.payee_id}")


# --- claims --------------------------------------------------------------------------------------


@dataclass
class ClaimSelection:
    """The claim list as its filters choose it, for the page and its export alike."""

    form: ClaimFilterForm
    payees: list[Organisation]
    status: str
    claims: QuerySet[Claim]


def _claim_selection(request) -> ClaimSelection:
    """The claims by the list's filters, latest period first; 404 for a user who reads no payee's."""
    form = ClaimFilterForm(request.GET, payees=_readable(request.user))
    chosen, status = form.selection()
    return ClaimSelection(form, chosen, status, claims.claims_of(chosen, status))


@login_required
def claim_list(request):
    chosen = _claim_selection(request)
    page = CappedPaginator(chosen.claims, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": chosen.form,
        "page": page,
        "claims": list(page.object_list),
        "query": _query_without_page(request),
        "may_create": bool(claims.writable_payees(request.user)),
    }
    return render(request, "compensation/claim_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request):
    _readable(request.user)
    writable = claims.writable_payees(request.user)
    if not writable:
        raise PermissionDenied
    form = ClaimForm(request.POST or None, payees=writable)
    if request.method == "POST" and form.is_valid():
        try:
            claim, assembly = claims.claim_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft claim created."))
            _report(request, assembly)
            return redirect("compensation:claim_detail", pk=claim.pk)
    return render(request, "compensation/claim_form.html", {"form": form})


def _report(request, assembly: claims.Assembly) -> None:
    messages.info(
        request,
        translation.ngettext(
            "%(count)s cost of the period was put in the claim.",
            "%(count)s costs of the period were put in the claim.",
            assembly.added,
        )
        % {"count": assembly.added},
    )
    if assembly.past_deadline:
        messages.warning(
            request,
            translation.ngettext(
                "%(count)s cost of the period was left out: its claim deadline has passed.",
                "%(count)s costs of the period were left out: their claim deadline has passed.",
                assembly.past_deadline,
            )
            % {"count": assembly.past_deadline},
        )


def _claim_context(request, claim: Claim, bound: dict | None = None) -> dict:
    costs = claims.claim_costs(claim)
    deadlines, today = claims.Deadlines(), timezone.localdate()
    named = _names(request.user, costs, f"claim {claim.pk}")
    rows = _rows(costs, jurisdiction=claim.payee.jurisdiction, deadlines=deadlines, named=named, today=today)
    by_cost = {row["cost"].pk: row for row in rows}
    totals = claims.totals_by_category(costs)
    may_write = claims.may_write(request.user, claim.payee_id)
    forms = {}
    if may_write:
        if claim.is_draft:
            forms = {"add": AddCostForm(costs=claims.payable_costs(claim), prefix="add"), "send": SendForm()}
        elif claim.status == Claim.Status.SENT:
            forms = {"decide": DecideForm()}
        elif claim.status in (Claim.Status.DECIDED, Claim.Status.PARTLY_REJECTED) and claim.accepted_eur:
            forms = {"pay": PayForm(initial={"paid_eur": claim.accepted_eur})}
        forms.update(bound or {})
    return {
        "claim": claim,
        "groups": [(total, [by_cost[cost.pk] for cost in total.costs]) for total in totals],
        "total": sum((total.amount for total in totals), 0),
        "attachments": claims.attachment_list(costs, named),
        "small_special_costs": _small_special_costs(costs, claim.payee.jurisdiction, named),
        "may_write": may_write,
        "forms": forms,
        "history": _history(claim),
    }


def _small_special_costs(costs: list[CostEntry], jurisdiction: str, named: set[int]) -> list[dict]:
    """The clients' special costs of a year too small to be paid, each client named as in the rows."""
    clients = {cost.client_id: cost.client for cost in costs}
    return [
        {
            "client": clients[small.client_id].display_name
            if small.client_id in named
            else _("client no. %(number)s") % {"number": small.client_id},
            "year": small.year,
            "amount": small.amount,
            "threshold": small.threshold,
        }
        for small in limits.small_special_costs(costs, jurisdiction)
    ]


def _history(claim: Claim) -> list[dict]:
    """The claim's changes of state, oldest first, from the write log."""
    entries = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Claim), object_id=claim.pk)
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    labels = dict(Claim.Status.choices)
    history = []
    for entry in entries:
        change = entry.changes_dict.get("status")
        if entry.action == LogEntry.Action.CREATE:
            history.append({"at": entry.timestamp, "by": entry.actor, "status": labels[Claim.Status.DRAFT]})
        elif change:
            history.append(
                {"at": entry.timestamp, "by": entry.actor, "status": labels.get(change[1], change[1])}
            )
    return history


@login_required
def claim_detail(request, pk: int):
    claim = _claim(request.user, pk)
    return render(request, "compensation/claim_detail.html", _claim_context(request, claim))


def _claim_action(request, pk: int, form_class, name: str, act, done: str):
    """A POST that changes a claim: its form, the service, a message; the page again on errors."""
    claim = _claim(request.user, pk)
    _require_writer(request.user, claim.payee_id)
    kwargs = {"costs": claims.payable_costs(claim), "prefix": "add"} if form_class is AddCostForm else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            result = act(claim, form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # the claim's state, say: nothing to mark on the form
                messages.error(request, " ".join(error.messages))
                return redirect("compensation:claim_detail", pk=claim.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            if isinstance(result, claims.Assembly):
                _report(request, result)
            return redirect("compensation:claim_detail", pk=claim.pk)
    context = _claim_context(request, claim, bound={name: form})
    return render(request, "compensation/claim_detail.html", context)


@login_required
@require_POST
def claim_collect(request, pk: int):
    claim = _claim(request.user, pk)
    _require_writer(request.user, claim.payee_id)
    try:
        assembly = claims.claim_collect(by=request.user, claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report(request, assembly)
    return redirect("compensation:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_add_cost(request, pk: int):
    return _claim_action(
        request,
        pk,
        AddCostForm,
        "add",
        lambda claim, data: claims.claim_add_cost(by=request.user, claim=claim, cost=data["cost"]),
        _("Cost added to the claim."),
    )


@login_required
@require_POST
def claim_remove_cost(request, pk: int, cost_pk: int):
    claim = _claim(request.user, pk)
    _require_writer(request.user, claim.payee_id)
    cost = claims.cost_get(user=request.user, pk=cost_pk)
    if cost is None:
        raise Http404
    try:
        claims.claim_remove_cost(by=request.user, claim=claim, cost=cost)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Cost taken out of the claim."))
    return redirect("compensation:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_delete(request, pk: int):
    claim = _claim(request.user, pk)
    _require_writer(request.user, claim.payee_id)
    try:
        claims.claim_delete(by=request.user, claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("compensation:claim_detail", pk=claim.pk)
    messages.success(request, _("The draft claim is removed; its costs are in no claim."))
    return redirect(f"{reverse('compensation:claims')}?payee={claim.payee_id}")


@login_required
@require_POST
def claim_send(request, pk: int):
    return _claim_action(
        request,
        pk,
        SendForm,
        "send",
        lambda claim, data: claims.claim_send(by=request.user, claim=claim, **data),
        _("The claim is marked as sent."),
    )


@login_required
@require_POST
def claim_decide(request, pk: int):
    return _claim_action(
        request,
        pk,
        DecideForm,
        "decide",
        lambda claim, data: claims.claim_decide(by=request.user, claim=claim, **data),
        _("The decision is recorded."),
    )


@login_required
@require_POST
def claim_pay(request, pk: int):
    return _claim_action(
        request,
        pk,
        PayForm,
        "pay",
        lambda claim, data: claims.claim_mark_paid(by=request.user, claim=claim, **data),
        _("The payment is recorded."),
    )


# --- exports -------------------------------------------------------------------------------------

XLSX_HEADERS = [
    "category",
    "cost_date",
    "period_from",
    "period_until",
    "client_id",
    "external_id",
    "description",
    "invoice_reference",
    "decision_reference",
    "decision_date",
    "amount_eur",
    "attachments",
]


def _export(request, pk: int) -> tuple[Claim, list[CostEntry], set[int]]:
    """The claim, its costs, and the clients the user may see (whose reads the export logs)."""
    claim = _claim(request.user, pk)
    costs = claims.claim_costs(claim)
    visible = claims.visible_client_ids(request.user, costs)
    record_reads(
        user=request.user,
        client_ids=sorted(visible),
        action=ReadEvent.Action.EXPORT,
        context=request.get_full_path(),
    )
    return claim, costs, visible


def _filename(claim: Claim) -> str:
    return f"claim-{claim.payee.code}-{claim.period_first:%Y%m%d}-{claim.period_last:%Y%m%d}-{claim.pk}"


@login_required
def claim_xlsx(request, pk: int):
    """The claim as a worksheet: what it is and its totals above, one row per cost below."""
    claim, costs, visible = _export(request, pk)
    totals = claims.totals_by_category(costs)
    notes = [
        _("Hemkommun cost claim %(number)s, exported %(time)s by %(user)s")
        % {
            "number": claim.pk,
            "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "user": request.user.get_username(),
        },
        _("Claimed by %(payee)s, costs of %(first)s to %(last)s; status: %(status)s")
        % {
            "payee": claim.payee.name,
            "first": f"{claim.period_first:%d.%m.%Y}",
            "last": f"{claim.period_last:%d.%m.%Y}",
            "status": claim.get_status_display(),
        },
        *[f"{total.label}: {total.amount} € ({total.count})" for total in totals],
        _("Total: %(amount)s €") % {"amount": sum((total.amount for total in totals), 0)},
        _("Attachments: %(names)s") % {"names": "; ".join(claims.attachment_list(costs, visible)) or "–"},
    ]
    rows = [_xlsx_row(cost, claims.words_shown(cost, visible)) for cost in costs]
    return spreadsheet_response(
        file_format="xlsx",
        filename=_filename(claim),
        sheet=_("Claim"),
        headers=XLSX_HEADERS,
        rows=rows,
        notes=notes,
    )


def _xlsx_row(cost: CostEntry, words_shown: bool) -> list:
    """One cost; for a client the user may not see, the figures without the words about them."""
    return [
        cost.category,
        f"{cost.cost_date:%Y-%m-%d}",
        f"{cost.period_from:%Y-%m-%d}" if cost.period_from else "",
        f"{cost.period_until:%Y-%m-%d}" if cost.period_until else "",
        cost.client_id or "",
        cost.client.external_id if cost.client_id and words_shown else "",
        cost.description if words_shown else "",
        cost.invoice_reference,
        cost.decision_reference,
        f"{cost.decision_date:%Y-%m-%d}" if cost.decision_date else "",
        float(cost.amount_eur),  # a number, so that the sheet adds it up
        "; ".join(cost.attachment_names) if words_shown else "",
    ]


@login_required
def claim_pdf(request, pk: int):
    """The claim as a document to send: costs by kind with totals, and the list of attachments."""
    claim, costs, visible = _export(request, pk)
    totals = claims.totals_by_category(costs)
    context = {
        "claim": claim,
        "totals": totals,
        "total": sum((total.amount for total in totals), 0),
        "attachments": claims.attachment_list(costs, visible),
        "words_shown": {cost.pk for cost in costs if claims.words_shown(cost, visible)},
        "printed_on": timezone.localdate(),
    }
    language = translation.get_language() or "fi"
    content = render_pdf(template_name="pdf/claim.html", context=context, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(claim)}.pdf"'
    return response


# --- the lists as CSV and .xlsx ------------------------------------------------------------------

# A file made while the user waits: beyond this many rows the user narrows the filters.
LIST_EXPORT_ROWS = 20_000
COST_EXPORT_COLUMNS = [
    "cost_id",
    "cost_date",
    "category",
    "category_label",
    "client_id",
    "invoice_reference",
    "amount_eur",
    "claim_deadline",
    "deadline_passed",
    "claim_id",
    "claim_status",
    "claim_status_label",
]
CLAIM_EXPORT_COLUMNS = [
    "claim_id",
    "period_first",
    "period_last",
    "payee_code",
    "payee",
    "status",
    "status_label",
    "cost_count",
    "claimed_eur",
    "accepted_eur",
    "paid_eur",
    "sent_on",
    "decided_on",
    "paid_on",
]


def _too_many(request, message: str, list_name: str):
    """Back to the list with the filters kept, and a message (with %(limit)s) to narrow them."""
    messages.error(request, message % {"limit": LIST_EXPORT_ROWS})
    return redirect(f"{reverse(list_name)}?{_query_without_page(request)}")


def _list_notes(title: str, user, filters: str) -> list[str]:
    """Who exported the list and when (``title`` has %(time)s and %(user)s), and the filters."""
    return [
        title % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": user.get_username()},
        _("Filters: %(filters)s") % {"filters": filters},
    ]


def _choice_label(form, name: str, value) -> str:
    return str(dict(form.fields[name].choices).get(value, value))


@login_required
def cost_list_export(request, file_format: str):
    """The cost list as a file: every row of the filters (not one page), by record number only, as
    the module says of exports; the reads of the clients the user may see are logged as exports."""
    chosen = _cost_selection(request)
    costs = list(chosen.costs[: LIST_EXPORT_ROWS + 1])
    if len(costs) > LIST_EXPORT_ROWS:
        return _too_many(request, _("More than %(limit)s costs: narrow the filters."), "compensation:costs")
    record_reads(
        user=request.user,
        client_ids=sorted(claims.visible_client_ids(request.user, costs)),
        action=ReadEvent.Action.EXPORT,
        context=request.get_full_path(),
    )
    jurisdiction = chosen.payee.jurisdiction
    rows = [
        _cost_export_row(cost, chosen.deadlines.of(jurisdiction, cost.cost_date), chosen.today)
        for cost in costs
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"costs-{chosen.payee.code}-{chosen.today:%Y%m%d}",
        sheet=_("Actual costs"),
        headers=COST_EXPORT_COLUMNS,
        rows=rows,
        notes=_list_notes(
            _("Hemkommun actual costs, exported %(time)s by %(user)s"), request.user, _describe_costs(chosen)
        ),
    )


def _cost_export_row(cost: CostEntry, deadline: datetime.date | None, today: datetime.date) -> list:
    return [
        cost.pk,
        f"{cost.cost_date:%Y-%m-%d}",
        cost.category,
        cost.get_category_display(),
        cost.client_id,  # None: a cost of no one person, an empty cell
        cost.invoice_reference,
        float(cost.amount_eur),  # a number, so that the sheet adds it up
        f"{deadline:%Y-%m-%d}" if deadline else "",
        int(deadline is not None and deadline < today),
        cost.claim_id,
        cost.claim.status if cost.claim_id else "",
        cost.claim.get_status_display() if cost.claim_id else "",
    ]


def _describe_costs(chosen: CostSelection) -> str:
    form, filters = chosen.form, chosen.filters
    parts = [
        _("claimed by %(payee)s") % {"payee": chosen.payee.name},
        _("kind of cost: %(kind)s") % {"kind": _choice_label(form, "category", filters["category"])},
        _("claim: %(state)s") % {"state": _choice_label(form, "claim_state", filters["claim_state"])},
    ]
    if filters["near_deadline"]:
        parts.append(_("claim deadline near"))
    return ", ".join(parts)


@login_required
def claim_list_export(request, file_format: str):
    """The claim list as a file: figures of claims, no client in them, so no read is logged."""
    chosen = _claim_selection(request)
    rows = list(chosen.claims[: LIST_EXPORT_ROWS + 1])
    if len(rows) > LIST_EXPORT_ROWS:
        return _too_many(request, _("More than %(limit)s claims: narrow the filters."), "compensation:claims")
    filters = ", ".join(
        [
            _("claimed by %(payee)s") % {"payee": ", ".join(payee.name for payee in chosen.payees)},
            _("status: %(status)s") % {"status": _choice_label(chosen.form, "status", chosen.status)},
        ]
    )
    return spreadsheet_response(
        file_format=file_format,
        filename=f"claims-{timezone.localdate():%Y%m%d}",
        sheet=_("Cost claims"),
        headers=CLAIM_EXPORT_COLUMNS,
        rows=[_claim_export_row(claim) for claim in rows],
        notes=_list_notes(_("Hemkommun cost claims, exported %(time)s by %(user)s"), request.user, filters),
    )


def _money(value) -> float | None:
    return None if value is None else float(value)


def _day(value: datetime.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _claim_export_row(claim: Claim) -> list:
    # As on the page: a draft's sum is that of its costs so far; a sent claim keeps its own.
    claimed = (claim.costs_eur or 0) if claim.is_draft else claim.claimed_eur
    return [
        claim.pk,
        _day(claim.period_first),
        _day(claim.period_last),
        claim.payee.code,
        claim.payee.name,
        claim.status,
        claim.get_status_display(),
        claim.cost_count,
        _money(claimed),
        _money(claim.accepted_eur),
        _money(claim.paid_eur),
        _day(claim.sent_on),
        _day(claim.decided_on),
        _day(claim.paid_on),
    ]
