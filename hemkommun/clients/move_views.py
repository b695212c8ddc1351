"""Moves between municipalities, from the client page: record one, or take back the latest."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.access import policy
from hemkommun.core.forms import DATE_WIDGET, add_service_errors, style_fields
from hemkommun.organizations.models import Organisation

from . import selectors
from .moves import client_move, client_move_undo, home_municipality


class MoveForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("New municipality of residence"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY),
    )
    moved_on = forms.DateField(
        label=gettext_lazy("Registered there on"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("The date of the move in the population register."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def _editable_client(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    if not policy.can_edit_client(request.user, client):
        raise PermissionDenied
    return client


@login_required
@require_http_methods(["GET", "POST"])
def client_move_page(request, pk: int):
    client = _editable_client(request, pk)
    selectors.log_detail_read(user=request.user, client=client, context="move")
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client_move(by=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The move is recorded."))
            return redirect("clients:detail", pk=client.pk)
    context = {"client": client, "form": form, "home": home_municipality(client)}
    return render(request, "clients/move.html", context)


@login_required
@require_POST
def client_move_undo_view(request, pk: int):
    client = _editable_client(request, pk)
    try:
        client_move_undo(by=request.user, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The latest move is taken back."))
    return redirect("clients:detail", pk=client.pk)
