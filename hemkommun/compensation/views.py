"""The compensation parameters, readable by every member of staff, with the history of changes."""

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render

from .models import Parameter, PayeeRoute

RECENT_CHANGES = 50


@login_required
def parameters(request):
    by_jurisdiction: dict[str, list[Parameter]] = {}
    for parameter in Parameter.objects.all():
        by_jurisdiction.setdefault(parameter.get_jurisdiction_display(), []).append(parameter)
    content_types = ContentType.objects.get_for_models(Parameter, PayeeRoute).values()
    changes = (
        LogEntry.objects.filter(content_type__in=content_types)
        .select_related("actor")
        .order_by("-timestamp")[:RECENT_CHANGES]
    )
    context = {
        "by_jurisdiction": by_jurisdiction,
        "routes": PayeeRoute.objects.select_related("municipality", "payee"),
        "changes": changes,
    }
    return render(request, "compensation/parameters.html", context)
