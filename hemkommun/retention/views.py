"""The data-protection officer's pages: proposals to decide, the record of destruction, holds.

Only officers of an organisation see its proposals (the superuser: the installation-wide ones);
everyone else gets 403, and a proposal of another organisation is not found (404). Pages show
client numbers only, never names: they read no client data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemkommun.access import policy
from hemkommun.clients.models import Client
from hemkommun.core.pagination import CappedPaginator

from . import records, services
from .forms import MAX_BATCH, DecideForm, HoldForm
from .models import DestructionRecord, LegalHold, RecordType, RetentionProposal, holds_in_force_q


def _reviewer(request):
    if not policy.may_review_retention(request.user):
        raise PermissionDenied
    return request.user


def _open_proposals(user):
    return (
        RetentionProposal.objects.filter(
            policy.retention_review_q(user), status=RetentionProposal.Status.PROPOSED
        )
        .select_related("organisation", "rule")
        .order_by("due_since", "pk")
    )


@login_required
def proposal_list(request):
    user = _reviewer(request)
    page = CappedPaginator(_open_proposals(user), MAX_BATCH).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rules": _rules_in_force(user),
        "form": DecideForm(proposal_ids=[p.pk for p in page]),
        "max_batch": MAX_BATCH,
    }
    return render(request, "retention/proposals.html", context)


def _rules_in_force(user) -> list:
    """The rules the officer's proposals come from, with their sources."""
    today = timezone.localdate()
    organisation_ids = sorted(policy.retention_organisation_ids(user)) or [None]
    found = []
    for organisation_id in organisation_ids:
        for record_type in RecordType:
            rule = records.rule_in_force(record_type, organisation_id, today)
            if rule and rule not in found:
                found.append(rule)
    return found


@login_required
@require_POST
def proposal_decide(request):
    user = _reviewer(request)
    ids = _posted_ids(request)
    chosen = {p.pk: p for p in _open_proposals(user).filter(pk__in=ids)}
    visible = set(
        RetentionProposal.objects.filter(policy.retention_review_q(user), pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if set(ids) - visible:
        raise Http404  # another organisation's proposal, or none at all
    form = DecideForm(request.POST, proposal_ids=list(chosen))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("retention:proposals")
    proposals = [chosen[pk] for pk in form.cleaned_data["proposals"]]
    if form.cleaned_data["decision"] == DecideForm.Decision.REJECT:
        _reject(request, proposals, form.cleaned_data["reason"])
    else:
        _approve(request, proposals)
    return redirect("retention:proposals")


def _posted_ids(request) -> list[int]:
    """The proposal ids posted, as numbers; anything else is not a proposal of anyone's."""
    raw = request.POST.getlist("proposals")[: MAX_BATCH + 1]
    if not all(value.isascii() and value.isdigit() and len(value) < 19 for value in raw):
        raise Http404
    return [int(value) for value in raw]


def _reject(request, proposals, reason: str) -> None:
    try:
        for proposal in proposals:
            services.proposal_reject(proposal=proposal, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return
    messages.success(request, _("%(count)s proposals rejected.") % {"count": len(proposals)})


def _approve(request, proposals) -> None:
    """Each proposal on its own: one that cannot be carried out leaves the others done."""
    done = 0
    for proposal in proposals:
        try:
            services.proposal_approve(proposal=proposal, by=request.user)
            done += 1
        except ValidationError as error:
            messages.error(request, error.messages[0])
    if done:
        messages.success(request, _("%(count)s proposals carried out.") % {"count": done})


@login_required
def destruction_list(request):
    user = _reviewer(request)
    found = DestructionRecord.objects.filter(policy.retention_review_q(user)).select_related(
        "organisation", "by"
    )
    page = CappedPaginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "retention/destroyed.html", {"page": page})


# --- legal holds ---------------------------------------------------------------------------------------


def _hold_keeper(request) -> set[int]:
    organisation_ids = policy.hold_organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied
    return organisation_ids


@login_required
def hold_list(request):
    organisation_ids = _hold_keeper(request)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _place_hold(request, form, organisation_ids):
        return redirect("retention:holds")
    holds = (
        LegalHold.objects.filter(holds_in_force_q(timezone.localdate()))
        .filter(client__organisation_id__in=organisation_ids)
        .select_related("placed_by", "client")
    )
    context = {
        "form": form,
        "holds": holds[:200],
        "lifts": policy.retention_organisation_ids(request.user),
    }
    return render(request, "retention/holds.html", context)


def _place_hold(request, form, organisation_ids) -> bool:
    data = form.cleaned_data
    client = Client.objects.filter(pk=data["client_number"], organisation_id__in=organisation_ids).first()
    if client is None:
        form.add_error("client_number", _("Your organisation holds no client with this number."))
        return False
    try:
        services.hold_place(
            client=client,
            by=request.user,
            reason=data["reason"],
            held_from=data["held_from"],
            held_until=data["held_until"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("Hold placed on client no. %(number)s.") % {"number": client.pk})
    return True


@login_required
@require_POST
def hold_lift_view(request, pk: int):
    organisation_ids = _hold_keeper(request)
    hold = get_object_or_404(
        LegalHold.objects.select_related("client"), pk=pk, client__organisation_id__in=organisation_ids
    )
    if not policy.can_lift_hold(request.user, hold):
        raise PermissionDenied
    try:
        services.hold_lift(hold=hold, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("retention:holds")
    messages.success(request, _("Hold on client no. %(number)s lifted.") % {"number": hold.client_id})
    return redirect("retention:holds")
