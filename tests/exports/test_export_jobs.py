"""Large exports as background jobs: asked for, made, followed, downloaded, removed."""

import csv
import datetime
import io
import os
import uuid

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from hemkommun.clients import export_views
from hemkommun.core.models import ReadEvent
from hemkommun.exports import jobs
from hemkommun.exports.models import ExportJob

from ..factories import Role, UserFactory, make_client


@pytest.fixture(autouse=True)
def small_direct_limit(monkeypatch, settings, tmp_path):
    # Three clients are "large" here, so that the tests need not register a thousand.
    monkeypatch.setattr(export_views, "DIRECT_EXPORT_ROWS", 2)
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def narpes_clients(narpes, counsellor_narpes, narpes_client):
    make_client(narpes, by=counsellor_narpes, family_name='=HYPERLINK("http://x")', given_names="Eve")
    make_client(narpes, by=counsellor_narpes, family_name="Korhonen", given_names="<b>Kalle</b>")
    return narpes_client


def _start(client, user, *, file_format="xlsx", query="") -> ExportJob:
    client.force_login(user)
    response = client.post(
        reverse("exports:start"), {"kind": "clients", "file_format": file_format, "query": query}
    )
    job = ExportJob.objects.get(user=user)
    assert response.url == reverse("exports:detail", args=[job.pk])
    return job


def test_a_large_export_asks_to_be_prepared_in_the_background(client, counsellor_narpes, narpes_clients):
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:export", args=["xlsx"]), {"q": ""})
    assert response.status_code == 200
    with translation.override("fi"):
        assert translation.gettext("Prepare the file") in response.content.decode()
    assert 'name="kind" value="clients"' in response.content.decode()
    assert not ExportJob.objects.exists(), "a GET starts nothing"
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()


def test_the_job_is_queued_after_the_commit(
    client, counsellor_narpes, narpes_clients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = _start(client, counsellor_narpes)
    assert job.status == ExportJob.Status.QUEUED
    assert len(callbacks) == 1


def test_the_job_writes_the_visible_clients_with_filters_escaped_and_logged(
    client, narpes, vasa, counsellor_narpes, narpes_clients
):
    make_client(vasa, family_name="Vasaclient")
    job = _start(client, counsellor_narpes)
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_total, job.rows_done, job.percent) == (3, 3, 100)
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="clients-')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Järvinen" in values and "<b>Kalle</b>" in values
    assert '\'=HYPERLINK("http://x")' in values
    assert "Vasaclient" not in values
    with translation.override("fi"):
        filters_note = translation.gettext(
            "Filters: name “%(q)s”, date of birth “%(dob)s”, identity code “%(hetu)s”"
        )
    assert values[1] == filters_note % {"q": "", "dob": "", "hetu": ""}
    logged = ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT, user=counsellor_narpes)
    assert logged.count() == 3
    assert set(logged.values_list("context", flat=True)) == {f"export {job.pk}"}


def test_a_csv_job_keeps_the_search(client, counsellor_narpes, narpes_clients):
    job = _start(client, counsellor_narpes, file_format="csv", query="q=korhonen")
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    rows = list(csv.reader(io.StringIO(job.file.open("rb").read().decode("utf-8-sig"))))
    assert [row[1] for row in rows[4:]] == ["Korhonen"]
    assert "korhonen" in rows[1][0]


def test_the_job_reads_as_its_user_when_it_runs(client, narpes, counsellor_narpes, narpes_clients):
    job = _start(client, counsellor_narpes)
    counsellor_narpes.memberships.update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.rows_total == 0
    assert not ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).exists()


def test_a_tampered_search_fails_with_a_message(client, counsellor_narpes, narpes_clients):
    job = _start(client, counsellor_narpes, query="dob=19xx")
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    with translation.override("fi"):
        assert job.error == translation.gettext("The search is no longer valid. Search again and export.")
    assert not job.file


def test_an_unexpected_error_fails_the_job_without_details(
    client, counsellor_narpes, narpes_clients, monkeypatch
):
    job = _start(client, counsellor_narpes)
    monkeypatch.setitem(jobs.BUILDERS, "clients", "builtins.no_such_builder")
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    with translation.override("fi"):
        assert job.error == translation.gettext(
            "The export failed. Try again; if it fails again, tell the support."
        )


def test_a_job_runs_once(client, counsellor_narpes, narpes_clients):
    job = _start(client, counsellor_narpes)
    jobs.run_export(str(job.pk))
    jobs.run_export(str(job.pk))
    assert ReadEvent.objects.filter(action=ReadEvent.Action.EXPORT).count() == 3


def test_progress_is_polled_while_the_job_is_unfinished(client, counsellor_narpes, narpes_clients):
    job = _start(client, counsellor_narpes)
    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_total=4, rows_done=1)
    partial = client.get(reverse("exports:detail", args=[job.pk]), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert 'hx-trigger="every 2s"' in text and 'value="25"' in text
    assert "<html" not in text
    jobs.run_export(str(job.pk))  # a running job is not started twice
    ExportJob.objects.filter(pk=job.pk).update(status="queued")
    jobs.run_export(str(job.pk))
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page
    assert reverse("exports:download", args=[job.pk]) in page
    assert reverse("exports:detail", args=[job.pk]) in client.get(reverse("exports:list")).content.decode()


def test_nobody_else_sees_or_downloads_the_job(
    client, counsellor_narpes, counsellor_vasa, narpes_clients, narpes
):
    job = _start(client, counsellor_narpes)
    jobs.run_export(str(job.pk))
    colleague = UserFactory.with_role(Role.COORDINATOR, narpes)
    for other in (counsellor_vasa, colleague):
        client.force_login(other)
        assert client.get(reverse("exports:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
        assert str(job.pk) not in client.get(reverse("exports:list")).content.decode()
    client.logout()
    response = client.get(reverse("exports:download", args=[job.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(counsellor_narpes)
    assert client.get(reverse("exports:detail", args=[uuid.uuid4()])).status_code == 404


def test_an_unfinished_job_has_nothing_to_download(client, counsellor_narpes, narpes_clients):
    job = _start(client, counsellor_narpes)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "programme", "file_format": "xlsx"},
        {"kind": "clients", "file_format": "exe"},
        {"kind": "<script>", "file_format": "csv"},
    ],
)
def test_unknown_exports_are_not_found(client, counsellor_narpes, data):
    client.force_login(counsellor_narpes)
    assert client.post(reverse("exports:start"), data).status_code == 404
    assert not ExportJob.objects.exists()


def test_starting_needs_a_post(client, counsellor_narpes):
    client.force_login(counsellor_narpes)
    assert client.get(reverse("exports:start"), {"kind": "clients", "file_format": "csv"}).status_code == 405


def test_one_person_has_a_few_jobs_unfinished_at_most(client, counsellor_narpes, narpes_clients):
    for _ in range(jobs.MAX_UNFINISHED):
        client.force_login(counsellor_narpes)
        client.post(reverse("exports:start"), {"kind": "clients", "file_format": "csv"})
    response = client.post(reverse("exports:start"), {"kind": "clients", "file_format": "csv"}, follow=True)
    assert ExportJob.objects.count() == jobs.MAX_UNFINISHED
    with translation.override("fi"):
        message = translation.gettext("You have %(count)s exports being prepared. Wait until one is ready.")
    assert message % {"count": jobs.MAX_UNFINISHED} in response.content.decode()


def test_more_than_the_most_is_refused(client, counsellor_narpes, narpes_clients, monkeypatch):
    monkeypatch.setattr(export_views, "MAX_EXPORT_ROWS", 2)
    client.force_login(counsellor_narpes)
    response = client.get(reverse("clients:export", args=["csv"]), follow=True)
    with translation.override("fi"):
        assert (
            translation.gettext("More than %(limit)s clients match: narrow the search.") % {"limit": 2}
            in response.content.decode()
        )
    assert not ExportJob.objects.exists()


def test_old_exports_and_their_files_are_removed(client, counsellor_narpes, narpes_clients):
    job = _start(client, counsellor_narpes)
    jobs.run_export(str(job.pk))
    job.refresh_from_db()
    path = job.file.path
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=23)):
        assert jobs.remove_old_exports() == 0
    with time_machine.travel(timezone.now() + jobs.KEEP_FILES_FOR + datetime.timedelta(minutes=1)):
        assert jobs.remove_old_exports() == 1
    assert not ExportJob.objects.exists()
    assert not os.path.exists(path)
