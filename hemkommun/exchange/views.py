"""Pages of the record exchange: the published schema, the export download, the import page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from hemkommun.access import policy
from hemkommun.access.models import Purpose
from hemkommun.clients import selectors
from hemkommun.core.forms import style_fields
from hemkommun.core.uploads import Kind, check_upload
from hemkommun.organizations.models import Organisation

from . import importing
from .export import export_record
from .record import SCHEMA_PATH


@require_GET
@cache_control(public=True, max_age=3600)
def schema_v1(request):
    """The JSON Schema of version 1, public: the receiving systems validate against it."""
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/schema+json")


# Where an integration record may go, each a purpose with its own legal basis (access.consents).
EXPORT_PURPOSES = (Purpose.NATIONAL_SYSTEM, Purpose.TRANSFER)


@login_required
@require_GET
def record_export(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)  # 404 for a client not visible
    if not policy.can_do_casework(request.user, client):
        raise PermissionDenied
    purpose = request.GET.get("for", "")
    if purpose not in EXPORT_PURPOSES:
        messages.error(request, _("Choose where the record goes."))
        return redirect("clients:detail", pk=client.pk)
    try:
        content = export_record(client=client, by=request.user, purpose=purpose)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clients:detail", pk=client.pk)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"integration-record-{client.pk}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class RecordImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Receiving organisation")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An integration record (.json) exported from Hemkommun or a compatible system, at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    confirm_duplicate = forms.BooleanField(
        required=False,
        label=_("I have checked the possible duplicate: this is another person."),
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        if len(organisations) == 1:
            self.initial["organisation"] = organisations[0].pk
        style_fields(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, kinds=(Kind.JSON,), max_bytes=importing.MAX_FILE_SIZE)
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def record_import(request):
    organisations = importing.importing_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    posted = request.method == "POST"
    form = RecordImportForm(
        request.POST if posted else None, request.FILES if posted else None, organisations=organisations
    )
    result = None
    if posted and form.is_valid():
        try:
            result = importing.import_record(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                content=form.cleaned_data["file"].read(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                dry_run=request.POST.get("action") != "import",
            )
        except ValidationError as error:
            form.add_error(None, error)
    duplicates = [importing.duplicate_message(d) for d in result.possible_duplicates] if result else []
    return render(
        request,
        "exchange/import.html",
        {
            "form": form,
            "result": result,
            "duplicates": duplicates,
            "max_errors": importing.MAX_REPORTED_ERRORS,
        },
    )
