"""The indicators of a programme: add or change one, and type in the values of a typed one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hemkommun.core.forms import add_service_errors

from . import services
from .forms import IndicatorForm, IndicatorValuesForm
from .models import Indicator, IndicatorValue
from .selectors import shown_years
from .views import programme_url, writable_programme


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int, indicator_pk: int | None = None):
    programme = writable_programme(request.user, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, programme=programme) if indicator_pk else None
    initial = (
        {
            "name": indicator.name,
            "kind": indicator.kind,
            "figure": indicator.figure,
            "unit": indicator.unit,
            "survey_question": indicator.survey_question,
            "actions": list(indicator.actions.all()),
        }
        if indicator
        else {"kind": Indicator.Kind.COMPUTED}
    )
    form = IndicatorForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(
                by=request.user, programme=programme, indicator=indicator, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect(f"{programme_url(programme)}#indicators")
    context = {"programme": programme, "indicator": indicator, "form": form}
    return render(request, "programme/indicator_form.html", context)


@login_required
@require_POST
def indicator_delete(request, pk: int, indicator_pk: int):
    programme = writable_programme(request.user, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, programme=programme)
    try:
        services.indicator_delete(by=request.user, indicator=indicator)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Indicator removed."))
    return redirect(f"{programme_url(programme)}#indicators")


@login_required
@require_http_methods(["GET", "POST"])
def indicator_values(request, pk: int, indicator_pk: int):
    programme = writable_programme(request.user, pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, programme=programme, kind=Indicator.Kind.TYPED)
    years = shown_years(programme)
    current = {value.year: value for value in IndicatorValue.objects.filter(indicator=indicator)}
    form = IndicatorValuesForm(request.POST or None, years=years, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # every year, or none
                for year, value, note in form.entries():
                    services.indicator_value_set(
                        by=request.user, indicator=indicator, year=year, value=value, note=note
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Values saved."))
            return redirect(f"{programme_url(programme)}#indicators")
    context = {"programme": programme, "indicator": indicator, "form": form}
    return render(request, "programme/indicator_values.html", context)
