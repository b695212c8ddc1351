"""Pages of the background exports: start one, follow its progress, download the file.
A job is only ever shown to the person who asked for it: anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import jobs
from .models import ExportJob


def confirm_background_export(request, *, kind: str, file_format: str, size: str, back_url: str):
    """The page that offers to prepare a large export in the background: a GET never starts a
    job, the button posts the list's filters to ``job_start``."""
    context = {
        "kind": kind,
        "file_format": file_format,
        "query": request.GET.urlencode(),
        "size": size,
        "back_url": back_url,
    }
    return render(request, "exports/confirm.html", context)


@login_required
def job_list(request):
    exports = list(request.user.export_jobs.all()[:50])
    return render(request, "exports/job_list.html", {"jobs": exports, "keep": jobs.KEEP_FILES_FOR})


@login_required
@require_POST
def job_start(request):
    kind = request.POST.get("kind", "")
    file_format = request.POST.get("file_format", "")
    if kind not in jobs.BUILDERS or file_format not in ExportJob.Format.values:
        raise Http404
    if jobs.unfinished_jobs(request.user) >= jobs.MAX_UNFINISHED:
        messages.error(
            request,
            _("You have %(count)s exports being prepared. Wait until one is ready.")
            % {"count": jobs.MAX_UNFINISHED},
        )
        return redirect("exports:list")
    # The list's filters travel as its query string; the builder checks them again when it runs.
    filters = QueryDict(request.POST.get("query", "")[:2000])
    job = jobs.start_export(
        user=request.user, kind=kind, file_format=file_format, params=dict(filters.lists())
    )
    return redirect("exports:detail", job_id=job.pk)


@login_required
def job_detail(request, job_id):
    job = get_object_or_404(ExportJob, pk=job_id, user=request.user)
    context = {"job": job, "available_until": jobs.available_until(job)}
    if request.headers.get("HX-Request"):
        return render(request, "exports/_job_status.html", context)
    return render(request, "exports/job_detail.html", context)


@login_required
def job_download(request, job_id):
    job = get_object_or_404(ExportJob, pk=job_id, user=request.user, status=ExportJob.Status.DONE)
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.filename)
