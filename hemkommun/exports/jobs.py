"""Exports made in the background: asked for on a page, made by django-q2's cluster
(``manage.py qcluster``), followed on the job's page and downloaded when ready.

Each kind of export is one builder function, named in ``BUILDERS``. A builder reads through the
same selectors and access rules as the page, as the job's user at the time the job runs, logs the
reads of client data itself, reports its progress, and returns the ``Table`` to write."""

import datetime
import logging
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from hemkommun.core.spreadsheets import write_spreadsheet_file

from .models import ExportJob

logger = logging.getLogger(__name__)

# The kinds of export that may run as a job, and the function that builds each.
BUILDERS = {
    "clients": "hemkommun.clients.export_views.build_client_export",
    "forecast": "hemkommun.compensation.views.build_forecast_export",
}

# A finished file is removed after a day: it holds client data, and it can be made again.
KEEP_FILES_FOR = datetime.timedelta(days=1)

# How many rows a builder reads between two progress updates (one UPDATE each).
PROGRESS_STEP = 1_000


class ExportRefused(Exception):
    """The export cannot be made (the filters are no longer valid, too many rows): the message
    is shown to the user on the job's page."""


@dataclass
class Table:
    """What a builder returns. ``rows`` may be a generator that reads the data batch by batch
    while the file is written: a large export is then never in memory at once."""

    filename: str
    sheet: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    notes: Sequence[str] = ()


class Progress:
    """Lets a builder tell how far it is; the job's page reads the figures."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job

    def total(self, rows: int) -> None:
        ExportJob.objects.filter(pk=self.job.pk).update(rows_total=rows)

    def advance(self, rows: int) -> None:
        ExportJob.objects.filter(pk=self.job.pk).update(rows_done=F("rows_done") + rows)


# Jobs one person may have waiting or running at once: enough for real work, not a flood.
MAX_UNFINISHED = 3


def unfinished_jobs(user) -> int:
    return user.export_jobs.filter(status__in=(ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)).count()


def start_export(*, user, kind: str, file_format: str, params: dict) -> ExportJob:
    """Queue an export of ``kind`` with the list's filters; the job runs after the commit."""
    if kind not in BUILDERS or file_format not in ExportJob.Format.values:
        raise ValueError(f"unknown export {kind}.{file_format}")
    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        file_format=file_format,
        params=params,
        language=translation.get_language() or "fi",
    )
    transaction.on_commit(lambda: async_task("hemkommun.exports.jobs.run_export", str(job.pk)))
    return job


def run_export(job_id: str) -> None:
    """The background job: build the table, write the file, mark the job done or failed."""
    job = ExportJob.objects.select_related("user").filter(pk=job_id, status=ExportJob.Status.QUEUED).first()
    if job is None:  # already run, or removed
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, started_at=timezone.now())
    with translation.override(job.language), tempfile.TemporaryDirectory() as work:
        path = Path(work) / f"export.{job.file_format}"
        try:
            table = import_string(BUILDERS[job.kind])(job=job, progress=Progress(job))
            write_spreadsheet_file(
                path,
                file_format=job.file_format,
                sheet=table.sheet,
                headers=table.headers,
                rows=table.rows,
                notes=table.notes,
            )
        except ExportRefused as refusal:
            _fail(job, str(refusal))
            return
        except Exception:
            logger.exception("export %s failed", job.pk)
            _fail(job, _("The export failed. Try again; if it fails again, tell the support."))
            return
        job.refresh_from_db()
        job.filename = f"{table.filename}.{job.file_format}"
        with path.open("rb") as written:
            job.file.save(job.filename, File(written), save=False)
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
    job.save(update_fields=["filename", "file", "status", "finished_at"])


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )


def remove_old_exports(now: datetime.datetime | None = None) -> int:
    """The scheduled clean-up: jobs asked for more than ``KEEP_FILES_FOR`` ago and their files,
    whatever became of them. Returns how many jobs were removed."""
    limit = (now or timezone.now()) - KEEP_FILES_FOR
    old = ExportJob.objects.filter(created_at__lt=limit)
    removed = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed


def available_until(job: ExportJob) -> datetime.datetime:
    """When the clean-up removes the job and its file."""
    return job.created_at + KEEP_FILES_FOR
