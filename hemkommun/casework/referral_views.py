"""Pages of referrals between organisations, and of family-reunification needs and aftercare.

Opening a referral is a read of client data (its name and reason): it is logged like a record.
The receiver sees the referral before accepting it, not the record; accepting opens a share.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.access import policy
from hemkommun.clients import selectors as client_selectors
from hemkommun.core.audit import record_reads
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent
from hemkommun.core.spreadsheets import spreadsheet_response

from . import referral_selectors as selectors
from .models import Referral
from .referral_forms import (
    AftercareForm,
    FamilyReunificationForm,
    NoteForm,
    OutcomeForm,
    ReferralForm,
    RejectForm,
)
from .services import followups as followup_services
from .services import referrals

Status = Referral.Status


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request, pk: int):
    """Send a referral of a client of the user's organisation."""
    client = client_selectors.client_get(user=request.user, pk=pk)
    kinds = policy.referral_kinds_for(request.user, client, Referral.Kind.values)
    if not kinds:
        raise PermissionDenied
    client_selectors.log_detail_read(user=request.user, client=client, context="referral")
    form = ReferralForm(request.POST or None, client=client, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.referral_send(by=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("casework:referral_detail", pk=referral.pk)
    return render(request, "casework/referral_form.html", {"form": form, "client": client})


def _inbox(user) -> selectors.Inbox:
    """The user's inbox, for the page and its export alike: only for those with client-data roles."""
    if not (user.is_superuser or policy.organisation_ids_with(user, policy.CLIENT_DATA_ROLES)):
        raise PermissionDenied
    return selectors.referral_inbox(user=user)


@login_required
def referral_inbox(request):
    """Incoming referrals by status and due date (overdue marked), and those sent."""
    inbox = _inbox(request.user)
    record_reads(
        user=request.user,
        client_ids=sorted(inbox.client_ids()),
        action=ReadEvent.Action.LIST,
        context="referral inbox",
    )
    context = {"inbox": inbox, "query": request.GET.urlencode()}
    return render(request, "casework/referral_inbox.html", context)


# The inbox as CSV or .xlsx: the sections of the page, one row per referral.

# Bounded already by the inbox (every open referral, the latest closed and sent), but a file
# made while the user waits must stay small.
INBOX_EXPORT_ROWS = 20_000
INBOX_EXPORT_COLUMNS = [
    "section",
    "section_label",
    "referral_id",
    "client_id",
    "client_name",
    "kind",
    "kind_label",
    "from_organisation",
    "to_organisation",
    "sent_on",
    "due_on",
    "overdue",
    "status",
    "status_label",
]


def _sections(inbox: selectors.Inbox) -> list[tuple[str, str, list[Referral]]]:
    """The sections of the page, in its order, with its headings."""
    return [
        ("awaiting", _("Incoming: awaiting an answer"), inbox.awaiting),
        ("accepted", _("Incoming: accepted, outcome to report"), inbox.accepted),
        ("closed", _("Incoming: closed"), inbox.closed),
        ("sent", _("Sent by your organisation"), inbox.sent),
    ]


@login_required
def referral_inbox_export(request, file_format: str):
    """The inbox as a file. Clients are named only where the user may open their record (the
    receiver of an unanswered referral gets the record number); every client in it is logged."""
    inbox = _inbox(request.user)
    sections = _sections(inbox)
    if sum(len(rows) for _code, _label, rows in sections) > INBOX_EXPORT_ROWS:
        messages.error(
            request,
            _("More than %(limit)s referrals: too many to export at once.") % {"limit": INBOX_EXPORT_ROWS},
        )
        return redirect(f"{reverse('casework:referral_inbox')}?{request.GET.urlencode()}")
    client_ids = sorted(inbox.client_ids())
    named = set(policy.visible_clients(request.user).filter(pk__in=client_ids).values_list("pk", flat=True))
    record_reads(
        user=request.user,
        client_ids=client_ids,
        action=ReadEvent.Action.EXPORT,
        context=request.get_full_path(),
    )
    rows = [
        _inbox_row(code, label, referral, named)
        for code, label, referrals in sections
        for referral in referrals
    ]
    notes = [
        _("Hemkommun referral inbox, exported %(time)s by %(user)s")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "user": request.user.get_username()},
        _("Filters: %(filters)s")
        % {
            "filters": _("none: every open incoming referral, the latest %(limit)s closed and sent")
            % {"limit": selectors.INBOX_LIMIT}
        },
        _("A client whose record you may not open is given by record number only."),
    ]
    return spreadsheet_response(
        file_format=file_format,
        filename=f"referrals-{timezone.localdate():%Y%m%d}",
        sheet=_("Referrals"),
        headers=INBOX_EXPORT_COLUMNS,
        rows=rows,
        notes=notes,
    )


def _inbox_row(section: str, label: str, referral: Referral, named: set[int]) -> list:
    return [
        section,
        label,
        referral.pk,
        referral.client_id,
        referral.client.display_name if referral.client_id in named else "",
        referral.kind,
        referral.get_kind_display(),
        referral.from_organisation.name,
        referral.to_organisation.name,
        referral.sent_on.isoformat(),
        referral.due_on.isoformat(),
        int(referral.overdue),
        referral.status,
        referral.get_status_display(),
    ]


@dataclass
class Step:
    """One step of a referral's life: the form it takes and the service that does it."""

    form_class: type
    allowed: tuple
    receiver: bool  # answered by the receiver (else taken by the sender)
    done: object  # a lazily translated message


STEPS = {
    "acknowledge": Step(NoteForm, referrals.ACKNOWLEDGEABLE, True, gettext_lazy("Referral acknowledged.")),
    "accept": Step(
        NoteForm,
        referrals.OPEN,
        True,
        gettext_lazy("Referral accepted: the client's record is shared with you."),
    ),
    "reject": Step(RejectForm, referrals.OPEN, True, gettext_lazy("Referral rejected.")),
    "outcome": Step(
        OutcomeForm, referrals.REPORTABLE, True, gettext_lazy("Outcome reported: the share has ended.")
    ),
    "withdraw": Step(NoteForm, referrals.WITHDRAWABLE, False, gettext_lazy("Referral withdrawn.")),
}


def _permitted(user, referral: Referral, step: Step) -> bool:
    """The receiver answers; the sender withdraws."""
    if step.receiver:
        return policy.can_handle_referral(user, referral)
    return policy.can_withdraw_referral(user, referral)


def _may_take(user, referral: Referral, step: Step) -> bool:
    return _permitted(user, referral, step) and referral.status in step.allowed


def _run(user, referral: Referral, name: str, data: dict) -> Referral:
    if name == "acknowledge":
        return referrals.referral_acknowledge(by=user, referral=referral, note=data["note"])
    if name == "accept":
        return referrals.referral_accept(by=user, referral=referral, note=data["note"])
    if name == "reject":
        return referrals.referral_reject(by=user, referral=referral, reason=data["reason"])
    if name == "outcome":
        return referrals.referral_report_outcome(by=user, referral=referral, outcome=data["outcome"])
    return referrals.referral_withdraw(by=user, referral=referral, note=data["note"])


@login_required
def referral_detail(request, pk: int, bound: tuple[str, object] | None = None, status: int = 200):
    referral = selectors.referral_get(user=request.user, pk=pk)
    basis = client_selectors.log_detail_read(
        user=request.user, client=referral.client, context=f"referral {referral.pk}"
    )
    forms = {
        name: step.form_class(prefix=name)
        for name, step in STEPS.items()
        if _may_take(request.user, referral, step)
    }
    if bound:
        forms[bound[0]] = bound[1]
    context = {
        "referral": referral,
        "events": referral.events.select_related("by", "organisation"),
        "forms": forms,
        "may_open_client": basis is not None,
        "overdue": selectors.mark_overdue([referral])[0].overdue,
    }
    return render(request, "casework/referral_detail.html", context, status=status)


@login_required
@require_POST
def referral_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    referral = selectors.referral_get(user=request.user, pk=pk)
    definition = STEPS[step]
    if not _permitted(request.user, referral, definition):
        raise PermissionDenied
    form = definition.form_class(request.POST, prefix=step)
    if form.is_valid():
        try:
            _run(request.user, referral, step, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, definition.done)
            return redirect("casework:referral_detail", pk=referral.pk)
    return referral_detail(request, pk, bound=(step, form))


@login_required
@require_http_methods(["GET", "POST"])
def followups(request, pk: int, kind: str = ""):
    """Family-reunification needs and aftercare of a client: the lists, and forms to add to them."""
    client = client_selectors.client_get(user=request.user, pk=pk)
    if request.method == "POST" and kind not in ("family", "aftercare"):
        raise Http404
    may_record = policy.can_do_casework(request.user, client)
    if request.method == "POST" and not may_record:
        raise PermissionDenied
    client_selectors.log_detail_read(user=request.user, client=client, context="followups")
    family_form = FamilyReunificationForm(request.POST if kind == "family" else None, prefix="family")
    aftercare_form = AftercareForm(request.POST if kind == "aftercare" else None, prefix="aftercare")
    if request.method == "POST":
        form = family_form if kind == "family" else aftercare_form
        if form.is_valid():
            try:
                if kind == "family":
                    followup_services.family_reunification_need_create(
                        by=request.user, client=client, **form.cleaned_data
                    )
                else:
                    followup_services.aftercare_create(by=request.user, client=client, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("casework:followups", pk=client.pk)
    needs, aftercare = selectors.client_followups(client=client)
    context = {
        "client": client,
        "needs": needs,
        "aftercare": aftercare,
        "may_record": may_record,
        "family_form": family_form,
        "aftercare_form": aftercare_form,
    }
    return render(request, "casework/followups.html", context)
