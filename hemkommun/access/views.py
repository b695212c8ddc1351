"""The client's consents, recorded and withdrawn from the client's page (docs/consent.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemkommun.clients import selectors
from hemkommun.clients.page import refused
from hemkommun.core.forms import add_service_errors

from . import consents, policy
from .forms import ConsentForm
from .models import Consent


def _client_for_consents(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)  # 404 for a client not visible
    if not policy.can_record_consent(request.user, client):
        raise PermissionDenied
    return client


@login_required
@require_POST
def consent_create(request, pk: int):
    client = _client_for_consents(request, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return refused(request, client, consent_form=form)
    try:
        consents.consent_record(by=request.user, client=client, **form.cleaned_data)
    except ValidationError as error:  # by the consent's own fields, which are the form's
        add_service_errors(form, error)
        return refused(request, client, consent_form=form)
    messages.success(request, _("The consent is recorded."))
    return redirect("clients:detail", pk=client.pk)


@login_required
@require_POST
def consent_withdraw(request, pk: int, consent_pk: int):
    client = _client_for_consents(request, pk)
    consent = get_object_or_404(Consent, pk=consent_pk, client=client)
    try:  # the note is optional free text; the service strips it and cuts it to length
        ended = consents.consent_withdraw(by=request.user, consent=consent, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The consent is withdrawn; %(count)d share(s) resting on it ended.") % {"count": len(ended)},
        )
    return redirect("clients:detail", pk=client.pk)
