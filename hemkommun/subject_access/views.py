"""The client's subject-access page: earlier reports, and a form to produce one (PDF or JSON)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from hemkommun.access import policy
from hemkommun.clients import selectors

from .forms import ProduceForm
from .services import subject_access_produce


@login_required
@require_http_methods(["GET", "POST"])
def client_page(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)  # 404, and no read logged, outside scope
    if not policy.can_produce_subject_access(request.user, client):
        raise PermissionDenied
    if request.method == "POST":
        form = ProduceForm(request.POST)
        if form.is_valid():
            try:
                return _download(request, client, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        return _page(request, client, form, status=400)
    selectors.log_detail_read(user=request.user, client=client, context="subject access page")
    initial = {"language": (get_language() or "fi")[:2]}
    return _page(request, client, ProduceForm(initial=initial))


def _download(request, client, data) -> HttpResponse:
    produced = subject_access_produce(
        client=client, by=request.user, language=data["language"], format=data["format"]
    )
    response = HttpResponse(produced.content, content_type=produced.content_type)
    response["Content-Disposition"] = f'attachment; filename="{produced.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(request, client, form, *, status: int = 200):
    requests = client.subject_access_requests.select_related("produced_by").order_by("-produced_at")
    context = {"client": client, "form": form, "requests": requests}
    return render(request, "subject_access/client.html", context, status=status)
