"""Household links on the client profile: join another client's household, or leave it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemkommun.access import policy
from hemkommun.core.forms import add_service_errors

from . import selectors, services
from .forms import HouseholdJoinForm
from .page import refused


@login_required
@require_POST
def household_join(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    if not policy.can_edit_client(request.user, client):  # the page offers the form to editors only
        raise PermissionDenied
    form = HouseholdJoinForm(request.POST)
    if not form.is_valid():
        return refused(request, client, household_form=form)
    try:
        other = selectors.client_get(user=request.user, pk=form.cleaned_data["other"])
    except Http404:  # a client the user may not see means "not a client you may see": say so, reveal nothing
        form.add_error(
            "other",
            ValidationError(
                _("No client with that record number is visible to you."), code="household_unseen"
            ),
        )
        return refused(request, client, household_form=form)
    try:
        services.household_join(
            by=request.user, client=client, other=other, relation=form.cleaned_data["relation"]
        )
    except ValidationError as error:
        add_service_errors(form, error, codes=HouseholdJoinForm.SERVICE_ERROR_FIELDS)
        return refused(request, client, household_form=form)
    messages.success(request, _("Household updated."))
    return redirect("clients:detail", pk=client.pk)


@login_required
@require_POST
def household_leave(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    try:
        services.household_leave(by=request.user, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Household updated."))
    return redirect("clients:detail", pk=client.pk)
