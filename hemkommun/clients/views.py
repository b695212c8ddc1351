from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hemkommun.access import policy
from hemkommun.access.forms import ShareForm
from hemkommun.access.services import share_create
from hemkommun.core.forms import add_service_errors
from hemkommun.core.models import ReadEvent
from hemkommun.core.pagination import CappedPaginator

from . import selectors, services
from .forms import ClientForm, ClientSearchForm
from .page import refused, render_client_page

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
    return render_client_page(request, client)


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
    if not form.is_valid():
        return refused(request, client, share_form=form)
    try:
        share_create(by=request.user, client=client, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(
            form, error, aliases=ShareForm.SERVICE_FIELD_ALIASES, codes=ShareForm.SERVICE_ERROR_FIELDS
        )
        return refused(request, client, share_form=form)
    messages.success(request, _("The record is now shared."))
    return redirect("clients:detail", pk=client.pk)
