"""The municipality's task templates, one per kind of arrival, edited by its reception staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hemkommun.organizations.models import Organisation

from .forms import template_formset
from .models import ArrivalKind
from .pages import managed_municipalities
from .services import arrivals


def _municipality(request, municipality_id: int | None):
    municipalities = managed_municipalities(request.user)
    if municipality_id is None and municipalities:
        return municipalities[0]
    for municipality in municipalities:
        if municipality.pk == municipality_id:
            return municipality
    raise Http404


def _responsible_choices(municipality: Organisation):
    """A task is the municipality's, a welfare area's, or a partner's (Kela is outside the system)."""
    return Organisation.objects.filter(
        Q(pk=municipality.pk)
        | Q(kind__in=[Organisation.Kind.WELFARE_AREA, Organisation.Kind.EMPLOYMENT_AREA])
        | Q(kind=Organisation.Kind.THIRD_SECTOR)
    ).order_by("kind", "name_fi")


@login_required
@require_http_methods(["GET", "POST"])
def task_template(request, kind: str, municipality_id: int | None = None):
    if kind not in ArrivalKind.values:
        raise Http404
    municipality = _municipality(request, municipality_id)
    template = arrivals.template_for(by=request.user, municipality=municipality, kind=kind)
    data = request.POST if request.method == "POST" else None
    formset = template_formset(
        data, template=template, responsible_choices=_responsible_choices(municipality)
    )
    if data is not None and formset.is_valid():
        items = [
            {
                field: form.cleaned_data[field]
                for field in ("title", "offset_days", "responsible", "health_related")
            }
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            arrivals.template_update(by=request.user, template=template, items=items)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("Template saved. Arrivals recorded from now on get these tasks."))
            return redirect(request.path)
    context = {
        "formset": formset,
        "template": template,
        "kind": kind,
        "kinds": ArrivalKind.choices,
        "municipality": municipality,
        "municipalities": managed_municipalities(request.user),
    }
    return render(request, "reception/template.html", context)
