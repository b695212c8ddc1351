from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hemkommun.access import policy
from hemkommun.access.forms import ConsentForm, ShareForm
from hemkommun.access.services import share_create
from hemkommun.casework.selectors import client_casework
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent
from hemkommun.core.pagination import CappedPaginator

from . import selectors, services
from .forms import ClientForm, ClientSearchForm
from .household_views import HouseholdJoinForm
from .models import Client, HouseholdMember

PAGE_SIZE = 25


@login_required
def client_list(request):
    """Search and list: the same access rules as the record itself, and every row shown is logged."""
    form = ClientSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        search = selectors.ClientSearch(
            text=form.cleaned_data["q"],
            date_of_birth=form.cleaned_data["dob"],
            identity_code=form.cleaned_data["hetu"],
        )
    else:
        search = selectors.ClientSearch()
    if not form.is_bound or form.is_valid():
        clients = selectors.client_search(user=request.user, search=search)
        page = CappedPaginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
        action = ReadEvent.Action.LIST if search.is_empty() else ReadEvent.Action.SEARCH
        selectors.log_list_reads(
            user=request.user, clients=page.object_list, action=action, context=request.get_full_path()
        )
    return render(
        request,
        "clients/list.html",
        {
            "form": form,
            "page": page,
            "may_create": policy.may_create_clients(request.user),
            "may_import": bool(policy.importable_organisations(request.user)),
        },
    )


@login_required
def client_detail(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    basis = selectors.log_detail_read(user=request.user, client=client)
    may_view_read_log = policy.can_view_read_log(request.user, client)
    context = {
        "client": client,
        "basis": basis,
        "languages": client.languages.all(),
        "earlier_residences": client.earlier_residences.select_related("municipality"),
        "household": _household_of(client),
        "history": _history_of(client),
        "may_edit": policy.can_edit_client(request.user, client),
        "may_share": policy.can_share_client(request.user, client),
        "may_view_read_log": may_view_read_log,
        "read_events": (
            client.read_events.select_related("user", "share").order_by("-at")[:50]
            if may_view_read_log
            else None
        ),
        "shares": client.shares.select_related("organisation").order_by("-valid_until"),
        "share_form": ShareForm(client=client),
        "consents": client.consents.select_related("recorded_by", "withdrawn_by").order_by(
            "-given_on", "-pk"
        ),
        "may_record_consent": policy.can_record_consent(request.user, client),
        "consent_form": ConsentForm(),
        "household_form": HouseholdJoinForm(),
        "casework": client_casework(user=request.user, client=client),
    }
    return render(request, "clients/detail.html", context)


def _household_of(client: Client):
    try:
        member = client.household_member
    except HouseholdMember.DoesNotExist:
        return []
    # A household lives inside the organisation holding the case, as its members do.
    return member.household.members.select_related("client").exclude(client=client)


def _history_of(client: Client) -> list[tuple]:
    """The latest changes as (entry, [(field label, old, new)]), in the reader's language."""

    def shown(value) -> str:
        return "–" if value in (None, "", "None") else value

    entries = client.history.select_related("actor", "content_type").order_by("-timestamp")[:50]
    return [
        (
            entry,
            [
                (label, shown(values[0]), shown(values[-1]))
                for label, values in entry.changes_display_dict.items()
            ],
        )
        for entry in entries
    ]


@login_required
@require_http_methods(["GET", "POST"])
def client_create(request):
    organisations = policy.creatable_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = ClientForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                data=form.service_data(),
                languages=form.cleaned_data["other_languages"],
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases=ClientForm.SERVICE_FIELD_ALIASES)
        else:
            messages.success(request, _("Client registered."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    if not policy.can_edit_client(request.user, client):
        raise PermissionDenied
    selectors.log_detail_read(user=request.user, client=client, context="edit")
    form = ClientForm(request.POST or None, instance=client, organisations=[client.organisation])
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(
                client=client,
                by=request.user,
                data=form.service_data(),
                languages=form.cleaned_data["other_languages"],
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases=ClientForm.SERVICE_FIELD_ALIASES)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "client": client, "creating": False})


@login_required
@require_http_methods(["POST"])
def client_share(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    if not policy.can_share_client(request.user, client):
        raise PermissionDenied
    form = ShareForm(request.POST, client=client)
    if form.is_valid():
        try:
            share_create(by=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The record is now shared."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("clients:detail", pk=client.pk)
