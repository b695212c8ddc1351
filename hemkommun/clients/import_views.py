"""The import page: check a register file (dry run) and import it, all or nothing.

The file is not kept between the check and the import: the user chooses it again for the
import. That keeps no copy of a register full of identity codes on the server, needs no clean-up,
and is safe because the import checks every row again and writes nothing if any row is bad.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from hemkommun.access import policy
from hemkommun.core.forms import style_fields
from hemkommun.core.uploads import Kind, check_upload
from hemkommun.organizations.models import Organisation

from . import importing

# A report of a large file shows its first rows; the command lists every one.
MAX_SHOWN_ROWS = 1000


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation holding the cases")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A .csv file (UTF-8, comma or semicolon) or an .xlsx file with the columns of the guide."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        )
        if len(organisations) == 1:
            self.initial["organisation"] = organisations[0].pk
        style_fields(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, kinds=(Kind.CSV, Kind.XLSX), max_bytes=importing.max_bytes())
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def client_import(request):
    organisations = policy.importable_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, organisations=organisations
    )
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.import_clients(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                content=upload.read(),
                filename=upload.name,
                # Anything but an explicit "Import" only checks: the safe default.
                dry_run=request.POST.get("action") != "import",
            )
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "clients/import.html", {"form": form, "result": result, **_report(result)})


def _report(result: importing.ImportResult | None) -> dict:
    if result is None:
        return {"required_columns": importing.REQUIRED_COLUMNS}
    rows = result.bad_rows or [row for row in result.rows if row.action != importing.Action.UNCHANGED]
    return {
        "counts": result.counts,
        "shown_rows": rows[:MAX_SHOWN_ROWS],
        "hidden_row_count": max(0, len(rows) - MAX_SHOWN_ROWS),
        "required_columns": importing.REQUIRED_COLUMNS,
    }
