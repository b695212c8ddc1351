from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hemkommun.access import policy
from hemkommun.clients import selectors as client_selectors
from hemkommun.core.forms import add_service_errors

from .forms import ContactForm
from .models import RuleSet
from .services.contacts import contact_record
from .timeline import client_timeline


def drop_in_form(user, data=None) -> ContactForm | None:
    """The anonymous drop-in form of the home page, for those who record contacts."""
    organisations = policy.contact_organisations(user)
    if not organisations:
        return None
    return ContactForm(data, organisations=organisations, anonymous=True, prefix="drop_in")


@login_required
@require_http_methods(["GET", "POST"])
def drop_in(request):
    """An anonymous drop-in at the desk: counts only, recorded in a few seconds."""
    form = drop_in_form(request.user, request.POST or None)
    if form is None:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            contact_record(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                data=form.service_data(),
                topics=form.cleaned_data["topics"],
                unit=_unit_in(request.user, form.cleaned_data["organisation"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Anonymous contact recorded."))
            return redirect("home")
    return render(request, "casework/drop_in.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    client = client_selectors.client_get(user=request.user, pk=pk)
    if not policy.can_record_contact(request.user, client):
        raise PermissionDenied
    client_selectors.log_detail_read(user=request.user, client=client, context="contact")
    form = ContactForm(request.POST or None, organisations=[client.organisation], anonymous=False)
    if request.method == "POST" and form.is_valid():
        try:
            contact_record(
                by=request.user,
                organisation=client.organisation,
                client=client,
                data=form.service_data(),
                topics=form.cleaned_data["topics"],
                unit=_unit_in(request.user, client.organisation),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "casework/contact_form.html", {"form": form, "client": client})


def _unit_in(user, organisation):
    """The unit through which the user works in the organisation (the first, if several)."""
    for membership in policy.active_memberships(user):
        if membership.unit.organisation_id == organisation.pk and membership.role in policy.CONTACT_ROLES:
            return membership.unit
    return None


@login_required
def rules(request):
    """The deadline rules in force, with their legal sources: every user may read them."""
    rule_sets = RuleSet.objects.prefetch_related("rules").order_by("jurisdiction", "-applies_from")
    return render(request, "casework/rules.html", {"rule_sets": rule_sets})


@login_required
def timeline(request, pk: int):
    """Everything that happened with the client, newest first, as far as the user may see it."""
    client = client_selectors.client_get(user=request.user, pk=pk)
    client_selectors.log_detail_read(user=request.user, client=client, context="timeline")
    return render(
        request,
        "casework/timeline.html",
        {"client": client, "entries": client_timeline(user=request.user, client=client)},
    )
