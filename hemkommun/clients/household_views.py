"""Household links on the client profile: join another client's household, or leave it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hemkommun.core.forms import style_fields

from . import selectors, services
from .codes import Relation


class HouseholdJoinForm(forms.Form):
    other = forms.IntegerField(
        label=gettext_lazy("Record number of a household member"),
        min_value=1,
        help_text=gettext_lazy("Shown as “Record number” on the other client's page."),
    )
    relation = forms.ChoiceField(label=gettext_lazy("This client's relation"), choices=Relation.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


@login_required
@require_POST
def household_join(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    form = HouseholdJoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the record number of a household member and the relation."))
        return redirect("clients:detail", pk=client.pk)
    try:
        other = selectors.client_get(user=request.user, pk=form.cleaned_data["other"])
    except Http404:  # a client the user may not see means "not a client you may see": say so, reveal nothing
        messages.error(request, _("No client with that record number is visible to you."))
        return redirect("clients:detail", pk=client.pk)
    try:
        services.household_join(
            by=request.user, client=client, other=other, relation=form.cleaned_data["relation"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
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
