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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.access import policy
from hemkommun.clients import selectors as client_selectors
from hemkommun.core.audit import record_reads
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent

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


@login_required
def referral_inbox(request):
    """Incoming referrals by status and due date (overdue marked), and those sent."""
    user = request.user
    if not (user.is_superuser or policy.organisation_ids_with(user, policy.CLIENT_DATA_ROLES)):
        raise PermissionDenied
    inbox = selectors.referral_inbox(user=user)
    record_reads(
        user=user,
        client_ids=sorted(inbox.client_ids()),
        action=ReadEvent.Action.LIST,
        context="referral inbox",
    )
    return render(request, "casework/referral_inbox.html", {"inbox": inbox})


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
